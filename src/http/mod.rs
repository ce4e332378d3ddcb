//! HTTP: routes, errors, and one module per resource.

pub mod access_log;
pub mod admin;
pub mod areas;
pub mod cached;
pub mod changes;
pub mod feeds;
pub mod health;
pub mod notices;
pub mod openapi;
pub mod problem;
pub mod request_id;
pub mod scrape;
pub mod subscriptions;
pub mod views;

use actix_web::http::header;
use actix_web::web;

/// What every handler shares: the application, and what HTTP adds to it.
pub struct AppState {
    pub app: crate::app::App,
    /// Public representations (feeds, JSON) kept in memory while current.
    pub representations: cached::RepresentationCache,
    /// Seconds clients and proxies may reuse a public representation.
    pub cache_max_age: u64,
    /// The WebSub hub feeds name and Tavla notifies, if configured.
    pub websub_hub: Option<String>,
    /// Set when the instance is shutting down: no longer ready.
    pub draining: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// What `/metrics` on the metrics listener shows.
    pub metrics: std::sync::Arc<crate::metrics::Metrics>,
}

impl AppState {
    /// Whether the instance takes traffic: it is not stopping, and its
    /// database answers; else why not.
    pub async fn readiness(&self) -> Result<(), &'static str> {
        if self.draining.load(std::sync::atomic::Ordering::Acquire) {
            return Err("the instance is shutting down");
        }
        self.app.store.ping().await.map_err(|e| {
            tracing::warn!(error = %e, "not ready");
            "the database does not answer"
        })
    }
}

/// Public reads are open to every origin (dashboards in a browser); writes
/// are not offered across origins.
pub fn cors() -> actix_cors::Cors {
    actix_cors::Cors::default()
        .allow_any_origin()
        .send_wildcard()
        .allowed_methods(["GET", "HEAD"])
        .allowed_headers([
            header::ACCEPT,
            header::IF_NONE_MATCH,
            header::IF_MODIFIED_SINCE,
        ])
        .expose_headers([header::ETAG, header::LAST_MODIFIED, header::RETRY_AFTER])
        .max_age(86_400)
}

/// The API's routes and the feeds'.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(notices::list)
        .service(notices::get)
        .service(areas::list)
        .service(changes::list)
        .service(subscriptions::subscribe)
        .service(subscriptions::stats)
        .configure(admin::configure)
        .configure(feeds::configure)
        .service(health::healthz)
        .service(health::readyz)
        .service(openapi::document);
}

/// A request's target as the access log shows it: the path, and the query
/// with the value of each `token` (the links in e-mails) left out, so that
/// no one who reads the logs can confirm, manage or end a subscription.
pub fn logged_target(uri: &actix_web::http::Uri) -> String {
    let Some(query) = uri.query() else {
        return uri.path().to_owned();
    };
    let query: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if name.eq_ignore_ascii_case("token") => format!("{name}=…"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{}?{}", uri.path(), query.join("&"))
}

#[cfg(test)]
mod tests {
    use super::logged_target;

    #[test]
    fn the_access_log_shows_no_link_token() {
        let uri = "/subscriptions/confirm?token=abcDEF123_-xyz&utm=x"
            .parse()
            .unwrap();
        assert_eq!(logged_target(&uri), "/subscriptions/confirm?token=…&utm=x");
        let plain = "/feed.rss?area=helsetjenester".parse().unwrap();
        assert_eq!(logged_target(&plain), "/feed.rss?area=helsetjenester");
    }
}
