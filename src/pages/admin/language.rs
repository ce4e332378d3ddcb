//! The editor pages' written standard: bokmål, unless the editor chose
//! nynorsk with the switch on every page, a choice a cookie keeps.

use std::convert::Infallible;
use std::future::{ready, Ready};

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::header;
use actix_web::{dev::Payload, get, web, FromRequest, HttpRequest, HttpResponse};

use crate::i18n::Lang;

const COOKIE: &str = "tavla_sprak";

/// The written standard of an editor page, and where the page is (for the
/// switch to come back to).
pub struct EditorLang {
    pub lang: Lang,
    here: String,
}

impl EditorLang {
    /// The address that switches to the other written standard and comes back here.
    pub fn switch_url(&self) -> String {
        self.switch_url_to(&self.here)
    }

    /// The address that switches to the other written standard and goes to
    /// `page`: for an answer to a form that its own address cannot show again.
    pub fn switch_url_to(&self, page: &str) -> String {
        let back = form_urlencoded::Serializer::new(String::new())
            .append_pair("tilbake", page)
            .finish();
        format!("/admin/sprak/{}?{back}", self.lang.other().code())
    }

    /// The written standard the editor chose for the pages.
    pub fn of(request: &HttpRequest) -> Lang {
        request
            .cookie(COOKIE)
            .and_then(|c| Lang::from_code(c.value()))
            .unwrap_or_default()
    }
}

impl FromRequest for EditorLang {
    type Error = Infallible;
    type Future = Ready<Result<Self, Infallible>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let lang = Self::of(request);
        // A form's answer is at the form's address; its GET shows it again.
        let here = match request.method() == actix_web::http::Method::GET {
            true => request
                .uri()
                .path_and_query()
                .map_or("/admin", |p| p.as_str()),
            false => request.path(),
        };
        ready(Ok(Self {
            lang,
            here: here.to_owned(),
        }))
    }
}

#[derive(serde::Deserialize)]
struct Back {
    tilbake: Option<String>,
}

/// Keeps the editor's choice of written standard and goes back to the page
/// (an editor page only: never elsewhere).
#[get("/admin/sprak/{code}")]
pub async fn choose(code: web::Path<String>, back: web::Query<Back>) -> HttpResponse {
    let Some(lang) = Lang::from_code(&code) else {
        return crate::pages::not_found(Lang::Nb);
    };
    let back = back
        .into_inner()
        .tilbake
        .filter(|b| b == "/admin" || b.starts_with("/admin/") || b.starts_with("/admin?"))
        .unwrap_or_else(|| "/admin".to_owned());
    let cookie = Cookie::build(COOKIE, lang.code())
        .path("/admin")
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::days(365))
        .finish();
    let mut response = HttpResponse::SeeOther()
        .insert_header((header::LOCATION, back))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish();
    let _ = response.add_cookie(&cookie);
    response
}
