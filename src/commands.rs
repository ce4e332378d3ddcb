//! The work of `tavla token …`, `tavla import` and `tavla backup`, on the
//! same storage as the server.

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use diesel::Connection;
use uuid::Uuid;

use crate::app::Clock;
use crate::domain::time::whole_seconds;
use crate::domain::token::{issue, Role};
use crate::domain::{import, source, Actor, Taxonomy, Token};
use crate::store::{areas, editing, sources, tokens, Backend, PoolOptions, Store};

/// Connected, migrated, with the areas loaded.
pub fn open(backend: &Backend, options: &PoolOptions) -> anyhow::Result<(Store, Taxonomy)> {
    let store = Store::connect(backend, options)?;
    store
        .wait_until_reachable(options.startup_wait)
        .with_context(|| format!("cannot reach the database ({})", backend.redacted()))?;
    store.migrate()?;
    let mut conn = store.conn()?;
    areas::sync(&mut conn, &crate::seed::taxonomy())?;
    let taxonomy = Taxonomy::new(areas::all(&mut conn)?);
    Ok((store, taxonomy))
}

/// Issues a token; returns it with its secret.
pub fn create_token(
    store: &Store,
    taxonomy: &Taxonomy,
    name: &str,
    role: Role,
    areas: Vec<String>,
    expires_at: Option<DateTime<Utc>>,
) -> anyhow::Result<(Token, String)> {
    let now = whole_seconds(Clock::system().now());
    let (token, secret, hash) = match issue(name, role, areas, expires_at, taxonomy, now) {
        Ok(issued) => issued,
        Err(errors) => {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| {
                    format!(
                        "  {}: {}",
                        e.field
                            .replace("areas[", "--area[")
                            .replace("name", "--name"),
                        e.message
                    )
                })
                .collect();
            bail!("the token was not created:\n{}", lines.join("\n"));
        }
    };
    editing::create_token(
        &mut *store.conn()?,
        &token,
        &hash,
        &Actor::command_line(),
        now,
    )?;
    Ok((token, secret))
}

pub fn list_tokens(store: &Store) -> anyhow::Result<Vec<Token>> {
    Ok(tokens::list(&mut *store.conn()?)?)
}

/// Revokes a token; an error if there is none with that id.
pub fn revoke_token(store: &Store, id: &str) -> anyhow::Result<bool> {
    let id = Uuid::try_parse(id).with_context(|| format!("{id:?} is not a token id (a UUID)"))?;
    let mut conn = store.conn()?;
    if tokens::find(&mut conn, id)?.is_none() {
        bail!("there is no token {id}");
    }
    Ok(editing::revoke_token(
        &mut conn,
        id,
        &Actor::command_line(),
        Clock::system().now(),
    )?)
}

/// Most entries a one-off import takes from its document.
const IMPORT_MAX: usize = 100_000;
/// Entries imported per transaction, so that a server on the same
/// database is never held up long.
const IMPORT_BATCH: usize = 100;

/// What `tavla import` is asked to do.
pub struct OneOffImport {
    pub url: String,
    pub kind: String,
    pub areas: Vec<String>,
    pub language: String,
    pub state: String,
    pub allow_private: bool,
    /// Where the server runs, named in the `User-Agent`.
    pub base_url: Option<String>,
    /// The deliveries an imported notice's events make beside webhooks'
    /// (the hub's, e-mail's), as the server's configuration has them.
    pub fanout: Vec<crate::store::outbox::Fanout>,
}

