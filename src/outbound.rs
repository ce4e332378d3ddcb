//! Requests Tavla makes to other servers (webhooks, upstream feeds): only
//! to public addresses, unless an intranet's are allowed.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use crate::domain::address::is_private;

/// How long a host name's lookup may take when a URL is registered.
const LOOKUP: Duration = Duration::from_secs(5);

/// Resolves host names keeping only public addresses: a name that pointed
/// elsewhere when it was registered cannot be turned to an address inside
/// the network later (DNS rebinding). Every connection resolves anew.
pub struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| !is_private(a.ip()))
                .collect();
            if found.is_empty() {
                let refused: Box<dyn std::error::Error + Send + Sync> =
                    format!("{host} resolves to no public address").into();
                return Err(refused);
            }
            Ok(Box::new(found.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Whether a URL's host is an IP address that is private (a host name is
/// checked by the resolver at every connection); an unreadable URL counts
/// as private.
pub fn literal_private(url: &str) -> bool {
    match url::Url::parse(url) {
        Ok(url) => crate::domain::source::literal_ip(&url).is_some_and(is_private),
        Err(_) => true,
    }
}

/// Whether the URL's host name resolves to any private address. A name
/// that does not resolve now is let through: every connection checks again.
pub async fn resolves_privately(url: &str) -> bool {
    let Ok(url) = url::Url::parse(url) else {
        return false;
    };
    let Some(url::Host::Domain(host)) = url.host().map(|h| h.to_owned()) else {
        return false;
    };
    let port = url.port_or_known_default().unwrap_or(443);
    let lookup = tokio::net::lookup_host(format!("{host}:{port}"));
    match tokio::time::timeout(LOOKUP, lookup).await {
        Ok(Ok(addresses)) => addresses.map(|a| a.ip()).any(|ip: IpAddr| is_private(ip)),
        _ => false,
    }
}
