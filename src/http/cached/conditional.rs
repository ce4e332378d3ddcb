//! Conditional GET and content negotiation for a representation: which coding
//! the client gets, whether its copy is current, and the response headers.

use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};

use super::representation::{Encoding, Representation};

/// The best encoding the client accepts: brotli, then gzip, then none.
pub fn negotiate(request: &HttpRequest) -> Encoding {
    let Some(accept) = request
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return Encoding::Identity;
    };
    let accepts = |name: &str| {
        accept.split(',').any(|part| {
            let mut pieces = part.split(';');
            let coding = pieces.next().unwrap_or_default().trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            coding.eq_ignore_ascii_case(name) && q > 0.0
        })
    };
    if accepts("br") {
        Encoding::Brotli
    } else if accepts("gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// The ETag of one encoded form: each content coding is its own representation.
fn etag_for(representation: &Representation, encoding: Encoding) -> String {
    match encoding.token() {
        None => representation.etag.clone(),
        Some(token) => format!(
            "{}-{token}\"",
            &representation.etag[..representation.etag.len() - 1]
        ),
    }
}

/// Whether `If-None-Match` names this representation in any of its codings.
fn none_match(request: &HttpRequest, representation: &Representation) -> Option<bool> {
    let value = request
        .headers()
        .get(header::IF_NONE_MATCH)?
        .to_str()
        .ok()?;
    let base = representation.etag.trim_end_matches('"');
    Some(value.split(',').map(str::trim).any(|tag| {
        let tag = tag.strip_prefix("W/").unwrap_or(tag);
        tag == "*"
            || tag == representation.etag
            || ["-gzip\"", "-br\""]
                .iter()
                .any(|s| tag.strip_prefix(base) == Some(*s))
    }))
}

fn not_modified_since(request: &HttpRequest, representation: &Representation) -> bool {
    request
        .headers()
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| DateTime::parse_from_rfc2822(v).ok())
        .is_some_and(|since| representation.last_modified.timestamp() <= since.timestamp())
}

/// Whether the client's copy is current, so it gets a `304`.
/// `If-None-Match` decides when both validators are sent.
pub fn is_unchanged(request: &HttpRequest, representation: &Representation) -> bool {
    match none_match(request, representation) {
        Some(matched) => matched,
        None => not_modified_since(request, representation),
    }
}

/// The response for a representation: `304` without `body`, else `body`,
/// which is the representation in `encoding`.
pub fn respond(
    representation: &Representation,
    encoding: Encoding,
    body: Option<Bytes>,
    max_age: u64,
    now: DateTime<Utc>,
) -> HttpResponse {
    // A downstream cache must not keep it past the instant it changes by itself.
    let max_age = match representation.valid_until {
        Some(until) => max_age.min((until - now).num_seconds().max(0) as u64),
        None => max_age,
    };
    let mut response = match body {
        None => HttpResponse::NotModified(),
        Some(_) => HttpResponse::Ok(),
    };
    response
        .insert_header((header::ETAG, etag_for(representation, encoding)))
        .insert_header((
            header::LAST_MODIFIED,
            representation
                .last_modified
                .format("%a, %d %b %Y %H:%M:%S GMT")
                .to_string(),
        ))
        .insert_header((header::CACHE_CONTROL, format!("public, max-age={max_age}")))
        .insert_header((header::VARY, HeaderValue::from_static("Accept-Encoding")));
    let Some(body) = body else {
        return response.finish();
    };
    if let Some(token) = encoding.token() {
        response.insert_header((header::CONTENT_ENCODING, token));
    }
    response
        .insert_header((header::CONTENT_TYPE, representation.content_type))
        .body(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn representation() -> Representation {
        Representation::new(
            "<rss/>".repeat(100),
            "application/rss+xml",
            Utc::now(),
            3,
            None,
        )
    }

    #[test]
    fn encodings_are_negotiated_by_preference_and_q() {
        let with = |accept: &str| {
            negotiate(
                &TestRequest::default()
                    .insert_header(("accept-encoding", accept))
                    .to_http_request(),
            )
        };
        assert_eq!(with("gzip, deflate, br"), Encoding::Brotli);
        assert_eq!(with("gzip"), Encoding::Gzip);
        assert_eq!(with("br;q=0, gzip;q=0.5"), Encoding::Gzip);
        assert_eq!(with("deflate"), Encoding::Identity);
        assert_eq!(
            negotiate(&TestRequest::default().to_http_request()),
            Encoding::Identity
        );
    }

    #[test]
    fn every_coding_has_its_own_etag_and_any_of_them_matches() {
        let r = representation();
        let gzip = etag_for(&r, Encoding::Gzip);
        assert_ne!(gzip, r.etag);
        assert!(gzip.ends_with("-gzip\""));
        for tag in [
            r.etag.clone(),
            gzip,
            format!("W/{}", r.etag),
            "\"other\", *".into(),
        ] {
            let request = TestRequest::default()
                .insert_header(("if-none-match", tag.as_str()))
                .to_http_request();
            assert_eq!(none_match(&request, &r), Some(true), "{tag}");
        }
        let other = TestRequest::default()
            .insert_header(("if-none-match", "\"other\""))
            .to_http_request();
        assert_eq!(none_match(&other, &r), Some(false));
    }
}
