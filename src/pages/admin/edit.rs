//! Creating, previewing, correcting and withdrawing a notice through its form.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde_json::Value;

use super::form::{all_errors, NoticeForm};
use super::form_page::FormPage;
use super::html;
use super::language::EditorLang;
use super::session::EditorSession;
use super::sign_in::keep_draft;
use super::{field, forbidden_form, pairs, see_other, MAX_FORM_BYTES};
use crate::app::notices::{create_notice, find_for, update_notice, validate, WriteError};
use crate::app::App;
use crate::domain::{FieldError, Kind, Notice};
use crate::i18n::Lang;
use crate::pages::public::NoticePage;
use crate::pages::Chrome;
use crate::store::StoreError;

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
    lang: EditorLang,
) -> HttpResponse {
    let kind = query
        .kind
        .as_deref()
        .and_then(|k| k.parse().ok())
        .unwrap_or(Kind::Grant);
    html(
        StatusCode::OK,
        &FormPage::new(&session, &state, NoticeForm::empty(kind), None, &lang),
    )
}

#[derive(Template)]
#[template(path = "notice_body.html")]
struct NoticeBody {
    c: Chrome,
    n: crate::pages::views::NoticeCard,
    /// The title's heading level: an h2, under the form page's h1.
    title_level: u8,
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
    lang: Lang,
) -> Result<String, WriteError> {
    let input = validate(state, doc, existing).await?;
    let now = state.clock.now();
    let notice = match existing {
        Some(before) => input.revise(before, time_named, now),
        None => input.into_new(now),
    };
    let page = NoticePage::new(&notice, &state.taxonomy, now, lang);
    let title_level = 2;
    NoticeBody {
        c: page.c,
        n: page.n,
        title_level,
        body_html: notice
            .body
            .as_ref()
            .map(|b| b.html_under(title_level).into_owned()),
        tags: page.tags,
        source_url: page.source_url,
    }
    .render()
    .map_err(|e| WriteError::Store(StoreError::Task(format!("the preview failed: {e}"))))
}

/// What the form could not read (a garbled date, an amount that is no
/// number) and every error of the rest of the document, so that the editor
/// sees them all at once.
async fn unreadable(
    state: &App,
    doc: &Value,
    unread: Vec<FieldError>,
    existing: Option<&Notice>,
) -> WriteError {
    let invalid = match validate(state, doc, existing).await {
        Err(WriteError::Invalid(errors)) => errors,
        _ => Vec::new(),
    };
    WriteError::Invalid(all_errors(unread, invalid))
}

/// A form's fields as sent, repeated names kept.
type FormPairs = Vec<(String, String)>;

/// Reads the form: too large, or not from this session, is refused.
fn read_form(
    session: &EditorSession,
    body: &[u8],
    lang: Lang,
) -> Result<(FormPairs, NoticeForm), Box<HttpResponse>> {
    if body.len() > MAX_FORM_BYTES {
        return Err(Box::new(crate::pages::message(
            lang,
            StatusCode::PAYLOAD_TOO_LARGE,
            "form-too-large-heading",
            "form-too-large-text",
        )));
    }
    let pairs = pairs(body);
    if !session.verify(field(&pairs, "csrf")) {
        return Err(Box::new(forbidden_form(lang)));
    }
    let form = NoticeForm::from_pairs(&pairs);
    Ok((pairs, form))
}

#[post("/admin/ny")]
pub async fn create(
    session: Option<EditorSession>,
    state: web::Data<App>,
    lang: EditorLang,
    body: web::Bytes,
) -> HttpResponse {
    let Some(session) = session else {
        return keep_draft(&lang, "/admin/ny", &body);
    };
    let (pairs, form) = match read_form(&session, &body, lang.lang) {
        Ok(read) => read,
        Err(response) => return *response,
    };
    let (doc, form_errors) = form.document();
    let page = FormPage::new(&session, &state, form, None, &lang);
    if !form_errors.is_empty() {
        return page.failed(unreadable(&state, &doc, form_errors, None).await);
    }
    if field(&pairs, "action") == Some("preview") {
        return page.previewed(preview(&state, &doc, None, true, lang.lang).await);
    }
    match create_notice(&state, &session.token, &doc, None, |_, _| String::new()).await {
        Ok(created) => see_other(&format!(
            "/admin/kunngjoringer/{}?ferdig=lagret",
            created.notice_id
        )),
        Err(e) => page.failed(e),
    }
}

