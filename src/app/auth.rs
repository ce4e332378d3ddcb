//! Signing in with a token: the one check for the API's bearer tokens and
//! the editor pages' sign-in, with a brake on repeated failures from one
//! address. Each face says its `AuthError` its own way.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use super::App;
use crate::domain::token::{self, Token};
use crate::store::{tokens, StoreError};

/// Why a token was not taken.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("no token was presented")]
    Missing,
    #[error("the Authorization header is not Bearer <token>")]
    Malformed,
    #[error("the token is not valid")]
    Invalid,
    #[error("the token has expired or was revoked")]
    Inactive,
    /// Too many failures from this client: wait this long.
    #[error("too many failed attempts")]
    TooMany(Duration),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a client presented.
pub enum Presented<'a> {
    Nothing,
    /// Something, but not a bearer token.
    Malformed,
    Secret(&'a str),
}

/// Checks what `client` presented, counting failures against its address.
/// A valid token always passes: the brake is for guesses, not for editors
/// who share an address with someone guessing.
pub async fn authenticate(
    app: &App,
    client: Option<IpAddr>,
    presented: Presented<'_>,
) -> Result<Token, AuthError> {
    let blocked = client.and_then(|ip| app.auth_throttle.blocked_for(ip, Instant::now()));
    let result = match presented {
        Presented::Nothing => return Err(blocked.map_or(AuthError::Missing, AuthError::TooMany)),
        Presented::Malformed => Err(AuthError::Malformed),
        Presented::Secret(secret) => verify(app, secret).await,
    };
    match (result, client) {
        (Ok(token), _) => Ok(token),
        (Err(e @ (AuthError::Malformed | AuthError::Invalid | AuthError::Inactive)), Some(ip)) => {
            app.auth_throttle.failed(ip, Instant::now());
            Err(blocked.map_or(e, AuthError::TooMany))
        }
        (Err(e), _) => Err(e),
    }
}

async fn verify(app: &App, presented: &str) -> Result<Token, AuthError> {
    let presented = presented.to_owned();
    let id = token::id_of(&presented).ok_or(AuthError::Invalid)?;
    let found = app.store.run(move |conn| tokens::find(conn, id)).await?;
    let (token, stored) = found.ok_or(AuthError::Invalid)?;
    if !token::matches(&presented, &stored) {
        return Err(AuthError::Invalid);
    }
    if !token.is_active(app.clock.now()) {
        return Err(AuthError::Inactive);
    }
    Ok(token)
}

/// The client's address: the peer's, or, when the peer is a trusted proxy,
/// the nearest address in `X-Forwarded-For` (its values, in order) that is not one.
pub fn client_address<'a>(
    peer: Option<IpAddr>,
    forwarded_for: impl Iterator<Item = &'a str>,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded = forwarded_for
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .collect::<Vec<_>>();
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|ip| !trusted.contains(ip))
            .unwrap_or(peer),
    )
}

/// Counts failed authentications per client in a fixed window; past the
/// limit, that client is refused until the window ends. An IPv6 client counts
/// by its /64, which one client can hold whole. At most `MAX_CLIENTS` are
/// remembered, the least used forgotten first, and each is forgotten when its
/// window ends, so a flood of addresses cannot grow the process.
pub struct AuthThrottle {
    limit: u32,
    window: Duration,
    failures: moka::sync::Cache<IpAddr, Failures>,
}

/// Most clients whose failures are counted at once.
const MAX_CLIENTS: u64 = 100_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    since: Instant,
}

impl Default for AuthThrottle {
    fn default() -> Self {
        Self::new(10, Duration::from_secs(60))
    }
}

