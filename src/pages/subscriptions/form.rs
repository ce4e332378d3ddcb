//! The subscription form: on the front and area pages (a new subscription,
//! keeping the page's filters), on its own page with what was wrong, and on
//! the manage page (a subscription's choices, its written standard among
//! them). What the reader chose becomes the subscription document the API
//! takes, so both share one validation.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveTime;
use serde_json::{json, Map, Value};

use crate::domain::subscription::{Frequency, MailLanguage};
use crate::domain::{FieldError, Kind, Taxonomy};
use crate::i18n::Lang;
use crate::pages::in_lang;
use crate::store::mail::Recipient;

/// What the reader chose, and what was wrong with it, in the page's
/// written standard.
pub struct SubscriptionForm {
    pub lang: Lang,
    /// Where the form is sent.
    pub action: String,
    /// The address typed: the subscribe form asks for it, the manage page
    /// does not (an address is changed by subscribing it).
    pub email: Option<String>,
    /// The manage page's token, sent back with the form.
    pub token: Option<String>,
    kinds: Vec<String>,
    /// The areas the form offers to choose; with none, it says that every
    /// area is taken in.
    offered: Vec<String>,
    areas: Vec<String>,
    frequency: String,
    pub reminders: bool,
    pub language: String,
    /// When digests go out, for the frequencies' labels.
    digest_time: NaiveTime,
    taxonomy: Arc<Taxonomy>,
    errors: HashMap<String, String>,
}

/// The inputs that can have an error, in the order of the form, as (name,
/// the first input's id, the label's message).
const INPUTS: [(&str, &str, &str); 6] = [
    ("email", "sub-email", "sub-form-email"),
    ("kind", "sub-kind", "sub-form-kinds"),
    ("area", "sub-area", "sub-form-areas"),
    ("frequency", "sub-frequency", "sub-form-frequency"),
    ("reminders", "sub-reminders", "sub-form-reminders"),
    ("language", "sub-language", "sub-form-language"),
];

impl SubscriptionForm {
    fn new(lang: Lang, action: &str, digest_time: NaiveTime, taxonomy: Arc<Taxonomy>) -> Self {
        Self {
            lang,
            action: in_lang(lang, action),
            email: None,
            token: None,
            kinds: Vec::new(),
            offered: Vec::new(),
            areas: Vec::new(),
            frequency: Frequency::Immediate.as_str().to_owned(),
            reminders: false,
            language: lang.code().to_owned(),
            digest_time,
            taxonomy,
            errors: HashMap::new(),
        }
    }

    /// A new subscription in the page's written standard, `kinds` and
    /// `areas` (the page's filters) chosen, and only those areas offered.
    pub fn subscribe(
        lang: Lang,
        digest_time: NaiveTime,
        taxonomy: Arc<Taxonomy>,
        kinds: Vec<String>,
        areas: Vec<String>,
    ) -> Self {
        let mut form = Self::new(lang, "/subscriptions", digest_time, taxonomy);
        form.email = Some(String::new());
        form.kinds = kinds;
        form.offered = areas.clone();
        form.areas = areas;
        form
    }

    /// The manage page's form, every area that takes notices offered.
    pub fn manage(
        lang: Lang,
        digest_time: NaiveTime,
        taxonomy: Arc<Taxonomy>,
        token: &str,
    ) -> Self {
        let mut form = Self::new(lang, "/subscriptions/manage", digest_time, taxonomy);
        form.token = Some(token.to_owned());
        form.offered = form
            .taxonomy
            .all()
            .iter()
            .filter(|a| a.linkable)
            .map(|a| a.slug.clone())
            .collect();
        form
    }

    /// Shows a subscription's choices as they are.
    pub fn show(&mut self, subscription: &Recipient) {
        let filter = &subscription.filter;
        self.kinds = filter.kinds.iter().map(|k| k.as_str().to_owned()).collect();
        self.areas = filter.areas.clone();
        self.frequency = subscription.frequency.as_str().to_owned();
        self.reminders = subscription.reminders;
        self.language = subscription.language.as_str().to_owned();
    }

