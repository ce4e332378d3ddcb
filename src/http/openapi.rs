//! `GET /openapi.json`: the API description, generated from the handlers.

use std::sync::LazyLock;

use actix_web::{route, HttpResponse};
use serde_json::{json, Value};
use utoipa::OpenApi;

use crate::domain::{Kind, State, Status};

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
    static DOCUMENT: LazyLock<String> =
        LazyLock::new(|| serde_json::to_string(&described()).expect("serialises"));
    HttpResponse::Ok()
        .content_type("application/json")
        .body(DOCUMENT.as_str())
}

/// The document generated from the handlers, with what holds for many
/// operations at once written into each: the statuses any of them can
/// answer, and the values and bounds of the parameters shared by name.
pub fn described() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("serialises");
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return doc;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, operation) in item.iter_mut() {
            complete(path, method, operation);
        }
    }
    doc
}

fn problem(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    })
}

fn complete(path: &str, method: &str, operation: &mut Value) {
    let admin = path.starts_with("/api/v1/admin/");
    let has_body = operation.get("requestBody").is_some();
    let parameters = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut);
    let mut has_query = false;
    for parameter in parameters.into_iter().flatten() {
        if parameter["in"] != "query" {
            continue;
        }
        has_query = true;
        let name = parameter["name"].as_str().unwrap_or_default().to_owned();
        let names = |all: Vec<&str>| json!({"type": "string", "enum": all});
        let values = match name.as_str() {
            "kind" if path == "/calendar.ics" => Some(names(vec!["grant", "webinar"])),
            "kind" => Some(names(Kind::ALL.iter().map(|k| k.as_str()).collect())),
            "status" => Some(names(Status::ALL.iter().map(|s| s.as_str()).collect())),
            "state" => Some(names(State::ALL.iter().map(|s| s.as_str()).collect())),
            _ => None,
        };
        if let Some(values) = values {
            parameter["schema"] = json!({"type": "array", "items": values});
            parameter["style"] = json!("form");
            parameter["explode"] = json!(true);
        }
        if name == "limit" {
            let max = if path == "/api/v1/changes" { 1000 } else { 100 };
            parameter["schema"] = json!({"type": "integer", "minimum": 1, "maximum": max});
        }
    }
    let Some(responses) = operation
        .get_mut("responses")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mut add = |status: &str, answer: Value| {
        responses.entry(status.to_owned()).or_insert(answer);
    };
    if has_query {
        add(
            "400",
            problem("An invalid or unknown query parameter, named in `errors`"),
        );
    }
    if has_body {
        add("400", problem("The body is not JSON, or names a key twice"));
        add("413", problem("The body is over 256 KiB"));
        add("415", problem("The body is not JSON"));
        add("422", problem("Invalid fields, each named in `errors`"));
    }
    if admin {
        add(
            "401",
            problem("No token, or a wrong, expired or revoked one"),
        );
        add(
            "429",
            json!({
                "description": "Too many failed sign-ins from this address; wait Retry-After seconds",
                "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
            }),
        );
    }
    if method != "head" && path != "/healthz" {
        add(
            "503",
            problem("The database is unreachable for now; try again"),
        );
    }
    add("500", problem("A fault on the server; it is logged"));
}
