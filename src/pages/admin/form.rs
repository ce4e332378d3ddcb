//! The editor's notice form: what the editor typed and what was wrong with
//! it, its conversion to the notice document the API takes (so both share one
//! validation), and back. Its inputs are described in `fields`.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde_json::{json, Map, Value};

use crate::domain::document::{GrantDocument, WebinarDocument};
use crate::domain::time::ZONE;
use crate::domain::Invalid;
use crate::domain::{FieldError, Kind, Notice};
use crate::i18n::Lang;

/// What the editor typed, and what was wrong with it, in the editor's
/// written standard.
#[derive(Default)]
pub struct NoticeForm {
    values: HashMap<String, String>,
    areas: Vec<String>,
    pub errors: HashMap<String, String>,
    pub lang: Lang,
}

/// `2026-12-01T12:00` in Oslo time, as `datetime-local` inputs hold it.
fn local_input(instant: Option<&str>) -> String {
    instant
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|at| at.with_timezone(&ZONE).format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

impl NoticeForm {
    pub fn empty(kind: Kind) -> Self {
        let mut form = Self::default();
        form.values.insert("kind".into(), kind.as_str().into());
        form.values.insert("state".into(), "published".into());
        form
    }

    /// The form for an existing notice: its notice document, field by field.
    pub fn of(notice: &Notice) -> Self {
        let doc = crate::domain::document::document(notice);
        let mut form = Self::default();
        let put = |form: &mut Self, name: &str, value: Option<String>| {
            form.values
                .insert(name.to_owned(), value.unwrap_or_default());
        };
        put(&mut form, "kind", Some(doc.kind.as_str().to_owned()));
        put(
            &mut form,
            "language",
            doc.language.map(|l| l.as_str().to_owned()),
        );
        put(&mut form, "title", Some(doc.title));
        put(&mut form, "summary", Some(doc.summary));
        put(&mut form, "body", doc.body);
        put(&mut form, "source_url", doc.source_url);
        put(&mut form, "state", doc.state.map(|s| s.as_str().to_owned()));
        form.show_instant("published_at", doc.published_at.as_deref());
        form.areas = doc.areas;
        if let Some(grant) = doc.grant {
            form.show_instant("grant.deadline", grant.deadline.as_deref());
            put(
                &mut form,
                "grant.amount_nok",
                grant.amount_nok.map(|a| a.to_string()),
            );
            put(
                &mut form,
                "grant.applicants",
                grant.applicants.map(|a| a.join(", ")),
            );
            put(&mut form, "grant.apply_url", grant.apply_url);
        }
        if let Some(webinar) = doc.webinar {
            form.show_instant("webinar.starts_at", webinar.starts_at.as_deref());
            form.show_instant("webinar.ends_at", webinar.ends_at.as_deref());
            put(
                &mut form,
                "webinar.registration_url",
                webinar.registration_url,
            );
            put(
                &mut form,
                "webinar.cancelled",
                webinar.cancelled.map(|c| c.to_string()),
            );
            put(
                &mut form,
                "webinar.cancellation_note",
                webinar.cancellation_note,
            );
        }
        form.values
            .insert("revision".into(), notice.revision.to_string());
        let before = form.v("published_at").to_owned();
        form.values.insert("published_at_before".into(), before);
        form
    }

    /// Shows an instant to the minute, and keeps the exact value beside it
    /// (`name@was`), so saving an untouched field changes nothing.
    fn show_instant(&mut self, name: &str, value: Option<&str>) {
        let shown = local_input(value);
        if let Some(exact) = value {
            self.values.insert(format!("{name}@was"), exact.to_owned());
            self.values.insert(format!("{name}@shown"), shown.clone());
        }
        self.values.insert(name.to_owned(), shown);
    }

    /// The exact values kept beside the fields, as hidden inputs.
    pub fn originals(&self) -> Vec<(String, String)> {
        let mut kept: Vec<(String, String)> = self
            .values
            .iter()
            .filter(|(k, _)| k.contains('@'))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        kept.sort();
        kept
    }

    /// The form as the browser sent it.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut form = Self::default();
        for (key, value) in pairs {
            match key.as_str() {
                "areas" => form.areas.push(value.clone()),
                "csrf" | "action" => {}
                _ => {
                    form.values.insert(key.clone(), value.clone());
                }
            }
        }
        form
    }

    pub fn v(&self, name: &str) -> &str {
        self.values
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }

    pub fn has(&self, name: &str) -> bool {
        self.errors.contains_key(name)
    }

    pub fn err(&self, name: &str) -> Option<&str> {
        self.errors.get(name).map(String::as_str)
    }

    pub fn checked(&self, area: &str) -> bool {
        self.areas.iter().any(|a| a == area)
    }

    /// Places each error beside its field (`areas[1]` beside the areas), in Norwegian.
    pub fn show_errors(&mut self, errors: &[FieldError]) {
        place_errors(&mut self.errors, errors, self.lang);
    }

    /// The errors in the order of the form, as (the input's id, its label,
    /// what is wrong): the summary at the top links each to its input.
    pub fn error_summary(&self) -> Vec<(&'static str, String, String)> {
        let inputs = self.inputs();
        let mut listed: Vec<(&'static str, String, String)> = inputs
            .iter()
            .filter_map(|(name, id, label)| Some((*id, label.clone(), self.err(name)?.to_owned())))
            .collect();
        let mut others: Vec<_> = self
            .errors
            .iter()
            .filter(|(name, _)| !inputs.iter().any(|(known, _, _)| known == name))
            .collect();
        others.sort();
        for (_, text) in others {
            listed.push(("kind", String::new(), text.clone()));
        }
        listed
    }

    /// Whether the editor changed the publication time the form showed.
    pub fn time_named(&self) -> bool {
        self.v("published_at") != self.v("published_at_before")
    }

    /// The notice document, for the same validation as the API. What cannot
    /// even become a document (a date the browser garbled, an amount that is
    /// no number) is returned as field errors.
    pub fn document(&self) -> (Value, Vec<FieldError>) {
        let mut errors = Vec::new();
        let mut doc = Map::new();
        let text = |name: &str| Some(self.v(name).trim()).filter(|v| !v.is_empty());
        for name in [
            "kind",
            "language",
            "title",
            "summary",
            "body",
            "source_url",
            "state",
        ] {
            if let Some(value) = text(name) {
                doc.insert(name.into(), json!(value));
            }
        }
        if !self.v("kind").is_empty() && !doc.contains_key("title") {
            doc.insert("title".into(), json!(""));
        }
        if !doc.contains_key("summary") {
            doc.insert("summary".into(), json!(""));
        }
        doc.insert("areas".into(), json!(self.areas));
        let instant = |name: &str, errors: &mut Vec<FieldError>| -> Option<String> {
            let raw = text(name)?;
            let was = self.v(&format!("{name}@was"));
            if !was.is_empty() && raw == self.v(&format!("{name}@shown")) {
                return Some(was.to_owned());
            }
            let parsed = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
                .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"));
            match parsed
                .ok()
                .and_then(|local| ZONE.from_local_datetime(&local).earliest())
            {
                Some(at) => Some(at.with_timezone(&Utc).to_rfc3339()),
                None => {
                    errors.push(FieldError::new(name, Invalid::FormDateTime));
                    None
                }
            }
        };
        if let Some(at) = instant("published_at", &mut errors) {
            doc.insert("published_at".into(), json!(at));
        }
        match self.v("kind") {
            "grant" => {
                let deadline = instant("grant.deadline", &mut errors);
                let amount_nok = text("grant.amount_nok").and_then(|raw| {
                    let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
                    let amount = digits.parse::<i64>().ok();
                    if amount.is_none() {
                        errors.push(FieldError::new("grant.amount_nok", Invalid::FormKroner));
                    }
                    amount
                });
                let applicants = self
                    .v("grant.applicants")
                    .split(',')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned)
                    .collect();
                let grant = GrantDocument {
                    deadline,
                    amount_nok,
                    applicants: Some(applicants),
                    apply_url: text("grant.apply_url").map(str::to_owned),
                };
                doc.insert("grant".into(), json!(grant));
            }
            "webinar" => {
                let webinar = WebinarDocument {
                    starts_at: instant("webinar.starts_at", &mut errors),
                    ends_at: instant("webinar.ends_at", &mut errors),
                    registration_url: text("webinar.registration_url").map(str::to_owned),
                    cancelled: Some(self.v("webinar.cancelled") == "true"),
                    cancellation_note: text("webinar.cancellation_note").map(str::to_owned),
                };
                doc.insert("webinar".into(), json!(webinar));
            }
            _ => {}
        }
        (Value::Object(doc), errors)
    }
}

