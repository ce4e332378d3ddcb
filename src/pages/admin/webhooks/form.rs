//! The form that adds a webhook: what the admin chose, the webhook document
//! the admin API takes (so both share one validation), and what was wrong
//! with it, beside each field and in a summary.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::views::event_name;
use crate::domain::{EventType, FieldError, Kind, Taxonomy};
use crate::i18n::Lang;
use crate::pages::admin::fields::described;
use crate::pages::admin::form::place_errors;

/// A group of checkboxes; none chosen means all.
pub struct Choices {
    /// The document's field, the inputs' name, and the first input's id.
    pub name: &'static str,
    pub legend: String,
    /// (value, label, the type code beside the label, checked)
    pub choices: Vec<(String, String, &'static str, bool)>,
}

#[derive(Default)]
pub struct WebhookForm {
    pub url: String,
    pub description: String,
    chosen: HashMap<&'static str, Vec<String>>,
    /// What is wrong, by field, in the editor's written standard.
    errors: HashMap<String, String>,
    pub lang: Lang,
}

/// The checkbox groups, by field.
const GROUPS: [&str; 3] = ["events", "kind", "area"];

impl WebhookForm {
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            ..Self::default()
        }
    }

    /// The form as the browser sent it.
    pub fn from_pairs(pairs: &[(String, String)], lang: Lang) -> Self {
        let mut form = Self::new(lang);
        for (key, value) in pairs {
            match key.as_str() {
                "url" => form.url = value.clone(),
                "description" => form.description = value.clone(),
                group => {
                    if let Some(name) = GROUPS.into_iter().find(|g| *g == group) {
                        form.chosen.entry(name).or_default().push(value.clone());
                    }
                }
            }
        }
        form
    }

    /// The webhook document: an empty URL is left out (and told as
    /// required), an empty description too; an empty group is all.
    pub fn document(&self) -> Value {
        let mut doc = Map::new();
        let url = self.url.trim();
        if !url.is_empty() {
            doc.insert("url".into(), json!(url));
        }
        let description = self.description.trim();
        if !description.is_empty() {
            doc.insert("description".into(), json!(description));
        }
        for group in GROUPS {
            doc.insert(group.into(), json!(self.chosen(group)));
        }
        Value::Object(doc)
    }

    fn chosen(&self, group: &str) -> &[String] {
        self.chosen.get(group).map_or(&[], Vec::as_slice)
    }

    pub fn show_errors(&mut self, errors: &[FieldError]) {
        place_errors(&mut self.errors, errors, self.lang);
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    pub fn error_count(&self) -> usize {
        self.errors.len()
    }

    pub fn err(&self, name: &str) -> Option<&str> {
        self.errors.get(name).map(String::as_str)
    }

    /// The `aria-describedby` and `aria-invalid` of the input `id` of `name`.
    pub fn described(&self, name: &str, id: &str, hinted: bool) -> String {
        described(id, hinted, self.errors.contains_key(name))
    }

    /// The checkbox groups, in the order of the form, each choice checked
    /// as the admin left it.
    pub fn groups(&self, taxonomy: &Taxonomy) -> Vec<Choices> {
        let lang = self.lang;
        let checked = |group: &str, value: &str| self.chosen(group).iter().any(|v| v == value);
        let events = EventType::ALL
            .iter()
            .map(|e| {
                let value = e.as_str();
                (
                    value.to_owned(),
                    event_name(lang, *e),
                    value,
                    checked("events", value),
                )
            })
            .collect();
        let kinds = Kind::ALL
            .iter()
            .map(|k| {
                let value = k.as_str();
                (value.to_owned(), lang.kind(*k), "", checked("kind", value))
            })
            .collect();
        let areas = taxonomy
            .all()
            .iter()
            .filter(|a| a.linkable)
            .map(|a| {
                let checked = checked("area", &a.slug);
                (a.slug.clone(), a.name.clone(), "", checked)
            })
            .collect();
        vec![
            Choices {
                name: "events",
                legend: lang.t("webhook-form-events"),
                choices: events,
            },
            Choices {
                name: "kind",
                legend: lang.t("webhook-form-kinds"),
                choices: kinds,
            },
            Choices {
                name: "area",
                legend: lang.t("webhook-form-areas"),
                choices: areas,
            },
        ]
    }

    /// The errors in the order of the form, as (the input's id, its label,
    /// what is wrong): the summary links each to its input. An error of no
    /// field of the form is linked to the first.
    pub fn error_summary(&self) -> Vec<(&'static str, String, String)> {
        let t = |key: &str| self.lang.t(key);
        let inputs = [
            ("url", t("webhook-form-url")),
            ("description", t("webhook-form-description")),
            ("events", t("webhook-form-events")),
            ("kind", t("webhook-form-kinds")),
            ("area", t("webhook-form-areas")),
        ];
        let mut listed: Vec<_> = inputs
            .iter()
            .filter_map(|(name, label)| Some((*name, label.clone(), self.err(name)?.to_owned())))
            .collect();
        let mut others: Vec<_> = self
            .errors
            .iter()
            .filter(|(name, _)| !inputs.iter().any(|(known, _)| known == name))
            .map(|(_, text)| ("url", String::new(), text.clone()))
            .collect();
        others.sort();
        listed.extend(others);
        listed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(sent: &[(&str, &str)]) -> Vec<(String, String)> {
        sent.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_form_becomes_the_document_the_api_takes() {
        let form = WebhookForm::from_pairs(
            &pairs(&[
                ("csrf", "x"),
                ("url", " https://intranett.example.no/tavla "),
                ("description", ""),
                ("events", "notice.published"),
                ("kind", "grant"),
                ("kind", "news"),
            ]),
            Lang::Nb,
        );
        assert_eq!(
            form.document(),
            json!({
                "url": "https://intranett.example.no/tavla",
                "events": ["notice.published"],
                "kind": ["grant", "news"],
                "area": [],
            })
        );
    }

    #[test]
    fn errors_are_listed_in_the_order_of_the_form_with_their_labels() {
        let mut form = WebhookForm::new(Lang::Nb);
        form.show_errors(&[
            FieldError::new("area[0]", crate::domain::Invalid::ListedTwice),
            FieldError::new("url", crate::domain::Invalid::Required),
        ]);
        let summary = form.error_summary();
        assert_eq!(summary[0].0, "url");
        assert_eq!(summary[1].0, "area");
        assert_eq!(form.err("url"), Some("må fylles ut"));
        assert!(form.described("area", "area", false).contains("area-feil"));
    }
}
