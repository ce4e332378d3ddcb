//! The feed endpoints: `GET /feed.rss`, served from memory while current.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};

use super::params::FeedFilter;
use super::problem::ApiError;
use super::AppState;
use crate::domain::time::now;
use crate::feeds::cache::CachedFeed;
use crate::feeds::{self, FeedInfo};
use crate::store::notices;

/// How many of the newest notices a feed carries.
pub const FEED_ITEMS: i64 = 50;

/// The channel's title and description, naming the filters.
fn describe(state: &AppState, filter: &FeedFilter, request: &HttpRequest) -> FeedInfo {
    let mut title = "Tavla – kunngjøringer fra Helsedirektoratet".to_owned();
    let mut parts: Vec<String> = filter.kinds.iter().map(|k| k.label().to_owned()).collect();
    parts.extend(
        filter
            .requested_areas
            .iter()
            .filter_map(|slug| state.taxonomy.get(slug).map(|a| a.name.clone())),
    );
    if !parts.is_empty() {
        title.push_str(" – ");
        title.push_str(&parts.join(", "));
    }
    FeedInfo {
        title,
        description:
            "Tilskudd, webinarer og nyheter fra Helsedirektoratet for kommuner og helsetjenesten."
                .into(),
        site_url: format!("{}/", state.base_url),
        self_url: format!("{}{}", state.base_url, request_target(request)),
        base_url: state.base_url.clone(),
    }
}

/// The path and query exactly as requested.
fn request_target(request: &HttpRequest) -> String {
    match request.query_string() {
        "" => request.path().to_owned(),
        query => format!("{}?{}", request.path(), query),
    }
}

/// The feed from memory if still current, else rendered and kept.
async fn cached_or_render(
    state: &AppState,
    request: &HttpRequest,
    content_type: &'static str,
    render: fn(
        &FeedInfo,
        &[crate::domain::Notice],
        &crate::domain::Taxonomy,
        chrono::DateTime<chrono::Utc>,
    ) -> String,
) -> Result<Arc<CachedFeed>, ApiError> {
    let filter = FeedFilter::parse(request.query_string(), &state.taxonomy)?;
    let key = request_target(request);
    let now = now();
    // Read before the query: a write in between makes the entry stale, never wrongly fresh.
    let version = state.version.get();
    if let Some(hit) = state.feeds.get(&key, version, now) {
        return Ok(hit);
    }
    let query = filter.query(FEED_ITEMS);
    let (found, next_publication) = state
        .store
        .run(move |conn| {
            let found = notices::list(conn, &query, now)?;
            Ok((found, notices::next_publication_after(conn, now)?))
        })
        .await?;
    let info = describe(state, &filter, request);
    let valid_until = [next_publication, feeds::next_change(&found, now)]
        .into_iter()
        .flatten()
        .min();
    let feed = CachedFeed {
        body: render(&info, &found, &state.taxonomy, now),
        content_type,
        version,
        valid_until,
    };
    Ok(state.feeds.put(key, feed))
}

fn respond(feed: &CachedFeed) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, feed.content_type))
        .body(feed.body.clone())
}

/// RSS 2.0 of the newest public notices, filtered by `kind` and `area` (both repeatable).
#[utoipa::path(
    tag = "feeds",
    params(
        ("kind" = Option<Vec<String>>, Query, description = "`grant`, `webinar` or `news`; repeatable"),
        ("area" = Option<Vec<String>>, Query, description = "An area slug; repeatable"),
    ),
    responses(
        (status = 200, description = "The feed", content_type = "application/rss+xml"),
        (status = 400, description = "An invalid parameter", body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/feed.rss")]
pub async fn rss(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let feed = cached_or_render(
        &state,
        &request,
        "application/rss+xml; charset=utf-8",
        feeds::rss::render,
    )
    .await?;
    Ok(respond(&feed))
}
