//! Every route of the application, the API's and the pages', in one place,
//! and what answers a request no route takes.

use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

use crate::http::problem::problem_response;
use crate::{http, pages};

/// Wires the API, the feeds, the pages and the fallback.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.configure(http::configure)
        .configure(pages::configure)
        .default_service(web::to(fallback));
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
    ("/assets/tavla.css", "GET, HEAD"),
    ("/admin", "GET"),
    ("/admin/logg-inn", "GET, POST"),
    ("/admin/logg-ut", "POST"),
    ("/admin/ny", "GET, POST"),
    ("/admin/kunngjoringer/{id}", "GET, POST"),
    ("/admin/kunngjoringer/{id}/trekk-tilbake", "POST"),
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
    if wants_html && readable && !request.path().starts_with("/api/") {
        return pages::not_found();
    }
    problem_response(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not found",
        format!("nothing at {}", request.path()),
    )
}
