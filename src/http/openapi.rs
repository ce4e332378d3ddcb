//! `GET /openapi.json`: the API description, generated from the handlers.

use std::sync::LazyLock;

use actix_web::{route, HttpResponse};
use serde_json::{json, Value};
use utoipa::OpenApi;

use crate::domain::{Kind, Language, State, Status};

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::Modify;

use super::admin::{audit, notices as admin_notices, sources, tokens, webhooks};
use super::feeds::Format;
use super::{areas, changes, feeds, health, notices, problem, subscriptions, views};

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
        webhooks::create,
        webhooks::list,
        webhooks::get,
        webhooks::update,
        webhooks::remove,
        webhooks::rotate,
        webhooks::deliveries,
        webhooks::redeliver,
        sources::create,
        sources::list,
        sources::get,
        sources::update,
        sources::remove,
        sources::fetch,
        audit::list,
        subscriptions::subscribe,
        subscriptions::stats,
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
        changes::ChangeState,
        changes::ChangePage,
        admin_notices::RevisionView,
        admin_notices::RevisionList,
        tokens::TokenView,
        tokens::TokenRequest,
        crate::domain::document::NoticeDocument,
        crate::domain::document::GrantDocument,
        crate::domain::document::WebinarDocument,
        tokens::IssuedToken,
        tokens::TokenList,
        webhooks::WebhookView,
        webhooks::WebhookRequest,
        webhooks::WebhookWithSecret,
        webhooks::WebhookList,
        webhooks::AttemptView,
        webhooks::DeliveryView,
        webhooks::DeliveryPage,
        sources::SourceView,
        sources::SourceRequest,
        sources::SourceList,
        sources::FetchResult,
        crate::app::sources::Report,
        audit::AuditView,
        audit::AuditPage,
        subscriptions::SubscriptionStats,
        subscriptions::SubscribeAccepted,
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
        (name = "subscriptions", description = "Notices by e-mail"),
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
            "language" => Some(names(Language::ALL.iter().map(|l| l.as_str()).collect())),
            _ => None,
        };
        let values =
            values.or_else(|| (name == "area").then(|| json!({"type": "string", "minLength": 1})));
        if let Some(values) = values {
            // Each value once: a repeated one is refused.
            parameter["schema"] = json!({"type": "array", "items": values, "uniqueItems": true});
            parameter["style"] = json!("form");
            parameter["explode"] = json!(true);
        } else if name == "limit" {
            let max = if path == "/api/v1/changes" { 1000 } else { 100 };
            parameter["schema"] = json!({"type": "integer", "minimum": 1, "maximum": max});
        } else if parameter["schema"]["type"] == "string" {
            // An empty value is no value: it is refused, not ignored.
            parameter["schema"]["minLength"] = json!(1);
            if name == "q" {
                parameter["schema"]["maxLength"] = json!(200);
            }
        }
    }
    if Format::ALL.iter().any(|f| f.path() == path) {
        // Filters written another way than the canonical one are redirected.
        operation["responses"]["301"] = json!({
            "description": "The same filters in their canonical form, at Location",
            "headers": {"Location": {"schema": {"type": "string"}}}
        });
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
    add("414", problem("The request target is over 8 KiB"));
    add("500", problem("A fault on the server; it is logged"));
}

#[cfg(test)]
mod tests {
    use super::described;
    use crate::domain::document::{GrantDocument, NoticeDocument, WebinarDocument};
    use crate::domain::{input, Kind, State, Taxonomy};
    use crate::seed;

    fn documented(name: &str) -> Vec<String> {
        let doc = described();
        let mut names: Vec<String> = doc["components"]["schemas"][name]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{name} is described"))
            .keys()
            .cloned()
            .collect();
        names.sort();
        names
    }

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        names.sort();
        names
    }

    #[test]
    fn the_description_names_exactly_the_fields_the_parser_accepts() {
        assert_eq!(
            documented("NoticeDocument"),
            sorted(input::editable_fields())
        );
        assert_eq!(documented("GrantDocument"), sorted(input::grant_fields()));
        assert_eq!(
            documented("WebinarDocument"),
            sorted(input::webinar_fields())
        );
    }

    #[test]
    fn a_document_with_every_documented_field_is_accepted_and_one_more_is_not() {
        let taxonomy = Taxonomy::new(seed::taxonomy());
        let full = |kind: Kind| NoticeDocument {
            kind,
            title: "Tittel".into(),
            summary: "Kort".into(),
            body: Some("Tekst med *vekt*".into()),
            source_url: Some("https://www.helsedirektoratet.no/".into()),
            language: Some(crate::domain::Language::Nn),
            published_at: Some("2020-01-02T00:00:00+01:00".into()),
            state: Some(State::Published),
            areas: vec!["helsetjenester".into()],
            grant: (kind == Kind::Grant).then(|| GrantDocument {
                deadline: Some("2020-03-01T12:00:00+01:00".into()),
                amount_nok: Some(100_000),
                applicants: Some(vec!["kommuner".into()]),
                apply_url: Some("https://www.helsedirektoratet.no/sok".into()),
            }),
            webinar: (kind == Kind::Webinar).then(|| WebinarDocument {
                starts_at: Some("2020-03-01T12:00:00+01:00".into()),
                ends_at: Some("2020-03-01T13:00:00+01:00".into()),
                registration_url: Some("https://www.helsedirektoratet.no/meld".into()),
                cancelled: Some(true),
                cancellation_note: Some("Flyttet".into()),
            }),
        };
        for kind in [Kind::Grant, Kind::Webinar] {
            let doc = serde_json::to_value(full(kind)).unwrap();
            let details = if kind == Kind::Grant {
                "grant"
            } else {
                "webinar"
            };
            let names = |value: &serde_json::Value| {
                sorted(
                    &value
                        .as_object()
                        .unwrap()
                        .keys()
                        .map(String::as_str)
                        .collect::<Vec<_>>(),
                )
            };
            let mut top = documented("NoticeDocument");
            top.retain(|f| {
                f != if kind == Kind::Grant {
                    "webinar"
                } else {
                    "grant"
                }
            });
            assert_eq!(names(&doc), top, "every field but the other kind's");
            assert_eq!(
                names(&doc[details]),
                documented(if kind == Kind::Grant {
                    "GrantDocument"
                } else {
                    "WebinarDocument"
                })
            );
            assert!(doc.as_object().unwrap().values().all(|v| !v.is_null()));
            assert!(
                input::parse(&doc, &taxonomy, None).is_ok(),
                "{kind:?}: {doc}"
            );

            let mut more = doc.clone();
            more[details]["extra"] = serde_json::json!(1);
            let errors = input::parse(&more, &taxonomy, None).unwrap_err();
            assert_eq!(errors[0].field, format!("{details}.extra"));
            assert_eq!(errors[0].code, "unknown-field");
        }
    }
}
