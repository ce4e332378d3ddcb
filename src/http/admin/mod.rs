//! The admin API: every route takes a `Caller`, so none runs without a valid token.

pub mod audit;
pub mod auth;
pub mod body;
pub mod notices;
pub mod sources;
pub mod tokens;
pub mod webhook_views;
pub mod webhooks;
pub mod writes;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(notices::create)
        .service(notices::list)
        .service(notices::revision_list)
        .service(notices::get)
        .service(notices::update)
        .service(notices::withdraw)
        .service(tokens::create)
        .service(tokens::list)
        .service(tokens::revoke)
        .service(webhooks::create)
        .service(webhooks::list)
        .service(webhooks::get)
        .service(webhooks::update)
        .service(webhooks::remove)
        .service(webhooks::rotate)
        .service(webhooks::deliveries)
        .service(webhooks::redeliver)
        .service(sources::create)
        .service(sources::list)
        .service(sources::get)
        .service(sources::update)
        .service(sources::remove)
        .service(sources::fetch)
        .service(audit::list);
}