    /// What the browser sent: the boxes left unticked are not sent, so
    /// what it chose replaces what the form held.
    pub fn read(mut self, pairs: &[(String, String)]) -> Self {
        let all = |name: &str| -> Vec<String> {
            pairs
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .collect()
        };
        let one = |name: &str| all(name).into_iter().next().unwrap_or_default();
        if self.email.is_some() {
            self.email = Some(one("email"));
        }
        self.language = one("language");
        let offered = all("offered");
        if !offered.is_empty() {
            self.offered = offered;
        }
        self.kinds = all("kind");
        self.areas = all("area");
        self.frequency = one("frequency");
        self.reminders = one("reminders") == "true";
        self
    }

    /// The subscription document the API takes: an empty field is left
    /// out (a missing address is told as required), no box ticked is all.
    pub fn document(&self) -> Value {
        let mut doc = Map::new();
        let mut text = |name: &str, value: &str| {
            if !value.trim().is_empty() {
                doc.insert(name.into(), json!(value.trim()));
            }
        };
        text("email", self.email.as_deref().unwrap_or_default());
        text("frequency", &self.frequency);
        text("language", &self.language);
        doc.insert("kind".into(), json!(self.kinds));
        doc.insert("area".into(), json!(self.areas));
        doc.insert("reminders".into(), json!(self.reminders));
        Value::Object(doc)
    }

