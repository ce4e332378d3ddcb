//! Every route of the application, the API's and the pages', in one place,
//! and what answers a request no route takes.

use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

use crate::http::problem::problem_response;
use crate::{http, pages};

/// Wires the API, the feeds, the pages and the fallback. A path or query
/// an extractor cannot read is a 400 problem, like every other mistake.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PathConfig::default().error_handler(|e, _| unreadable("path", e)))
        .app_data(web::QueryConfig::default().error_handler(|e, _| unreadable("query", e)))
        .configure(http::configure)
        .configure(pages::configure)
        .default_service(web::to(fallback));
}

/// The longest request target Tavla reads; a longer one is a 414.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// Refuses a request target over `MAX_URI_BYTES` with a 414 problem, before
/// any route reads it.
pub async fn bounded_uri(
    request: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let length = request
        .uri()
        .path_and_query()
        .map_or(0, |target| target.as_str().len());
    if length > MAX_URI_BYTES {
        let response = problem_response(
            StatusCode::URI_TOO_LONG,
            "uri-too-long",
            "URI too long",
            format!("the request target is {length} bytes; at most {MAX_URI_BYTES} are read"),
        );
        return Ok(request.into_response(response));
    }
    Ok(next.call(request).await?.map_into_boxed_body())
}

fn unreadable(what: &str, error: impl std::fmt::Display) -> actix_web::Error {
    let response = problem_response(
        StatusCode::BAD_REQUEST,
        "bad-request",
        "Bad request",
        format!("the {what} cannot be read: {error}"),
    );
    actix_web::error::InternalError::from_response(what.to_owned(), response).into()
}

/// The methods each path pattern answers, for the `Allow` header of a 405.
/// `tests/operations.rs` checks it against the server and the OpenAPI document.
pub const METHODS: &[(&str, &str)] = &[
    ("/api/v1/notices", "GET, HEAD"),
    ("/api/v1/notices/{id_or_slug}", "GET, HEAD"),
    ("/api/v1/areas", "GET, HEAD"),
    ("/api/v1/changes", "GET, HEAD"),
    ("/api/v1/admin/notices", "GET, POST"),
    ("/api/v1/admin/notices/{id}", "GET, PATCH, DELETE"),
    ("/api/v1/admin/notices/{id}/revisions", "GET"),
    ("/api/v1/admin/audit", "GET"),
    ("/api/v1/admin/tokens", "GET, POST"),
    ("/api/v1/admin/tokens/{id}", "DELETE"),
    ("/api/v1/subscriptions", "POST"),
    ("/api/v1/admin/subscriptions/stats", "GET"),
    ("/api/v1/admin/sources", "GET, POST"),
    ("/api/v1/admin/sources/{id}", "GET, PATCH, DELETE"),
    ("/api/v1/admin/sources/{id}/fetch", "POST"),
    ("/api/v1/admin/webhooks", "GET, POST"),
    ("/api/v1/admin/webhooks/{id}", "GET, PATCH, DELETE"),
    ("/api/v1/admin/webhooks/{id}/rotate-secret", "POST"),
    ("/api/v1/admin/webhooks/{id}/deliveries", "GET"),
    (
        "/api/v1/admin/webhooks/{id}/deliveries/{event_id}/redeliver",
        "POST",
    ),
    ("/healthz", "GET, HEAD"),
    ("/readyz", "GET, HEAD"),
    ("/openapi.json", "GET, HEAD"),
    ("/feed.rss", "GET, HEAD"),
    ("/feed.atom", "GET, HEAD"),
    ("/feed.json", "GET, HEAD"),
    ("/calendar.ics", "GET, HEAD"),
    ("/", "GET, HEAD"),
    ("/notices/{slug}", "GET, HEAD"),
    ("/areas/{slug}", "GET, HEAD"),
    ("/nn/", "GET, HEAD"),
    ("/nn/notices/{slug}", "GET, HEAD"),
    ("/nn/areas/{slug}", "GET, HEAD"),
    ("/subscriptions", "GET, HEAD, POST"),
    ("/subscriptions/confirm", "GET, HEAD, POST"),
    ("/subscriptions/unsubscribe", "GET, HEAD, POST"),
    ("/subscriptions/manage", "GET, HEAD, POST"),
    ("/nn/subscriptions", "GET, HEAD, POST"),
    ("/nn/subscriptions/confirm", "GET, HEAD, POST"),
    ("/nn/subscriptions/unsubscribe", "GET, HEAD, POST"),
    ("/nn/subscriptions/manage", "GET, HEAD, POST"),
    ("/tilgjengelighet", "GET, HEAD"),
    ("/nn/tilgjengelighet", "GET, HEAD"),
    ("/assets/tavla.css", "GET, HEAD"),
    ("/assets/tavla.js", "GET, HEAD"),
    ("/admin", "GET"),
    ("/admin/logg-inn", "GET, POST"),
    ("/admin/sprak/{code}", "GET"),
    ("/admin/logg-ut", "POST"),
    ("/admin/ny", "GET, POST"),
    ("/admin/kunngjoringer/{id}", "GET, POST"),
    ("/admin/kunngjoringer/{id}/trekk-tilbake", "GET, POST"),
    ("/admin/okt", "POST"),
    ("/admin/kilder", "GET"),
    ("/admin/kilder/{id}/hent", "POST"),
    ("/admin/webhooker", "GET"),
    ("/admin/webhooker/ny", "GET, POST"),
    ("/admin/webhooker/{id}", "GET"),
    ("/admin/webhooker/{id}/aktiv", "POST"),
    ("/admin/webhooker/{id}/ny-hemmelighet", "POST"),
    ("/admin/webhooker/{id}/slett", "GET, POST"),
    (
        "/admin/webhooker/{id}/hendelser/{event_id}/send-igjen",
        "POST",
    ),
];

/// A path no route takes is a 404 (a problem for API clients, a page for
/// people); a path that exists, asked with a method it does not take, is a
/// 405 naming the methods it does.
async fn fallback(request: HttpRequest) -> HttpResponse {
    let method = request.method();
    let pattern = request.resource_map().match_pattern(request.path());
    let allowed = pattern.as_deref().and_then(|pattern| {
        METHODS
            .iter()
            .find(|(p, _)| *p == pattern)
            .map(|(_, methods)| *methods)
    });
    if let Some(allowed) = allowed {
        let mut response = problem_response(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "Method not allowed",
            format!(
                "{method} is not allowed on {}; use {allowed}",
                request.path()
            ),
        );
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static(allowed));
        return response;
    }
    let wants_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let readable = method == Method::GET || method == Method::HEAD;
    if readable && request.path() == "/nn" {
        return HttpResponse::PermanentRedirect()
            .insert_header((header::LOCATION, "/nn/"))
            .finish();
    }
    if wants_html && readable && !request.path().starts_with("/api/") {
        return pages::not_found(crate::i18n::Lang::of_path(request.path()));
    }
    problem_response(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not found",
        format!("nothing at {}", request.path()),
    )
}
