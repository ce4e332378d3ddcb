//! Creating, previewing, correcting and withdrawing a notice through its form.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde_json::Value;

use super::form::NoticeForm;
use super::html;
use super::session::EditorSession;
use super::{field, forbidden_form, pairs, see_other, who, MAX_FORM_BYTES};
use crate::app::notices::{
    create_notice, editor_areas, find_for, update_notice, validate, withdraw_notice, WriteError,
};
use crate::app::App;
use crate::domain::{Kind, Notice, State};
use crate::pages::public::NoticePage;
use crate::store::StoreError;

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
        state: &App,
        form: NoticeForm,
        existing: Option<&Notice>,
    ) -> Self {
        let held = editor_areas(state, &session.token);
        let areas = state
            .taxonomy
            .all()
            .iter()
            .filter(|a| a.linkable)
            .filter(|a| held.as_ref().is_none_or(|held| held.contains(&a.slug)))
            .map(|a| (a.slug.clone(), a.name.clone()))
            .collect();
        let now = state.clock.now();
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
    fn previewed(mut self, shown: Result<String, WriteError>) -> HttpResponse {
        match shown {
            Ok(shown) => {
                self.preview = Some(shown);
                html(StatusCode::OK, &self)
            }
            Err(e) => self.failed(e),
        }
    }

    /// The page again, with what went wrong beside the fields or on top.
    fn failed(mut self, error: WriteError) -> HttpResponse {
        let status = match error {
            WriteError::Invalid(errors) => {
                self.form.show_errors(&errors);
                StatusCode::UNPROCESSABLE_ENTITY
            }
            WriteError::OutsideAreas { .. } | WriteError::NotYours { .. } => {
                self.problem = Some("Du har ikke tilgang til alle områdene som er valgt.".into());
                StatusCode::FORBIDDEN
            }
            WriteError::Stale => {
                self.problem = Some(
                    "Noen andre har endret kunngjøringen siden du åpnet den. Åpne den på nytt og gjør endringen igjen."
                        .into(),
                );
                StatusCode::CONFLICT
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
pub async fn new_page(
    session: EditorSession,
    state: web::Data<App>,
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
    n: crate::pages::views::NoticeCard,
    body_html: Option<String>,
    tags: Vec<(String, String)>,
    source_url: Option<String>,
}

/// The notice as the public would see it, without saving it.
async fn preview(
    state: &App,
    doc: &Value,
    existing: Option<&Notice>,
    time_named: bool,
) -> Result<String, WriteError> {
    let input = validate(state, doc, existing).await?;
    let now = state.clock.now();
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
    .map_err(|e| WriteError::Store(StoreError::Task(format!("the preview failed: {e}"))))
}

/// A form's fields as sent, repeated names kept.
type FormPairs = Vec<(String, String)>;

/// Reads the form: too large, or not from this session, is refused.
fn read_form(
    session: &EditorSession,
    body: &[u8],
) -> Result<(FormPairs, NoticeForm), Box<HttpResponse>> {
    if body.len() > MAX_FORM_BYTES {
        return Err(Box::new(crate::pages::message(
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
pub async fn create(
    session: EditorSession,
    state: web::Data<App>,
    body: web::Bytes,
) -> HttpResponse {
    let (pairs, form) = match read_form(&session, &body) {
        Ok(read) => read,
        Err(response) => return *response,
    };
    let (doc, form_errors) = form.document();
    let page = FormPage::new(&session, &state, form, None);
    if !form_errors.is_empty() {
        return page.failed(WriteError::Invalid(form_errors));
    }
    if field(&pairs, "action") == Some("preview") {
        return page.previewed(preview(&state, &doc, None, true).await);
    }
    match create_notice(&state, &session.token, &doc, None, |_, _| String::new()).await {
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
pub async fn edit_page(
    session: EditorSession,
    state: web::Data<App>,
    id: web::Path<String>,
    query: web::Query<EditQuery>,
) -> HttpResponse {
    let notice = match find_for(&state, &session.token, &id).await {
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

fn not_yours(error: WriteError) -> HttpResponse {
    match error {
        WriteError::NotFound(_) => crate::pages::not_found(),
        WriteError::NotYours { .. } => crate::pages::message(
            StatusCode::FORBIDDEN,
            "Ingen tilgang",
            "Kunngjøringen har områder utenfor dine tilgangspakker.",
        ),
        other => {
            tracing::error!(error = %other, "editor page failed");
            crate::pages::message(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Noe gikk galt",
                "Feilen er logget.",
            )
        }
    }
}

#[post("/admin/kunngjoringer/{id}")]
pub async fn update(
    session: EditorSession,
    state: web::Data<App>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (pairs, form) = match read_form(&session, &body) {
        Ok(read) => read,
        Err(response) => return *response,
    };
    let before = match find_for(&state, &session.token, &id).await {
        Ok(notice) => notice,
        Err(e) => return not_yours(e),
    };
    let time_named = form.time_named();
    let revision_sent = form.v("revision").parse::<i32>().ok();
    let (doc, form_errors) = form.document();
    let page = FormPage::new(&session, &state, form, Some(&before));
    if !form_errors.is_empty() {
        return page.failed(WriteError::Invalid(form_errors));
    }
    if revision_sent != Some(before.revision) {
        return page.failed(WriteError::Stale);
    }
    if field(&pairs, "action") == Some("preview") {
        return page.previewed(preview(&state, &doc, Some(&before), time_named).await);
    }
    match update_notice(&state, &session.token, &before, &doc, time_named).await {
        Ok(after) => see_other(&format!("/admin/kunngjoringer/{}?ferdig=lagret", after.id)),
        Err(e) => page.failed(e),
    }
}

#[post("/admin/kunngjoringer/{id}/trekk-tilbake")]
pub async fn withdraw_page_action(
    session: EditorSession,
    state: web::Data<App>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let pairs = pairs(&body);
    if !session.verify(field(&pairs, "csrf")) {
        return forbidden_form();
    }
    let expected = field(&pairs, "revision").and_then(|r| r.parse().ok());
    match withdraw_notice(&state, &session.token, &id, expected).await {
        Ok(_) => see_other("/admin?ferdig=trukket"),
        Err(WriteError::Stale) => crate::pages::message(
            StatusCode::CONFLICT,
            "Kunngjøringen er endret",
            "Noen andre har endret kunngjøringen siden du åpnet den. Åpne den på nytt før du trekker den tilbake.",
        ),
        Err(e) => not_yours(e),
    }
}
