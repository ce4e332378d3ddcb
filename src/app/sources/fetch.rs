//! Fetching an upstream feed as a good citizen: a conditional GET with the
//! last answer's validators, a `User-Agent` that names Tavla and where it
//! runs, a timeout, a size cap, at most five redirects, and `Retry-After`
//! read when the upstream asks for a pause. Private addresses are refused
//! unless allowed, at every connection and every redirect.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{self, HeaderMap};
use reqwest::StatusCode;

use crate::domain::import::MAX_BYTES;
use crate::outbound::{literal_private, PublicOnly};

/// How long a fetch may take, from connecting to the last byte.
const TIMEOUT: Duration = Duration::from_secs(10);
/// Most redirects followed.
const REDIRECTS: usize = 5;
/// What Tavla reads, best first.
const ACCEPT: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
                      application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.1";

/// The validators of the last good answer, sent back to ask only for news.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// What an upstream answered.
#[derive(Debug)]
pub enum Answer {
    /// `304 Not Modified`: nothing new since the validators.
    NotModified,
    /// A document, at most `MAX_BYTES`, with the validators to send next time.
    Document {
        status: u16,
        body: Vec<u8>,
        validators: Validators,
    },
}

/// Why a fetch got no document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("no answer within {} seconds", TIMEOUT.as_secs())]
    Timeout,
    #[error("no connection: {0}")]
    NoConnection(String),
    #[error("the address is private, and private addresses are not allowed")]
    PrivateAddress,
    #[error("more than {REDIRECTS} redirects")]
    TooManyRedirects,
    #[error("the document is over the limit of {MAX_BYTES} bytes")]
    TooLarge,
    #[error("the upstream answered {status}")]
    Status {
        status: u16,
        /// How long it asked Tavla to wait (`Retry-After` on a 429 or 503).
        retry_after: Option<chrono::Duration>,
    },
    #[error("the request failed: {0}")]
    Failed(String),
}

impl FetchError {
    /// Stable: recorded as the source's outcome, and the admin pages key on it.
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::Timeout => "timeout",
            FetchError::NoConnection(_) => "no-connection",
            FetchError::PrivateAddress => "private-address",
            FetchError::TooManyRedirects => "too-many-redirects",
            FetchError::TooLarge => "too-large",
            FetchError::Status { .. } => "http-status",
            FetchError::Failed(_) => "request-failed",
        }
    }

    pub fn status(&self) -> Option<i32> {
        match self {
            FetchError::Status { status, .. } => Some(i32::from(*status)),
            _ => None,
        }
    }

    pub fn retry_after(&self) -> Option<chrono::Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// The HTTP client of imports.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    allow_private: bool,
}

impl Fetcher {
    /// `base_url` names this Tavla in the `User-Agent`, so an upstream's
    /// operator knows whom to ask.
    pub fn new(base_url: &str, allow_private: bool) -> Self {
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            let followed = attempt.previous().len();
            match refused_redirect(followed, attempt.url().as_str(), allow_private) {
                Some(refused) => attempt.error(refused),
                None => attempt.follow(),
            }
        });
        let mut builder = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .redirect(redirects)
            // A proxy from the environment would resolve names itself, past
            // the check of their addresses.
            .no_proxy()
            .user_agent(format!("Tavla/{} (+{base_url})", env!("CARGO_PKG_VERSION")));
        if !allow_private {
            builder = builder.dns_resolver(Arc::new(PublicOnly));
        }
        Self {
            client: builder.build().expect("a default HTTP client builds"),
            allow_private,
        }
    }

    /// One conditional GET of `url`; `now` dates a `Retry-After`.
    pub async fn get(
        &self,
        url: &str,
        validators: &Validators,
        now: DateTime<Utc>,
    ) -> Result<Answer, FetchError> {
        if !self.allow_private && literal_private(url) {
            return Err(FetchError::PrivateAddress);
        }
        let mut request = self.client.get(url).header(header::ACCEPT, ACCEPT);
        if let Some(etag) = &validators.etag {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        if let Some(modified) = &validators.last_modified {
            request = request.header(header::IF_MODIFIED_SINCE, modified);
        }
        let mut response = request.send().await.map_err(|e| described(&e))?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Answer::NotModified);
        }
        if !status.is_success() {
            let retry_after = match status {
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {
                    retry_after(response.headers(), now)
                }
                _ => None,
            };
            return Err(FetchError::Status {
                status: status.as_u16(),
                retry_after,
            });
        }
        if response
            .content_length()
            .is_some_and(|n| n > MAX_BYTES as u64)
        {
            return Err(FetchError::TooLarge);
        }
        let validators = Validators {
            etag: text(response.headers(), header::ETAG),
            last_modified: text(response.headers(), header::LAST_MODIFIED),
        };
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| described(&e))? {
            if body.len() + chunk.len() > MAX_BYTES {
                return Err(FetchError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer::Document {
            status: status.as_u16(),
            body,
            validators,
        })
    }
}

