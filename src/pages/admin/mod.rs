//! The editors' pages at `/admin`: sign in with a token, then list, create,
//! preview, correct, schedule, cancel and withdraw notices; admins also keep
//! the webhooks. Every write goes through the same functions as the admin API.

mod edit;
mod fields;
mod form;
mod form_page;
mod language;
mod list;
mod session;
mod sign_in;
mod sources;
mod webhooks;
mod withdraw;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};

use crate::domain::Role;
use crate::i18n::Lang;
use session::{EditorSession, SignInRequired};

/// An editor page: never kept by a browser or proxy, for it carries the
/// session's CSRF token and unpublished drafts.
fn html(status: StatusCode, page: &impl askama::Template) -> HttpResponse {
    let mut response = crate::pages::html(status, page);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-store"),
    );
    response
}

/// The most a form may send.
pub(super) const MAX_FORM_BYTES: usize = 256 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(language::choose)
        .service(list::list)
        .service(sign_in::sign_in_page)
        .service(
            // A sign-in may carry a form kept from an ended session, which
            // its encoding makes up to three times as long.
            web::resource("/admin/logg-inn")
                .guard(actix_web::guard::Post())
                .app_data(web::PayloadConfig::new(4 * MAX_FORM_BYTES))
                .route(web::post().to(sign_in::sign_in)),
        )
        .service(sign_in::sign_out)
        .service(edit::new_page)
        .service(edit::create)
        .service(edit::edit_page)
        .service(edit::update)
        .service(withdraw::confirm_page)
        .service(withdraw::withdraw)
        .service(session::extend)
        .service(sources::list)
        .service(sources::fetch)
        .configure(webhooks::configure);
}

fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_owned()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

fn pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn forbidden_form(lang: Lang) -> HttpResponse {
    super::message(
        lang,
        StatusCode::FORBIDDEN,
        "form-expired-heading",
        "form-expired-text",
    )
}

fn who(session: &EditorSession, lang: Lang) -> String {
    let token = &session.token;
    match token.role {
        Role::Admin => format!("{} ({})", token.name, lang.t("editor-administrator")),
        Role::Editor => format!("{} ({})", token.name, token.areas.join(", ")),
    }
}

impl From<SignInRequired> for HttpResponse {
    fn from(_: SignInRequired) -> Self {
        see_other("/admin/logg-inn")
    }
}
