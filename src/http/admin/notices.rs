//! `/api/v1/admin/notices`: create, list, read, correct (merge patch), withdraw,
//! and each notice's revisions.

use actix_web::http::header;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use super::auth::Caller;
use super::body::{self, JSON, MERGE_PATCH};
use super::writes::{respond, view};
use crate::app::cursor::encode_cursor;
use crate::app::notices::{create_notice, editor_areas, find_for, update_notice, withdraw_notice};
use crate::app::query::admin_list_query;
use crate::domain::document::editable;
use crate::domain::document::NoticeDocument;
use crate::domain::merge_patch;
use crate::domain::time::rfc3339_oslo;
use crate::http::problem::{ApiError, Problem};
use crate::http::views::{AdminNoticePage, AdminNoticeView};
use crate::http::AppState;
use crate::store::editing::IdempotencyKey;
use crate::store::listing::{self, Position, Scope};
use crate::store::revisions as stored_revisions;

/// The strong ETag of a notice's admin representation.
pub fn etag(revision: i32) -> String {
    format!("\"rev-{revision}\"")
}

fn with_etag(
    mut response: actix_web::HttpResponseBuilder,
    revision: i32,
) -> actix_web::HttpResponseBuilder {
    response.insert_header((header::ETAG, etag(revision)));
    response.insert_header((header::CACHE_CONTROL, "no-store"));
    response
}

fn idempotency_key(request: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = request.headers().get("Idempotency-Key") else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key) if (1..=200).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(Some(key.to_owned()))
        }
        _ => Err(ApiError::BadRequest(
            "Idempotency-Key must be 1 to 200 visible ASCII characters, e.g. a UUID".into(),
        )),
    }
}

