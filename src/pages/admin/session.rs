//! Signing in through the browser: a token is exchanged for a session whose
//! random id only an HttpOnly, SameSite=Strict cookie holds; every form
//! carries the session's CSRF token.

use std::future::Future;
use std::pin::Pin;

use crate::app::{sessions, App};
use crate::domain::Token;
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::{header, StatusCode};
use actix_web::{dev::Payload, web, FromRequest, HttpRequest, HttpResponse, ResponseError};

pub const COOKIE: &str = "tavla_sesjon";
const SIGN_IN: &str = "/admin/logg-inn";

/// A signed-in editor: the token behind the session, and its CSRF token.
pub struct EditorSession {
    pub token: Token,
    pub csrf: String,
    id_hash: String,
}

impl EditorSession {
    /// Whether a form came from this session.
    pub fn verify(&self, sent: Option<&str>) -> bool {
        sent.is_some_and(|sent| {
            constant_time_eq::constant_time_eq(sent.as_bytes(), self.csrf.as_bytes())
        })
    }

    pub fn id_hash(&self) -> &str {
        &self.id_hash
    }
}

/// No valid session: the browser goes to the sign-in page.
#[derive(Debug, thiserror::Error)]
#[error("sign-in required")]
pub struct SignInRequired;

impl ResponseError for SignInRequired {
    fn status_code(&self) -> StatusCode {
        StatusCode::SEE_OTHER
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, SIGN_IN))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish()
    }
}

impl FromRequest for EditorSession {
    type Error = SignInRequired;
    type Future = Pin<Box<dyn Future<Output = Result<Self, SignInRequired>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = request
            .app_data::<web::Data<App>>()
            .expect("App is configured")
            .clone();
        let cookie = request.cookie(COOKIE).map(|c| c.value().to_owned());
        Box::pin(async move {
            let id = cookie.ok_or(SignInRequired)?;
            let opened = sessions::open(&state, &id).await.map_err(|e| {
                tracing::error!(error = %e, "session lookup failed");
                SignInRequired
            })?;
            let opened = opened.ok_or(SignInRequired)?;
            Ok(EditorSession {
                token: opened.token,
                csrf: opened.csrf,
                id_hash: opened.id_hash,
            })
        })
    }
}

/// The session cookie: HttpOnly, SameSite=Strict, Secure when served over HTTPS.
pub fn cookie(value: String, request: &HttpRequest, state: &App) -> Cookie<'static> {
    let secure =
        state.base_url.starts_with("https://") || request.connection_info().scheme() == "https";
    Cookie::build(COOKIE, value)
        .path("/admin")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(CookieDuration::seconds(
            crate::store::sessions::LIFETIME.num_seconds(),
        ))
        .finish()
}

/// A cookie that removes the session cookie.
pub fn removal(request: &HttpRequest, state: &App) -> Cookie<'static> {
    let mut gone = cookie(String::new(), request, state);
    gone.make_removal();
    gone
}
