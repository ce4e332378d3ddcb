//! Every webhook, oldest first: where it sends, what it is for, what it
//! takes in, and whether it is enabled.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpRequest, HttpResponse};
use askama::Template;

use super::views::WebhookShown;
use crate::app::webhooks;
use crate::app::App;
use crate::i18n::Lang;
use crate::pages::admin::language::EditorLang;
use crate::pages::admin::session::{AdminSession, Expiry};
use crate::pages::admin::{html, who};

#[derive(Template)]
#[template(path = "admin/webhooks.html")]
struct ListPage {
    lang: Lang,
    switch_url: String,
    who: String,
    csrf: String,
    expiry: Expiry,
    is_admin: bool,
    done: Option<String>,
    hooks: Vec<WebhookShown>,
}

#[get("/admin/webhooker")]
pub async fn list(
    session: AdminSession,
    state: web::Data<App>,
    request: HttpRequest,
    editor_lang: EditorLang,
) -> HttpResponse {
    let lang = editor_lang.lang;
    let found = match webhooks::list(&state).await {
        Ok(found) => found,
        Err(e) => return super::failed(e, lang),
    };
    let deleted = form_urlencoded::parse(request.query_string().as_bytes())
        .any(|(k, v)| k == "ferdig" && v == "slettet");
    html(
        StatusCode::OK,
        &ListPage {
            lang,
            switch_url: editor_lang.switch_url_to("/admin/webhooker"),
            who: who(&session, lang),
            csrf: session.csrf.clone(),
            expiry: session.expiry(state.clock.now(), lang),
            is_admin: true,
            done: deleted.then(|| lang.t("webhook-deleted")),
            hooks: found
                .iter()
                .map(|w| WebhookShown::new(w, &state.taxonomy, lang))
                .collect(),
        },
    )
}
