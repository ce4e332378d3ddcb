//! The feeds: RSS 2.0, Atom 1.0, JSON Feed 1.1 and iCalendar, each filtered
//! by `kind` and `area`, served from memory with conditional GET.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};

use super::cached::{self, request_target};
use super::problem::ApiError;
use super::AppState;
use crate::app::query::FeedFilter;
use crate::domain::{Kind, Language, Notice, Taxonomy};
pub use crate::feeds::Format;
use crate::feeds::{self, FeedInfo};
use crate::i18n::Lang;
use crate::store::listing;

/// How many of the newest notices a feed carries.
pub const FEED_ITEMS: i64 = 50;
/// How many notices the calendar looks through for webinars and deadlines.
pub const CALENDAR_ITEMS: i64 = 500;

/// The channel's title, description, links and id, naming the filters.
/// A feed of one language speaks it; any other feed speaks bokmål.
fn describe(state: &AppState, filter: &FeedFilter, format: Format, self_target: &str) -> FeedInfo {
    let language = match filter.languages.as_slice() {
        [one] => *one,
        _ => Language::Nb,
    };
    let lang = Lang::of(language);
    let mut title = lang.t("site-title");
    let mut parts: Vec<String> = filter.kinds.iter().map(|k| lang.kind(*k)).collect();
    parts.extend(
        filter
            .requested_areas
            .iter()
            .filter_map(|slug| state.app.taxonomy.get(slug).map(|a| a.name.clone())),
    );
    if !parts.is_empty() {
        title.push_str(" – ");
        title.push_str(&parts.join(", "));
    }
    let canonical = filter.canonical();
    let id_query = if canonical.is_empty() {
        String::new()
    } else {
        format!("?{canonical}")
    };
    FeedInfo {
        title,
        description: lang.t("feed-description"),
        site_url: format!("{}/", state.app.base_url),
        self_url: format!("{}{}", state.app.base_url, self_target),
        base_url: state.app.base_url.clone(),
        id: format!(
            "tag:tavla.helsedirektoratet.no,2026:{}{id_query}",
            format.path()
        ),
        hub: state.websub_hub.clone(),
        language,
    }
}

type Render = fn(&FeedInfo, &[Notice], &Taxonomy, DateTime<Utc>) -> String;

async fn serve(
    state: web::Data<AppState>,
    request: HttpRequest,
    format: Format,
) -> Result<HttpResponse, ApiError> {
    let filter = FeedFilter::parse(request.query_string(), &state.app.taxonomy)?;
    // One URL per feed: the filters in a fixed order. Readers who subscribe
    // through a redirect keep the URL the WebSub hub is told of.
    let canonical = filter.canonical();
    if request.query_string() != canonical {
        let to = match canonical.is_empty() {
            true => format.path().to_owned(),
            false => format!("{}?{canonical}", format.path()),
        };
        return Ok(HttpResponse::MovedPermanently()
            .insert_header((actix_web::http::header::LOCATION, to))
            .insert_header((
                actix_web::http::header::CACHE_CONTROL,
                "public, max-age=86400",
            ))
            .finish());
    }
    let info = describe(&state, &filter, format, &request_target(&request));
    let taxonomy = state.app.taxonomy.clone();
    let (kinds, areas) = (filter.kinds.clone(), filter.areas.clone());
    cached::serve(&state, &request, kinds, areas, move |conn, now| {
        let render: Option<Render> = match format {
            Format::Rss => Some(feeds::rss::render),
            Format::Atom => Some(feeds::atom::render),
            Format::JsonFeed => Some(feeds::json_feed::render),
            Format::Calendar => None,
        };
        let body = match render {
            Some(render) => {
                let found = listing::list(conn, &filter.query(FEED_ITEMS), now)?;
                render(&info, &found, &taxonomy, now)
            }
            None => {
                let mut query = filter.query(CALENDAR_ITEMS);
                let dated = [Kind::Grant, Kind::Webinar];
                query.kinds = match filter.kinds.is_empty() {
                    true => dated.to_vec(),
                    false => filter
                        .kinds
                        .iter()
                        .copied()
                        .filter(|k| dated.contains(k))
                        .collect(),
                };
                let found = match query.kinds.is_empty() {
                    true => Vec::new(),
                    false => listing::list(conn, &query, now)?,
                };
                feeds::ics::render(&info, &found, now)
            }
        };
        Ok(Ok((body.into_bytes(), format.content_type())))
    })
    .await
}

