//! `/api/v1/admin/sources`: admins register upstream feeds, see what their
//! fetches found, and fetch one now.

use actix_web::http::header;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::Caller;
use super::body::{self, JSON, MERGE_PATCH};
use crate::app::sources::{self, Report, SourceError};
use crate::domain::source::Source;
use crate::domain::time::rfc3339_oslo;
use crate::http::problem::{ApiError, Problem};
use crate::http::AppState;

fn no_store() -> (header::HeaderName, &'static str) {
    (header::CACHE_CONTROL, "no-store")
}

/// A source, with what its last fetch found.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceView {
    pub id: String,
    pub url: String,
    pub kind: String,
    pub areas: Vec<String>,
    pub language: String,
    /// The state its notices are imported in: draft or published.
    pub state: String,
    pub interval_minutes: i32,
    pub created_at: String,
    pub updated_at: String,
    /// When it is fetched next.
    pub next_fetch_at: String,
    pub last_fetched_at: Option<String>,
    /// `imported`, `not-modified`, or why the last fetch failed: `timeout`,
    /// `no-connection`, `private-address`, `too-many-redirects`,
    /// `too-large`, `http-status`, `request-failed`, `not-a-feed`.
    pub last_outcome: Option<String>,
    /// The upstream's HTTP status at the last fetch, when it answered.
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    /// Fetches failed in a row; each doubles the wait before the next.
    pub failures: i32,
    /// Notices imported from it, ever.
    pub imported: i32,
}

impl SourceView {
    pub fn new(source: &Source) -> Self {
        let settings = &source.settings;
        Self {
            id: source.id.to_string(),
            url: settings.url.clone(),
            kind: settings.kind.as_str().to_owned(),
            areas: settings.areas.clone(),
            language: settings.language.as_str().to_owned(),
            state: settings.state.as_str().to_owned(),
            interval_minutes: settings.interval_minutes,
            created_at: rfc3339_oslo(source.created_at),
            updated_at: rfc3339_oslo(source.updated_at),
            next_fetch_at: rfc3339_oslo(source.next_fetch_at),
            last_fetched_at: source.last_fetched_at.map(rfc3339_oslo),
            last_outcome: source.last_outcome.clone(),
            last_status: source.last_status,
            last_error: source.last_error.clone(),
            failures: source.failures,
            imported: source.imported,
        }
    }
}

/// What an admin sends to register a source (or, as a merge patch, to change one).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SourceRequest {
    /// An RSS, Atom or JSON Feed, `http://` or `https://`; never a private
    /// address without `TAVLA_IMPORT_ALLOW_PRIVATE=true`.
    #[schema(example = "https://www.helsedirektoratet.no/nyheter/rss")]
    url: String,
    /// grant, webinar or news: what every entry becomes.
    kind: String,
    /// 1 to 10 area slugs (see /api/v1/areas).
    areas: Vec<String>,
    /// nb (default), nn, se or en.
    language: Option<String>,
    /// draft (default) or published.
    state: Option<String>,
    /// Minutes between fetches, 5 to 10080; default 60.
    interval_minutes: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SourceList {
    pub items: Vec<SourceView>,
}

/// What a fetch made now came to, and the source after it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FetchResult {
    pub result: Report,
    pub source: SourceView,
}

/// Registers a source; its first fetch is due at once. Admin only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body(content = SourceRequest, content_type = "application/json"),
    responses(
        (status = 201, body = SourceView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid field, or a private address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/admin/sources")]
pub async fn create(
    caller: Caller,
    state: web::Data<AppState>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let doc = body::json(&request, payload, &[JSON]).await?;
    let source = sources::create(&state.app, &caller.0, &doc).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/admin/sources/{}", source.id),
        ))
        .insert_header(no_store())
        .json(SourceView::new(&source)))
}

/// Every source, oldest first. Admin only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, body = SourceList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/admin/sources")]
pub async fn list(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let found = sources::list(&state.app).await?;
    Ok(HttpResponse::Ok()
        .insert_header(no_store())
        .json(SourceList {
            items: found.iter().map(SourceView::new).collect(),
        }))
}

/// One source. Admin only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = SourceView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/admin/sources/{id}")]
pub async fn get(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let source = sources::get(&state.app, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(no_store())
        .json(SourceView::new(&source)))
}

/// Changes a source with a merge patch (url, kind, areas, language, state,
/// interval_minutes). A new URL is fetched at once. Notices already
/// imported keep their kind and areas. Admin only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body(content = SourceRequest, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, body = SourceView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/api/v1/admin/sources/{id}")]
pub async fn update(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let patch = body::json(&request, payload, &[MERGE_PATCH, JSON]).await?;
    let source = sources::update(&state.app, &caller.0, &id, &patch).await?;
    Ok(HttpResponse::Ok()
        .insert_header(no_store())
        .json(SourceView::new(&source)))
}

/// Deletes a source; the notices it imported stay. Admin only.
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
#[delete("/api/v1/admin/sources/{id}")]
pub async fn remove(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    sources::delete(&state.app, &caller.0, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Fetches a source now, and answers what came of it. A failed fetch is a
/// `200` too: the result says why. Admin only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = FetchResult),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A fetch of this source is under way", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/admin/sources/{id}/fetch")]
pub async fn fetch(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let (result, source) = sources::fetch_now(&state.app, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(no_store())
        .json(FetchResult {
            result,
            source: SourceView::new(&source),
        }))
}

impl From<SourceError> for ApiError {
    fn from(e: SourceError) -> Self {
        match e {
            SourceError::Invalid(errors) => ApiError::InvalidFields(errors),
            SourceError::NotFound(_) => ApiError::NotFound(e.to_string()),
            SourceError::Busy(_) | SourceError::Changed(_) => ApiError::Conflict(e.to_string()),
            SourceError::Store(e) => e.into(),
        }
    }
}
