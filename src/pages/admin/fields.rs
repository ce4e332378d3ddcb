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
    /// Must be filled in: marked so beside its label, and `required`.
    pub required: bool,
}

fn required(field: Field) -> Field {
    Field {
        required: true,
        ..field
    }
}

/// The fields of one kind's details.
pub struct KindGroup {
    pub kind: &'static str,
    pub legend: String,
    pub fields: Vec<Field>,
}

/// The `aria-describedby` and `aria-invalid` of the input `id`: its hint
/// (`{id}-hint`) and, when it is `invalid`, its error (`{id}-feil`).
pub fn described(id: &str, hinted: bool, invalid: bool) -> String {
    let mut by = Vec::new();
    if hinted {
        by.push(format!("{id}-hint"));
    }
    if invalid {
        by.push(format!("{id}-feil"));
    }
    let mut attributes = String::new();
    if !by.is_empty() {
        attributes.push_str(&format!(" aria-describedby=\"{}\"", by.join(" ")));
    }
    if invalid {
        attributes.push_str(" aria-invalid=\"true\"");
    }
    attributes
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
            required: false,
        }
    }

    /// The `aria-describedby` and `aria-invalid` of the input `id`: its hint
    /// (`{id}-hint`) and its error (`{id}-feil`), those it has.
    pub fn described(&self, name: &str, id: &str, hinted: bool) -> String {
        described(id, hinted, self.has(name))
    }

    /// Every input that can have an error, in the order of the form, as
    /// (name, id, label): the error summary lists and links them so.
    pub fn inputs(&self) -> Vec<(&'static str, &'static str, String)> {
        let t = |key: &str| self.lang.t(key);
        let mut inputs = vec![
            ("kind", "kind", t("form-kind")),
            ("language", "language", t("language")),
        ];
        inputs.extend(
            self.text_fields()
                .into_iter()
                .map(|f| (f.name, f.id, f.label)),
        );
        inputs.push(("areas", "areas", t("form-areas")));
        inputs.push(("state", "state", t("form-state")));
        inputs.push(("published_at", "published_at", t("form-published-at")));
        for group in self.kind_groups() {
            inputs.extend(group.fields.into_iter().map(|f| (f.name, f.id, f.label)));
        }
        inputs
    }

    pub fn text_fields(&self) -> Vec<Field> {
        let long = |field: Field| Field {
            multiline: true,
            ..field
        };
        vec![
            required(self.field("title", "title", "form-title", "text", "form-title-hint")),
            required(long(self.field(
                "summary",
                "summary",
                "form-summary",
                "text",
                "form-summary-hint",
            ))),
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
                    required(self.field(
                        "webinar.starts_at",
                        "webinar-starts",
                        "form-starts",
                        "datetime-local",
                        "form-starts-hint",
                    )),
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
