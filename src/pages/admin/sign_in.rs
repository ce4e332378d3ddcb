//! Signing in with a token, and out again.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;

use super::html;
use super::language::EditorLang;
use super::session::{self, EditorSession};
use super::{field, forbidden_form, pairs, see_other};
use crate::app::auth::{self, AuthError, Presented};
use crate::app::sessions;
use crate::app::App;

#[derive(Template)]
#[template(path = "admin/signin.html")]
struct SignInPage {
    lang: crate::i18n::Lang,
    switch_url: String,
    problem: Option<String>,
    draft: Option<Draft>,
}

/// A form whose session ended before it was saved: where it was sent and
/// what it held, carried through the sign-in as hidden fields.
struct Draft {
    to: String,
    body: String,
}

impl Draft {
    /// The draft a sign-in form carries, if it names an editor form.
    fn sent(pairs: &[(String, String)]) -> Option<Self> {
        let to = field(pairs, "utkast_til")?;
        let is_form = to == "/admin/ny"
            || to
                .strip_prefix("/admin/kunngjoringer/")
                .is_some_and(|id| !id.is_empty() && !id.contains('/'));
        is_form.then(|| Self {
            to: to.to_owned(),
            body: field(pairs, "utkast").unwrap_or_default().to_owned(),
        })
    }
}

impl SignInPage {
    fn new(lang: &EditorLang, problem: Option<String>) -> Self {
        Self {
            lang: lang.lang,
            switch_url: lang.switch_url(),
            problem,
            draft: None,
        }
    }
}

/// The sign-in page in place of a form sent after its session ended: what
/// the editor typed is kept in it, and comes back after signing in.
pub(super) fn keep_draft(lang: &EditorLang, to: &str, body: &[u8]) -> HttpResponse {
    if body.len() > super::MAX_FORM_BYTES {
        return see_other("/admin/logg-inn");
    }
    let mut page = SignInPage::new(lang, None);
    page.draft = Some(Draft {
        to: to.to_owned(),
        body: String::from_utf8_lossy(body).into_owned(),
    });
    html(StatusCode::UNAUTHORIZED, &page)
}

#[get("/admin/logg-inn")]
pub async fn sign_in_page(lang: EditorLang) -> HttpResponse {
    html(StatusCode::OK, &SignInPage::new(&lang, None))
}

/// Exchanges a token for a session, with the same check (and brake on
/// repeated failures) as the API's bearer tokens. A form kept from an ended
/// session comes back filled in, unsaved.
pub async fn sign_in(
    state: web::Data<App>,
    request: HttpRequest,
    lang: EditorLang,
    body: web::Bytes,
) -> HttpResponse {
    // No other site may sign a browser in (with its own token): browsers say
    // where a form came from.
    let cross_site = request
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| !matches!(site, "same-origin" | "none"));
    if cross_site {
        return forbidden_form(lang.lang);
    }
    let pairs = pairs(&body);
    let secret = field(&pairs, "token").unwrap_or_default().trim().to_owned();
    let presented = match secret.is_empty() {
        true => Presented::Nothing,
        false => Presented::Secret(&secret),
    };
    let forwarded = request
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok());
    let peer = request.peer_addr().map(|a| a.ip());
    let client = auth::client_address(peer, forwarded, &state.trusted_proxies);
    let token = match auth::authenticate(&state, client, presented).await {
        Ok(token) => token,
        Err(e) => {
            let (status, problem) = match e {
                AuthError::TooMany(wait) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    lang.lang.t_with(
                        "sign-in-throttled",
                        &[("seconds", wait.as_secs().max(1).to_string())],
                    ),
                ),
                AuthError::Missing
                | AuthError::Malformed
                | AuthError::Invalid
                | AuthError::Inactive => (StatusCode::UNAUTHORIZED, lang.lang.t("sign-in-refused")),
                other => {
                    tracing::error!(error = %other, "sign-in failed");
                    (
                        StatusCode::SERVICE_UNAVAILABLE,
                        lang.lang.t("sign-in-unavailable"),
                    )
                }
            };
            let mut page = SignInPage::new(&lang, Some(problem));
            page.draft = Draft::sent(&pairs);
            return html(status, &page);
        }
    };
    let id = match sessions::start(&state, &token).await {
        Ok(id) => id,
        Err(e) => {
            tracing::error!(error = %e, "session not stored");
            let problem = lang.lang.t("sign-in-unavailable");
            return html(
                StatusCode::SERVICE_UNAVAILABLE,
                &SignInPage::new(&lang, Some(problem)),
            );
        }
    };
    let resumed = match Draft::sent(&pairs) {
        Some(draft) => match sessions::open(&state, &id).await {
            Ok(Some(opened)) => {
                let session = EditorSession::from(opened);
                Some(super::edit::resume(&state, &session, &lang, &draft.to, &draft.body).await)
            }
            _ => None,
        },
        None => None,
    };
    let mut response = resumed.unwrap_or_else(|| see_other("/admin"));
    let _ = response.add_cookie(&session::cookie(id, &request, &state));
    response
}

#[post("/admin/logg-ut")]
pub async fn sign_out(
    session: EditorSession,
    state: web::Data<App>,
    request: HttpRequest,
    lang: EditorLang,
    body: web::Bytes,
) -> HttpResponse {
    if !session.verify(field(&pairs(&body), "csrf")) {
        return forbidden_form(lang.lang);
    }
    if let Err(e) = sessions::end(&state, session.id_hash()).await {
        // The session still opens the pages: say so, and keep the cookie so
        // that the editor can try again.
        tracing::error!(error = %e, "sign-out failed");
        return crate::pages::message(
            lang.lang,
            StatusCode::SERVICE_UNAVAILABLE,
            "sign-out-failed-heading",
            "sign-out-failed-text",
        );
    }
    let mut response = see_other("/admin/logg-inn");
    let _ = response.add_cookie(&session::removal(&request, &state));
    response
}
