//! `GET /openapi.json`: the API description, generated from the handlers.

use actix_web::{get, HttpResponse};
use utoipa::OpenApi;

use super::{areas, feeds, health, notices, problem, views};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tavla",
        description = "Helsedirektoratet's dated notices (grants, webinars, news) as JSON and feeds. \
                       Errors are application/problem+json (RFC 9457). Instants are RFC 3339 with \
                       Europe/Oslo's offset.",
    ),
    paths(
        notices::list,
        notices::get,
        areas::list,
        feeds::rss,
        health::healthz,
        health::readyz,
        document,
    ),
    components(schemas(
        views::NoticeView,
        views::NoticePage,
        views::GrantView,
        views::WebinarView,
        views::AreaView,
        views::AreaList,
        problem::Problem,
        problem::FieldError,
        crate::domain::Kind,
        crate::domain::Status,
    )),
    tags(
        (name = "notices", description = "Public notices"),
        (name = "areas", description = "The access packages notices are tagged with"),
        (name = "feeds", description = "Feeds for readers"),
        (name = "operations", description = "Health and the API description"),
    )
)]
pub struct ApiDoc;

/// This document.
#[utoipa::path(tag = "operations", responses((status = 200, description = "OpenAPI 3.1", content_type = "application/json")))]
#[get("/openapi.json")]
pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
