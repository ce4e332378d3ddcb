//! `GET /openapi.json`: the API description, generated from the handlers.

use actix_web::{route, HttpResponse};
use utoipa::OpenApi;

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::Modify;

use super::admin::{audit, notices as admin_notices, tokens};
use super::{areas, changes, feeds, health, notices, problem, views};

/// Declares the bearer tokens the admin routes take.
struct BearerTokens;

impl Modify for BearerTokens {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

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
        changes::list,
        feeds::rss,
        feeds::atom,
        feeds::json_feed,
        feeds::calendar,
        admin_notices::create,
        admin_notices::list,
        admin_notices::get,
        admin_notices::update,
        admin_notices::withdraw,
        admin_notices::revision_list,
        tokens::create,
        tokens::list,
        tokens::revoke,
        audit::list,
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
        views::AdminNoticeView,
        views::AdminNoticePage,
        changes::ChangeView,
        changes::ChangePage,
        admin_notices::RevisionView,
        admin_notices::RevisionList,
        tokens::TokenView,
        tokens::TokenRequest,
        super::admin::documents::NoticeDocument,
        super::admin::documents::GrantDocument,
        super::admin::documents::WebinarDocument,
        tokens::IssuedToken,
        tokens::TokenList,
        audit::AuditView,
        audit::AuditPage,
        problem::Problem,
        problem::FieldError,
        crate::domain::Kind,
        crate::domain::Status,
        crate::domain::State,
    )),
    modifiers(&BearerTokens),
    tags(
        (name = "notices", description = "Public notices"),
        (name = "areas", description = "The access packages notices are tagged with"),
        (name = "feeds", description = "Feeds for readers"),
        (name = "admin", description = "For editors: Authorization: Bearer <token>"),
        (name = "operations", description = "Health and the API description"),
    )
)]
pub struct ApiDoc;

/// This document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "operations", responses((status = 200, description = "OpenAPI 3.1", content_type = "application/json")))]
#[route("/openapi.json", method = "GET", method = "HEAD")]
pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