/// Places each error beside its field, keyed by the field's name without an
/// index (`areas[1]` beside the areas), in Norwegian; a field's different
/// errors are joined, each said once.
pub fn place_errors(placed: &mut HashMap<String, String>, errors: &[FieldError], lang: Lang) {
    for error in errors {
        let text = lang.invalid(&error.invalid);
        let field = match error.field.split_once('[') {
            Some((name, _)) => name.to_owned(),
            None => error.field.clone(),
        };
        placed
            .entry(field)
            .and_modify(|m| {
                if !m.split("; ").any(|said| said == text) {
                    m.push_str("; ");
                    m.push_str(&text)
                }
            })
            .or_insert(text);
    }
}

/// What the form could not read, then what the notice's validation found in
/// the rest: every error at once, one per field (the form's own first).
pub fn all_errors(unread: Vec<FieldError>, invalid: Vec<FieldError>) -> Vec<FieldError> {
    let base = |field: &str| field.split('[').next().unwrap_or_default().to_owned();
    let named: Vec<String> = unread.iter().map(|e| base(&e.field)).collect();
    let mut errors = unread;
    errors.extend(
        invalid
            .into_iter()
            .filter(|e| !named.contains(&base(&e.field))),
    );
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;

    #[test]
    fn a_notice_round_trips_through_the_form() {
        for notice in seed::notices(chrono::Utc::now()) {
            let form = NoticeForm::of(&notice);
            let (doc, errors) = form.document();
            assert!(errors.is_empty(), "{errors:?}");
            let taxonomy = crate::domain::Taxonomy::new(seed::taxonomy());
            let input = crate::domain::input::parse(&doc, &taxonomy, Some(&notice)).unwrap();
            assert_eq!(input.title, notice.title);
            assert_eq!(input.details, notice.details);
            assert_eq!(input.published_at, Some(notice.published_at));
        }
    }

    #[test]
    fn an_untouched_time_keeps_its_seconds() {
        let mut notice = seed::notices(chrono::Utc::now())[1].clone();
        if let crate::domain::Details::Grant(grant) = &mut notice.details {
            grant.deadline = Some("2030-06-30T21:59:59Z".parse().unwrap());
        }
        let form = NoticeForm::of(&notice);
        assert_eq!(form.v("grant.deadline"), "2030-06-30T23:59");
        let sent: Vec<(String, String)> = form
            .values
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let (doc, _) = NoticeForm::from_pairs(&sent).document();
        let deadline =
            DateTime::parse_from_rfc3339(doc["grant"]["deadline"].as_str().unwrap()).unwrap();
        assert_eq!(deadline.timestamp(), notice_deadline(&notice));
        let mut changed = sent.clone();
        changed.retain(|(k, _)| k != "grant.deadline");
        changed.push(("grant.deadline".into(), "2030-07-01T12:00".into()));
        let (doc, _) = NoticeForm::from_pairs(&changed).document();
        assert_eq!(
            doc["grant"]["deadline"], "2030-07-01T10:00:00+00:00",
            "a changed time is read as typed"
        );
    }

    fn notice_deadline(notice: &Notice) -> i64 {
        match &notice.details {
            crate::domain::Details::Grant(g) => g.deadline.unwrap().timestamp(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn local_times_are_oslo_time() {
        let pairs = vec![
            ("kind".to_owned(), "grant".to_owned()),
            ("grant.deadline".to_owned(), "2026-12-01T12:00".to_owned()),
            ("grant.amount_nok".to_owned(), "1 500 000".to_owned()),
            (
                "grant.applicants".to_owned(),
                "kommuner, helseforetak".to_owned(),
            ),
        ];
        let (doc, errors) = NoticeForm::from_pairs(&pairs).document();
        assert!(errors.is_empty());
        assert_eq!(doc["grant"]["deadline"], "2026-12-01T11:00:00+00:00");
        assert_eq!(doc["grant"]["amount_nok"], 1_500_000);
        assert_eq!(
            doc["grant"]["applicants"],
            json!(["kommuner", "helseforetak"])
        );
        let bad = vec![
            ("kind".to_owned(), "grant".to_owned()),
            ("grant.deadline".to_owned(), "i morgen".to_owned()),
        ];
        let (_, errors) = NoticeForm::from_pairs(&bad).document();
        assert_eq!(errors[0].field, "grant.deadline");
    }
}
