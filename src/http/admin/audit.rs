//! `GET /api/v1/admin/audit`: who did what, to which notice, when.

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::auth::Caller;
use crate::app::query::AuditFilter;
use crate::domain::time::rfc3339_oslo;
use crate::http::problem::{ApiError, Problem};
use crate::http::AppState;
use crate::store::audit;

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditView {
    /// Increasing; the order of the writes.
    pub seq: i64,
    /// `notice.create`, `notice.update`, `notice.withdraw`, `token.create`, `token.revoke`.
    pub action: String,
    /// The token that acted; `null` for the command line and the seed data.
    pub token_id: Option<String>,
    pub token_name: String,
    pub notice_id: Option<String>,
    pub revision: Option<i32>,
    /// For token actions: the token acted on.
    pub subject_token_id: Option<String>,
    /// For updates: the fields that changed.
    pub detail: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditView>,
    pub next_cursor: Option<String>,
}

fn id(id: Option<Uuid>) -> Option<String> {
    id.map(|i| i.to_string())
}

/// The audit trail, newest first. Admin only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(
        ("token_id" = Option<String>, Query, description = "Only this token's actions"),
        ("notice_id" = Option<String>, Query, description = "Only actions on this notice"),
        ("action" = Option<String>, Query, description = "e.g. notice.update"),
        ("from" = Option<String>, Query, description = "A date or RFC 3339 instant"),
        ("to" = Option<String>, Query, description = "A date (whole day) or RFC 3339 instant"),
        ("limit" = Option<i64>, Query, description = "1–100, default 20"),
        ("cursor" = Option<String>, Query),
    ),
    responses(
        (status = 200, body = AuditPage),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/admin/audit")]
pub async fn list(
    caller: Caller,
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let mut query = AuditFilter::parse(request.query_string())?.0;
    let page_size = query.limit;
    query.limit += 1;
    let mut found = state
        .app
        .store
        .run(move |conn| audit::list(conn, &query))
        .await?;
    let next_cursor = if found.len() as i64 > page_size {
        found.truncate(page_size as usize);
        found.last().map(|e| e.seq.to_string())
    } else {
        None
    };
    let items = found
        .into_iter()
        .map(|e| AuditView {
            seq: e.seq,
            action: e.action.as_str().to_owned(),
            token_id: id(e.actor.token_id),
            token_name: e.actor.name,
            notice_id: id(e.notice_id),
            revision: e.revision,
            subject_token_id: id(e.subject_token_id),
            detail: e.detail,
            created_at: rfc3339_oslo(e.created_at),
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(AuditPage { items, next_cursor }))
}
