//! The application: what the API and the pages share, above the store —
//! the clock, the outbox, and the use cases (`notices`), which return typed
//! errors that each face (problem+json, Norwegian pages) says its own way.

pub mod auth;
pub mod clock;
pub mod cursor;
pub mod notices;
pub mod outbox;
pub mod query;
pub mod sessions;
pub mod sources;
pub mod subscriptions;
pub mod tokens;
pub mod webhooks;

use std::sync::Arc;

pub use clock::Clock;

use crate::domain::Taxonomy;
use crate::store::version::VersionWatch;
use crate::store::Store;

/// What every use case works with.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub taxonomy: Arc<Taxonomy>,
    /// Where every "now" comes from.
    pub clock: Clock,
    /// The newest content version this instance knows of.
    pub version: Arc<VersionWatch>,
    /// Where writes' events go out from.
    pub outbox: Arc<outbox::Outbox>,
    /// Absolute, without a trailing slash: the base of every link Tavla writes.
    pub base_url: String,
    /// The brake on failed sign-ins.
    pub auth_throttle: Arc<auth::AuthThrottle>,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Webhooks may go to `http://` and private addresses.
    pub webhook_allow_private: bool,
    /// Upstream feeds may be on `http://` and private addresses.
    pub import_allow_private: bool,
    /// Fetches sources now, for an admin who asks.
    pub importer: Arc<sources::Importer>,
    /// E-mail subscriptions, when this server sends e-mail.
    pub mail: Option<Arc<MailConfig>>,
}

/// What the subscription use cases need of the e-mail settings.
#[derive(Debug)]
pub struct MailConfig {
    /// The brake on subscribe requests, per client.
    pub throttle: auth::AuthThrottle,
    /// When digests go out, in Europe/Oslo.
    pub digest_time: chrono::NaiveTime,
}

impl MailConfig {
    /// At most `subscribe_limit` subscribe requests a minute per client;
    /// digests at `digest_time`.
    pub fn new(subscribe_limit: u32, digest_time: chrono::NaiveTime) -> Self {
        Self {
            throttle: auth::AuthThrottle::new(subscribe_limit, std::time::Duration::from_secs(60)),
            digest_time,
        }
    }
}
