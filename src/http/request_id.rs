//! Request ids: each request is known by the `X-Request-Id` it came with,
//! when that is well formed (a proxy's or a client's), or else by one made
//! here. It is returned on every response, written in the access log, and
//! given in every problem+json answer, so a user's report can be found in
//! the logs.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use uuid::Uuid;

/// The header, in both directions.
pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");
/// The longest id taken from a request.
const MAX_LENGTH: usize = 128;

tokio::task_local! {
    /// The id of the request being answered.
    static CURRENT: String;
}

/// The id of the request being answered, when there is one.
pub fn current() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

/// Whether an id sent by a client can be used as it is: 1 to 128 ASCII
/// letters, digits and `-_.:`, nothing a log line could be forged with, nor
/// an e-mail address that would then be logged.
fn well_formed(id: &str) -> bool {
    (1..=MAX_LENGTH).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

/// Names the request (from its header, or anew), answers it with that name
/// known to everything that runs for it, and returns the name in the header.
pub async fn assign(
    mut request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let sent = request
        .headers()
        .get(&HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|id| well_formed(id))
        .map(str::to_owned);
    let id = sent.unwrap_or_else(|| Uuid::new_v4().to_string());
    let value = HeaderValue::from_str(&id).expect("a well-formed id is a header value");
    // The access log reads the request's header: it holds the id in use.
    request.headers_mut().insert(HEADER, value.clone());
    let mut response = CURRENT.scope(id, next.call(request)).await?;
    response.headers_mut().insert(HEADER, value);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_ids_are_taken_from_a_request() {
        for id in ["abc", "3f1c2d9e-8b0a-4c55-9d2e-1a2b3c4d5e6f", "lb-01:42.7"] {
            assert!(well_formed(id), "{id}");
        }
        let long = "a".repeat(MAX_LENGTH + 1);
        for id in [
            "",
            "to ord",
            "linje\nskift",
            "æøå",
            "<script>",
            "kari@kommune.no",
            long.as_str(),
        ] {
            assert!(!well_formed(id), "{id:?}");
        }
    }
}
