//! Subscribing from the pages: the form on the front and area pages, on its
//! own page (`GET /subscriptions`, and again with what was wrong after a
//! POST), and the page that says a confirmation is on its way — the same
//! whatever the address's state, so no one learns who subscribes.

use actix_web::http::StatusCode;
use actix_web::{route, web, HttpRequest, HttpResponse};
use askama::Template;

use super::{no_mail, page_of, pairs, private, refused, SubscriptionForm};
use crate::app::subscriptions as use_case;
use crate::app::{auth, App};
use crate::domain::Kind;
use crate::i18n::Lang;
use crate::pages::{html, Chrome};

/// The form's own page, as in bokmål.
const HERE: &str = "/subscriptions";

/// The subscribe form for a public page whose filters are `filters` (its
/// address's pairs): their kinds and areas chosen, only those areas
/// offered. `None` when this server sends no e-mail.
pub fn form_for(app: &App, lang: Lang, filters: &[(String, String)]) -> Option<SubscriptionForm> {
    if !use_case::offered(app) {
        return None;
    }
    let mail = app.mail.as_ref()?;
    let chosen = |name: &str, known: &dyn Fn(&str) -> bool| {
        let mut values: Vec<String> = Vec::new();
        for (_, value) in filters.iter().filter(|(k, _)| k == name) {
            let value = value.trim();
            if known(value) && !values.iter().any(|v| v == value) {
                values.push(value.to_owned());
            }
        }
        values
    };
    let kinds = chosen("kind", &|v| v.parse::<Kind>().is_ok());
    let areas = chosen("area", &|v| app.taxonomy.get(v).is_some());
    let taxonomy = app.taxonomy.clone();
    Some(SubscriptionForm::subscribe(
        lang,
        mail.digest_time,
        taxonomy,
        kinds,
        areas,
    ))
}

#[derive(Template)]
#[template(path = "subscribe_page.html")]
struct SubscribePage {
    c: Chrome,
    f: SubscriptionForm,
}

impl SubscribePage {
    /// The page's title, which says when the form has errors.
    fn title(&self) -> String {
        let lang = self.c.lang;
        let title = format!("{} – Tavla", lang.t("sub-form-heading"));
        match self.f.has_errors() {
            false => title,
            true => lang.t_with("title-problem", &[("title", title)]),
        }
    }
}

fn form_page(lang: Lang, f: SubscriptionForm, status: StatusCode) -> HttpResponse {
    private(html(
        status,
        &SubscribePage {
            c: Chrome::new(lang, HERE),
            f,
        },
    ))
}

fn subscribe_page_in(lang: Lang, app: &App) -> HttpResponse {
    match form_for(app, lang, &[]) {
        Some(form) => form_page(lang, form, StatusCode::OK),
        None => no_mail(lang),
    }
}

/// The subscribe form on a page of its own, every area taken in.
#[route("/subscriptions", method = "GET", method = "HEAD")]
pub async fn subscribe_page(app: web::Data<App>) -> HttpResponse {
    subscribe_page_in(Lang::Nb, &app)
}

#[route("/nn/subscriptions", method = "GET", method = "HEAD")]
pub async fn subscribe_page_nn(app: web::Data<App>) -> HttpResponse {
    subscribe_page_in(Lang::Nn, &app)
}

async fn subscribe_in(lang: Lang, app: &App, request: &HttpRequest, body: &[u8]) -> HttpResponse {
    let Some(form) = form_for(app, lang, &[]) else {
        return no_mail(lang);
    };
    let mut form = form.read(&pairs(body));
    let forwarded = request
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok());
    let peer = request.peer_addr().map(|a| a.ip());
    let client = auth::client_address(peer, forwarded, &app.trusted_proxies);
    let error = match use_case::subscribe(app, &form.document(), client).await {
        Ok(()) => {
            let email = form.email.unwrap_or_default().trim().to_owned();
            let text = lang.t_with("sub-check-text", &[("email", email)]);
            let heading = lang.t("sub-check-heading");
            return page_of(lang, StatusCode::OK, HERE, heading, text, None);
        }
        Err(e) => e,
    };
    match refused(lang, HERE, error) {
        Ok(response) => response,
        Err(errors) => {
            form.show_errors(&errors);
            form_page(lang, form, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// Subscribes the address the form sends: the page that says a
/// confirmation is on its way; the form again (422) with what was wrong
/// beside each field; 429 with `Retry-After` past the per-client limit.
#[route("/subscriptions", method = "POST")]
pub async fn subscribe(
    app: web::Data<App>,
    request: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    subscribe_in(Lang::Nb, &app, &request, &body).await
}

#[route("/nn/subscriptions", method = "POST")]
pub async fn subscribe_nn(
    app: web::Data<App>,
    request: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    subscribe_in(Lang::Nn, &app, &request, &body).await
}
