//! What an admin does to a webhook from its page: disable or enable it,
//! make a new secret, deliver an event again, delete it (after a page that
//! asks first). Each form carries the session's CSRF token.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde_json::json;

use super::page::WebhookPage;
use super::views::page_url;
use crate::app::webhooks::{self, WebhookError};
use crate::app::App;
use crate::i18n::Lang;
use crate::pages::admin::language::EditorLang;
use crate::pages::admin::session::{AdminSession, Expiry};
use crate::pages::admin::{field, forbidden_form, html, pairs, see_other, who};

/// Whether a form came from this session.
fn from_session(session: &AdminSession, body: &[u8]) -> Option<Vec<(String, String)>> {
    let pairs = pairs(body);
    session.verify(field(&pairs, "csrf")).then_some(pairs)
}

/// The page of the webhook `id`, if it is one's id at all (a path is never
/// echoed into a redirect as sent).
fn page_of(id: &str) -> Option<String> {
    uuid::Uuid::try_parse(id)
        .ok()
        .map(|id| format!("/admin/webhooker/{id}"))
}

/// Disables (`enabled=false`) or enables (`enabled=true`) a webhook.
/// Enabling one Tavla disabled clears why.
#[post("/admin/webhooker/{id}/aktiv")]
pub async fn set_enabled(
    session: AdminSession,
    state: web::Data<App>,
    id: web::Path<String>,
    lang: EditorLang,
    body: web::Bytes,
) -> HttpResponse {
    let Some(pairs) = from_session(&session, &body) else {
        return forbidden_form(lang.lang);
    };
    let enabled = match (field(&pairs, "enabled"), page_of(&id)) {
        (Some("true"), _) => true,
        (Some("false"), _) => false,
        (_, Some(page)) => return see_other(&page),
        (_, None) => return crate::pages::not_found(lang.lang),
    };
    let patch = json!({ "enabled": enabled });
    match webhooks::update(&state, &session.token, &id, &patch).await {
        Ok(webhook) => {
            let done = if enabled { "aktivert" } else { "deaktivert" };
            see_other(&format!("{}?ferdig={done}", page_url(&webhook)))
        }
        // The webhook as it is can no longer be enabled (its address now
        // resolves to a private one): the page says why.
        Err(WebhookError::Invalid(errors)) => {
            let webhook = match webhooks::get(&state, &id).await {
                Ok(webhook) => webhook,
                Err(e) => return super::failed(e, lang.lang),
            };
            let mut page = match WebhookPage::load(&state, &session, &lang, &webhook, None).await {
                Ok(page) => page,
                Err(e) => return super::failed(e, lang.lang),
            };
            let why: Vec<String> = errors.iter().map(|e| said(e, lang.lang)).collect();
            page.problem = Some(
                lang.lang
                    .t_with("webhook-change-refused", &[("why", why.join("; "))]),
            );
            page.answer(StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => super::failed(e, lang.lang),
    }
}

/// «Adresse: må gå til en offentlig adresse, …»: what is wrong, after the
/// name of its field.
fn said(error: &crate::domain::FieldError, lang: Lang) -> String {
    let label = match error.field.split('[').next() {
        Some("url") => "webhook-form-url",
        Some("description") => "webhook-form-description",
        Some("events") => "webhook-form-events",
        Some("kind") => "webhook-form-kinds",
        Some("area") => "webhook-form-areas",
        _ => return lang.invalid(&error.invalid),
    };
    format!("{}: {}.", lang.t(label), lang.invalid(&error.invalid))
}

/// A new secret, shown this once on the answer itself; the old one signs
/// beside it for a day.
#[post("/admin/webhooker/{id}/ny-hemmelighet")]
pub async fn rotate(
    session: AdminSession,
    state: web::Data<App>,
    id: web::Path<String>,
    lang: EditorLang,
    body: web::Bytes,
) -> HttpResponse {
    if from_session(&session, &body).is_none() {
        return forbidden_form(lang.lang);
    }
    let (webhook, secret) = match webhooks::rotate(&state, &session.token, &id).await {
        Ok(rotated) => rotated,
        Err(e) => return super::failed(e, lang.lang),
    };
    match WebhookPage::load(&state, &session, &lang, &webhook, None).await {
        Ok(page) => page
            .rotated(secret, state.clock.now())
            .answer(StatusCode::OK),
        Err(e) => super::failed(e, lang.lang),
    }
}

/// Delivers an event to the webhook again, with the same `webhook-id`.
#[post("/admin/webhooker/{id}/hendelser/{event_id}/send-igjen")]
pub async fn redeliver(
    session: AdminSession,
    state: web::Data<App>,
    path: web::Path<(String, String)>,
    lang: EditorLang,
    body: web::Bytes,
) -> HttpResponse {
    if from_session(&session, &body).is_none() {
        return forbidden_form(lang.lang);
    }
    let (id, event) = path.into_inner();
    match webhooks::redeliver(&state, &session.token, &id, &event).await {
        Ok(()) => match page_of(&id) {
            Some(page) => see_other(&format!("{page}?ferdig=sendt")),
            None => crate::pages::not_found(lang.lang),
        },
        Err(e) => super::failed(e, lang.lang),
    }
}

#[derive(Template)]
#[template(path = "admin/webhook_delete.html")]
struct ConfirmPage {
    lang: Lang,
    switch_url: String,
    who: String,
    csrf: String,
    expiry: Expiry,
    is_admin: bool,
    heading: String,
    page_url: String,
}

/// Asks first, naming the webhook and what deleting it does.
#[get("/admin/webhooker/{id}/slett")]
pub async fn confirm_delete(
    session: AdminSession,
    state: web::Data<App>,
    id: web::Path<String>,
    lang: EditorLang,
) -> HttpResponse {
    let webhook = match webhooks::get(&state, &id).await {
        Ok(webhook) => webhook,
        Err(e) => return super::failed(e, lang.lang),
    };
    let page = ConfirmPage {
        lang: lang.lang,
        switch_url: lang.switch_url(),
        who: who(&session, lang.lang),
        csrf: session.csrf.clone(),
        expiry: session.expiry(state.clock.now(), lang.lang),
        is_admin: true,
        heading: lang
            .lang
            .t_with("webhook-delete-heading", &[("url", webhook.url.clone())]),
        page_url: page_url(&webhook),
    };
    html(StatusCode::OK, &page)
}

#[post("/admin/webhooker/{id}/slett")]
pub async fn delete(
    session: AdminSession,
    state: web::Data<App>,
    id: web::Path<String>,
    lang: EditorLang,
    body: web::Bytes,
) -> HttpResponse {
    if from_session(&session, &body).is_none() {
        return forbidden_form(lang.lang);
    }
    match webhooks::delete(&state, &session.token, &id).await {
        Ok(()) => see_other("/admin/webhooker?ferdig=slettet"),
        Err(e) => super::failed(e, lang.lang),
    }
}
