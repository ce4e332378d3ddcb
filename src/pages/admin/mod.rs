//! The editors' pages at `/admin`: sign in with a token, then list, create,
//! preview, correct, schedule, cancel and withdraw notices. Every write goes
//! through the same functions as the admin API.

mod form;
mod session;

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;
use serde_json::Value;

use super::html;
use super::public::NoticePage;
use crate::domain::time::{norwegian_date_time, now};
use crate::domain::{input, Kind, Notice, Role, State, Status};
use crate::http::admin::auth;
use crate::http::admin::notices::{
    create_notice, editor_areas, find_for, update_notice, withdraw_notice,
};
use crate::http::params::{admin_list_query, encode_cursor};
use crate::http::problem::ApiError;
use crate::http::AppState;
use crate::store::{notices, sessions};
use form::NoticeForm;
use session::{EditorSession, SignInRequired};

/// The most a form may send.
const MAX_FORM_BYTES: usize = 256 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(sign_in_page)
        .service(sign_in)
        .service(sign_out)
        .service(new_page)
        .service(create)
        .service(edit_page)
        .service(update)
        .service(withdraw_page_action);
}

fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_owned()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

fn pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn forbidden_form() -> HttpResponse {
    super::message(
        StatusCode::FORBIDDEN,
        "Skjemaet er utløpt",
        "Skjemaet hørte ikke til denne innloggingen. Gå tilbake, last inn siden på nytt og prøv igjen.",
    )
}

#[derive(Template)]
#[template(path = "admin/signin.html")]
struct SignInPage {
    problem: Option<String>,
}

#[get("/admin/logg-inn")]
async fn sign_in_page() -> HttpResponse {
    html(StatusCode::OK, &SignInPage { problem: None })
}

/// Exchanges a token for a session, with the same check (and brake on
/// repeated failures) as the API's bearer tokens.
#[post("/admin/logg-inn")]
async fn sign_in(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let pairs = pairs(&body);
    let secret = field(&pairs, "token").unwrap_or_default().trim().to_owned();
    let presented = (!secret.is_empty()).then_some(Ok(secret.as_str()));
    let token = match auth::check(&state, &request, presented).await {
        Ok(token) => token,
        Err(e) => {
            let (status, problem) = match e {
                ApiError::TooManyRequests { retry_after_secs } => (
                    StatusCode::TOO_MANY_REQUESTS,
                    format!("For mange mislykkede forsøk. Vent {retry_after_secs} sekunder."),
                ),
                ApiError::Unauthorized { .. } => (
                    StatusCode::UNAUTHORIZED,
                    "Nøkkelen er ikke gyldig, er utløpt eller trukket tilbake.".to_owned(),
                ),
                other => {
                    tracing::error!(error = %other, "sign-in failed");
                    (
                        StatusCode::SERVICE_UNAVAILABLE,
                        "Innloggingen virker ikke akkurat nå. Prøv igjen om litt.".to_owned(),
                    )
                }
            };
            return html(
                status,
                &SignInPage {
                    problem: Some(problem),
                },
            );
        }
    };
    let id = session::random_token();
    let (id_hash, csrf) = (session::hash(&id), session::random_token());
    let stored = state
        .store
        .run(move |conn| sessions::create(conn, &id_hash, token.id, &csrf, now()))
        .await;
    if let Err(e) = stored {
        tracing::error!(error = %e, "session not stored");
        return html(
            StatusCode::SERVICE_UNAVAILABLE,
            &SignInPage {
                problem: Some("Innloggingen virker ikke akkurat nå. Prøv igjen om litt.".into()),
            },
        );
    }
    let mut response = see_other("/admin");
    let _ = response.add_cookie(&session::cookie(id, &request, &state));
    response
}

#[post("/admin/logg-ut")]
async fn sign_out(
    session: EditorSession,
    state: web::Data<AppState>,
    request: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    if !session.verify(field(&pairs(&body), "csrf")) {
        return forbidden_form();
    }
    let id_hash = session.id_hash().to_owned();
    let _ = state
        .store
        .run(move |conn| sessions::delete(conn, &id_hash))
        .await;
    let mut response = see_other("/admin/logg-inn");
    let _ = response.add_cookie(&session::removal(&request, &state));
    response
}

struct Row {
    id: String,
    title: String,
    kind: &'static str,
    state: &'static str,
    status: Option<&'static str>,
    cancelled: bool,
    published: String,
}

