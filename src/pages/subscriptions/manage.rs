//! The manage page, reached from every e-mail by its manage link: the
//! subscription's choices in a form that saves them, and the button that
//! ends it. It speaks its address's written standard (`/nn/…` nynorsk),
//! whatever the e-mails are in.

use actix_web::http::StatusCode;
use actix_web::{route, web, HttpResponse};
use askama::Template;

use super::links::unsubscribe_form;
use super::{
    no_mail, pairs, plausible, private, refused, spent_link, with_token, Form, SubscriptionForm,
    TokenQuery,
};
use crate::app::subscriptions as use_case;
use crate::app::App;
use crate::i18n::Lang;
use crate::pages::{html, store_failed, Chrome};
use crate::store::subscriptions::Purpose;

/// The page's path, as in bokmål.
const HERE: &str = "/subscriptions/manage";

#[derive(Template)]
#[template(path = "manage.html")]
struct ManagePage {
    c: Chrome,
    /// The choices' form; none on a server that sends no e-mail (only the
    /// button that ends the subscription is left).
    form: Option<SubscriptionForm>,
    saved: bool,
    unsubscribe: Form,
}

impl ManagePage {
    /// The page's title, which says when the form has errors.
    fn title(&self) -> String {
        let lang = self.c.lang;
        let title = format!("{} – Tavla", lang.t("sub-manage-heading"));
        match self.form.as_ref().is_some_and(SubscriptionForm::has_errors) {
            false => title,
            true => lang.t_with("title-problem", &[("title", title)]),
        }
    }
}

/// The empty form of the subscription `token` manages, if this server
/// sends e-mail.
fn form_of(lang: Lang, app: &App, token: &str) -> Option<SubscriptionForm> {
    let mail = app.mail.as_ref()?;
    let taxonomy = app.taxonomy.clone();
    Some(SubscriptionForm::manage(
        lang,
        mail.digest_time,
        taxonomy,
        token,
    ))
}

fn view(
    lang: Lang,
    token: &str,
    form: Option<SubscriptionForm>,
    saved: bool,
    status: StatusCode,
) -> HttpResponse {
    let page = ManagePage {
        c: Chrome::new(lang, with_token(HERE, token)),
        form,
        saved,
        unsubscribe: unsubscribe_form(lang, token),
    };
    private(html(status, &page))
}

async fn manage_page_in(lang: Lang, app: &App, token: &str) -> HttpResponse {
    if !plausible(token) {
        return spent_link(lang, HERE);
    }
    match use_case::subscription_of(app, token, Purpose::Manage).await {
        Ok(Some(subscription)) => {
            let mut form = form_of(lang, app, token);
            if let Some(form) = &mut form {
                form.show(&subscription);
            }
            view(lang, token, form, false, StatusCode::OK)
        }
        Ok(None) => spent_link(lang, HERE),
        Err(e) => store_failed(lang, e),
    }
}

/// The subscription's choices, and the button that ends it.
#[route("/subscriptions/manage", method = "GET", method = "HEAD")]
pub async fn manage_page(app: web::Data<App>, query: web::Query<TokenQuery>) -> HttpResponse {
    manage_page_in(Lang::Nb, &app, &query.token).await
}

#[route("/nn/subscriptions/manage", method = "GET", method = "HEAD")]
pub async fn manage_page_nn(app: web::Data<App>, query: web::Query<TokenQuery>) -> HttpResponse {
    manage_page_in(Lang::Nn, &app, &query.token).await
}

async fn manage_in(lang: Lang, app: &App, body: &[u8]) -> HttpResponse {
    let pairs = pairs(body);
    let token = pairs
        .iter()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    if !plausible(&token) {
        return spent_link(lang, HERE);
    }
    let Some(form) = form_of(lang, app, &token) else {
        return no_mail(lang);
    };
    let mut form = form.read(&pairs);
    let error = match use_case::change(app, &token, &form.document()).await {
        Ok(Some(subscription)) => {
            form.show(&subscription);
            return view(lang, &token, Some(form), true, StatusCode::OK);
        }
        Ok(None) => return spent_link(lang, HERE),
        Err(e) => e,
    };
    match refused(lang, &with_token(HERE, &token), error) {
        Ok(response) => response,
        Err(errors) => {
            form.show_errors(&errors);
            view(
                lang,
                &token,
                Some(form),
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

/// Saves the choices the form sends (its hidden `token` is the manage
/// link's), then shows them again with a message that they were saved.
#[route("/subscriptions/manage", method = "POST")]
pub async fn manage(app: web::Data<App>, body: web::Bytes) -> HttpResponse {
    manage_in(Lang::Nb, &app, &body).await
}

#[route("/nn/subscriptions/manage", method = "POST")]
pub async fn manage_nn(app: web::Data<App>, body: web::Bytes) -> HttpResponse {
    manage_in(Lang::Nn, &app, &body).await
}
