//! `/api/v1/admin/webhooks`: admins register receivers of the public set's
//! changes, see their deliveries and deliver again.

use super::auth::Caller;
use super::body::{self, JSON, MERGE_PATCH};
use crate::app::webhooks::{self, WebhookError};
use crate::domain::FieldError;
use crate::domain::Invalid;
use crate::http::problem::{ApiError, Problem};
use crate::http::AppState;
use actix_web::http::header;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};

pub use super::webhook_views::{
    AttemptView, DeliveryPage, DeliveryQuery, DeliveryView, WebhookList, WebhookRequest,
    WebhookView, WebhookWithSecret,
};

fn no_store() -> (header::HeaderName, &'static str) {
    (header::CACHE_CONTROL, "no-store")
}

/// Registers a webhook: `{"url": "https://…", "description": "…", "events": [...], "kind": [...], "area": [...]}`.
/// Answers with its secret, shown this once. Admin only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body(content = WebhookRequest, content_type = "application/json"),
    responses(
        (status = 201, body = WebhookWithSecret),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid field, or a private address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/admin/webhooks")]
pub async fn create(
    caller: Caller,
    state: web::Data<AppState>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let doc = body::json(&request, payload, &[JSON]).await?;
    let (webhook, secret) = webhooks::create(&state.app, &caller.0, &doc).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/admin/webhooks/{}", webhook.id),
        ))
        .insert_header(no_store())
        .json(WebhookWithSecret {
            webhook: WebhookView::new(&webhook),
            secret,
        }))
}

/// Every webhook, oldest first, without secrets. Admin only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, body = WebhookList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/admin/webhooks")]
pub async fn list(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let found = webhooks::list(&state.app).await?;
    Ok(HttpResponse::Ok()
        .insert_header(no_store())
        .json(WebhookList {
            items: found.iter().map(WebhookView::new).collect(),
        }))
}

/// One webhook, without its secret. Admin only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = WebhookView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/admin/webhooks/{id}")]
pub async fn get(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let webhook = webhooks::get(&state.app, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(no_store())
        .json(WebhookView::new(&webhook)))
}

/// Changes a webhook with a merge patch (url, description, events, kind,
/// area, enabled); `null` clears a filter. Enabling a webhook Tavla
/// disabled clears why. Admin only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body(content = WebhookRequest, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, body = WebhookView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/api/v1/admin/webhooks/{id}")]
pub async fn update(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let patch = body::json(&request, payload, &[MERGE_PATCH, JSON]).await?;
    let webhook = webhooks::update(&state.app, &caller.0, &id, &patch).await?;
    Ok(HttpResponse::Ok()
        .insert_header(no_store())
        .json(WebhookView::new(&webhook)))
}

/// Deletes a webhook; what it still had coming is not delivered. Admin only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/api/v1/admin/webhooks/{id}")]
pub async fn remove(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    webhooks::delete(&state.app, &caller.0, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A new secret, shown this once. For 24 hours the old one signs beside it
/// (two `v1,` signatures), so receivers can switch without losing a delivery.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = WebhookWithSecret),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/admin/webhooks/{id}/rotate-secret")]
pub async fn rotate(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let (webhook, secret) = webhooks::rotate(&state.app, &caller.0, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(no_store())
        .json(WebhookWithSecret {
            webhook: WebhookView::new(&webhook),
            secret,
        }))
}

/// The webhook's deliveries, newest first, each with its attempts (kept 30 days).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path), DeliveryQuery),
    responses(
        (status = 200, body = DeliveryPage),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/admin/webhooks/{id}/deliveries")]
pub async fn deliveries(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<DeliveryQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let bad = |name: &str, rule: &str| {
        ApiError::InvalidParameters(vec![FieldError::new(name, Invalid::Parameter(rule.into()))])
    };
    let before = match &query.cursor {
        None => None,
        Some(c) => Some(
            c.parse::<i64>()
                .ok()
                .filter(|c| *c > 0)
                .ok_or_else(|| bad("cursor", "not a cursor this list gave"))?,
        ),
    };
    let limit = match &query.limit {
        None => 20,
        Some(l) => l
            .parse::<i64>()
            .ok()
            .filter(|l| (1..=100).contains(l))
            .ok_or_else(|| bad("limit", "must be a whole number from 1 to 100"))?,
    };
    let found = webhooks::deliveries(&state.app, &id, before, limit + 1).await?;
    let more = found.len() as i64 > limit;
    let items: Vec<DeliveryView> = found
        .iter()
        .take(limit as usize)
        .map(DeliveryView::new)
        .collect();
    let next_cursor = match more {
        true => found.get(limit as usize - 1).map(|d| d.id.to_string()),
        false => None,
    };
    Ok(HttpResponse::Ok()
        .insert_header(no_store())
        .json(DeliveryPage { items, next_cursor }))
}

/// Delivers an event to the webhook again, as a new delivery with the same
/// `webhook-id`. Admin only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path), ("event_id" = String, Path)),
    responses(
        (status = 202, description = "Queued"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/admin/webhooks/{id}/deliveries/{event_id}/redeliver")]
pub async fn redeliver(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let (id, event) = path.into_inner();
    webhooks::redeliver(&state.app, &caller.0, &id, &event).await?;
    Ok(HttpResponse::Accepted().finish())
}

impl From<WebhookError> for ApiError {
    fn from(e: WebhookError) -> Self {
        match e {
            WebhookError::Invalid(errors) => ApiError::InvalidFields(errors),
            WebhookError::NotFound(_) | WebhookError::NoSuchDelivery { .. } => {
                ApiError::NotFound(e.to_string())
            }
            WebhookError::Store(e) => e.into(),
        }
    }
}
