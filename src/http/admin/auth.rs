//! `Authorization: Bearer <token>`: an extractor, so no admin handler can run
//! without a valid token (checked by `app::auth`, with its brake on repeated
//! failures from one address).

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};

use crate::app::auth::{self, AuthError, Presented};
use crate::domain::token::{Role, Token};
use crate::http::problem::ApiError;
use crate::http::AppState;

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
    let presented = match header_value.as_deref().map(|value| value.split_once(' ')) {
        None => Presented::Nothing,
        Some(Some((scheme, rest))) if scheme.eq_ignore_ascii_case("bearer") => {
            Presented::Secret(rest.trim())
        }
        Some(_) => Presented::Malformed,
    };
    let client = client_address(request, &state.app.trusted_proxies);
    Ok(auth::authenticate(&state.app, client, presented).await?)
}

/// The client's address, through the proxies the app trusts.
pub fn client_address(
    request: &HttpRequest,
    trusted: &[std::net::IpAddr],
) -> Option<std::net::IpAddr> {
    let forwarded = request
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok());
    auth::client_address(request.peer_addr().map(|a| a.ip()), forwarded, trusted)
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        let unauthorized = |detail: &str, invalid_token: bool| ApiError::Unauthorized {
            detail: detail.into(),
            invalid_token,
        };
        match e {
            AuthError::Missing => unauthorized(
                "send Authorization: Bearer <token>; an admin creates tokens with `tavla token create`",
                false,
            ),
            AuthError::Malformed => {
                unauthorized("the Authorization header must be: Bearer <token>", true)
            }
            AuthError::Invalid => unauthorized("the token is not valid", true),
            AuthError::Inactive => unauthorized("the token has expired or was revoked", true),
            AuthError::TooMany(wait) => ApiError::TooManyRequests {
                retry_after_secs: wait.as_secs().max(1),
            },
            AuthError::Store(e) => e.into(),
        }
    }
}
