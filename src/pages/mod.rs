//! Server-rendered HTML in bokmål and nynorsk: the public notice board (at
//! `/…` and `/nn/…`) and the editors' pages at `/admin`.

pub mod admin;
pub mod public;
pub mod subscriptions;
pub(crate) mod views;

use std::sync::LazyLock;

use actix_web::http::{header, StatusCode};
use actix_web::{route, HttpResponse};
use askama::Template;

use crate::i18n::Lang;
use crate::store::StoreError;

/// The pages' routes: the public board in both written standards, and the editors'.
pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(stylesheet)
        .service(script)
        .configure(admin::configure)
        .configure(subscriptions::configure);
    public::configure(cfg);
}

/// What every public page shows around its content: its language, the same
/// page in the other written standard, and the feeds of its selection.
pub struct Chrome {
    pub lang: Lang,
    /// The page's path and query, as in bokmål (without `/nn`).
    pub here: String,
    /// The query of the page's feeds (`?area=…`), or empty.
    pub feed_query: String,
}

impl Chrome {
    pub fn new(lang: Lang, here: impl Into<String>) -> Self {
        Self {
            lang,
            here: here.into(),
            feed_query: String::new(),
        }
    }

    /// The message `key` in the page's language.
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// A page's path (as in bokmål) in the page's language.
    pub fn href(&self, path: &str) -> String {
        in_lang(self.lang, path)
    }

    /// This page in the other written standard.
    pub fn switch_url(&self) -> String {
        in_lang(self.lang.other(), &self.here)
    }

    /// This page in each written standard, for `hreflang` alternates.
    pub fn alternates(&self) -> Vec<(&'static str, String)> {
        Lang::ALL
            .iter()
            .map(|lang| (lang.code(), in_lang(*lang, &self.here)))
            .collect()
    }
}

/// A public page's path (as in bokmål: `/`, `/notices/x`) in `lang`.
pub fn in_lang(lang: Lang, path: &str) -> String {
    format!("{}{path}", lang.prefix())
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    c: Chrome,
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
            server_error(Lang::Nb)
        }
    }
}

fn server_error(lang: Lang) -> HttpResponse {
    HttpResponse::InternalServerError()
        .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
        .body(lang.t("server-error"))
}

pub(crate) fn store_failed(lang: Lang, e: StoreError) -> HttpResponse {
    tracing::error!(error = %e, "page query failed");
    match e {
        StoreError::Pool(_) => message(
            lang,
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable-heading",
            "unavailable-text",
        ),
        _ => server_error(lang),
    }
}

/// A page of a heading and a line, both messages of the catalogues.
pub fn message(lang: Lang, status: StatusCode, heading: &str, text: &str) -> HttpResponse {
    html(
        status,
        &MessagePage {
            c: Chrome::new(lang, "/"),
            heading: lang.t(heading),
            text: lang.t(text),
        },
    )
}

pub fn not_found(lang: Lang) -> HttpResponse {
    message(
        lang,
        StatusCode::NOT_FOUND,
        "not-found-heading",
        "not-found-text",
    )
}

const STYLESHEET: &str = include_str!("../../assets/tavla.css");
const SCRIPT: &str = include_str!("../../assets/tavla.js");

/// The stylesheet, embedded in the binary; its URL changes never, so it is
/// revalidated by ETag.
#[route("/assets/tavla.css", method = "GET", method = "HEAD")]
pub async fn stylesheet(request: actix_web::HttpRequest) -> HttpResponse {
    static ETAG: LazyLock<String> = LazyLock::new(|| etag_of(STYLESHEET));
    asset(&request, STYLESHEET, &ETAG, "text/css; charset=utf-8")
}

/// The editor pages' script: what it does (focus on what a page says, only
/// the chosen kind's fields, the session's warning) improves pages that work
/// without it.
#[route("/assets/tavla.js", method = "GET", method = "HEAD")]
pub async fn script(request: actix_web::HttpRequest) -> HttpResponse {
    static ETAG: LazyLock<String> = LazyLock::new(|| etag_of(SCRIPT));
    asset(&request, SCRIPT, &ETAG, "text/javascript; charset=utf-8")
}

fn etag_of(text: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(text.as_bytes());
    format!("\"{:x}\"", digest)[..18].to_owned() + "\""
}

fn asset(
    request: &actix_web::HttpRequest,
    text: &'static str,
    etag: &str,
    content_type: &'static str,
) -> HttpResponse {
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
        .insert_header((header::CONTENT_TYPE, content_type))
        .body(text)
}

/// Security headers for every response: nothing from elsewhere runs or
/// frames a page, and browsers do not guess content types.
pub fn security_headers() -> actix_web::middleware::DefaultHeaders {
    actix_web::middleware::DefaultHeaders::new()
        .add((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; \
             img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
}