/// Why a redirect to `to` is not followed, after `requested` requests (the
/// first and the redirects followed so far): one too many, or to a private
/// address given as such (a name is checked when it is resolved).
fn refused_redirect(requested: usize, to: &str, allow_private: bool) -> Option<FetchError> {
    if requested > REDIRECTS {
        Some(FetchError::TooManyRedirects)
    } else if !allow_private && literal_private(to) {
        Some(FetchError::PrivateAddress)
    } else {
        None
    }
}

/// A header's value as text, if it is short, visible ASCII.
fn text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    let value = headers.get(name)?.to_str().ok()?;
    (value.len() <= 500).then(|| value.to_owned())
}

/// `Retry-After` as seconds, or as an HTTP date (RFC 2822's form) from `now`.
fn retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<chrono::Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u32>() {
        return Some(chrono::Duration::seconds(i64::from(seconds)));
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?;
    Some((at.with_timezone(&Utc) - now).max(chrono::Duration::zero()))
}

/// A failed request as one of the errors above, without the URL (its query
/// may hold a key).
fn described(error: &reqwest::Error) -> FetchError {
    let mut source = std::error::Error::source(error);
    let mut innermost = String::new();
    while let Some(inner) = source {
        if let Some(refused) = inner.downcast_ref::<FetchError>() {
            return refused.clone();
        }
        innermost = inner.to_string();
        source = inner.source();
    }
    if error.is_timeout() {
        FetchError::Timeout
    } else if innermost.contains("no public address") {
        FetchError::PrivateAddress
    } else if error.is_connect() {
        FetchError::NoConnection(innermost)
    } else {
        FetchError::Failed(innermost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_to_a_private_address_is_refused_unless_allowed() {
        for to in [
            "http://127.0.0.1/feed",
            "http://10.0.0.8/rss",
            "http://[fd00::1]/",
        ] {
            assert_eq!(
                refused_redirect(1, to, false),
                Some(FetchError::PrivateAddress),
                "{to}"
            );
            assert_eq!(refused_redirect(1, to, true), None, "{to}");
        }
        assert_eq!(
            refused_redirect(1, "https://www.example.no/rss", false),
            None
        );
    }

    #[test]
    fn five_redirects_are_followed_and_no_more() {
        let to = "https://www.example.no/rss";
        assert_eq!(refused_redirect(REDIRECTS, to, false), None);
        assert_eq!(
            refused_redirect(REDIRECTS + 1, to, false),
            Some(FetchError::TooManyRedirects)
        );
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_as_a_date() {
        let now = Utc::now();
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, "120".parse().unwrap());
        assert_eq!(
            retry_after(&headers, now),
            Some(chrono::Duration::seconds(120))
        );
        let later = (now + chrono::Duration::hours(3)).to_rfc2822();
        headers.insert(header::RETRY_AFTER, later.parse().unwrap());
        let wait = retry_after(&headers, now).unwrap();
        assert!(
            (wait - chrono::Duration::hours(3)).num_seconds().abs() <= 1,
            "{wait}"
        );
        headers.insert(header::RETRY_AFTER, "snart".parse().unwrap());
        assert_eq!(retry_after(&headers, now), None);
    }
}
