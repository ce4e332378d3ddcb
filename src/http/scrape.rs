//! The metrics listener (`TAVLA_METRICS_BIND`): `GET /metrics` and nothing
//! else, on a port of its own, so that what operators scrape is never
//! served on the public one.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{web, App, HttpResponse, HttpServer};

use super::AppState;
use crate::metrics::{Snapshot, CONTENT_TYPE};

/// How long a scrape waits for each reading of the database.
const READ_LIMIT: std::time::Duration = std::time::Duration::from_secs(3);

/// One worker is plenty for a scraper or two.
pub fn serve(listener: TcpListener, state: web::Data<AppState>) -> std::io::Result<Server> {
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .route("/metrics", web::get().to(scrape))
    })
    .workers(1)
    // Stopped after the public port's drain: a scrape under way is not
    // worth holding the process for.
    .shutdown_timeout(1)
    .disable_signals()
    .listen(listener)?
    .run())
}

/// Every metric, with the states read now. A backlog the database does not
/// give is left out (and `tavla_outbox_readable` is 0): the rest still shows.
async fn scrape(state: web::Data<AppState>) -> HttpResponse {
    let (pool_connections, pool_idle, pool_max) = state.app.store.pool_state();
    let (cache_bytes, cache_entries) = state.representations.size().await;
    // A database that does not answer must not hold the scrape past
    // Prometheus's own timeout (10 s by default): the rest still shows.
    let outbox = match tokio::time::timeout(READ_LIMIT, state.app.outbox.backlog()).await {
        Ok(Ok(backlog)) => Some(backlog),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "the outbox's backlog could not be read for the metrics");
            None
        }
        Err(_) => {
            tracing::warn!("the outbox's backlog was not read in time for the metrics");
            None
        }
    };
    let ready = tokio::time::timeout(READ_LIMIT, state.readiness()).await;
    let snapshot = Snapshot {
        pool_connections,
        pool_idle,
        pool_max,
        cache_bytes,
        cache_entries,
        outbox,
        ready: matches!(ready, Ok(Ok(()))),
    };
    HttpResponse::Ok()
        .content_type(CONTENT_TYPE)
        .body(state.metrics.render(&snapshot))
}
