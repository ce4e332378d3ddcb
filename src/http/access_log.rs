//! The access log: one line per request, with its method, the route it
//! took (the template, not the path, so ids and slugs do not make every
//! line different), its target with link tokens hidden, the status, how
//! long it took and the request's id; and the same request counted in
//! the metrics, by route template and status.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

use super::logged_target;
use super::request_id::HEADER;
use super::AppState;

/// Logs the request once its answer is made.
pub async fn log(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = std::time::Instant::now();
    let method = request.method().to_string();
    let target = logged_target(request.uri());
    let request_id = request
        .headers()
        .get(&HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let response = next.call(request).await?;
    let pattern = response.request().match_pattern();
    let status = response.status().as_u16();
    let seconds = started.elapsed().as_secs_f64();
    if let Some(state) = response.request().app_data::<web::Data<AppState>>() {
        state
            .metrics
            .request(&method, pattern.as_deref(), status, seconds);
    }
    let route = pattern.unwrap_or_else(|| "(no route)".to_owned());
    let duration_ms = seconds * 1000.0;
    tracing::info!(
        target: "tavla::access",
        method,
        route,
        path = %target,
        status,
        duration_ms = (duration_ms * 10.0).round() / 10.0,
        request_id,
        "{method} {target} {status}"
    );
    Ok(response)
}
