//! The pages the links in e-mails open, in bokmål (`/subscriptions/…`) and
//! nynorsk (`/nn/subscriptions/…`): confirming a subscription, managing it,
//! and ending it — with a button, since mail scanners follow links, and by
//! RFC 8058's one-click POST from the reader's mail program.

use actix_web::http::{header, StatusCode};
use actix_web::{route, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{html, store_failed, Chrome};
use crate::app::subscriptions as use_case;
use crate::app::App;
use crate::i18n::Lang;
use crate::store::subscriptions::Purpose;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(confirm_page)
        .service(confirm_page_nn)
        .service(confirm)
        .service(confirm_nn)
        .service(unsubscribe_page)
        .service(unsubscribe_page_nn)
        .service(unsubscribe)
        .service(unsubscribe_nn)
        .service(manage_page)
        .service(manage_page_nn);
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

/// A page of the subscription's; its URL carries a token, so it is kept
/// out of caches and out of the `Referer` of what it loads.
fn page(lang: Lang, here: &str, key: &str, form: Option<Form>) -> HttpResponse {
    let c = Chrome::new(lang, here);
    let mut response = html(
        StatusCode::OK,
        &SubscriptionPage {
            heading: lang.t(&format!("{key}-heading")),
            text: lang.t(&format!("{key}-text")),
            c,
            form,
        },
    );
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

async fn confirm_page_in(lang: Lang, app: &App, token: &str) -> HttpResponse {
    let here = "/subscriptions/confirm";
    if !plausible(token) {
        return spent_link(lang, here);
    }
    match use_case::language_of(app, token, Purpose::Confirm).await {
        Ok(Some(_)) => page(
            lang,
            &with_token(here, token),
            "sub-confirm",
            Some(Form {
                action: super::in_lang(lang, here),
                hidden: vec![("token", token.to_owned())],
                button: lang.t("sub-confirm-button"),
            }),
        ),
        Ok(None) => spent_link(lang, here),
        Err(e) => store_failed(lang, e),
    }
}

/// Shows the button that confirms; following the link confirms nothing.
#[route("/subscriptions/confirm", method = "GET", method = "HEAD")]
pub async fn confirm_page(app: web::Data<App>, query: web::Query<TokenQuery>) -> HttpResponse {
    confirm_page_in(Lang::Nb, &app, &query.token).await
}

#[route("/nn/subscriptions/confirm", method = "GET", method = "HEAD")]
pub async fn confirm_page_nn(app: web::Data<App>, query: web::Query<TokenQuery>) -> HttpResponse {
    confirm_page_in(Lang::Nn, &app, &query.token).await
}

async fn confirm_in(lang: Lang, app: &App, token: &str) -> HttpResponse {
    let here = "/subscriptions/confirm";
    if !plausible(token) {
        return spent_link(lang, here);
    }
    match use_case::confirm(app, token).await {
        Ok(Some(_)) => page(lang, here, "sub-confirmed", None),
        Ok(None) => spent_link(lang, here),
        Err(e) => store_failed(lang, e),
    }
}

/// Confirms the subscription whose confirmation token the form sends.
#[route("/subscriptions/confirm", method = "POST")]
pub async fn confirm(app: web::Data<App>, form: web::Form<TokenQuery>) -> HttpResponse {
    confirm_in(Lang::Nb, &app, &form.token).await
}

#[route("/nn/subscriptions/confirm", method = "POST")]
pub async fn confirm_nn(app: web::Data<App>, form: web::Form<TokenQuery>) -> HttpResponse {
    confirm_in(Lang::Nn, &app, &form.token).await
}

/// The button that ends a subscription, sending what RFC 8058's one-click
/// POST sends.
fn unsubscribe_form(lang: Lang, token: &str) -> Form {
    Form {
        action: with_token(&super::in_lang(lang, "/subscriptions/unsubscribe"), token),
        hidden: vec![("List-Unsubscribe", "One-Click".to_owned())],
        button: lang.t("sub-unsubscribe-button"),
    }
}

async fn unsubscribe_page_in(lang: Lang, app: &App, token: &str) -> HttpResponse {
    let here = "/subscriptions/unsubscribe";
    if !plausible(token) {
        return spent_link(lang, here);
    }
    match use_case::language_of(app, token, Purpose::Unsubscribe).await {
        Ok(Some(_)) => page(
            lang,
            &with_token(here, token),
            "sub-unsubscribe",
            Some(unsubscribe_form(lang, token)),
        ),
        Ok(None) => spent_link(lang, here),
        Err(e) => store_failed(lang, e),
    }
}

/// Shows the button that ends the subscription.
#[route("/subscriptions/unsubscribe", method = "GET", method = "HEAD")]
pub async fn unsubscribe_page(app: web::Data<App>, query: web::Query<TokenQuery>) -> HttpResponse {
    unsubscribe_page_in(Lang::Nb, &app, &query.token).await
}

#[route("/nn/subscriptions/unsubscribe", method = "GET", method = "HEAD")]
pub async fn unsubscribe_page_nn(
    app: web::Data<App>,
    query: web::Query<TokenQuery>,
) -> HttpResponse {
    unsubscribe_page_in(Lang::Nn, &app, &query.token).await
}

async fn unsubscribe_in(lang: Lang, app: &App, token: &str) -> HttpResponse {
    let here = "/subscriptions/unsubscribe";
    if !plausible(token) {
        return spent_link(lang, here);
    }
    match use_case::unsubscribe(app, token).await {
        // Said the same way when it was ended before: it is ended.
        Ok(_) => page(lang, here, "sub-unsubscribed", None),
        Err(e) => store_failed(lang, e),
    }
}

/// Ends the subscription at once and deletes its address: the page's
/// button, or a mail program's one-click POST (`List-Unsubscribe=One-Click`).
#[route("/subscriptions/unsubscribe", method = "POST")]
pub async fn unsubscribe(app: web::Data<App>, query: web::Query<TokenQuery>) -> HttpResponse {
    unsubscribe_in(Lang::Nb, &app, &query.token).await
}

#[route("/nn/subscriptions/unsubscribe", method = "POST")]
pub async fn unsubscribe_nn(app: web::Data<App>, query: web::Query<TokenQuery>) -> HttpResponse {
    unsubscribe_in(Lang::Nn, &app, &query.token).await
}

async fn manage_page_in(lang: Lang, app: &App, token: &str) -> HttpResponse {
    let here = "/subscriptions/manage";
    if !plausible(token) {
        return spent_link(lang, here);
    }
    match use_case::language_of(app, token, Purpose::Manage).await {
        Ok(Some(_)) => page(
            lang,
            &with_token(here, token),
            "sub-manage",
            Some(unsubscribe_form(lang, token)),
        ),
        Ok(None) => spent_link(lang, here),
        Err(e) => store_failed(lang, e),
    }
}

/// The subscription, reached from every e-mail, with the button that ends it.
#[route("/subscriptions/manage", method = "GET", method = "HEAD")]
pub async fn manage_page(app: web::Data<App>, query: web::Query<TokenQuery>) -> HttpResponse {
    manage_page_in(Lang::Nb, &app, &query.token).await
}

#[route("/nn/subscriptions/manage", method = "GET", method = "HEAD")]
pub async fn manage_page_nn(app: web::Data<App>, query: web::Query<TokenQuery>) -> HttpResponse {
    manage_page_in(Lang::Nn, &app, &query.token).await
}
