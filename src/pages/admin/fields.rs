//! The inputs of the editor's notice form, each labelled and hinted in the
//! editor's written standard: the common text fields, the language, and the
//! fields of each kind's details.

use super::form::NoticeForm;

/// One input of the form; `name` is the document's field path.
pub struct Field {
    pub name: &'static str,
    pub id: &'static str,
    pub label: String,
    pub input_type: &'static str,
    /// Empty when the field needs no hint.
    pub hint: String,
    pub multiline: bool,
}

/// The fields of one kind's details.
pub struct KindGroup {
    pub kind: &'static str,
    pub legend: String,
    pub fields: Vec<Field>,
}

impl NoticeForm {
    /// A field labelled by the message `label` (and `hint`, if not empty).
    fn field(
        &self,
        name: &'static str,
        id: &'static str,
        label: &str,
        input_type: &'static str,
        hint: &str,
    ) -> Field {
        Field {
            name,
            id,
            label: self.lang.t(label),
            input_type,
            hint: match hint {
                "" => String::new(),
                key => self.lang.t(key),
            },
            multiline: false,
        }
    }

    pub fn text_fields(&self) -> Vec<Field> {
        let long = |field: Field| Field {
            multiline: true,
            ..field
        };
        vec![
            self.field("title", "title", "form-title", "text", "form-title-hint"),
            long(self.field(
                "summary",
                "summary",
                "form-summary",
                "text",
                "form-summary-hint",
            )),
            long(self.field("body", "body", "form-body", "text", "form-body-hint")),
            self.field(
                "source_url",
                "source_url",
                "form-source",
                "url",
                "form-source-hint",
            ),
        ]
    }

    /// The languages a notice can be in, as (value, name), the notice's
    /// (bokmål for a new one) selected.
    pub fn languages(&self) -> Vec<(&'static str, String, bool)> {
        let chosen = match self.v("language") {
            "" => crate::domain::Language::default().as_str(),
            chosen => chosen,
        };
        crate::domain::Language::ALL
            .iter()
            .map(|l| {
                let code = l.as_str();
                (
                    code,
                    self.lang.t(&format!("language-{code}")),
                    code == chosen,
                )
            })
            .collect()
    }

    pub fn kind_groups(&self) -> Vec<KindGroup> {
        vec![
            KindGroup {
                kind: "grant",
                legend: self.lang.t("form-grant"),
                fields: vec![
                    self.field(
                        "grant.deadline",
                        "grant-deadline",
                        "form-deadline",
                        "datetime-local",
                        "form-deadline-hint",
                    ),
                    self.field(
                        "grant.amount_nok",
                        "grant-amount",
                        "form-amount",
                        "text",
                        "",
                    ),
                    self.field(
                        "grant.applicants",
                        "grant-applicants",
                        "form-applicants",
                        "text",
                        "form-applicants-hint",
                    ),
                    self.field(
                        "grant.apply_url",
                        "grant-apply",
                        "form-apply-url",
                        "url",
                        "",
                    ),
                ],
            },
            KindGroup {
                kind: "webinar",
                legend: self.lang.t("form-webinar"),
                fields: vec![
                    self.field(
                        "webinar.starts_at",
                        "webinar-starts",
                        "form-starts",
                        "datetime-local",
                        "form-starts-hint",
                    ),
                    self.field(
                        "webinar.ends_at",
                        "webinar-ends",
                        "form-ends",
                        "datetime-local",
                        "",
                    ),
                    self.field(
                        "webinar.registration_url",
                        "webinar-registration",
                        "form-registration-url",
                        "url",
                        "",
                    ),
                    self.field(
                        "webinar.cancelled",
                        "webinar-cancelled",
                        "form-cancelled",
                        "checkbox",
                        "",
                    ),
                    self.field(
                        "webinar.cancellation_note",
                        "webinar-note",
                        "form-cancellation-note",
                        "text",
                        "form-cancellation-note-hint",
                    ),
                ],
            },
        ]
    }
}