/// The form an editor was filling in when the session ended, as typed, in
/// the new session: nothing is saved until the editor saves it.
pub(super) async fn resume(
    state: &App,
    session: &EditorSession,
    lang: &EditorLang,
    to: &str,
    draft: &str,
) -> HttpResponse {
    let form = NoticeForm::from_pairs(&pairs(draft.as_bytes()));
    let existing = match to.strip_prefix("/admin/kunngjoringer/") {
        Some(id) => match find_for(state, &session.token, id).await {
            Ok(notice) => Some(notice),
            Err(e) => return not_yours(e, lang.lang),
        },
        None => None,
    };
    let mut page = FormPage::new(session, state, form, existing.as_ref(), lang);
    page.done = Some(lang.lang.t("form-draft-restored"));
    html(StatusCode::OK, &page)
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
    lang: EditorLang,
) -> HttpResponse {
    let notice = match find_for(&state, &session.token, &id).await {
        Ok(notice) => notice,
        Err(e) => return not_yours(e, lang.lang),
    };
    let form = NoticeForm::of(&notice);
    let mut page = FormPage::new(&session, &state, form, Some(&notice), &lang);
    page.imported_from = match crate::app::sources::imported_from(&state, notice.id).await {
        Ok(feed) => feed,
        Err(e) => return crate::pages::store_failed(lang.lang, e),
    };
    page.done = match query.ferdig.as_deref() {
        Some("lagret") => Some(lang.lang.t("form-saved")),
        _ => None,
    };
    html(StatusCode::OK, &page)
}

/// The page for a notice the editor may not open, or that failed to load.
pub(super) fn not_yours(error: WriteError, lang: Lang) -> HttpResponse {
    match error {
        WriteError::NotFound(_) => crate::pages::not_found(lang),
        WriteError::NotYours { .. } => crate::pages::message(
            lang,
            StatusCode::FORBIDDEN,
            "no-access-heading",
            "no-access-text",
        ),
        other => {
            tracing::error!(error = %other, "editor page failed");
            crate::pages::message(
                lang,
                StatusCode::INTERNAL_SERVER_ERROR,
                "editor-failed-heading",
                "editor-failed-text",
            )
        }
    }
}

#[post("/admin/kunngjoringer/{id}")]
pub async fn update(
    session: Option<EditorSession>,
    state: web::Data<App>,
    id: web::Path<String>,
    lang: EditorLang,
    body: web::Bytes,
) -> HttpResponse {
    let Some(session) = session else {
        return keep_draft(&lang, &format!("/admin/kunngjoringer/{id}"), &body);
    };
    let (pairs, form) = match read_form(&session, &body, lang.lang) {
        Ok(read) => read,
        Err(response) => return *response,
    };
    let before = match find_for(&state, &session.token, &id).await {
        Ok(notice) => notice,
        Err(e) => return not_yours(e, lang.lang),
    };
    let time_named = form.time_named();
    let revision_sent = form.v("revision").parse::<i32>().ok();
    let (doc, form_errors) = form.document();
    let page = FormPage::new(&session, &state, form, Some(&before), &lang);
    if !form_errors.is_empty() {
        return page.failed(unreadable(&state, &doc, form_errors, Some(&before)).await);
    }
    if revision_sent != Some(before.revision) {
        return page.failed(WriteError::Stale);
    }
    if field(&pairs, "action") == Some("preview") {
        let shown = preview(&state, &doc, Some(&before), time_named, lang.lang).await;
        return page.previewed(shown);
    }
    match update_notice(&state, &session.token, &before, &doc, time_named).await {
        Ok(after) => see_other(&format!("/admin/kunngjoringer/{}?ferdig=lagret", after.id)),
        Err(e) => page.failed(e),
    }
}
