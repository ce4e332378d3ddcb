//! One rendered answer: its body, its validators, and its compressed forms.

use std::io::Write;
use std::sync::OnceLock;

use actix_web::web::Bytes;
use chrono::{DateTime, Utc};

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
    // A std `OnceLock` rather than an async once cell: it is filled on the
    // blocking pool, so a waiter blocks a blocking-pool thread, never an async
    // worker, and a request that goes away mid-compression cannot abandon it.
    gzip: OnceLock<Bytes>,
    brotli: OnceLock<Bytes>,
    #[cfg(test)]
    pub(super) compressions: std::sync::atomic::AtomicUsize,
}

/// A content coding Tavla serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// Its `Content-Encoding` token; `None` for the identity.
    pub fn token(self) -> Option<&'static str> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some("gzip"),
            Encoding::Brotli => Some("br"),
        }
    }
}

/// What an entry costs beyond its bytes (the struct, the ETag, the map's node),
/// so that a flood of tiny answers is bounded too.
const ENTRY_OVERHEAD: usize = 256;

impl Representation {
    pub fn new(
        body: impl Into<Bytes>,
        content_type: &'static str,
        last_modified: DateTime<Utc>,
        version: i64,
        valid_until: Option<DateTime<Utc>>,
    ) -> Self {
        let body = body.into();
        let etag = etag_of(&body);
        Self {
            body,
            content_type,
            etag,
            last_modified,
            version,
            valid_until,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
            #[cfg(test)]
            compressions: Default::default(),
        }
    }

    /// Whether it may answer a request that knows content `version` at `now`.
    /// A newer version than the request knows is as good: it was rendered later.
    pub fn is_fresh(&self, version: i64, now: DateTime<Utc>) -> bool {
        self.version >= version && self.valid_until.is_none_or(|until| now < until)
    }

    fn form(&self, encoding: Encoding) -> Option<&OnceLock<Bytes>> {
        match encoding {
            Encoding::Identity => None,
            Encoding::Gzip => Some(&self.gzip),
            Encoding::Brotli => Some(&self.brotli),
        }
    }

    /// The body in `encoding` if it needs no work: the identity, or a form
    /// already compressed.
    pub fn encoded_if_made(&self, encoding: Encoding) -> Option<Bytes> {
        match self.form(encoding) {
            None => Some(self.body.clone()),
            Some(form) => form.get().cloned(),
        }
    }

    /// The body in `encoding`, compressing it if no one has yet, and whether
    /// this call did. Blocking: call it on the blocking pool. Concurrent callers
    /// wait for the one compressing, so each form is made once.
    pub fn encode(&self, encoding: Encoding) -> (Bytes, bool) {
        let Some(form) = self.form(encoding) else {
            return (self.body.clone(), false);
        };
        let mut made = false;
        let bytes = form.get_or_init(|| {
            made = true;
            #[cfg(test)]
            self.compressions
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            compress(encoding, &self.body)
        });
        (bytes.clone(), made)
    }

    /// The bytes it holds, compressed forms included, plus its overhead.
    pub fn weight(&self) -> usize {
        ENTRY_OVERHEAD
            + self.etag.len()
            + self.body.len()
            + self.gzip.get().map_or(0, Bytes::len)
            + self.brotli.get().map_or(0, Bytes::len)
    }
}

/// The strongest settings: each form is made once and served many times.
fn compress(encoding: Encoding, body: &[u8]) -> Bytes {
    let mut out = Vec::new();
    match encoding {
        Encoding::Identity => out.extend_from_slice(body),
        Encoding::Gzip => {
            let mut encoder = flate2::write::GzEncoder::new(out, flate2::Compression::best());
            encoder.write_all(body).expect("writing to memory");
            out = encoder.finish().expect("writing to memory");
        }
        Encoding::Brotli => {
            let params = brotli::enc::BrotliEncoderParams {
                quality: 9,
                ..Default::default()
            };
            brotli::BrotliCompress(&mut &body[..], &mut out, &params).expect("writing to memory");
        }
    }
    out.into()
}

/// A strong ETag for `body`: its 128-bit XXH3, quoted. A validator needs
/// no secret and no resistance to a crafted body (only editors write what
/// answers hold), so a hash that reads gigabytes a second will do; SHA-256
/// cost a search's page of 20 notices about 20 µs.
fn etag_of(body: &[u8]) -> String {
    format!("\"{:032x}\"", xxhash_rust::xxh3::xxh3_128(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::sync::atomic::Ordering;
    use std::sync::Arc;

    #[test]
    fn the_etag_is_the_body_s_alone_and_changes_with_any_byte() {
        let made =
            |body: &str| Representation::new(body.to_owned(), "text/plain", Utc::now(), 1, None);
        let a = made("Frist: 1. mars – «søk nå»");
        assert_eq!(a.etag, made("Frist: 1. mars – «søk nå»").etag);
        assert_ne!(a.etag, made("Frist: 2. mars – «søk nå»").etag);
        assert_ne!(a.etag, made("Frist: 1. mars – «søk nå» ").etag);
        let inner = a.etag.strip_prefix('"').and_then(|e| e.strip_suffix('"'));
        assert!(inner.is_some_and(|e| e.len() == 32 && e.bytes().all(|b| b.is_ascii_hexdigit())));
    }

    #[test]
    fn every_form_decodes_to_the_body_and_is_made_once() {
        let body = "<item>Tilskudd til æøå</item>".repeat(500);
        let r = Arc::new(Representation::new(
            body.clone(),
            "application/rss+xml",
            Utc::now(),
            1,
            None,
        ));
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let r = r.clone();
                let encoding = [Encoding::Gzip, Encoding::Brotli][i % 2];
                std::thread::spawn(move || r.encode(encoding))
            })
            .collect();
        let results: Vec<(Bytes, bool)> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(r.compressions.load(Ordering::Relaxed), 2, "one per form");
        assert_eq!(results.iter().filter(|(_, made)| *made).count(), 2);

        let gzip = r.encoded_if_made(Encoding::Gzip).unwrap();
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_string(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped, body);
        let brotli = r.encoded_if_made(Encoding::Brotli).unwrap();
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut &brotli[..], &mut decoded).unwrap();
        assert_eq!(decoded, body.as_bytes());
        for (i, (bytes, _)) in results.iter().enumerate() {
            let same = if i % 2 == 0 { &gzip } else { &brotli };
            assert_eq!(bytes.as_ptr(), same.as_ptr(), "the one kept copy");
        }
        assert_eq!(
            r.weight(),
            ENTRY_OVERHEAD + r.etag.len() + body.len() + gzip.len() + brotli.len()
        );
    }
}
