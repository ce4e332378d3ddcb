//! `Authorization: Bearer <token>`: an extractor, so no admin handler can run
//! without a valid token, and a brake on repeated failures from one address.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::time::{Duration, Instant};

use actix_web::http::header;
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};

use crate::domain::token::{self, Role, Token};
use crate::http::problem::ApiError;
use crate::http::AppState;
use crate::store::tokens;

/// The token a request was made with: valid, active, and not yet revoked.
pub struct Caller(pub Token);

impl Caller {
    /// Only an admin token passes.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        match self.0.role {
            Role::Admin => Ok(()),
            Role::Editor => Err(ApiError::Forbidden(
                "only an admin token may do this".into(),
            )),
        }
    }
}

fn unauthorized(detail: &str, invalid_token: bool) -> ApiError {
    ApiError::Unauthorized {
        detail: detail.into(),
        invalid_token,
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move { authenticate(&request).await.map(Caller) })
    }
}

async fn authenticate(request: &HttpRequest) -> Result<Token, ApiError> {
    let state = request
        .app_data::<web::Data<AppState>>()
        .expect("AppState is configured")
        .clone();
    let header_value = request
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or_default().to_owned());
    let presented = header_value
        .as_deref()
        .map(|value| match value.split_once(' ') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => Some(rest.trim()),
            _ => None,
        });
    match presented {
        None => check(&state, request, None).await,
        Some(None) => {
            let malformed = unauthorized("the Authorization header must be: Bearer <token>", true);
            check(&state, request, Some(Err(malformed))).await
        }
        Some(Some(secret)) => check(&state, request, Some(Ok(secret))).await,
    }
}

/// Checks a presented secret (`None`: nothing presented) for the client of
/// `request`, counting failures against its address: the one check for the
/// API's bearer tokens and the editor pages' sign-in.
pub async fn check(
    state: &AppState,
    request: &HttpRequest,
    presented: Option<Result<&str, ApiError>>,
) -> Result<Token, ApiError> {
    let client = client_address(request, &state.trusted_proxies);
    let blocked = client.and_then(|ip| state.auth_throttle.blocked_for(ip, Instant::now()));
    let result = match presented {
        None => {
            return Err(match blocked {
                Some(wait) => too_many(wait),
                None => unauthorized(
                    "send Authorization: Bearer <token>; an admin creates tokens with `tavla token create`",
                    false,
                ),
            })
        }
        Some(Err(malformed)) => Err(malformed),
        Some(Ok(secret)) => verify(state, secret).await,
    };
    match (result, client) {
        // A valid token always passes: the brake is for guesses, not for editors
        // who share an address with someone guessing.
        (Ok(token), _) => Ok(token),
        (Err(e @ ApiError::Unauthorized { .. }), Some(ip)) => {
            state.auth_throttle.failed(ip, Instant::now());
            Err(blocked.map(too_many).unwrap_or(e))
        }
        (Err(e), _) => Err(e),
    }
}

fn too_many(wait: Duration) -> ApiError {
    ApiError::TooManyRequests {
        retry_after_secs: wait.as_secs().max(1),
    }
}

/// The client's address: the peer's, or, when the peer is a trusted proxy,
/// the nearest address in `X-Forwarded-For` that is not one.
pub fn client_address(request: &HttpRequest, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = request.peer_addr()?.ip();
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded = request
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
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

async fn verify(state: &AppState, presented: &str) -> Result<Token, ApiError> {
    let presented = presented.to_owned();
    let invalid = || unauthorized("the token is not valid", true);
    let id = token::id_of(&presented).ok_or_else(invalid)?;
    let found = state
        .app
        .store
        .run(move |conn| tokens::find(conn, id))
        .await?;
    let (token, stored) = found.ok_or_else(invalid)?;
    if !token::matches(&presented, &stored) {
        return Err(invalid());
    }
    if !token.is_active(state.app.clock.now()) {
        return Err(unauthorized("the token has expired or was revoked", true));
    }
    Ok(token)
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
        use actix_web::test::TestRequest;
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let request = |peer: &str, forwarded: &str| {
            TestRequest::default()
                .peer_addr(format!("{peer}:443").parse().unwrap())
                .insert_header(("x-forwarded-for", forwarded))
                .to_http_request()
        };
        let via_proxy = request("10.0.0.5", "198.51.100.7, 203.0.113.9");
        assert_eq!(
            client_address(&via_proxy, &[proxy]),
            Some("203.0.113.9".parse().unwrap())
        );
        let direct = request("203.0.113.1", "198.51.100.7");
        assert_eq!(
            client_address(&direct, &[proxy]),
            Some("203.0.113.1".parse().unwrap()),
            "only trusted peers may forward"
        );
        assert_eq!(client_address(&via_proxy, &[]), Some(proxy));
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
