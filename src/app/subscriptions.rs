//! The e-mail subscription use cases: subscribe (double opt-in), confirm,
//! change, unsubscribe. What can go wrong is typed; no address is ever told
//! back.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::App;
use crate::domain::subscription::{self, MailLanguage};
use crate::domain::FieldError;
use crate::store::mail::Recipient;
use crate::store::subscriptions::{self as stored, Purpose, Subscribed};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum SubscribeError {
    #[error("this server sends no e-mail (TAVLA_SMTP_URL is not set)")]
    NoMail,
    #[error("invalid fields")]
    Invalid(Vec<FieldError>),
    #[error("too many subscribe requests from this client")]
    TooMany { retry_after: Duration },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Whether this server sends e-mail, and so offers subscriptions.
pub fn offered(app: &App) -> bool {
    app.mail.is_some()
}

/// Stores a subscription and owes it a confirmation e-mail (at most one per
/// address in ten minutes), in one write; the same outcome whatever the
/// address's state, so that no one learns who subscribes.
pub async fn subscribe(
    app: &App,
    doc: &Value,
    client: Option<IpAddr>,
) -> Result<(), SubscribeError> {
    let Some(mail) = &app.mail else {
        return Err(SubscribeError::NoMail);
    };
    if let Some(ip) = client {
        let now = Instant::now();
        if let Some(wait) = mail.throttle.blocked_for(ip, now) {
            return Err(SubscribeError::TooMany { retry_after: wait });
        }
        mail.throttle.failed(ip, now);
    }
    let input = subscription::parse(doc, &app.taxonomy).map_err(SubscribeError::Invalid)?;
    let now = app.clock.now();
    let subscribed = app
        .store
        .run(move |conn| stored::subscribe(conn, &input, now))
        .await?;
    if let Subscribed::Confirm(_) = subscribed {
        app.outbox.wake();
    }
    Ok(())
}

/// The written standard of the subscription a link's token is for, to
/// speak to its reader in; `None` for a token that is no longer good.
pub async fn language_of(
    app: &App,
    token: &str,
    purpose: Purpose,
) -> Result<Option<MailLanguage>, StoreError> {
    let token = token.to_owned();
    app.store
        .run(move |conn| {
            let Some(id) = stored::by_token(conn, &token, purpose)? else {
                return Ok(None);
            };
            Ok(crate::store::mail::recipient(conn, id)?.map(|r| r.language))
        })
        .await
}

/// Confirms the subscription a confirmation token is for; its language, or
/// `None` if the token confirms nothing (any more).
pub async fn confirm(app: &App, token: &str) -> Result<Option<MailLanguage>, StoreError> {
    let Some(mail) = &app.mail else {
        return Ok(None); // no e-mail, so no confirmation link of this server's
    };
    let (token, now, digest_time) = (token.to_owned(), app.clock.now(), mail.digest_time);
    app.store
        .run(move |conn| {
            let Some(id) = stored::confirm(conn, &token, now, digest_time)? else {
                return Ok(None);
            };
            Ok(crate::store::mail::recipient(conn, id)?.map(|r| r.language))
        })
        .await
}

/// Ends the subscription an unsubscribe (or manage) token is for, deleting
/// its address; its language, or `None` if the token ends nothing.
pub async fn unsubscribe(app: &App, token: &str) -> Result<Option<MailLanguage>, StoreError> {
    let token = token.to_owned();
    app.store
        .run(move |conn| {
            let mut found = None;
            for purpose in [Purpose::Unsubscribe, Purpose::Manage] {
                if let Some(id) = stored::by_token(conn, &token, purpose)? {
                    found = Some(id);
                    break;
                }
            }
            let Some(id) = found else {
                return Ok(None);
            };
            let language = crate::store::mail::recipient(conn, id)?.map(|r| r.language);
            stored::delete(conn, id)?;
            Ok(language)
        })
        .await
}

/// The subscription a link's token of `purpose` is for, as it stands;
/// `None` for a token that is no longer good.
pub async fn subscription_of(
    app: &App,
    token: &str,
    purpose: Purpose,
) -> Result<Option<Recipient>, StoreError> {
    let token = token.to_owned();
    app.store
        .run(move |conn| {
            let Some(id) = stored::by_token(conn, &token, purpose)? else {
                return Ok(None);
            };
            crate::store::mail::recipient(conn, id)
        })
        .await
}

/// Changes what the subscription a manage token is for asks for — kinds,
/// areas, written standard, frequency, reminders — from a subscription
/// document without its address (an address is changed by subscribing
/// it), read as a subscribe's is. The subscription as it now stands, or
/// `None` for a token that is no longer good.
pub async fn change(
    app: &App,
    token: &str,
    doc: &Value,
) -> Result<Option<Recipient>, SubscribeError> {
    let Some(mail) = &app.mail else {
        return Err(SubscribeError::NoMail);
    };
    let Some(current) = subscription_of(app, token, Purpose::Manage).await? else {
        return Ok(None);
    };
    let mut doc = doc.clone();
    if let Value::Object(fields) = &mut doc {
        fields.insert("email".into(), Value::String(current.email.clone()));
    }
    let input = subscription::parse(&doc, &app.taxonomy).map_err(SubscribeError::Invalid)?;
    let (id, now, digest_time) = (current.id, app.clock.now(), mail.digest_time);
    let changed = app
        .store
        .run(move |conn| {
            if !stored::update(conn, id, &input, now, digest_time)? {
                return Ok(None); // ended meanwhile
            }
            crate::store::mail::recipient(conn, id)
        })
        .await?;
    Ok(changed)
}
