//! E-mail subscriptions' pages, in bokmål (`/subscriptions…`) and nynorsk
//! (`/nn/subscriptions…`): the subscribe form and what it answers
//! (`subscribe`), the pages the links in e-mails open — confirming and
//! ending a subscription (`links`), managing it (`manage`) — and the form
//! they share (`form`).
//!
//! A server that sends no e-mail offers no subscription: its pages show no
//! form, and `/subscriptions` is a 404 page that says e-mail is not offered.

mod form;
mod links;
mod manage;
mod subscribe;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

pub use form::SubscriptionForm;
pub use subscribe::form_for;

use super::{html, message, store_failed, Chrome};
use crate::app::subscriptions::SubscribeError;
use crate::domain::FieldError;
use crate::i18n::Lang;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(subscribe::subscribe_page)
        .service(subscribe::subscribe_page_nn)
        .service(subscribe::subscribe)
        .service(subscribe::subscribe_nn)
        .service(links::confirm_page)
        .service(links::confirm_page_nn)
        .service(links::confirm)
        .service(links::confirm_nn)
        .service(links::unsubscribe_page)
        .service(links::unsubscribe_page_nn)
        .service(links::unsubscribe)
        .service(links::unsubscribe_nn)
        .service(manage::manage_page)
        .service(manage::manage_page_nn)
        .service(manage::manage)
        .service(manage::manage_nn);
}

/// A form of one button, with what it sends.
struct Form {
    action: String,
    hidden: Vec<(&'static str, String)>,
    button: String,
}

#[derive(Template)]
#[template(path = "subscription.html")]
struct SubscriptionPage {
    c: Chrome,
    heading: String,
    text: String,
    form: Option<Form>,
}

#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// A page that carries a token in its URL or an address in its text: kept
/// out of caches and out of the `Referer` of what it loads.
fn private(mut response: HttpResponse) -> HttpResponse {
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
    response
}

/// A page of the subscription's, of a heading, a line and perhaps a button.
fn page_of(
    lang: Lang,
    status: StatusCode,
    here: &str,
    heading: String,
    text: String,
    form: Option<Form>,
) -> HttpResponse {
    let c = Chrome::new(lang, here);
    private(html(
        status,
        &SubscriptionPage {
            c,
            heading,
            text,
            form,
        },
    ))
}

/// A page of the subscription's whose heading and line are the messages
/// `{key}-heading` and `{key}-text`.
fn page(lang: Lang, here: &str, key: &str, form: Option<Form>) -> HttpResponse {
    let heading = lang.t(&format!("{key}-heading"));
    let text = lang.t(&format!("{key}-text"));
    page_of(lang, StatusCode::OK, here, heading, text, form)
}

/// The page a link that is spent, expired or mistyped leads to.
fn spent_link(lang: Lang, here: &str) -> HttpResponse {
    page(lang, here, "sub-link", None)
}

/// Whether a token is worth asking the store about (links carry 43 characters).
fn plausible(token: &str) -> bool {
    (20..=200).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn with_token(path: &str, token: &str) -> String {
    format!("{path}?token={token}")
}

/// A 404 page saying that this server sends no e-mail, so offers no
/// subscription: the feeds are there instead.
fn no_mail(lang: Lang) -> HttpResponse {
    message(
        lang,
        StatusCode::NOT_FOUND,
        "sub-no-mail-heading",
        "sub-no-mail-text",
    )
}

/// What a subscribe or a change that was not made is told; invalid
/// fields are given back, for the form to show beside its fields.
fn refused(lang: Lang, here: &str, error: SubscribeError) -> Result<HttpResponse, Vec<FieldError>> {
    Ok(match error {
        SubscribeError::Invalid(errors) => return Err(errors),
        SubscribeError::NoMail => no_mail(lang),
        SubscribeError::TooMany { retry_after } => {
            let seconds = retry_after.as_secs().max(1);
            let heading = lang.t("sub-too-many-heading");
            let text = lang.t_with("sub-too-many-text", &[("seconds", seconds.to_string())]);
            let mut response = page_of(
                lang,
                StatusCode::TOO_MANY_REQUESTS,
                here,
                heading,
                text,
                None,
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
            response
        }
        SubscribeError::Store(e) => store_failed(lang, e),
    })
}

/// The fields of a form the browser sent, in order; a name may repeat.
fn pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}
