//! The pages the links in e-mails open to confirm a subscription and to
//! end it — with a button, since mail scanners follow links — and RFC
//! 8058's one-click POST from the reader's mail program.

use actix_web::{route, web, HttpResponse};

use super::{page, plausible, spent_link, with_token, Form, TokenQuery};
use crate::app::subscriptions as use_case;
use crate::app::App;
use crate::i18n::Lang;
use crate::pages::store_failed;
use crate::store::subscriptions::Purpose;

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
                action: crate::pages::in_lang(lang, here),
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
pub(super) fn unsubscribe_form(lang: Lang, token: &str) -> Form {
    Form {
        action: with_token(
            &crate::pages::in_lang(lang, "/subscriptions/unsubscribe"),
            token,
        ),
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
