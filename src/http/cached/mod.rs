//! Public representations served from memory, with conditional GET and
//! pre-compressed variants.
//!
//! Each representation (a request URL: path, filters, format) is rendered once
//! per change of content (the content version) or of time-dependent state (its
//! `valid_until`), and kept with its strong ETag, its Last-Modified, and its
//! gzip and brotli forms, each compressed once on first demand, off the async
//! workers. What is kept is bounded in bytes (`TAVLA_CACHE_BYTES`).

mod cache;
mod conditional;
mod representation;
mod timelines;

use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};

pub use cache::{RepresentationCache, DEFAULT_CACHE_BYTES};
pub use representation::Representation;

use crate::http::problem::ApiError;

/// The path and query exactly as requested: the cache key and `self` link.
pub fn request_target(request: &HttpRequest) -> String {
    match request.query_string() {
        "" => request.path().to_owned(),
        query => format!("{}?{}", request.path(), query),
    }
}

/// A body and its media type.
pub type Rendered = (Vec<u8>, &'static str);

/// Serves the request's representation from memory while it is current; else
/// renders it with `render` (on the blocking pool, with a connection) and keeps it.
/// `kinds` bound which notices can change it (`_areas` too, though the
/// validity is taken over every area, which is safe and needs no scan).
pub async fn serve<F>(
    state: &crate::http::AppState,
    request: &HttpRequest,
    kinds: Vec<crate::domain::Kind>,
    _areas: Vec<String>,
    render: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(
            &mut crate::store::DbConnection,
            DateTime<Utc>,
        ) -> crate::store::StoreResult<Result<Rendered, ApiError>>
        + Send
        + 'static,
{
    let key = request_target(request);
    let now = state.app.clock.now();
    // Read before rendering: a write in between makes the entry stale, never wrongly fresh.
    let version = state.app.version.get();
    let store = state.app.store.clone();
    let timelines = state.representations.timelines();
    let representation = state
        .representations
        .get_or_render(&key, version, now, || async move {
            store
                .run(move |conn| {
                    let rendered = render(conn, now)?;
                    let timeline = match timelines.get(&kinds, version, now) {
                        Some(timeline) => timeline,
                        None => {
                            let timeline = crate::store::listing::timeline(conn, &kinds, now)?;
                            timelines.keep(&kinds, version, now, timeline);
                            timeline
                        }
                    };
                    // Hashed here, on the blocking pool, not on an async worker.
                    Ok(rendered.map(|(body, content_type)| {
                        Representation::new(
                            body,
                            content_type,
                            timeline.last_change.unwrap_or(DateTime::UNIX_EPOCH),
                            version,
                            timeline.next_change,
                        )
                    }))
                })
                .await?
        })
        .await?;
    let wanted = conditional::negotiate(request);
    let (encoding, body) = match conditional::is_unchanged(request, &representation) {
        true => (wanted, None),
        false => {
            let (encoding, body) = state
                .representations
                .encoded(&key, &representation, wanted)
                .await;
            (encoding, Some(body))
        }
    };
    Ok(conditional::respond(
        &representation,
        encoding,
        body,
        state.cache_max_age,
        now,
    ))
}
