//! E-mail subscriptions over HTTP: subscribing (which needs an SMTP relay),
//! and their counts for admins — never an address.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::admin::auth::{client_address, Caller};
use super::admin::body::{self, JSON};
use super::problem::{ApiError, Problem};
use super::AppState;
use crate::app::subscriptions::{self as app_subscriptions, SubscribeError};
use crate::domain::subscription::{Frequency, MailLanguage, SubscriptionState};
use crate::store::subscriptions;

/// What a subscribe request is told, whatever the address's state.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscribeAccepted {
    /// Always `accepted`.
    pub status: &'static str,
    /// What happens next, for a person reading the answer.
    pub detail: &'static str,
}

/// Subscribes an address to notices by e-mail: `{"email", "kind": [...],
/// "area": [...], "language": "nb"|"nn", "frequency":
/// "immediate"|"daily"|"weekly", "reminders": bool}` (an empty or missing
/// `kind` or `area` means all). The answer is the same whether the address
/// is new, waiting for confirmation or subscribed: a confirmation e-mail
/// goes to a new or pending address (at most one per ten minutes), and
/// only its link confirms. Needs an SMTP relay (`TAVLA_SMTP_URL`): a
/// server without one answers 503. At most `TAVLA_SUBSCRIBE_LIMIT`
/// requests a minute per client (429 with `Retry-After`).
#[utoipa::path(
    tag = "subscriptions",
    request_body(content = Object, content_type = "application/json"),
    responses(
        (status = 202, description = "A confirmation e-mail is on its way if one was owed", body = SubscribeAccepted),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "E-mail is not configured on this server", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/subscriptions")]
pub async fn subscribe(
    state: web::Data<AppState>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    if !app_subscriptions::offered(&state.app) {
        return Err(SubscribeError::NoMail.into());
    }
    let doc = body::json(&request, payload, &[JSON]).await?;
    let client = client_address(&request, &state.app.trusted_proxies);
    app_subscriptions::subscribe(&state.app, &doc, client).await?;
    Ok(HttpResponse::Accepted()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(SubscribeAccepted {
            status: "accepted",
            detail: "if this address is not subscribed yet, a confirmation e-mail is on its way; \
                     the subscription starts when its link is followed and confirmed",
        }))
}

impl From<SubscribeError> for ApiError {
    fn from(e: SubscribeError) -> Self {
        match e {
            SubscribeError::NoMail => ApiError::Unavailable(
                "e-mail subscriptions need an SMTP relay, and this server has none \
                 (TAVLA_SMTP_URL); follow the feeds, or ask the server's operator"
                    .into(),
            ),
            SubscribeError::Invalid(errors) => ApiError::InvalidFields(errors),
            SubscribeError::TooMany { retry_after } => ApiError::TooManyRequests {
                retry_after_secs: retry_after.as_secs().max(1),
            },
            SubscribeError::Store(e) => e.into(),
        }
    }
}

/// How many subscriptions there are: by state, and the confirmed ones by
/// frequency and written standard.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct SubscriptionStats {
    pub pending: i64,
    pub confirmed: i64,
    pub suspended: i64,
    /// Confirmed subscriptions by `immediate`, `daily`, `weekly`.
    pub by_frequency: BTreeMap<String, i64>,
    /// Confirmed subscriptions by `nb`, `nn`.
    pub by_language: BTreeMap<String, i64>,
}

/// Counts of subscriptions; never an address. Admin only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, body = SubscriptionStats),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/admin/subscriptions/stats")]
pub async fn stats(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let counted = state.app.store.run(subscriptions::stats).await?;
    let mut stats = SubscriptionStats::default();
    for f in Frequency::ALL {
        stats.by_frequency.insert(f.as_str().to_owned(), 0);
    }
    for l in MailLanguage::ALL {
        stats.by_language.insert(l.as_str().to_owned(), 0);
    }
    for (subscription_state, frequency, language, count) in counted {
        match subscription_state.parse::<SubscriptionState>() {
            Ok(SubscriptionState::Pending) => stats.pending += count,
            Ok(SubscriptionState::Suspended) => stats.suspended += count,
            Ok(SubscriptionState::Confirmed) => {
                stats.confirmed += count;
                *stats.by_frequency.entry(frequency).or_default() += count;
                *stats.by_language.entry(language).or_default() += count;
            }
            Err(_) => {}
        }
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(stats))
}
