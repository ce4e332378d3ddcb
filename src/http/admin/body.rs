//! Request bodies: the content type checked, the size bounded, the JSON parsed.

use actix_web::http::header;
use actix_web::web::{self, BytesMut};
use actix_web::HttpRequest;
use futures_util::StreamExt;
use serde_json::Value;

use crate::http::problem::ApiError;

/// The largest body an admin request may have: far above any real notice
/// (a 50 000-character body in UTF-8 is at most 200 000 bytes).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

pub const JSON: &str = "application/json";
pub const MERGE_PATCH: &str = "application/merge-patch+json";

/// The body as JSON, if its content type is one of `accepted`.
pub async fn json(
    request: &HttpRequest,
    mut payload: web::Payload,
    accepted: &[&str],
) -> Result<Value, ApiError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
    match content_type {
        Some(ct) if accepted.contains(&ct.as_str()) => {}
        other => {
            return Err(ApiError::UnsupportedMediaType(format!(
                "send the body as {} (got {})",
                accepted.join(" or "),
                other.as_deref().unwrap_or("no Content-Type")
            )))
        }
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(ApiError::PayloadTooLarge(MAX_BODY_BYTES));
    }
    let mut bytes = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::BadRequest(format!("the body could not be read: {e}")))?;
        if bytes.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(ApiError::PayloadTooLarge(MAX_BODY_BYTES));
        }
        bytes.extend_from_slice(&chunk);
    }
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::BadRequest(format!("the body is not valid JSON: {e}")))
}