/// Fetches a feed once and imports its entries, each once per URL
/// however often it is run.
pub fn import_feed(
    store: &Store,
    taxonomy: &Taxonomy,
    import: &OneOffImport,
) -> anyhow::Result<sources::Imported> {
    use crate::app::sources::{Answer, Fetcher, Validators};
    let doc = serde_json::json!({
        "url": import.url, "kind": import.kind, "areas": import.areas,
        "language": import.language, "state": import.state,
    });
    let settings = match source::parse(&doc, taxonomy, import.allow_private) {
        Ok(settings) => settings,
        Err(errors) => {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| format!("  {}: {}", flag(&e.field), e.message))
                .collect();
            bail!("nothing was imported:\n{}", lines.join("\n"));
        }
    };
    let clock = Clock::system();
    let now = whole_seconds(clock.now());
    let contact = import.base_url.as_deref().unwrap_or("tavla import");
    let fetcher = Fetcher::new(contact, import.allow_private);
    let answer = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(fetcher.get(&settings.url, &Validators::default(), now))
        .with_context(|| format!("cannot fetch {}", source::without_query(&settings.url)))?;
    let Answer::Document { body, .. } = answer else {
        bail!(
            "{} answered 304 Not Modified to a plain GET",
            source::without_query(&settings.url)
        );
    };
    let found = import::candidates(&body, now, settings.drafts(), IMPORT_MAX)?;
    let actor = source::actor(&source::without_query(&settings.url));
    let origin = sources::Origin {
        key: &settings.url,
        feed_url: &settings.url,
        settings: &settings,
        actor: &actor,
    };
    let mut conn = store.conn()?;
    let mut done = sources::Imported::default();
    // Oldest first, so that notices of one document are numbered in its order.
    for batch in found.rchunks(IMPORT_BATCH) {
        let batch: Vec<_> = batch.iter().rev().cloned().collect();
        let more =
            conn.transaction(|conn| sources::import(conn, &origin, &batch, &import.fanout, now))?;
        done.created += more.created;
        done.updated += more.updated;
        done.kept += more.kept;
        done.unchanged += more.unchanged;
    }
    Ok(done)
}

/// A field of the source document as the flag that sets it.
fn flag(field: &str) -> String {
    match field {
        "url" => "URL".to_owned(),
        other => format!("--{}", other.replace("areas", "area")),
    }
}

/// Writes a consistent copy of a SQLite database to `to` while it may be
/// in use: `VACUUM INTO` a temporary file beside `to` (one read
/// transaction, so writers go on and the copy is of one moment), flushed
/// to disk, then renamed over `to`, so `to` is never half written. On
/// PostgreSQL there is nothing to copy from here: `pg_dump` does it.
pub fn backup(
    backend: &Backend,
    options: &PoolOptions,
    to: &std::path::Path,
) -> anyhow::Result<u64> {
    use diesel::sql_types::Text;
    use diesel::RunQueryDsl;
    if let Backend::Sqlite(path) = backend {
        if !std::path::Path::new(path).is_file() {
            bail!("there is no database at {path}");
        }
    }
    if let Backend::Postgres(_) = backend {
        bail!(
            "tavla backup copies SQLite databases; back up PostgreSQL with pg_dump \
             (for example: pg_dump --format=custom --file=tavla.dump \"$TAVLA_DATABASE_URL\")"
        );
    }
    let store = Store::connect(backend, options)?;
    store
        .wait_until_reachable(options.startup_wait)
        .with_context(|| format!("cannot open the database ({})", backend.redacted()))?;
    let file_name = to
        .file_name()
        .with_context(|| format!("{} names no file", to.display()))?;
    let folder = match to.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let mut temporary = file_name.to_owned();
    temporary.push(format!(".{}.partial", Uuid::new_v4().simple()));
    let temporary = folder.join(temporary);
    let written = (|| -> anyhow::Result<u64> {
        let mut conn = store.conn()?;
        let crate::store::DbConnection::Sqlite(sqlite) = &mut *conn else {
            unreachable!("the backend is SQLite");
        };
        let target = temporary
            .to_str()
            .with_context(|| format!("{} is not UTF-8", temporary.display()))?;
        diesel::sql_query("VACUUM INTO ?")
            .bind::<Text, _>(target)
            .execute(sqlite)
            .with_context(|| format!("cannot write {}", temporary.display()))?;
        let file = std::fs::File::open(&temporary)?;
        file.sync_all()?;
        Ok(file.metadata()?.len())
    })();
    let bytes = match written {
        Ok(bytes) => bytes,
        Err(e) => {
            let _ = std::fs::remove_file(&temporary);
            return Err(e);
        }
    };
    std::fs::rename(&temporary, to)
        .with_context(|| format!("cannot move the copy to {}", to.display()))?;
    // The rename itself is made durable by flushing its folder.
    if let Ok(dir) = std::fs::File::open(&folder) {
        let _ = dir.sync_all();
    }
    Ok(bytes)
}
