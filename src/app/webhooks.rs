//! The webhook use cases: register, change (merge patch), delete, rotate a
//! secret, list deliveries, deliver again. Who may (an admin) is the face's
//! to check; what can go wrong is typed.

use serde_json::Value;
use uuid::Uuid;

use super::App;
use crate::domain::webhook::{self, Webhook, WebhookInput};
use crate::domain::{merge_patch, Actor, FieldError, Invalid, Token};
use crate::outbound::resolves_privately;
use crate::store::webhooks::{self as stored, DeliveryRecord};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("invalid fields")]
    Invalid(Vec<FieldError>),
    #[error("no webhook {0:?}")]
    NotFound(String),
    #[error("webhook {webhook} never had event {event}")]
    NoSuchDelivery { webhook: String, event: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn id_of(id: &str) -> Result<Uuid, WebhookError> {
    Uuid::try_parse(id).map_err(|_| WebhookError::NotFound(id.to_owned()))
}

/// Reads a webhook document and, unless private receivers are allowed,
/// refuses a host name that resolves to a private address.
async fn checked(app: &App, doc: &Value) -> Result<WebhookInput, WebhookError> {
    let allow = app.webhook_allow_private;
    let input = webhook::parse(doc, &app.taxonomy, allow).map_err(WebhookError::Invalid)?;
    if !allow && resolves_privately(&input.url).await {
        let refused = FieldError::new("url", Invalid::PrivateAddress);
        return Err(WebhookError::Invalid(vec![refused]));
    }
    Ok(input)
}

/// Registers a webhook; returns it with its secret, shown this once.
pub async fn create(app: &App, by: &Token, doc: &Value) -> Result<(Webhook, String), WebhookError> {
    let input = checked(app, doc).await?;
    let (id, secret, actor, now) = (
        Uuid::new_v4(),
        webhook::new_secret(),
        Actor::from(by),
        app.clock.now(),
    );
    let stored_secret = secret.clone();
    app.store
        .run(move |conn| stored::create(conn, id, &input, &stored_secret, &actor, now))
        .await?;
    Ok((get(app, &id.to_string()).await?, secret))
}

pub async fn get(app: &App, id: &str) -> Result<Webhook, WebhookError> {
    let uuid = id_of(id)?;
    app.store
        .run(move |conn| stored::find(conn, uuid))
        .await?
        .map(|(webhook, _)| webhook)
        .ok_or_else(|| WebhookError::NotFound(id.to_owned()))
}

pub async fn list(app: &App) -> Result<Vec<Webhook>, WebhookError> {
    Ok(app.store.run(stored::list).await?)
}

/// Applies a merge patch to a webhook's document (url, description, events,
/// kind, area, enabled) and checks the whole again.
pub async fn update(
    app: &App,
    by: &Token,
    id: &str,
    patch: &Value,
) -> Result<Webhook, WebhookError> {
    let before = get(app, id).await?;
    let mut doc = webhook::document(&before);
    let was = doc.clone();
    if !patch.is_object() {
        let not_object = FieldError::new("", Invalid::NotAnObject { document: true });
        return Err(WebhookError::Invalid(vec![not_object]));
    }
    merge_patch::apply(&mut doc, patch);
    let input = checked(app, &doc).await?;
    let changed: Vec<&str> = ["url", "description", "events", "kind", "area", "enabled"]
        .into_iter()
        .filter(|field| doc.get(*field) != was.get(*field))
        .collect();
    let changed: Vec<String> = changed.into_iter().map(str::to_owned).collect();
    let (uuid, actor, now) = (before.id, Actor::from(by), app.clock.now());
    let updated = app
        .store
        .run(move |conn| {
            let changed: Vec<&str> = changed.iter().map(String::as_str).collect();
            stored::update(conn, uuid, &input, &actor, &changed, now)
        })
        .await?;
    if !updated {
        return Err(WebhookError::NotFound(id.to_owned()));
    }
    get(app, id).await
}

pub async fn delete(app: &App, by: &Token, id: &str) -> Result<(), WebhookError> {
    let (uuid, actor, now) = (id_of(id)?, Actor::from(by), app.clock.now());
    match app
        .store
        .run(move |conn| stored::delete(conn, uuid, &actor, now))
        .await?
    {
        true => Ok(()),
        false => Err(WebhookError::NotFound(id.to_owned())),
    }
}

/// A new secret, shown this once; the old one signs beside it for a day.
pub async fn rotate(app: &App, by: &Token, id: &str) -> Result<(Webhook, String), WebhookError> {
    let (uuid, actor, now) = (id_of(id)?, Actor::from(by), app.clock.now());
    let secret = webhook::new_secret();
    let stored_secret = secret.clone();
    let rotated = app
        .store
        .run(move |conn| stored::rotate(conn, uuid, &stored_secret, &actor, now))
        .await?;
    if !rotated {
        return Err(WebhookError::NotFound(id.to_owned()));
    }
    Ok((get(app, id).await?, secret))
}

/// A page of a webhook's deliveries, newest first, from before `before`.
pub async fn deliveries(
    app: &App,
    id: &str,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<DeliveryRecord>, WebhookError> {
    let webhook = get(app, id).await?;
    Ok(app
        .store
        .run(move |conn| stored::deliveries(conn, webhook.id, before, limit))
        .await?)
}

/// Delivers an event to a webhook again, with the same `webhook-id`.
pub async fn redeliver(app: &App, by: &Token, id: &str, event: &str) -> Result<(), WebhookError> {
    let webhook = get(app, id).await?;
    let no_such = || WebhookError::NoSuchDelivery {
        webhook: id.to_owned(),
        event: event.to_owned(),
    };
    let event_id = Uuid::try_parse(event).map_err(|_| no_such())?;
    let (actor, now) = (Actor::from(by), app.clock.now());
    let done = app
        .store
        .run(move |conn| stored::redeliver(conn, webhook.id, event_id, &actor, now))
        .await?;
    if !done {
        return Err(no_such());
    }
    app.outbox.wake();
    Ok(())
}
