//! `GET /api/v1/notices` and `GET /api/v1/notices/{id-or-slug}`.

use actix_web::{route, web, HttpRequest, HttpResponse};

use chrono::{DateTime, Utc};

use super::cached;
use super::problem::ApiError;
use super::views::{NoticePage, NoticeView};
use super::AppState;
use crate::app::cursor::encode_cursor;
use crate::app::query::list_query;
use crate::domain::{Notice, State};
use crate::store::listing::{self, Position};
use crate::store::notices;

/// The query parameters of the notice list, for the API description.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct ListParameters {
    /// `grant`, `webinar` or `news`; repeat for several.
    kind: Option<Vec<String>>,
    /// An area slug; repeat for several (any of them). A parent package covers its sub-packages.
    area: Option<Vec<String>>,
    /// `nb`, `nn`, `se` or `en`: the language a notice is written in; repeat for several.
    language: Option<Vec<String>>,
    /// Full-text search (every word; Norwegian stemming on PostgreSQL, word prefixes on SQLite).
    /// A filter like the others: matches come newest first, as every list.
    q: Option<String>,
    /// Published on or after: a date (`YYYY-MM-DD`, Oslo time) or an RFC 3339 instant.
    from: Option<String>,
    /// Published on or before: a date (the whole day, Oslo time) or an RFC 3339 instant.
    to: Option<String>,
    /// `open`, `closed` (grants), `upcoming`, `past`, `cancelled` (webinars); repeat for several.
    status: Option<Vec<String>>,
    /// Page size, 1–100, default 20.
    limit: Option<i64>,
    /// `next_cursor` from the previous page.
    cursor: Option<String>,
}

const JSON: &str = "application/json";

/// Public notices, newest first (ties broken by id), a page at a time.
///
/// Walk every page by passing `next_cursor` back as `cursor` until it is `null`:
/// each notice appears exactly once. Every invalid parameter is a `400` naming it.
#[utoipa::path(
    get,
    path = "/api/v1/notices",
    tag = "notices",
    params(ListParameters),
    responses(
        (status = 200, description = "A page of notices", body = NoticePage, headers(("ETag" = String), ("Last-Modified" = String))),
        (status = 304, description = "Unchanged since If-None-Match / If-Modified-Since"),
        (status = 400, description = "An invalid parameter", body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[route("/api/v1/notices", method = "GET", method = "HEAD")]
pub async fn list(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut query = list_query(request.query_string(), &state.app.taxonomy)?;
    let page_size = query.limit;
    query.limit += 1; // one more tells whether another page exists
    let (kinds, areas) = (query.kinds.clone(), query.areas.clone());
    let base_url = state.app.base_url.clone();
    cached::serve(&state, &request, kinds, areas, move |conn, now| {
        let mut found = listing::list(conn, &query, now)?;
        let next_cursor = if found.len() as i64 > page_size {
            found.truncate(page_size as usize);
            found
                .last()
                .map(|notice| encode_cursor(Position::of(notice)))
        } else {
            None
        };
        let page = NoticePage {
            items: found
                .iter()
                .map(|notice| NoticeView::new(notice, now, &base_url))
                .collect(),
            next_cursor,
        };
        Ok(Ok((page.to_json(), JSON)))
    })
    .await
}

/// One public notice, by id or slug.
#[utoipa::path(
    get,
    path = "/api/v1/notices/{id_or_slug}",
    tag = "notices",
    params(("id_or_slug" = String, Path, description = "The notice's UUID or its slug")),
    responses(
        (status = 200, description = "The notice", body = NoticeView, headers(("ETag" = String), ("Last-Modified" = String))),
        (status = 304, description = "Unchanged"),
        (status = 404, description = "No such public notice", body = super::problem::Problem, content_type = "application/problem+json"),
        (status = 410, description = "The notice was withdrawn", body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[route("/api/v1/notices/{id_or_slug}", method = "GET", method = "HEAD")]
pub async fn get(
    state: web::Data<AppState>,
    request: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = path.into_inner();
    let base_url = state.app.base_url.clone();
    cached::serve(
        &state,
        &request,
        Vec::new(),
        Vec::new(),
        move |conn, now| {
            let found = notices::find(conn, &key)?;
            Ok(public_only(found, &key, now).map(|n| {
                (
                    serde_json::to_vec(&NoticeView::new(&n, now, &base_url))
                        .expect("views serialise"),
                    JSON,
                )
            }))
        },
    )
    .await
}

/// A notice the public may see: withdrawn ones are gone, drafts and
/// scheduled ones do not exist yet.
fn public_only(found: Option<Notice>, key: &str, now: DateTime<Utc>) -> Result<Notice, ApiError> {
    match found {
        Some(n) if n.state == State::Withdrawn => {
            Err(ApiError::Gone(format!("notice {key:?} was withdrawn")))
        }
        Some(n) if n.is_public(now) => Ok(n),
        _ => Err(ApiError::NotFound(format!("no notice {key:?}"))),
    }
}
