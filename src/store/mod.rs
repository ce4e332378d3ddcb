//! Storage: the connection pool, backend choice, migrations and one module
//! of queries per table. Queries are written once for every backend.

pub mod areas;
pub mod notices;
pub mod schema;

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

/// One connection to whichever backend the database URL names.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(diesel::SqliteConnection),
}

pub type DbPool = Pool<ConnectionManager<DbConnection>>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no database connection: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("database task failed: {0}")]
    Task(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Where the data lives, chosen from `TAVLA_DATABASE_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// A file path, or `:memory:`.
    Sqlite(String),
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Self, String> {
        let url = url.trim();
        if url.is_empty() {
            return Err("the database URL is empty".into());
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Err("PostgreSQL is not supported by this build yet; use a SQLite path".into());
        }
        if let Some((scheme, _)) = url.split_once("://") {
            if scheme != "sqlite" {
                return Err(format!(
                    "unknown database scheme {scheme:?}: use a SQLite path"
                ));
            }
        }
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        Ok(Backend::Sqlite(path.to_owned()))
    }

    fn connection_url(&self) -> &str {
        match self {
            Backend::Sqlite(path) => path,
        }
    }
}

/// Settings every new SQLite connection gets.
///
/// WAL with `synchronous=FULL`: a committed write survives a crash of the
/// process and of the machine. Foreign keys are enforced, and writers wait
/// for each other instead of failing.
#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(
            // busy_timeout first, so the other settings wait for a busy file too.
            "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
             PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
        )
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// The pool and the one way to use it from async code.
#[derive(Clone)]
pub struct Store {
    pool: DbPool,
}

impl Store {
    pub fn connect(backend: &Backend) -> StoreResult<Self> {
        let manager = ConnectionManager::<DbConnection>::new(backend.connection_url());
        let Backend::Sqlite(path) = backend;
        // Each connection to ":memory:" would be its own empty database.
        let max_size = if path == ":memory:" { 1 } else { 8 };
        let pool = Pool::builder()
            .max_size(max_size)
            .connection_timeout(Duration::from_secs(5))
            .connection_customizer(Box::new(SqlitePragmas))
            .build(manager)?;
        Ok(Self { pool })
    }

    pub fn conn(&self) -> StoreResult<PooledConnection<ConnectionManager<DbConnection>>> {
        Ok(self.pool.get()?)
    }

    /// Runs blocking database work on the blocking thread pool, off the async executor.
    pub async fn run<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> StoreResult<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            work(&mut conn)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Applies every migration not yet applied; returns how many ran.
    pub fn migrate(&self) -> StoreResult<usize> {
        let mut conn = self.conn()?;
        let applied = match &mut *conn {
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        }
        .map_err(|e| StoreError::Corrupt(format!("migration failed: {e}")))?;
        Ok(applied.len())
    }

    /// Whether the database answers at all.
    pub fn ping(conn: &mut DbConnection) -> StoreResult<()> {
        conn.batch_execute("SELECT 1")?;
        Ok(())
    }
}