impl AuthThrottle {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            failures: moka::sync::Cache::builder()
                .max_capacity(MAX_CLIENTS)
                .time_to_live(window)
                .build(),
        }
    }

    /// How long `ip` must still wait at `now`, if it is over the limit.
    pub fn blocked_for(&self, ip: IpAddr, now: Instant) -> Option<Duration> {
        let failures = self.failures.get(&client(ip))?;
        let elapsed = now.saturating_duration_since(failures.since);
        (failures.count >= self.limit && elapsed < self.window).then(|| self.window - elapsed)
    }

    /// Counts a failure of `ip` at `now`.
    pub fn failed(&self, ip: IpAddr, now: Instant) {
        let window = self.window;
        self.failures.entry(client(ip)).and_upsert_with(|old| {
            match old.map(|entry| entry.into_value()) {
                Some(old) if now.saturating_duration_since(old.since) < window => Failures {
                    count: old.count.saturating_add(1),
                    since: old.since,
                },
                _ => Failures {
                    count: 1,
                    since: now,
                },
            }
        });
    }
}

impl std::fmt::Debug for AuthThrottle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthThrottle")
            .field("limit", &self.limit)
            .field("window", &self.window)
            .field("clients", &self.failures.entry_count())
            .finish()
    }
}

/// Whom failures are counted for: an IPv4 address, or an IPv6 address's /64
/// (an IPv4 address written as IPv6 is that IPv4 address).
fn client(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(
                u128::from(v6) & !((1u128 << 64) - 1),
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behind_a_trusted_proxy_the_client_is_the_forwarded_address() {
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let forwarded = ["198.51.100.7, 203.0.113.9"];
        assert_eq!(
            client_address(Some(proxy), forwarded.into_iter(), &[proxy]),
            Some("203.0.113.9".parse().unwrap())
        );
        let direct: IpAddr = "203.0.113.1".parse().unwrap();
        assert_eq!(
            client_address(Some(direct), ["198.51.100.7"].into_iter(), &[proxy]),
            Some(direct),
            "only trusted peers may forward"
        );
        assert_eq!(
            client_address(Some(proxy), forwarded.into_iter(), &[]),
            Some(proxy)
        );
    }

    #[test]
    fn an_address_is_refused_after_the_limit_until_the_window_ends() {
        let window = Duration::from_secs(60);
        let throttle = AuthThrottle::new(3, window);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        let start = Instant::now();
        for _ in 0..2 {
            throttle.failed(ip, start);
        }
        assert!(throttle.blocked_for(ip, start).is_none());
        throttle.failed(ip, start + Duration::from_secs(1));
        let later = start + Duration::from_secs(20);
        assert_eq!(
            throttle.blocked_for(ip, later),
            Some(Duration::from_secs(40))
        );
        assert!(throttle.blocked_for(other, later).is_none());
        assert!(throttle.blocked_for(ip, start + window).is_none());
        // A new window starts afresh.
        throttle.failed(ip, start + window);
        assert!(throttle.blocked_for(ip, start + window).is_none());
    }

    #[test]
    fn an_ipv6_client_counts_by_its_64() {
        let throttle = AuthThrottle::new(2, Duration::from_secs(60));
        let now = Instant::now();
        throttle.failed("2001:db8:1:2::1".parse().unwrap(), now);
        throttle.failed("2001:db8:1:2:ffff::7".parse().unwrap(), now);
        assert!(throttle
            .blocked_for("2001:db8:1:2::abcd".parse().unwrap(), now)
            .is_some());
        assert!(throttle
            .blocked_for("2001:db8:1:3::1".parse().unwrap(), now)
            .is_none());
        throttle.failed("::ffff:192.0.2.9".parse().unwrap(), now);
        throttle.failed("192.0.2.9".parse().unwrap(), now);
        assert!(throttle
            .blocked_for("192.0.2.9".parse().unwrap(), now)
            .is_some());
    }

    #[test]
    fn a_flood_of_addresses_is_bounded() {
        let throttle = AuthThrottle::new(10, Duration::from_secs(60));
        let now = Instant::now();
        for n in 0..(MAX_CLIENTS as u32 + 50_000) {
            throttle.failed(IpAddr::V4(n.into()), now);
        }
        throttle.failures.run_pending_tasks();
        assert!(
            throttle.failures.entry_count() <= MAX_CLIENTS,
            "{} clients remembered",
            throttle.failures.entry_count()
        );
    }
}
