//! `Authorization: Bearer <token>`: an extractor, so no admin handler can run
//! without a valid token, and a brake on repeated failures from one address.

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::http::header;
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};

use crate::domain::time::now;
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
    let client = request.peer_addr().map(|a| a.ip());
    if let Some(wait) = client.and_then(|ip| state.auth_throttle.blocked_for(ip)) {
        return Err(ApiError::TooManyRequests {
            retry_after_secs: wait.as_secs().max(1),
        });
    }
    let Some(value) = request.headers().get(header::AUTHORIZATION) else {
        return Err(unauthorized(
            "send Authorization: Bearer <token>; an admin creates tokens with `tavla token create`",
            false,
        ));
    };
    let result = verify(&state, value.to_str().unwrap_or_default()).await;
    if let (Err(ApiError::Unauthorized { .. }), Some(ip)) = (&result, client) {
        state.auth_throttle.failed(ip);
    }
    result
}

async fn verify(state: &AppState, header_value: &str) -> Result<Token, ApiError> {
    let presented = match header_value.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim().to_owned(),
        _ => {
            return Err(unauthorized(
                "the Authorization header must be: Bearer <token>",
                true,
            ))
        }
    };
    let invalid = || unauthorized("the token is not valid", true);
    let id = token::id_of(&presented).ok_or_else(invalid)?;
    let found = state.store.run(move |conn| tokens::find(conn, id)).await?;
    let (token, stored) = found.ok_or_else(invalid)?;
    if !token::matches(&presented, &stored) {
        return Err(invalid());
    }
    if !token.is_active(now()) {
        return Err(unauthorized("the token has expired or was revoked", true));
    }
    Ok(token)
}

/// Counts failed authentications per client address in a fixed window; past
/// the limit, that address is refused until the window ends.
#[derive(Debug)]
pub struct AuthThrottle {
    limit: u32,
    window: Duration,
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
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
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// How long `ip` must still wait, if it is over the limit.
    pub fn blocked_for(&self, ip: IpAddr) -> Option<Duration> {
        let failures = self.failures.lock().expect("throttle lock");
        let (count, since) = failures.get(&ip)?;
        let elapsed = since.elapsed();
        (*count >= self.limit && elapsed < self.window).then(|| self.window - elapsed)
    }

    pub fn failed(&self, ip: IpAddr) {
        let mut failures = self.failures.lock().expect("throttle lock");
        if failures.len() > 10_000 {
            let window = self.window;
            failures.retain(|_, (_, since)| since.elapsed() < window);
        }
        let entry = failures.entry(ip).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= self.window {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_refused_after_the_limit_until_the_window_ends() {
        let throttle = AuthThrottle::new(3, Duration::from_millis(200));
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..2 {
            throttle.failed(ip);
        }
        assert!(throttle.blocked_for(ip).is_none());
        throttle.failed(ip);
        assert!(throttle.blocked_for(ip).unwrap() <= Duration::from_millis(200));
        assert!(throttle.blocked_for(other).is_none());
        std::thread::sleep(Duration::from_millis(210));
        assert!(throttle.blocked_for(ip).is_none());
    }
}
