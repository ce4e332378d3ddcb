//! E-mail subscriptions over HTTP: subscribing (which needs an SMTP relay),
//! and their counts for admins — never an address.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{get, post, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::admin::auth::Caller;
use super::problem::{ApiError, Problem};
use super::AppState;
use crate::domain::subscription::{Frequency, MailLanguage, SubscriptionState};
use crate::store::subscriptions;

/// Subscribes an address to notices by e-mail: `{"email", "kind": [...],
/// "area": [...], "language": "nb"|"nn", "frequency":
/// "immediate"|"daily"|"weekly", "reminders": bool}`. E-mail needs an SMTP
/// relay (`TAVLA_SMTP_URL`); this server has none configured, so it
/// answers 503.
#[utoipa::path(
    tag = "subscriptions",
    responses(
        (status = 503, description = "E-mail is not configured on this server", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/subscriptions")]
pub async fn subscribe() -> Result<HttpResponse, ApiError> {
    Err(ApiError::Unavailable(
        "e-mail subscriptions need an SMTP relay, and this server has none (TAVLA_SMTP_URL); \
         follow the feeds, or ask the server's operator"
            .into(),
    ))
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
