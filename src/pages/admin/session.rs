//! Signing in through the browser: a token is exchanged for a session whose
//! random id only an HttpOnly, SameSite=Strict cookie holds; every form
//! carries the session's CSRF token.

use std::future::Future;
use std::pin::Pin;

use crate::app::{sessions, App};
use crate::domain::{Role, Token};
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::{header, StatusCode};
use actix_web::{dev::Payload, post, web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use chrono::{DateTime, Utc};

use super::language::EditorLang;
use crate::domain::time::ZONE;
use crate::i18n::Lang;

pub const COOKIE: &str = "tavla_sesjon";
const SIGN_IN: &str = "/admin/logg-inn";

/// A signed-in editor: the token behind the session, and its CSRF token.
pub struct EditorSession {
    pub token: Token,
    pub csrf: String,
    id_hash: String,
    expires_at: DateTime<Utc>,
}

impl From<sessions::Opened> for EditorSession {
    fn from(opened: sessions::Opened) -> Self {
        Self {
            token: opened.token,
            csrf: opened.csrf,
            id_hash: opened.id_hash,
            expires_at: opened.expires_at,
        }
    }
}

/// When a session ends, as its pages warn of it: the page shows `warning`
/// five minutes before (or at once, if less is left), with a button that
/// extends the session without leaving the page.
pub struct Expiry {
    pub seconds_left: i64,
    pub warning: String,
}

impl EditorSession {
    /// Whether a form came from this session.
    pub fn verify(&self, sent: Option<&str>) -> bool {
        sent.is_some_and(|sent| {
            constant_time_eq::constant_time_eq(sent.as_bytes(), self.csrf.as_bytes())
        })
    }

    /// Whether the pages offer the admins' own (the webhooks).
    pub fn is_admin(&self) -> bool {
        self.token.role == Role::Admin
    }

    pub fn id_hash(&self) -> &str {
        &self.id_hash
    }

    pub fn expiry(&self, now: DateTime<Utc>, lang: Lang) -> Expiry {
        Expiry {
            seconds_left: (self.expires_at - now).num_seconds().max(0),
            warning: lang.t_with("session-ends", &[("time", clock_time(self.expires_at))]),
        }
    }
}

/// `18:34`, Norwegian time.
fn clock_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&ZONE).format("%H:%M").to_string()
}

#[derive(serde::Serialize)]
struct Extended {
    seconds_left: i64,
    /// What the page says now.
    message: String,
    /// What it says when the session is about to end again.
    warning: String,
}

/// Extends the session from the page's warning, without leaving the page:
/// answers what the warning then says, and renews the cookie.
#[post("/admin/okt")]
pub async fn extend(
    session: EditorSession,
    state: web::Data<App>,
    request: HttpRequest,
    lang: EditorLang,
    body: web::Bytes,
) -> HttpResponse {
    let lang = lang.lang;
    if !session.verify(super::field(&super::pairs(&body), "csrf")) {
        return super::forbidden_form(lang);
    }
    let Some(id) = request.cookie(COOKIE) else {
        return super::forbidden_form(lang);
    };
    match sessions::extend(&state, session.id_hash()).await {
        Ok(Some(until)) => {
            let mut response = HttpResponse::Ok()
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .json(Extended {
                    seconds_left: (until - state.clock.now()).num_seconds(),
                    message: lang.t_with("session-extended", &[("time", clock_time(until))]),
                    warning: lang.t_with("session-ends", &[("time", clock_time(until))]),
                });
            let _ = response.add_cookie(&cookie(id.value().to_owned(), &request, &state));
            response
        }
        Ok(None) => SignInRequired.error_response(),
        Err(e) => {
            tracing::error!(error = %e, "session not extended");
            let expiry = session.expiry(state.clock.now(), lang);
            HttpResponse::ServiceUnavailable()
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .json(Extended {
                    seconds_left: expiry.seconds_left,
                    message: lang.t("session-extend-failed"),
                    warning: expiry.warning,
                })
        }
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
            Ok(EditorSession::from(opened.ok_or(SignInRequired)?))
        })
    }
}

/// A signed-in admin: a handler that takes one runs for admins only. Anyone
/// else signed in is shown that the page is for admins (403); no one signed
/// in goes to the sign-in page.
pub struct AdminSession(pub EditorSession);

impl std::ops::Deref for AdminSession {
    type Target = EditorSession;

    fn deref(&self) -> &EditorSession {
        &self.0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AdminRequired {
    #[error("sign-in required")]
    SignIn,
    /// Signed in with an editor's token; the page says so in `0`.
    #[error("admins only")]
    NotAdmin(Lang),
}

impl ResponseError for AdminRequired {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::SignIn => StatusCode::SEE_OTHER,
            Self::NotAdmin(_) => StatusCode::FORBIDDEN,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::SignIn => SignInRequired.error_response(),
            Self::NotAdmin(lang) => crate::pages::message(
                *lang,
                StatusCode::FORBIDDEN,
                "admin-only-heading",
                "admin-only-text",
            ),
        }
    }
}

impl FromRequest for AdminSession {
    type Error = AdminRequired;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AdminRequired>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let lang = EditorLang::of(request);
        let session = EditorSession::from_request(request, payload);
        Box::pin(async move {
            let session = session.await.map_err(|_| AdminRequired::SignIn)?;
            match session.token.role {
                Role::Admin => Ok(AdminSession(session)),
                Role::Editor => Err(AdminRequired::NotAdmin(lang)),
            }
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
