//! Public representations served from memory, with conditional GET and
//! pre-compressed variants.
//!
//! Each representation (a request URL: path, filters, format) is rendered once
//! per change of content (the content version) or of time-dependent state (its
//! `valid_until`), and kept with its strong ETag, its Last-Modified, and its
//! gzip and brotli forms, each compressed once on first demand.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

/// One rendered representation.
#[derive(Debug)]
pub struct Representation {
    pub body: Bytes,
    pub content_type: &'static str,
    /// The strong ETag of the identity form, quoted.
    pub etag: String,
    pub last_modified: DateTime<Utc>,
    /// The content version it was rendered from.
    pub version: i64,
    /// When time alone would change it; `None`: only a write changes it.
    pub valid_until: Option<DateTime<Utc>>,
    gzip: OnceLock<Bytes>,
    brotli: OnceLock<Bytes>,
}

impl Representation {
    pub fn new(
        body: impl Into<Bytes>,
        content_type: &'static str,
        last_modified: DateTime<Utc>,
        version: i64,
        valid_until: Option<DateTime<Utc>>,
    ) -> Self {
        let body = body.into();
        let digest = Sha256::digest(&body);
        let etag = format!("\"{}\"", hex(&digest[..12]));
        Self {
            body,
            content_type,
            etag,
            last_modified,
            version,
            valid_until,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
        }
    }

    fn is_fresh(&self, version: i64, now: DateTime<Utc>) -> bool {
        self.version == version && self.valid_until.is_none_or(|until| now < until)
    }

    fn encoded(&self, encoding: Encoding) -> Bytes {
        match encoding {
            Encoding::Identity => self.body.clone(),
            Encoding::Gzip => self
                .gzip
                .get_or_init(|| {
                    let mut encoder =
                        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
                    encoder.write_all(&self.body).expect("writing to memory");
                    encoder.finish().expect("writing to memory").into()
                })
                .clone(),
            Encoding::Brotli => self
                .brotli
                .get_or_init(|| {
                    let mut out = Vec::new();
                    let params = brotli::enc::BrotliEncoderParams {
                        quality: 9,
                        ..Default::default()
                    };
                    brotli::BrotliCompress(&mut &self.body[..], &mut out, &params)
                        .expect("writing to memory");
                    out.into()
                })
                .clone(),
        }
    }

    fn size(&self) -> usize {
        self.body.len()
            + self.gzip.get().map_or(0, Bytes::len)
            + self.brotli.get().map_or(0, Bytes::len)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Representations by request URL, bounded in count and bytes.
#[derive(Debug, Default)]
pub struct RepresentationCache {
    entries: Mutex<HashMap<String, Arc<Representation>>>,
}

const MAX_ENTRIES: usize = 2048;
const MAX_BYTES: usize = 64 * 1024 * 1024;

impl RepresentationCache {
    pub fn get(&self, key: &str, version: i64, now: DateTime<Utc>) -> Option<Arc<Representation>> {
        let entries = self.entries.lock().expect("cache lock");
        entries
            .get(key)
            .filter(|r| r.is_fresh(version, now))
            .cloned()
    }

    /// Keeps `representation`; past the bounds, the cache starts afresh.
    pub fn put(&self, key: String, representation: Representation) -> Arc<Representation> {
        let representation = Arc::new(representation);
        let mut entries = self.entries.lock().expect("cache lock");
        let full = entries.len() >= MAX_ENTRIES
            || entries.values().map(|r| r.size()).sum::<usize>() > MAX_BYTES;
        if full && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(key, representation.clone());
        representation
    }

    /// The keys currently held, e.g. to learn which feed URLs are in use.
    pub fn keys(&self) -> Vec<String> {
        self.entries
            .lock()
            .expect("cache lock")
            .keys()
            .cloned()
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    fn token(self) -> Option<&'static str> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some("gzip"),
            Encoding::Brotli => Some("br"),
        }
    }
}

/// The best encoding the client accepts: brotli, then gzip, then none.
fn negotiate(request: &HttpRequest) -> Encoding {
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

/// The response for a representation: `304` when the client's copy is current,
/// else the body in the best encoding the client accepts.
pub fn respond(
    request: &HttpRequest,
    representation: &Representation,
    max_age: u64,
    now: DateTime<Utc>,
) -> HttpResponse {
    let encoding = negotiate(request);
    // A downstream cache must not keep it past the instant it changes by itself.
    let max_age = match representation.valid_until {
        Some(until) => max_age.min((until - now).num_seconds().max(0) as u64),
        None => max_age,
    };
    let unchanged = match none_match(request, representation) {
        Some(matched) => matched,
        None => not_modified_since(request, representation),
    };
    let mut response = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
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
    if unchanged {
        return response.finish();
    }
    if let Some(token) = encoding.token() {
        response.insert_header((header::CONTENT_ENCODING, token));
    }
    response
        .insert_header((header::CONTENT_TYPE, representation.content_type))
        .body(representation.encoded(encoding))
}

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
) -> Result<HttpResponse, crate::http::problem::ApiError>
where
    F: FnOnce(
            &mut crate::store::DbConnection,
            DateTime<Utc>,
        )
            -> crate::store::StoreResult<Result<Rendered, crate::http::problem::ApiError>>
        + Send
        + 'static,
{
    let key = request_target(request);
    let now = crate::domain::time::now();
    // Read before rendering: a write in between makes the entry stale, never wrongly fresh.
    let version = state.version.get();
    if let Some(hit) = state.representations.get(&key, version, now) {
        return Ok(respond(request, &hit, state.cache_max_age, now));
    }
    let (rendered, timeline) = state
        .store
        .run(move |conn| {
            let rendered = render(conn, now)?;
            let timeline = crate::store::listing::timeline(conn, &kinds, now)?;
            Ok((rendered, timeline))
        })
        .await?;
    let (body, content_type) = rendered?;
    let representation = Representation::new(
        body,
        content_type,
        timeline.last_change.unwrap_or(DateTime::UNIX_EPOCH),
        version,
        timeline.next_change,
    );
    let representation = state.representations.put(key, representation);
    Ok(respond(request, &representation, state.cache_max_age, now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;
    use chrono::Duration;

    fn representation(valid_until: Option<DateTime<Utc>>) -> Representation {
        Representation::new(
            "<rss/>".repeat(100),
            "application/rss+xml",
            Utc::now(),
            3,
            valid_until,
        )
    }

    #[test]
    fn an_entry_is_stale_after_a_write_or_its_time() {
        let cache = RepresentationCache::default();
        let now = Utc::now();
        cache.put(
            "/feed.rss".into(),
            representation(Some(now + Duration::seconds(5))),
        );
        assert!(cache.get("/feed.rss", 3, now).is_some());
        assert!(cache.get("/feed.rss", 4, now).is_none(), "a newer version");
        assert!(
            cache
                .get("/feed.rss", 3, now + Duration::seconds(5))
                .is_none(),
            "time passed"
        );
        assert!(
            cache.get("/feed.rss?kind=news", 3, now).is_none(),
            "another filter"
        );
    }

    #[test]
    fn the_cache_is_bounded() {
        let cache = RepresentationCache::default();
        for i in 0..=MAX_ENTRIES {
            cache.put(format!("/feed.rss?{i}"), representation(None));
        }
        assert!(cache.keys().len() <= MAX_ENTRIES);
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
        let r = representation(None);
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