const KIND_PARAM: &str = "`grant`, `webinar` or `news`; repeatable";
const AREA_PARAM: &str = "An area slug (see /api/v1/areas); repeatable, any of them";
const LANGUAGE_PARAM: &str =
    "`nb`, `nn`, `se` or `en`; repeatable. A feed of one language speaks it";

/// RSS 2.0 of the newest 50 public notices.
#[utoipa::path(
    get, path = "/feed.rss", tag = "feeds",
    params(("kind" = Option<Vec<String>>, Query, description = KIND_PARAM), ("area" = Option<Vec<String>>, Query, description = AREA_PARAM), ("language" = Option<Vec<String>>, Query, description = LANGUAGE_PARAM)),
    responses(
        (status = 200, description = "The feed", content_type = "application/rss+xml"),
        (status = 304, description = "Unchanged since If-None-Match / If-Modified-Since"),
        (status = 400, description = "An invalid parameter", body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn rss(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    serve(state, request, Format::Rss).await
}

/// Atom 1.0 of the newest 50 public notices.
#[utoipa::path(
    get, path = "/feed.atom", tag = "feeds",
    params(("kind" = Option<Vec<String>>, Query, description = KIND_PARAM), ("area" = Option<Vec<String>>, Query, description = AREA_PARAM), ("language" = Option<Vec<String>>, Query, description = LANGUAGE_PARAM)),
    responses(
        (status = 200, description = "The feed", content_type = "application/atom+xml"),
        (status = 304, description = "Unchanged"),
        (status = 400, body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn atom(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    serve(state, request, Format::Atom).await
}

/// JSON Feed 1.1 of the newest 50 public notices; `_tavla` on each item holds kind, status and area slugs.
#[utoipa::path(
    get, path = "/feed.json", tag = "feeds",
    params(("kind" = Option<Vec<String>>, Query, description = KIND_PARAM), ("area" = Option<Vec<String>>, Query, description = AREA_PARAM), ("language" = Option<Vec<String>>, Query, description = LANGUAGE_PARAM)),
    responses(
        (status = 200, description = "The feed", content_type = "application/feed+json"),
        (status = 304, description = "Unchanged"),
        (status = 400, body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn json_feed(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    serve(state, request, Format::JsonFeed).await
}

/// iCalendar: each webinar with a time as an event in Europe/Oslo time
/// (cancelled ones stay, `STATUS:CANCELLED`), each grant deadline as an
/// all-day event. UIDs never change; `SEQUENCE` is the notice's revision.
#[utoipa::path(
    get, path = "/calendar.ics", tag = "feeds",
    params(("kind" = Option<Vec<String>>, Query, description = "`grant` or `webinar`; repeatable"), ("area" = Option<Vec<String>>, Query, description = AREA_PARAM), ("language" = Option<Vec<String>>, Query, description = LANGUAGE_PARAM)),
    responses(
        (status = 200, description = "The calendar", content_type = "text/calendar"),
        (status = 304, description = "Unchanged"),
        (status = 400, body = super::problem::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn calendar(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    serve(state, request, Format::Calendar).await
}

/// The feed routes, answering GET and HEAD.
pub fn configure(cfg: &mut web::ServiceConfig) {
    use actix_web::guard;
    let both = || web::route().guard(guard::Any(guard::Get()).or(guard::Head()));
    cfg.route(Format::Rss.path(), both().to(rss))
        .route(Format::Atom.path(), both().to(atom))
        .route(Format::JsonFeed.path(), both().to(json_feed))
        .route(Format::Calendar.path(), both().to(calendar));
}
