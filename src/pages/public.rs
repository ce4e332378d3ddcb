//! The public notice board: `/`, `/notices/{slug}`, `/areas/{slug}`.

use actix_web::http::StatusCode;
use actix_web::{route, web, HttpRequest, HttpResponse};
use askama::Template;

use super::views::NoticeCard;
use super::{html, message, not_found, store_failed};
use crate::app::cursor::encode_cursor;
use crate::app::query::canonical_query;
use crate::app::query::{list_query, InvalidParameters};
use crate::app::App;
use crate::domain::{Kind, Notice, State, Taxonomy};
use crate::store::listing::{self, NoticeQuery, Position};
use crate::store::notices;

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    feed_query: String,
    notices: Vec<NoticeCard>,
    /// (value, label, selected)
    kinds: Vec<(String, String, bool)>,
    areas: Vec<(String, String, bool)>,
    q: String,
    problem: Option<String>,
    next_page: Option<String>,
}

#[derive(Template)]
#[template(path = "notice.html")]
pub(super) struct NoticePage {
    pub feed_query: String,
    pub n: NoticeCard,
    pub body_html: Option<String>,
    /// (slug, name)
    pub tags: Vec<(String, String)>,
    pub source_url: Option<String>,
}

impl NoticePage {
    pub fn new(notice: &Notice, taxonomy: &Taxonomy, now: chrono::DateTime<chrono::Utc>) -> Self {
        Self {
            feed_query: String::new(),
            body_html: notice.body.as_ref().map(|b| b.html().to_owned()),
            source_url: notice.source_url.clone(),
            tags: notice
                .areas
                .iter()
                .filter_map(|s| taxonomy.get(s))
                .map(|a| (a.slug.clone(), a.name.clone()))
                .collect(),
            n: NoticeCard::new(notice, now),
        }
    }
}

#[derive(Template)]
#[template(path = "area.html")]
struct AreaPage {
    feed_query: String,
    name: String,
    description: Option<String>,
    children: Vec<(String, String)>,
    notices: Vec<NoticeCard>,
}

/// The filters the form sent, without its empty choices ("Alle typer").
fn chosen(request: &HttpRequest) -> Vec<(String, String)> {
    form_urlencoded::parse(request.query_string().as_bytes())
        .into_owned()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect()
}

fn encode(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The latest notices, filtered by kind, area and words, with subscribe links.
#[route("/", method = "GET", method = "HEAD")]
pub async fn index(state: web::Data<App>, request: HttpRequest) -> HttpResponse {
    let pairs = chosen(&request);
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let (kind, chosen_area, q) = (value("kind"), value("area"), value("q"));
    let kinds = Kind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_owned(),
                k.label().to_owned(),
                kind.as_deref() == Some(k.as_str()),
            )
        })
        .collect();
    let areas = state
        .taxonomy
        .all()
        .iter()
        .map(|a| {
            (
                a.slug.clone(),
                a.name.clone(),
                chosen_area.as_deref() == Some(a.slug.as_str()),
            )
        })
        .collect();
    let mut page = IndexPage {
        feed_query: String::new(),
        notices: Vec::new(),
        kinds,
        areas,
        q: q.clone().unwrap_or_default(),
        problem: None,
        next_page: None,
    };
    let query = match list_query(&encode(&pairs), &state.taxonomy) {
        Ok(query) => query,
        Err(InvalidParameters(errors)) => {
            // In Norwegian, from the rule each one breaks.
            page.problem = Some(
                errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, super::admin::norsk::message(&e.invalid)))
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            return html(StatusCode::BAD_REQUEST, &page);
        }
    };
    let feed_filters: Vec<Kind> = kind.and_then(|k| k.parse().ok()).into_iter().collect();
    let feed_areas: Vec<String> = chosen_area.into_iter().collect();
    let canonical = canonical_query(&feed_filters, &feed_areas);
    page.feed_query = if canonical.is_empty() {
        canonical
    } else {
        format!("?{canonical}")
    };
    let now = state.clock.now();
    let limit = query.limit;
    let mut query = query;
    query.limit += 1;
    let found = match state
        .store
        .run(move |c| listing::list(c, &query, now))
        .await
    {
        Ok(found) => found,
        Err(crate::store::StoreError::NothingToSearch) => {
            page.problem =
                Some("Søket inneholder bare ord som ikke søkes på (som «og» og «i»).".into());
            return html(StatusCode::BAD_REQUEST, &page);
        }
        Err(e) => return store_failed(e),
    };
    let mut found = found;
    if found.len() as i64 > limit {
        found.truncate(limit as usize);
        if let Some(last) = found.last() {
            let mut next: Vec<(String, String)> =
                pairs.into_iter().filter(|(k, _)| k != "cursor").collect();
            next.push(("cursor".into(), encode_cursor(Position::of(last))));
            page.next_page = Some(format!("/?{}", encode(&next)));
        }
    }
    page.notices = found
        .iter()
        .map(|notice| NoticeCard::new(notice, now))
        .collect();
    html(StatusCode::OK, &page)
}

/// One notice: the permalink every feed item points to.
#[route("/notices/{slug}", method = "GET", method = "HEAD")]
pub async fn notice_page(state: web::Data<App>, slug: web::Path<String>) -> HttpResponse {
    let now = state.clock.now();
    let slug = slug.into_inner();
    let found = match state.store.run(move |c| notices::find(c, &slug)).await {
        Ok(found) => found,
        Err(e) => return store_failed(e),
    };
    match found {
        Some(n) if n.state == State::Withdrawn => message(
            StatusCode::GONE,
            "Kunngjøringen er trukket tilbake",
            "Denne kunngjøringen er ikke lenger gjeldende.",
        ),
        Some(n) if n.is_public(now) => {
            html(StatusCode::OK, &NoticePage::new(&n, &state.taxonomy, now))
        }
        _ => not_found(),
    }
}

/// One area: its description from the access package and its notices.
#[route("/areas/{slug}", method = "GET", method = "HEAD")]
pub async fn area_page(state: web::Data<App>, slug: web::Path<String>) -> HttpResponse {
    let Some(area) = state.taxonomy.get(&slug).cloned() else {
        return not_found();
    };
    let now = state.clock.now();
    let query = NoticeQuery {
        areas: state.taxonomy.with_descendants(&area.slug),
        limit: 50,
        ..Default::default()
    };
    let children = state
        .taxonomy
        .all()
        .iter()
        .filter(|a| a.parent.as_deref() == Some(area.slug.as_str()))
        .map(|a| (a.slug.clone(), a.name.clone()))
        .collect();
    match state
        .store
        .run(move |c| listing::list(c, &query, now))
        .await
    {
        Ok(found) => html(
            StatusCode::OK,
            &AreaPage {
                feed_query: format!("?area={}", area.slug),
                name: area.name,
                description: area.description,
                children,
                notices: found.iter().map(|n| NoticeCard::new(n, now)).collect(),
            },
        ),
        Err(e) => store_failed(e),
    }
}