    /// The message `key` in the page's written standard.
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// Places each error beside its field (`kind[1]` beside the kinds), in
    /// the page's written standard, each said once, as the editor's forms do.
    pub fn show_errors(&mut self, errors: &[FieldError]) {
        for error in errors {
            let text = self.lang.invalid(&error.invalid);
            let field = error.field.split('[').next().unwrap_or_default();
            let said = self.errors.entry(field.to_owned()).or_default();
            if !said.split("; ").any(|s| s == text) {
                if !said.is_empty() {
                    said.push_str("; ");
                }
                said.push_str(&text);
            }
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    pub fn has(&self, name: &str) -> bool {
        self.errors.contains_key(name)
    }

    pub fn err(&self, name: &str) -> Option<&str> {
        self.errors.get(name).map(String::as_str)
    }

    /// The `aria-describedby` and `aria-invalid` of the input `id` of
    /// `name`: its hint (`{id}-hint`) and, when it is wrong, its error
    /// (`{id}-feil`), as on the editor's forms.
    pub fn described(&self, name: &str, id: &str, hinted: bool) -> String {
        let invalid = self.has(name);
        let by: Vec<String> = [(hinted, "hint"), (invalid, "feil")]
            .iter()
            .filter(|(has, _)| *has)
            .map(|(_, what)| format!("{id}-{what}"))
            .collect();
        let mut attributes = String::new();
        if !by.is_empty() {
            attributes.push_str(&format!(" aria-describedby=\"{}\"", by.join(" ")));
        }
        if invalid {
            attributes.push_str(" aria-invalid=\"true\"");
        }
        attributes
    }

    /// «Rett opp feltene som er merket (1).»
    pub fn fix_fields(&self) -> String {
        let count = self.errors.len().to_string();
        self.lang.t_with("sub-form-fix-fields", &[("count", count)])
    }

    /// The errors in the order of the form, as (the input's id, its label,
    /// what is wrong): the summary links each to its input, or to the
    /// form's first input when it has none (a value no input sends).
    pub fn error_summary(&self) -> Vec<(&'static str, String, String)> {
        let first = match self.email {
            Some(_) => "sub-email",
            None => "sub-kind",
        };
        let shown = |name: &str| match name {
            "email" => self.email.is_some(),
            "area" => !self.area_choices().is_empty(),
            "language" => self.email.is_none(),
            _ => true,
        };
        let mut listed: Vec<_> = INPUTS
            .iter()
            .filter_map(|(name, id, label)| {
                let id = if shown(name) { *id } else { first };
                Some((id, self.t(label), self.err(name)?.to_owned()))
            })
            .collect();
        let mut others: Vec<_> = self
            .errors
            .iter()
            .filter(|(name, _)| !INPUTS.iter().any(|(known, _, _)| known == name))
            .map(|(_, text)| (first, String::new(), text.clone()))
            .collect();
        others.sort();
        listed.extend(others);
        listed
    }

    /// The kinds, as (value, name, chosen).
    pub fn kind_choices(&self) -> Vec<(&'static str, String, bool)> {
        Kind::ALL
            .iter()
            .map(|k| {
                let value = k.as_str();
                (
                    value,
                    self.lang.kind(*k),
                    self.kinds.iter().any(|c| c == value),
                )
            })
            .collect()
    }

    /// The areas offered and any chosen besides, in the taxonomy's order,
    /// as (slug, name, chosen).
    pub fn area_choices(&self) -> Vec<(String, String, bool)> {
        let chosen = |slug: &str| self.areas.iter().any(|a| a == slug);
        self.taxonomy
            .all()
            .iter()
            .filter(|a| chosen(&a.slug) || self.offered.contains(&a.slug))
            .map(|a| (a.slug.clone(), a.name.clone(), chosen(&a.slug)))
            .collect()
    }

    /// The areas offered, sent back with the form so that an area unticked
    /// stays offered when the form is shown again.
    pub fn offered(&self) -> &[String] {
        &self.offered
    }

    /// How often, as (value, label, chosen): the digests say when they go out.
    pub fn frequency_choices(&self) -> Vec<(&'static str, String, bool)> {
        let time = self.digest_time.format("%H.%M").to_string();
        Frequency::ALL
            .iter()
            .map(|f| {
                let label = match f {
                    Frequency::Immediate => self.t("sub-form-immediate"),
                    Frequency::Daily => self
                        .lang
                        .t_with("sub-form-daily", &[("time", time.clone())]),
                    Frequency::Weekly => self
                        .lang
                        .t_with("sub-form-weekly", &[("time", time.clone())]),
                };
                (f.as_str(), label, self.frequency == f.as_str())
            })
            .collect()
    }

    /// The written standards of the e-mails, as (value, name, chosen).
    pub fn language_choices(&self) -> Vec<(&'static str, String, bool)> {
        MailLanguage::ALL
            .iter()
            .map(|l| {
                let code = l.as_str();
                let name = self.lang.t(&format!("language-{code}"));
                (code, name, self.language == code)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taxonomy() -> Arc<Taxonomy> {
        Arc::new(Taxonomy::new(crate::seed::taxonomy()))
    }

    fn seven() -> NaiveTime {
        NaiveTime::from_hms_opt(7, 0, 0).unwrap()
    }

    fn pairs(sent: &[(&str, &str)]) -> Vec<(String, String)> {
        sent.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_form_becomes_the_document_the_api_takes() {
        let form = SubscriptionForm::subscribe(Lang::Nn, seven(), taxonomy(), vec![], vec![]).read(
            &pairs(&[
                ("email", " kari@example.org "),
                ("language", "nn"),
                ("offered", "helsetjenester"),
                ("kind", "grant"),
                ("frequency", "weekly"),
                ("reminders", "true"),
            ]),
        );
        assert_eq!(
            form.document(),
            json!({"email": "kari@example.org", "language": "nn", "kind": ["grant"], "area": [],
                   "frequency": "weekly", "reminders": true})
        );
        let areas = form.area_choices();
        assert_eq!(areas.len(), 1, "an area unticked stays offered");
        assert!(!areas[0].2);
        assert_eq!(form.action, "/nn/subscriptions");
    }

    #[test]
    fn errors_are_listed_in_the_order_of_the_form_and_linked_to_an_input() {
        let mut form = SubscriptionForm::subscribe(Lang::Nb, seven(), taxonomy(), vec![], vec![]);
        form.show_errors(&[
            FieldError::new("language", crate::domain::Invalid::Required),
            FieldError::new("email", crate::domain::Invalid::NotAnEmail),
        ]);
        let summary = form.error_summary();
        assert_eq!(summary[0].0, "sub-email");
        assert_eq!(summary[0].1, "E-postadresse");
        assert_eq!(summary[1].0, "sub-email", "the language has no input here");
        assert!(form
            .described("email", "sub-email", false)
            .contains("aria-invalid"));
    }
}
