//! The editor's notice form as a page: the form, its errors summed up on
//! top, a preview, and what the notice is (public, imported).

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;

use super::form::NoticeForm;
use super::html;
use super::language::EditorLang;
use super::session::{EditorSession, Expiry};
use super::who;
use crate::app::notices::{editor_areas, WriteError};
use crate::app::App;
use crate::domain::{Kind, Notice, State};
use crate::i18n::Lang;

#[derive(Template)]
#[template(path = "admin/form.html")]
pub(super) struct FormPage {
    lang: Lang,
    switch_url: String,
    who: String,
    csrf: String,
    expiry: Expiry,
    is_admin: bool,
    heading: String,
    action: String,
    is_new: bool,
    form: NoticeForm,
    /// (value, label)
    kinds: Vec<(String, String)>,
    areas: Vec<(String, String)>,
    pub(super) done: Option<String>,
    pub(super) problem: Option<String>,
    pub(super) preview: Option<String>,
    public_url: Option<String>,
    withdraw_action: Option<String>,
    /// The feed an imported notice came from.
    pub(super) imported_from: Option<String>,
}

impl FormPage {
    pub(super) fn new(
        session: &EditorSession,
        state: &App,
        mut form: NoticeForm,
        existing: Option<&Notice>,
        editor_lang: &EditorLang,
    ) -> Self {
        let lang = editor_lang.lang;
        form.lang = lang;
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
            lang,
            switch_url: editor_lang.switch_url(),
            who: who(session, lang),
            csrf: session.csrf.clone(),
            expiry: session.expiry(now, lang),
            is_admin: session.is_admin(),
            heading: match existing {
                Some(n) => lang.t_with("form-edit", &[("title", n.title.clone())]),
                None => lang.t("editor-new-notice"),
            },
            action: match existing {
                Some(n) => format!("/admin/kunngjoringer/{}", n.id),
                None => "/admin/ny".into(),
            },
            is_new: existing.is_none(),
            form,
            kinds: Kind::ALL
                .iter()
                .map(|k| (k.as_str().to_owned(), lang.kind(*k)))
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
            imported_from: None,
        }
    }

    /// «Rett opp feltene som er merket (3).»
    fn fix_fields(&self) -> String {
        self.lang.t_with(
            "form-fix-fields",
            &[("count", self.form.errors.len().to_string())],
        )
    }

    /// An existing notice keeps its kind (the select is shown with a hint).
    fn kind_fixed(&self) -> bool {
        !self.is_new
    }

    /// The page's title, which says when the form has errors.
    fn title(&self) -> String {
        match self.form.errors.is_empty() {
            true => self.heading.clone(),
            false => self
                .lang
                .t_with("form-title-errors", &[("heading", self.heading.clone())]),
        }
    }

    /// The page with the notice as it would look, or with what keeps it from being valid.
    pub(super) fn previewed(mut self, shown: Result<String, WriteError>) -> HttpResponse {
        match shown {
            Ok(shown) => {
                self.preview = Some(shown);
                html(StatusCode::OK, &self)
            }
            Err(e) => self.failed(e),
        }
    }

    /// The page again, with what went wrong beside the fields or on top.
    pub(super) fn failed(mut self, error: WriteError) -> HttpResponse {
        let status = match error {
            WriteError::Invalid(errors) => {
                self.form.show_errors(&errors);
                StatusCode::UNPROCESSABLE_ENTITY
            }
            WriteError::OutsideAreas { .. } | WriteError::NotYours { .. } => {
                self.problem = Some(self.lang.t("form-not-your-areas"));
                StatusCode::FORBIDDEN
            }
            WriteError::Stale => {
                self.problem = Some(self.lang.t("form-stale"));
                StatusCode::CONFLICT
            }
            other => {
                tracing::error!(error = %other, "editor form failed");
                self.problem = Some(self.lang.t("form-failed"));
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        html(status, &self)
    }
}
