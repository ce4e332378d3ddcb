//! Server-rendered HTML in Norwegian: the public notice board and the
//! editors' pages at `/admin`.

pub mod admin;
pub mod public;
pub(crate) mod views;

use actix_web::http::{header, StatusCode};
use actix_web::{route, HttpResponse};
use askama::Template;

use crate::store::StoreError;

pub use public::{area_page, index, notice_page};

/// The pages' routes: the public board and the editors'.
pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(stylesheet)
        .configure(admin::configure)
        .service(index)
        .service(notice_page)
        .service(area_page);
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    feed_query: String,
    heading: String,
    text: String,
}

/// A page, or a logged 500.
pub fn html(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(body) => HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((header::CACHE_CONTROL, "no-cache"))
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

pub(crate) fn store_failed(e: StoreError) -> HttpResponse {
    tracing::error!(error = %e, "page query failed");
    match e {
        StoreError::Pool(_) => message(
            StatusCode::SERVICE_UNAVAILABLE,
            "Tavla er midlertidig utilgjengelig",
            "Databasen svarer ikke akkurat nå. Prøv igjen om litt.",
        ),
        _ => server_error(),
    }
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

pub fn not_found() -> HttpResponse {
    message(
        StatusCode::NOT_FOUND,
        "Fant ikke siden",
        "Vi fant ingen side på denne adressen.",
    )
}

const STYLESHEET: &str = include_str!("../../assets/tavla.css");

/// The stylesheet, embedded in the binary; its URL changes never, so it is
/// revalidated by ETag.
#[route("/assets/tavla.css", method = "GET", method = "HEAD")]
pub async fn stylesheet(request: actix_web::HttpRequest) -> HttpResponse {
    static ETAG: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(STYLESHEET.as_bytes());
        format!("\"{:x}\"", digest)[..18].to_owned() + "\""
    });
    let etag = ETAG.as_str();
    let matches = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut response = if matches {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"));
    if matches {
        return response.finish();
    }
    response
        .insert_header((header::CONTENT_TYPE, "text/css; charset=utf-8"))
        .body(STYLESHEET)
}

/// Security headers for every response: nothing from elsewhere runs or
/// frames a page, and browsers do not guess content types.
pub fn security_headers() -> actix_web::middleware::DefaultHeaders {
    actix_web::middleware::DefaultHeaders::new()
        .add((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
}