#[derive(Template)]
#[template(path = "admin/list.html")]
struct ListPage {
    who: String,
    csrf: String,
    done: Option<String>,
    /// (href, label, current)
    filters: Vec<(String, String, bool)>,
    rows: Vec<Row>,
    next_page: Option<String>,
}

fn state_label(notice: &Notice, now: chrono::DateTime<chrono::Utc>) -> &'static str {
    match notice.state {
        State::Draft => "Utkast",
        State::Withdrawn => "Trukket tilbake",
        State::Published if notice.published_at > now => "Planlagt",
        State::Published => "Publisert",
    }
}

/// Every notice the editor may touch, in every state.
#[get("/admin")]
async fn list(
    session: EditorSession,
    state: web::Data<AppState>,
    request: HttpRequest,
) -> HttpResponse {
    let chosen = web::Query::<Vec<(String, String)>>::from_query(request.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default();
    let wanted_state = chosen
        .iter()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.clone());
    let cursor = chosen
        .iter()
        .find(|(k, _)| k == "cursor")
        .map(|(_, v)| v.clone());
    let mut query_string = form_urlencoded::Serializer::new(String::new());
    if let Some(s) = wanted_state
        .as_deref()
        .filter(|s| s.parse::<State>().is_ok())
    {
        query_string.append_pair("state", s);
    }
    if let Some(c) = &cursor {
        query_string.append_pair("cursor", c);
    }
    let Ok(mut query) = admin_list_query(&query_string.finish(), &state.taxonomy) else {
        return see_other("/admin");
    };
    if let crate::store::notices::Scope::Admin { within, .. } = &mut query.scope {
        *within = editor_areas(&state, &session.caller);
    }
    let limit = query.limit;
    query.limit += 1;
    let now = now();
    let mut found = match state
        .store
        .run(move |c| notices::list_ranked(c, &query, now))
        .await
    {
        Ok(found) => found,
        Err(e) => return super::store_failed(e),
    };
    let mut next_page = None;
    if found.len() as i64 > limit {
        found.truncate(limit as usize);
        let cursor = found
            .last()
            .map(|l| encode_cursor(l.position()))
            .unwrap_or_default();
        let mut next = form_urlencoded::Serializer::new(String::new());
        if let Some(s) = &wanted_state {
            next.append_pair("state", s);
        }
        next.append_pair("cursor", &cursor);
        next_page = Some(format!("/admin?{}", next.finish()));
    }
    let rows = found
        .iter()
        .map(|l| {
            let n = &l.notice;
            Row {
                id: n.id.to_string(),
                title: n.title.clone(),
                kind: n.kind().label(),
                state: state_label(n, now),
                status: n.status(now).map(|s| s.label()),
                cancelled: n.status(now) == Some(Status::Cancelled),
                published: norwegian_date_time(n.published_at),
            }
        })
        .collect();
    let filters = [
        ("/admin", "Alle", None),
        ("/admin?state=published", "Publiserte", Some("published")),
        ("/admin?state=draft", "Utkast", Some("draft")),
        (
            "/admin?state=withdrawn",
            "Trukket tilbake",
            Some("withdrawn"),
        ),
    ]
    .into_iter()
    .map(|(href, label, s)| {
        (
            href.to_owned(),
            label.to_owned(),
            wanted_state.as_deref() == s,
        )
    })
    .collect();
    let done = match chosen
        .iter()
        .find(|(k, _)| k == "ferdig")
        .map(|(_, v)| v.as_str())
    {
        Some("trukket") => Some("Kunngjøringen er trukket tilbake.".to_owned()),
        _ => None,
    };
    html(
        StatusCode::OK,
        &ListPage {
            who: who(&session),
            csrf: session.csrf.clone(),
            done,
            filters,
            rows,
            next_page,
        },
    )
}

fn who(session: &EditorSession) -> String {
    let token = &session.caller.0;
    match token.role {
        Role::Admin => format!("{} (administrator)", token.name),
        Role::Editor => format!("{} ({})", token.name, token.areas.join(", ")),
    }
}

#[derive(Template)]
#[template(path = "admin/form.html")]
struct FormPage {
    who: String,
    csrf: String,
    heading: String,
    action: String,
    is_new: bool,
    form: NoticeForm,
    /// (value, label)
    kinds: Vec<(String, String)>,
    areas: Vec<(String, String)>,
    done: Option<String>,
    problem: Option<String>,
    preview: Option<String>,
    public_url: Option<String>,
    withdraw_action: Option<String>,
}

