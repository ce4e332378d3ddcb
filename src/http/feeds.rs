//! The feed endpoints: `GET /feed.rss`.

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};

use super::params::FeedFilter;
use super::problem::ApiError;
use super::AppState;
use crate::domain::time::now;
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
    let query = request.query_string();
    let self_url = if query.is_empty() {
        format!("{}{}", state.base_url, request.path())
    } else {
        format!("{}{}?{}", state.base_url, request.path(), query)
    };
    FeedInfo {
        title,
        description:
            "Tilskudd, webinarer og nyheter fra Helsedirektoratet for kommuner og helsetjenesten."
                .into(),
        site_url: format!("{}/", state.base_url),
        self_url,
        base_url: state.base_url.clone(),
    }
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
    let filter = FeedFilter::parse(request.query_string(), &state.taxonomy)?;
    let query = filter.query(FEED_ITEMS);
    let now = now();
    let found = state
        .store
        .run(move |conn| notices::list_public(conn, &query, now))
        .await?;
    let info = describe(&state, &filter, &request);
    let body = feeds::rss::render(&info, &found, &state.taxonomy, now);
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/rss+xml; charset=utf-8"))
        .body(body))
}
