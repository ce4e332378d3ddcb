//! Storage: the connection pool, backend choice, migrations and one module
//! of queries per table. Queries are written once for every backend.

pub mod areas;
pub mod audit;
mod backend;
pub mod bodies;
pub mod changes;
pub mod editing;
pub mod idempotency;
pub mod listing;
pub mod mail;
pub mod notices;
pub mod outbox;
mod quick_read;
pub mod revisions;
pub mod schema;
pub mod search;
pub mod sessions;
pub mod sources;
mod stamp;
pub mod subscriptions;
#[cfg(test)]
mod tests;
mod text;
pub mod tokens;
mod upkeep;
pub mod version;
pub mod webhooks;

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::r2d2::event::{CheckoutEvent, TimeoutEvent};
use diesel::r2d2::{HandleEvent, ManageConnection, Pool, PooledConnection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::metrics::PoolCounters;
pub use backend::Backend;
pub use upkeep::{checkpoint, checkpoint_periodically, merge_search_index, CHECKPOINT_INTERVAL};

/// One connection to whichever backend the database URL names.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

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
    /// A search whose every word is one the search ignores (a stop word).
    #[error("nothing to search for")]
    NothingToSearch,
}

pub type StoreResult<T> = Result<T, StoreError>;

/// How the pool behaves; each is a setting of `tavla serve`.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    pub max_size: u32,
    /// How long a request waits for a free connection.
    pub connect_timeout: Duration,
    /// PostgreSQL's `statement_timeout`: no query runs longer.
    pub statement_timeout: Duration,
    /// How long a start waits for an unreachable database before giving up.
    pub startup_wait: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            max_size: 8,
            connect_timeout: Duration::from_secs(5),
            statement_timeout: Duration::from_secs(10),
            startup_wait: Duration::from_secs(30),
        }
    }
}

/// Opens connections of the configured backend, each with its session settings.
#[derive(Debug)]
pub struct Manager {
    backend: Backend,
    statement_timeout: Duration,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        use diesel::r2d2::Error;
        let mut conn = match &self.backend {
            Backend::Sqlite(path) => DbConnection::Sqlite(
                SqliteConnection::establish(path).map_err(Error::ConnectionError)?,
            ),
            Backend::Postgres(url) => {
                DbConnection::Pg(PgConnection::establish(url).map_err(Error::ConnectionError)?)
            }
        };
        let settings = match &conn {
            // WAL with synchronous=FULL: a committed write survives a crash of the process
            // and of the machine. busy_timeout first, so the rest wait for a busy file too;
            // it is far longer than any write transaction (they render nothing and touch a
            // few rows), so a writer queues behind another instead of failing.
            // journal_size_limit truncates the WAL after each checkpoint that empties it.
            // No write checkpoints (wal_autocheckpoint = 0): the one that took the WAL past
            // 1 000 pages used to copy them into the database file and flush it before it
            // could answer, which at a million notices are pages all over the file;
            // `checkpoint_periodically` does it in the background instead.
            // mmap_size = 0: no memory map (see `SQLITE_MMAP_SIZE`).
            DbConnection::Sqlite(_) => format!(
                "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                 PRAGMA journal_size_limit = {}; PRAGMA wal_autocheckpoint = 0; \
                 PRAGMA mmap_size = {};",
                SQLITE_BUSY_TIMEOUT.as_millis(),
                WAL_SIZE_LIMIT,
                SQLITE_MMAP_SIZE
            ),
            // Generic plans: a statement Tavla prepares is planned once per connection, not
            // again for each execution. With PostgreSQL's default, most of the hot reads
            // were planned anew every time, which cost more at a million notices than at a
            // thousand and was there most of what PostgreSQL spent on a list
            // (docs/benchmarks.md, "Plans made once"). Every hot read's generic plan is
            // checked by tests/query_plans.rs; reads whose best plan depends on their
            // values (a search's windows, the sweeps for old rows) plan anew each time
            // (`with_custom_plans`).
            DbConnection::Pg(_) => format!(
                "SET statement_timeout = {}; SET TIME ZONE 'UTC'; \
                 SET plan_cache_mode = {PG_PLAN_CACHE_MODE};",
                self.statement_timeout.as_millis()
            ),
        };
        conn.batch_execute(&settings).map_err(Error::QueryError)?;
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// How a PostgreSQL connection plans the statements it prepares (see `connect`).
const PG_PLAN_CACHE_MODE: &str = "force_generic_plan";

/// Runs `work` with PostgreSQL planning each statement for its own values,
/// then sets the connection back to plans made once (see `connect`), even
/// when `work` failed, whose error is then the one returned. For reads whose
/// best plan depends on their values: a search's window and its words; a
/// sweep for the few rows older than an instant, which a plan made for no
/// instant in particular would look for by reading the whole table. Nothing
/// on SQLite, which plans every statement for its values.
pub(crate) fn with_custom_plans<T>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> StoreResult<T>,
) -> StoreResult<T> {
    if !matches!(conn, DbConnection::Pg(_)) {
        return work(conn);
    }
    conn.batch_execute("SET plan_cache_mode = force_custom_plan")?;
    let done = work(conn);
    let reset = conn.batch_execute(&format!("SET plan_cache_mode = {PG_PLAN_CACHE_MODE}"));
    let done = done?;
    reset?;
    Ok(done)
}

