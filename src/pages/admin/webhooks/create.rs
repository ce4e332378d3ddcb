//! Adding a webhook: the form, every mistake in it at once, and on success
//! the webhook's page with its secret, shown this once. That answer is the
//! POST's own (never kept: `no-store`), not a redirect, so the secret is in
//! no address, history entry or later page.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;

use super::form::{Choices, WebhookForm};
use super::page::WebhookPage;
use crate::app::webhooks::{self, WebhookError};
use crate::app::App;
use crate::i18n::Lang;
use crate::pages::admin::language::EditorLang;
use crate::pages::admin::session::{AdminSession, Expiry};
use crate::pages::admin::{field, forbidden_form, html, pairs, who};

#[derive(Template)]
#[template(path = "admin/webhook_form.html")]
struct FormPage {
    lang: Lang,
    switch_url: String,
    who: String,
    csrf: String,
    expiry: Expiry,
    is_admin: bool,
    form: WebhookForm,
    groups: Vec<Choices>,
}

impl FormPage {
    fn new(session: &AdminSession, state: &App, form: WebhookForm, lang: &EditorLang) -> Self {
        let groups = form.groups(&state.taxonomy);
        Self {
            lang: lang.lang,
            switch_url: lang.switch_url(),
            who: who(session, lang.lang),
            csrf: session.csrf.clone(),
            expiry: session.expiry(state.clock.now(), lang.lang),
            is_admin: true,
            form,
            groups,
        }
    }

    /// «Rett opp feltene som er merket (3).»
    fn fix_fields(&self) -> String {
        self.lang.t_with(
            "form-fix-fields",
            &[("count", self.form.error_count().to_string())],
        )
    }

    /// The page's title, which says when the form has errors.
    fn title(&self) -> String {
        let heading = self.lang.t("webhook-new");
        match self.form.has_errors() {
            false => heading,
            true => self
                .lang
                .t_with("form-title-errors", &[("heading", heading)]),
        }
    }
}

#[get("/admin/webhooker/ny")]
pub async fn new_page(
    session: AdminSession,
    state: web::Data<App>,
    lang: EditorLang,
) -> HttpResponse {
    let form = WebhookForm::new(lang.lang);
    html(
        StatusCode::OK,
        &FormPage::new(&session, &state, form, &lang),
    )
}

#[post("/admin/webhooker/ny")]
pub async fn create(
    session: AdminSession,
    state: web::Data<App>,
    lang: EditorLang,
    body: web::Bytes,
) -> HttpResponse {
    let pairs = pairs(&body);
    if !session.verify(field(&pairs, "csrf")) {
        return forbidden_form(lang.lang);
    }
    let mut form = WebhookForm::from_pairs(&pairs, lang.lang);
    match webhooks::create(&state, &session.token, &form.document()).await {
        Ok((webhook, secret)) => {
            match WebhookPage::load(&state, &session, &lang, &webhook, None).await {
                Ok(page) => page.added(secret).answer(StatusCode::OK),
                Err(e) => super::failed(e, lang.lang),
            }
        }
        Err(WebhookError::Invalid(errors)) => {
            form.show_errors(&errors);
            html(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage::new(&session, &state, form, &lang),
            )
        }
        Err(e) => super::failed(e, lang.lang),
    }
}
