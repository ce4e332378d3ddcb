//! The source use cases: register an upstream feed, change (merge patch)
//! or delete it, list them, fetch one now. Who may (an admin) is the
//! face's to check; what can go wrong is typed.

mod fetch;
mod importer;

pub use fetch::{Answer, FetchError, Fetcher, Validators};
pub use importer::{Fetch, Importer, Report, MAX_ENTRIES};

use serde_json::Value;
use uuid::Uuid;

use super::App;
use crate::domain::source::{self, Source, SourceInput};
use crate::domain::{merge_patch, Actor, FieldError, Invalid, Token};
use crate::outbound::resolves_privately;
use crate::store::sources as stored;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("invalid fields")]
    Invalid(Vec<FieldError>),
    #[error("no source {0:?}")]
    NotFound(String),
    #[error("a fetch of source {0} is under way")]
    Busy(String),
    #[error("source {0} was changed while it was fetched; nothing of that fetch was kept")]
    Changed(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn id_of(id: &str) -> Result<Uuid, SourceError> {
    Uuid::try_parse(id).map_err(|_| SourceError::NotFound(id.to_owned()))
}

/// Reads a source document and, unless private upstreams are allowed,
/// refuses a host name that resolves to a private address.
async fn checked(app: &App, doc: &Value) -> Result<SourceInput, SourceError> {
    let allow = app.import_allow_private;
    let input = source::parse(doc, &app.taxonomy, allow).map_err(SourceError::Invalid)?;
    if !allow && resolves_privately(&input.url).await {
        let refused = FieldError::new("url", Invalid::PrivateAddress);
        return Err(SourceError::Invalid(vec![refused]));
    }
    Ok(input)
}

/// Registers a source; its first fetch is due at once.
pub async fn create(app: &App, by: &Token, doc: &Value) -> Result<Source, SourceError> {
    let input = checked(app, doc).await?;
    let (id, actor, now) = (Uuid::new_v4(), Actor::from(by), app.clock.now());
    app.store
        .run(move |conn| stored::create(conn, id, &input, &actor, now))
        .await?;
    app.outbox.wake();
    get(app, &id.to_string()).await
}

pub async fn get(app: &App, id: &str) -> Result<Source, SourceError> {
    let uuid = id_of(id)?;
    app.store
        .run(move |conn| stored::find(conn, uuid))
        .await?
        .ok_or_else(|| SourceError::NotFound(id.to_owned()))
}

pub async fn list(app: &App) -> Result<Vec<Source>, SourceError> {
    Ok(app.store.run(stored::list).await?)
}

/// Applies a merge patch to a source's settings and checks the whole again.
pub async fn update(app: &App, by: &Token, id: &str, patch: &Value) -> Result<Source, SourceError> {
    let before = get(app, id).await?;
    if !patch.is_object() {
        let not_object = FieldError::new("", Invalid::NotAnObject { document: true });
        return Err(SourceError::Invalid(vec![not_object]));
    }
    let was = source::document(&before.settings);
    let mut doc = was.clone();
    merge_patch::apply(&mut doc, patch);
    let input = checked(app, &doc).await?;
    let changed: Vec<String> = [
        "url",
        "kind",
        "areas",
        "language",
        "state",
        "interval_minutes",
    ]
    .into_iter()
    .filter(|field| doc.get(*field) != was.get(*field))
    .map(str::to_owned)
    .collect();
    if changed.is_empty() {
        return Ok(before);
    }
    let (actor, now) = (Actor::from(by), app.clock.now());
    let updated = app
        .store
        .run(move |conn| {
            let changed: Vec<&str> = changed.iter().map(String::as_str).collect();
            stored::update(conn, &before, &input, &actor, &changed, now)
        })
        .await?;
    if !updated {
        return Err(SourceError::NotFound(id.to_owned()));
    }
    app.outbox.wake();
    get(app, id).await
}

/// Deletes a source; the notices it imported stay.
pub async fn delete(app: &App, by: &Token, id: &str) -> Result<(), SourceError> {
    let (uuid, actor, now) = (id_of(id)?, Actor::from(by), app.clock.now());
    match app
        .store
        .run(move |conn| stored::delete(conn, uuid, &actor, now))
        .await?
    {
        true => Ok(()),
        false => Err(SourceError::NotFound(id.to_owned())),
    }
}

/// How long a fetch asked for waits for one under way (a scheduled one,
/// say) to end: longer than a fetch may take.
const WAIT_FOR_OTHER: std::time::Duration = std::time::Duration::from_secs(15);

/// Fetches a source now, once a fetch of it under way (in any instance)
/// has ended; answers what came of it, and the source after.
pub async fn fetch_now(app: &App, id: &str) -> Result<(Report, Source), SourceError> {
    let uuid = id_of(id)?;
    let started = std::time::Instant::now();
    loop {
        match app.importer.fetch(uuid).await? {
            Fetch::Done(report) => {
                app.outbox.wake();
                return Ok((report, get(app, id).await?));
            }
            Fetch::Busy if started.elapsed() < WAIT_FOR_OTHER => {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Fetch::Busy => return Err(SourceError::Busy(id.to_owned())),
            Fetch::Superseded => return Err(SourceError::Changed(id.to_owned())),
            Fetch::Gone => return Err(SourceError::NotFound(id.to_owned())),
        }
    }
}

/// The feed a notice was imported from, if it was: editors are shown it.
pub async fn imported_from(app: &App, notice_id: Uuid) -> Result<Option<String>, StoreError> {
    app.store
        .run(move |conn| stored::imported_from(conn, notice_id))
        .await
}
