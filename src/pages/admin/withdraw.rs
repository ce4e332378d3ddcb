//! Withdrawing a notice: a page that asks first, naming the notice and what
//! withdrawing does, then the withdrawal itself.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;

use super::edit::not_yours;
use super::html;
use super::language::EditorLang;
use super::session::{EditorSession, Expiry};
use super::{field, forbidden_form, pairs, see_other, who};
use crate::app::notices::{find_for, withdraw_notice, WriteError};
use crate::app::App;
use crate::domain::State;
use crate::i18n::Lang;

#[derive(Template)]
#[template(path = "admin/withdraw.html")]
struct ConfirmPage {
    lang: Lang,
    switch_url: String,
    who: String,
    csrf: String,
    expiry: Expiry,
    is_admin: bool,
    heading: String,
    revision: i32,
    edit_url: String,
}

#[get("/admin/kunngjoringer/{id}/trekk-tilbake")]
pub async fn confirm_page(
    session: EditorSession,
    state: web::Data<App>,
    id: web::Path<String>,
    lang: EditorLang,
) -> HttpResponse {
    let notice = match find_for(&state, &session.token, &id).await {
        Ok(notice) => notice,
        Err(e) => return not_yours(e, lang.lang),
    };
    let edit_url = format!("/admin/kunngjoringer/{}", notice.id);
    if notice.state == State::Withdrawn {
        return see_other(&edit_url);
    }
    let page = ConfirmPage {
        lang: lang.lang,
        switch_url: lang.switch_url(),
        who: who(&session, lang.lang),
        csrf: session.csrf.clone(),
        expiry: session.expiry(state.clock.now(), lang.lang),
        is_admin: session.is_admin(),
        heading: lang
            .lang
            .t_with("withdraw-confirm-heading", &[("title", notice.title)]),
        revision: notice.revision,
        edit_url,
    };
    html(StatusCode::OK, &page)
}

#[post("/admin/kunngjoringer/{id}/trekk-tilbake")]
pub async fn withdraw(
    session: EditorSession,
    state: web::Data<App>,
    id: web::Path<String>,
    lang: EditorLang,
    body: web::Bytes,
) -> HttpResponse {
    let lang = lang.lang;
    let pairs = pairs(&body);
    if !session.verify(field(&pairs, "csrf")) {
        return forbidden_form(lang);
    }
    let expected = field(&pairs, "revision").and_then(|r| r.parse().ok());
    match withdraw_notice(&state, &session.token, &id, expected).await {
        Ok(_) => see_other("/admin?ferdig=trukket"),
        Err(WriteError::Stale) => crate::pages::message(
            lang,
            StatusCode::CONFLICT,
            "withdraw-stale-heading",
            "withdraw-stale-text",
        ),
        Err(e) => not_yours(e, lang),
    }
}