impl FormPage {
    fn new(
        session: &EditorSession,
        state: &AppState,
        form: NoticeForm,
        existing: Option<&Notice>,
    ) -> Self {
        let held = editor_areas(state, &session.caller);
        let areas = state
            .taxonomy
            .all()
            .iter()
            .filter(|a| a.linkable)
            .filter(|a| held.as_ref().is_none_or(|held| held.contains(&a.slug)))
            .map(|a| (a.slug.clone(), a.name.clone()))
            .collect();
        let now = now();
        Self {
            who: who(session),
            csrf: session.csrf.clone(),
            heading: match existing {
                Some(n) => format!("Rediger: {}", n.title),
                None => "Ny kunngjøring".into(),
            },
            action: match existing {
                Some(n) => format!("/admin/kunngjoringer/{}", n.id),
                None => "/admin/ny".into(),
            },
            is_new: existing.is_none(),
            form,
            kinds: Kind::ALL
                .iter()
                .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
                .collect(),
            areas,
            done: None,
            problem: None,
            preview: None,
            public_url: existing
                .filter(|n| n.is_public(now))
                .map(|n| format!("/notices/{}", n.slug)),
            withdraw_action: existing
                .filter(|n| n.state != State::Withdrawn)
                .map(|n| format!("/admin/kunngjoringer/{}/trekk-tilbake", n.id)),
        }
    }

    /// The page with the notice as it would look, or with what keeps it from being valid.
    fn previewed(mut self, shown: Result<String, ApiError>) -> HttpResponse {
        match shown {
            Ok(shown) => {
                self.preview = Some(shown);
                html(StatusCode::OK, &self)
            }
            Err(e) => self.failed(e),
        }
    }

