//! Server-rendered HTML in Norwegian: `/`, `/notices/{slug}`, `/areas/{slug}`.

mod views;

use actix_web::http::{header, StatusCode};
use actix_web::{route, web, HttpResponse};
use askama::Template;

use crate::domain::time::now;
use crate::domain::State;
use crate::http::AppState;
use crate::store::notices::{self, NoticeQuery};
use crate::store::StoreError;
use views::NoticeCard;

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    feed_query: String,
    notices: Vec<NoticeCard>,
}

#[derive(Template)]
#[template(path = "notice.html")]
struct NoticePage {
    feed_query: String,
    n: NoticeCard,
    body_html: Option<String>,
    /// (slug, name)
    areas: Vec<(String, String)>,
    source_url: Option<String>,
}

#[derive(Template)]
#[template(path = "area.html")]
struct AreaPage {
    feed_query: String,
    name: String,
    description: Option<String>,
    notices: Vec<NoticeCard>,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    feed_query: String,
    heading: String,
    text: String,
}

/// A page, or a logged 500.
fn html(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(body) => HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .body(body),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            server_error()
        }
    }
}

fn server_error() -> HttpResponse {
    HttpResponse::InternalServerError()
        .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
        .body("Noe gikk galt hos oss. Feilen er logget.")
}

fn store_failed(e: StoreError) -> HttpResponse {
    tracing::error!(error = %e, "page query failed");
    server_error()
}

pub fn message(status: StatusCode, heading: &str, text: &str) -> HttpResponse {
    html(
        status,
        &MessagePage {
            feed_query: String::new(),
            heading: heading.into(),
            text: text.into(),
        },
    )
}

/// The latest notices.
#[route("/", method = "GET", method = "HEAD")]
pub async fn index(state: web::Data<AppState>) -> HttpResponse {
    let now = now();
    let query = NoticeQuery {
        limit: 20,
        ..Default::default()
    };
    match state
        .store
        .run(move |c| notices::list(c, &query, now))
        .await
    {
        Ok(found) => html(
            StatusCode::OK,
            &IndexPage {
                feed_query: String::new(),
                notices: found.iter().map(|n| NoticeCard::new(n, now)).collect(),
            },
        ),
        Err(e) => store_failed(e),
    }
}

/// One notice: the permalink every feed item points to.
#[route("/notices/{slug}", method = "GET", method = "HEAD")]
pub async fn notice(state: web::Data<AppState>, slug: web::Path<String>) -> HttpResponse {
    let now = now();
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
            let areas = n
                .areas
                .iter()
                .filter_map(|s| state.taxonomy.get(s))
                .map(|a| (a.slug.clone(), a.name.clone()))
                .collect();
            html(
                StatusCode::OK,
                &NoticePage {
                    feed_query: String::new(),
                    body_html: n.body.as_deref().map(crate::domain::markdown::to_safe_html),
                    source_url: n.source_url.clone(),
                    areas,
                    n: NoticeCard::new(&n, now),
                },
            )
        }
        _ => not_found(),
    }
}

pub fn not_found() -> HttpResponse {
    message(
        StatusCode::NOT_FOUND,
        "Fant ikke siden",
        "Vi fant ingen side på denne adressen.",
    )
}

/// One area: its description from the access package and its notices.
#[route("/areas/{slug}", method = "GET", method = "HEAD")]
pub async fn area(state: web::Data<AppState>, slug: web::Path<String>) -> HttpResponse {
    let Some(area) = state.taxonomy.get(&slug).cloned() else {
        return not_found();
    };
    let now = now();
    let query = NoticeQuery {
        areas: state.taxonomy.with_descendants(&area.slug),
        limit: 50,
        ..Default::default()
    };
    match state
        .store
        .run(move |c| notices::list(c, &query, now))
        .await
    {
        Ok(found) => html(
            StatusCode::OK,
            &AreaPage {
                feed_query: format!("?area={}", area.slug),
                name: area.name,
                description: area.description,
                notices: found.iter().map(|n| NoticeCard::new(n, now)).collect(),
            },
        ),
        Err(e) => store_failed(e),
    }
}