/// How long a SQLite writer waits for another write to finish.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(30);
/// Bytes of WAL kept on disk after a checkpoint.
const WAL_SIZE_LIMIT: u64 = 16 * 1024 * 1024;
/// Bytes of a SQLite database file that reads see through a memory map:
/// none, so every page is read with `pread` into the connection's cache.
/// A map made reads of pages in memory about a tenth faster at a million
/// notices, but a page not in memory was then read by a page fault, and
/// the kernel reads the device's whole read-ahead around each fault: 8 MB
/// on a machine so set, where 200 corrections of a store just restored
/// read 1.3 GB and ran at a sixth of their speed (`docs/benchmarks.md`,
/// "The memory map undone"). `pread` reads what it asks for.
const SQLITE_MMAP_SIZE: u64 = 0;

pub type DbPool = Pool<Manager>;

/// Counts each checkout's wait, and the checkouts that timed out.
struct PoolEvents(PoolCounters);

impl std::fmt::Debug for PoolEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PoolEvents")
    }
}

impl HandleEvent for PoolEvents {
    fn handle_checkout(&self, event: CheckoutEvent) {
        self.0.waits.observe(event.duration().as_secs_f64());
    }

    fn handle_timeout(&self, _event: TimeoutEvent) {
        self.0.timeouts.inc();
    }
}

/// The pool and the one way to use it from async code.
#[derive(Clone)]
pub struct Store {
    pool: DbPool,
    backend: Backend,
}

impl Store {
    /// A pool that opens connections lazily; `wait_until_reachable` checks the database.
    pub fn connect(backend: &Backend, options: &PoolOptions) -> StoreResult<Self> {
        Self::connect_measured(backend, options, PoolCounters::default())
    }

    /// As `connect`, counting how long each use waits for a connection.
    pub fn connect_measured(
        backend: &Backend,
        options: &PoolOptions,
        counters: PoolCounters,
    ) -> StoreResult<Self> {
        let manager = Manager {
            backend: backend.clone(),
            statement_timeout: options.statement_timeout,
        };
        // Each connection to ":memory:" would be its own empty database.
        let max_size = match backend {
            Backend::Sqlite(path) if path == ":memory:" => 1,
            _ => options.max_size,
        };
        let pool = Pool::builder()
            .max_size(max_size)
            .min_idle(Some(0))
            .connection_timeout(options.connect_timeout)
            .test_on_check_out(true)
            .event_handler(Box::new(PoolEvents(counters)))
            .build_unchecked(manager);
        Ok(Self {
            pool,
            backend: backend.clone(),
        })
    }

    /// Retries with backoff until the database answers or `wait` has passed.
    pub fn wait_until_reachable(&self, wait: Duration) -> StoreResult<()> {
        let started = Instant::now();
        let mut delay = Duration::from_millis(100);
        loop {
            match self.pool.get_timeout(Duration::from_secs(2)) {
                Ok(_) => return Ok(()),
                Err(e) if started.elapsed() + delay > wait => return Err(e.into()),
                Err(e) => {
                    tracing::warn!(error = %e, database = %self.backend.redacted(), "database not reachable yet; retrying");
                    std::thread::sleep(delay);
                    delay = (delay * 2).min(Duration::from_secs(5));
                }
            }
        }
    }

    /// Connections open, of them idle, and the most the pool opens.
    pub fn pool_state(&self) -> (u32, u32, u32) {
        let state = self.pool.state();
        (
            state.connections,
            state.idle_connections,
            self.pool.max_size(),
        )
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    pub fn conn(&self) -> StoreResult<PooledConnection<Manager>> {
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

    /// Whether the database answers within a second.
    pub async fn ping(&self) -> StoreResult<()> {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get_timeout(Duration::from_secs(1))?;
            conn.batch_execute("SELECT 1")?;
            Ok(())
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Applies every migration not yet applied; returns how many ran.
    /// Instances starting together on PostgreSQL take turns.
    pub fn migrate(&self) -> StoreResult<usize> {
        let mut conn = self.conn()?;
        let failed = |e| StoreError::Corrupt(format!("migration failed: {e}"));
        match &mut *conn {
            DbConnection::Sqlite(c) => Ok(c
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map_err(failed)?
                .len()),
            DbConnection::Pg(c) => {
                c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
                let result = c
                    .run_pending_migrations(POSTGRES_MIGRATIONS)
                    .map(|m| m.len());
                c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
                Ok(result.map_err(failed)?)
            }
        }
    }
}

/// Runs `work` as one write: a transaction whose first statement raises the
/// content version. That takes the write lock at once (SQLite never has to
/// upgrade a read lock mid-transaction), orders writers one after another,
/// and gives the write its sequence number, passed to `work`. If `work`
/// fails, nothing of it is kept.
pub fn write<T, E>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection, i64) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error> + From<StoreError>,
{
    conn.transaction(|conn| {
        let seq = version::bump(conn)?;
        work(conn, seq)
    })
}

/// Advisory lock keys, so instances on one PostgreSQL do not race.
const MIGRATION_LOCK: i64 = 0x7461_766c_6101;
pub const SEED_LOCK: i64 = 0x7461_766c_6102;

/// Within a transaction: on PostgreSQL, waits for other instances doing the same.
pub fn lock_for_transaction(conn: &mut DbConnection, key: i64) -> StoreResult<()> {
    if let DbConnection::Pg(c) = conn {
        c.batch_execute(&format!("SELECT pg_advisory_xact_lock({key})"))?;
    }
    Ok(())
}