    /// The page again, with what went wrong beside the fields or on top.
    fn failed(mut self, error: ApiError) -> HttpResponse {
        let status = match error {
            ApiError::InvalidFields(errors) => {
                self.form.show_errors(&errors);
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::Forbidden(_) => {
                self.problem = Some("Du har ikke tilgang til alle områdene som er valgt.".into());
                StatusCode::FORBIDDEN
            }
            ApiError::PreconditionFailed(_) => {
                self.problem = Some(
                    "Noen andre har endret kunngjøringen siden du åpnet den. Åpne den på nytt og gjør endringen igjen."
                        .into(),
                );
                StatusCode::CONFLICT
            }
            ApiError::Unprocessable(message) => {
                self.problem = Some(message);
                StatusCode::UNPROCESSABLE_ENTITY
            }
            other => {
                tracing::error!(error = %other, "editor form failed");
                self.problem =
                    Some("Noe gikk galt hos oss; ingenting ble lagret. Prøv igjen om litt.".into());
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        html(status, &self)
    }
}

#[derive(serde::Deserialize)]
struct NewQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[get("/admin/ny")]
async fn new_page(
    session: EditorSession,
    state: web::Data<AppState>,
    query: web::Query<NewQuery>,
) -> HttpResponse {
    let kind = query
        .kind
        .as_deref()
        .and_then(|k| k.parse().ok())
        .unwrap_or(Kind::Grant);
    html(
        StatusCode::OK,
        &FormPage::new(&session, &state, NoticeForm::empty(kind), None),
    )
}

#[derive(Template)]
#[template(path = "notice_body.html")]
struct NoticeBody {
    n: super::views::NoticeCard,
    body_html: Option<String>,
    tags: Vec<(String, String)>,
    source_url: Option<String>,
}

/// The notice as the public would see it, without saving it.
fn preview(
    state: &AppState,
    doc: &Value,
    existing: Option<&Notice>,
    time_named: bool,
) -> Result<String, ApiError> {
    let input = input::parse(doc, &state.taxonomy, existing).map_err(ApiError::InvalidFields)?;
    let now = now();
    let notice = match existing {
        Some(before) => input.revise(before, time_named, now),
        None => input.into_new(now),
    };
    let page = NoticePage::new(&notice, &state.taxonomy, now);
    NoticeBody {
        n: page.n,
        body_html: page.body_html,
        tags: page.tags,
        source_url: page.source_url,
    }
    .render()
    .map_err(|e| {
        tracing::error!(error = %e, "preview failed");
        ApiError::Unprocessable("Forhåndsvisningen virket ikke.".into())
    })
}

/// A form's fields as sent, repeated names kept.
type FormPairs = Vec<(String, String)>;

/// Reads the form: too large, or not from this session, is refused.
fn read_form(
    session: &EditorSession,
    body: &[u8],
) -> Result<(FormPairs, NoticeForm), Box<HttpResponse>> {
    if body.len() > MAX_FORM_BYTES {
        return Err(Box::new(super::message(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Skjemaet er for stort",
            "Teksten er for lang til å lagres. Kort den ned og prøv igjen.",
        )));
    }
    let pairs = pairs(body);
    if !session.verify(field(&pairs, "csrf")) {
        return Err(Box::new(forbidden_form()));
    }
    let form = NoticeForm::from_pairs(&pairs);
    Ok((pairs, form))
}

#[post("/admin/ny")]
async fn create(
    session: EditorSession,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> HttpResponse {
    let (pairs, form) = match read_form(&session, &body) {
        Ok(read) => read,
        Err(response) => return *response,
    };
    let (doc, form_errors) = form.document();
    let page = FormPage::new(&session, &state, form, None);
    if !form_errors.is_empty() {
        return page.failed(ApiError::InvalidFields(form_errors));
    }
    if field(&pairs, "action") == Some("preview") {
        return page.previewed(preview(&state, &doc, None, true));
    }
    match create_notice(&state, &session.caller, &doc, None).await {
        Ok(created) => see_other(&format!(
            "/admin/kunngjoringer/{}?ferdig=lagret",
            created.notice_id
        )),
        Err(e) => page.failed(e),
    }
}

#[derive(serde::Deserialize)]
struct EditQuery {
    ferdig: Option<String>,
}

#[get("/admin/kunngjoringer/{id}")]
async fn edit_page(
    session: EditorSession,
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<EditQuery>,
) -> HttpResponse {
    let notice = match find_for(&state, &session.caller, &id).await {
        Ok(notice) => notice,
        Err(e) => return not_yours(e),
    };
    let mut page = FormPage::new(&session, &state, NoticeForm::of(&notice), Some(&notice));
    page.done = match query.ferdig.as_deref() {
        Some("lagret") => Some("Lagret.".into()),
        _ => None,
    };
    html(StatusCode::OK, &page)
}

fn not_yours(error: ApiError) -> HttpResponse {
    match error {
        ApiError::NotFound(_) => super::not_found(),
        ApiError::Forbidden(_) => super::message(
            StatusCode::FORBIDDEN,
            "Ingen tilgang",
            "Kunngjøringen har områder utenfor dine tilgangspakker.",
        ),
        other => {
            tracing::error!(error = %other, "editor page failed");
            super::message(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Noe gikk galt",
                "Feilen er logget.",
            )
        }
    }
}

#[post("/admin/kunngjoringer/{id}")]
async fn update(
    session: EditorSession,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (pairs, form) = match read_form(&session, &body) {
        Ok(read) => read,
        Err(response) => return *response,
    };
    let before = match find_for(&state, &session.caller, &id).await {
        Ok(notice) => notice,
        Err(e) => return not_yours(e),
    };
    let time_named = form.time_named();
    let revision_sent = form.v("revision").parse::<i32>().ok();
    let (doc, form_errors) = form.document();
    let page = FormPage::new(&session, &state, form, Some(&before));
    if !form_errors.is_empty() {
        return page.failed(ApiError::InvalidFields(form_errors));
    }
    if revision_sent != Some(before.revision) {
        return page.failed(ApiError::PreconditionFailed("stale form".into()));
    }
    if field(&pairs, "action") == Some("preview") {
        return page.previewed(preview(&state, &doc, Some(&before), time_named));
    }
    match update_notice(&state, &session.caller, &before, &doc, time_named).await {
        Ok(after) => see_other(&format!("/admin/kunngjoringer/{}?ferdig=lagret", after.id)),
        Err(e) => page.failed(e),
    }
}

#[post("/admin/kunngjoringer/{id}/trekk-tilbake")]
async fn withdraw_page_action(
    session: EditorSession,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let pairs = pairs(&body);
    if !session.verify(field(&pairs, "csrf")) {
        return forbidden_form();
    }
    let expected = field(&pairs, "revision").and_then(|r| r.parse().ok());
    match withdraw_notice(&state, &session.caller, &id, expected).await {
        Ok(_) => see_other("/admin?ferdig=trukket"),
        Err(ApiError::PreconditionFailed(_)) => super::message(
            StatusCode::CONFLICT,
            "Kunngjøringen er endret",
            "Noen andre har endret kunngjøringen siden du åpnet den. Åpne den på nytt før du trekker den tilbake.",
        ),
        Err(e) => not_yours(e),
    }
}

impl From<SignInRequired> for HttpResponse {
    fn from(_: SignInRequired) -> Self {
        see_other("/admin/logg-inn")
    }
}