/// Creates a notice. `201` with `Location` and `ETag`.
///
/// The body is the notice document: `kind`, `title`, `summary`, `areas` are
/// required; `state` is `published` (default) or `draft`; `published_at`
/// (default now) in the future schedules it. With an `Idempotency-Key`, a
/// retry with the same body returns the first response and creates nothing.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body(content = NoticeDocument, content_type = "application/json", description = "The notice document"),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: 1–200 visible ASCII characters")),
    responses(
        (status = 201, body = AdminNoticeView, headers(("Location" = String), ("ETag" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Areas outside the token's", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or a reused Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/admin/notices")]
pub async fn create(
    caller: Caller,
    state: web::Data<AppState>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let doc = body::json(&request, payload, &[JSON]).await?;
    // The document as parsed (keys sorted, no spacing), so that a retry that
    // writes the same JSON another way is the same request.
    let key = idempotency_key(&request)?.map(|key| IdempotencyKey {
        token_id: caller.0.id,
        key,
        request_hash: format!("{:x}", Sha256::digest(doc.to_string())),
    });
    let outcome = create_notice(&state.app, &caller.0, &doc, key, respond(&state)).await?;
    Ok(created(outcome.notice_id, outcome.body))
}

fn created(id: Uuid, body: String) -> HttpResponse {
    with_etag(HttpResponse::Created(), 1)
        .insert_header((header::LOCATION, format!("/api/v1/admin/notices/{id}")))
        .content_type(JSON)
        .body(body)
}

/// Notices in every state that the caller may touch, newest first.
///
/// Takes the filters of `GET /api/v1/notices` and `state` (`draft`, `published`, `withdrawn`; repeatable).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(
        ("state" = Option<Vec<String>>, Query, description = "draft, published or withdrawn; repeatable"),
        ("kind" = Option<Vec<String>>, Query), ("area" = Option<Vec<String>>, Query),
        ("q" = Option<String>, Query), ("status" = Option<Vec<String>>, Query),
        ("from" = Option<String>, Query), ("to" = Option<String>, Query),
        ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query),
    ),
    responses(
        (status = 200, body = AdminNoticePage),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/admin/notices")]
pub async fn list(
    caller: Caller,
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut query = admin_list_query(request.query_string(), &state.app.taxonomy)?;
    if let Scope::Admin { within, .. } = &mut query.scope {
        *within = editor_areas(&state.app, &caller.0);
    }
    let page_size = query.limit;
    query.limit += 1;
    let now = state.app.clock.now();
    let mut found = state
        .app
        .store
        .run(move |conn| listing::list(conn, &query, now))
        .await?;
    let next_cursor = if found.len() as i64 > page_size {
        found.truncate(page_size as usize);
        found.last().map(|n| encode_cursor(Position::of(n)))
    } else {
        None
    };
    let page = AdminNoticePage {
        items: found.iter().map(|n| view(&state, n, now)).collect(),
        next_cursor,
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(page))
}

/// One notice in any state, with its `ETag` for a later PATCH.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = AdminNoticeView, headers(("ETag" = String))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/admin/notices/{id}")]
pub async fn get(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let notice = find_for(&state.app, &caller.0, &id).await?;
    Ok(with_etag(HttpResponse::Ok(), notice.revision).json(view(
        &state,
        &notice,
        state.app.clock.now(),
    )))
}

/// The revision an `If-Match` header allows writing over.
fn expected_revision(request: &HttpRequest, current: i32) -> Result<(), ApiError> {
    let Some(value) = request.headers().get(header::IF_MATCH) else {
        return Err(ApiError::PreconditionRequired(format!(
            "send If-Match with the ETag you last read ({}), so no one else's change is overwritten",
            etag(current)
        )));
    };
    let value = value.to_str().unwrap_or_default();
    if value.trim() == "*" {
        return Err(ApiError::PreconditionRequired(format!(
            "If-Match must name the revision you edited, e.g. {}",
            etag(current)
        )));
    }
    if value.split(',').any(|tag| tag.trim() == etag(current)) {
        Ok(())
    } else {
        Err(ApiError::PreconditionFailed(format!(
            "the notice is now at {}, not {value}; GET it, reapply your change and send the new ETag",
            etag(current)
        )))
    }
}

/// Corrects a notice with a JSON merge patch (RFC 7396). Needs `If-Match`.
///
/// Send only what changes; `null` clears a field. Publishing a draft without
/// a `published_at` publishes it now. Cancelling a webinar:
/// `{"webinar": {"cancelled": true, "cancellation_note": "…"}}`.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The ETag last read")),
    request_body(content = NoticeDocument, content_type = "application/merge-patch+json", description = "The fields to change; null clears one"),
    responses(
        (status = 200, body = AdminNoticeView, headers(("ETag" = String))),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since that ETag", body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/api/v1/admin/notices/{id}")]
pub async fn update(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let before = find_for(&state.app, &caller.0, &id).await?;
    expected_revision(&request, before.revision)?;
    let patch = body::json(&request, payload, &[MERGE_PATCH, JSON]).await?;
    if !patch.is_object() {
        return Err(ApiError::Unprocessable(
            "a merge patch must be a JSON object".into(),
        ));
    }
    let mut doc = editable(&before);
    merge_patch::apply(&mut doc, &patch);
    let time_named = patch.get("published_at").is_some();
    let after = update_notice(&state.app, &caller.0, &before, &doc, time_named).await?;
    Ok(with_etag(HttpResponse::Ok(), after.revision).json(view(
        &state,
        &after,
        state.app.clock.now(),
    )))
}

/// Withdraws a notice: the public then gets `410 Gone`, and it leaves every
/// list and feed. Its history stays. `If-Match` is honoured when sent.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = AdminNoticeView, headers(("ETag" = String))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/api/v1/admin/notices/{id}")]
pub async fn withdraw(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let expected = match request.headers().contains_key(header::IF_MATCH) {
        true => Some(find_for(&state.app, &caller.0, &id).await?.revision),
        false => None,
    };
    if let Some(current) = expected {
        expected_revision(&request, current)?;
    }
    let after = withdraw_notice(&state.app, &caller.0, &id, expected).await?;
    Ok(with_etag(HttpResponse::Ok(), after.revision).json(view(
        &state,
        &after,
        state.app.clock.now(),
    )))
}

/// One stored revision: who made it, when, and the notice as it then was.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionView {
    pub revision: i32,
    /// `notice.create`, `notice.update` or `notice.withdraw`.
    pub action: String,
    pub token_id: Option<String>,
    pub token_name: String,
    pub created_at: String,
    /// The notice document and its server-set fields after this change.
    pub notice: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionList {
    pub items: Vec<RevisionView>,
}

/// Every revision of a notice, newest first, each a full snapshot.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = RevisionList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/admin/notices/{id}/revisions")]
pub async fn revision_list(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let notice = find_for(&state.app, &caller.0, &id).await?;
    let found = state
        .app
        .store
        .run(move |conn| stored_revisions::list(conn, notice.id))
        .await?;
    let items = found
        .into_iter()
        .map(|r| RevisionView {
            revision: r.revision,
            action: r.action.as_str().to_owned(),
            token_id: r.actor.token_id.map(|id| id.to_string()),
            token_name: r.actor.name,
            created_at: rfc3339_oslo(r.created_at),
            notice: r.snapshot,
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(RevisionList { items }))
}
