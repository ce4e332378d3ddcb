//! The admins' webhook pages at `/admin/webhooker`: the list, the form that
//! adds one, each webhook's page with its recent deliveries, and what can be
//! done to it. Every change goes through `app::webhooks`, as the admin API's
//! do; a handler takes an `AdminSession`, so editors get a 403 page.

mod actions;
mod create;
mod form;
mod list;
mod page;
mod views;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::webhooks::WebhookError;
use crate::i18n::Lang;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // `/ny` before `/{id}`, which would take it too.
    cfg.service(list::list)
        .service(create::new_page)
        .service(create::create)
        .service(page::show)
        .service(actions::set_enabled)
        .service(actions::rotate)
        .service(actions::redeliver)
        .service(actions::confirm_delete)
        .service(actions::delete);
}

/// The page for a webhook or delivery that is not there, or for a fault (logged).
fn failed(error: WebhookError, lang: Lang) -> HttpResponse {
    match error {
        WebhookError::NotFound(_) | WebhookError::NoSuchDelivery { .. } => {
            crate::pages::not_found(lang)
        }
        WebhookError::Store(e) => crate::pages::store_failed(lang, e),
        WebhookError::Invalid(_) => {
            tracing::error!(error = %error, "a webhook page met invalid fields it cannot show");
            crate::pages::message(
                lang,
                StatusCode::INTERNAL_SERVER_ERROR,
                "editor-failed-heading",
                "editor-failed-text",
            )
        }
    }
}
