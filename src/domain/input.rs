//! An editor's notice document: validated as a whole, every error named.
//!
//! POST sends the document; PATCH sends a JSON merge patch that is applied to
//! the current document (`editable`) and the result is validated the same way.

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::document::{field_names, GrantDocument, NoticeDocument, WebinarDocument};
use super::invalid::Invalid;
use super::validation::{self as check, Errors, FieldError};
use super::{Body, Details, GrantDetails, Kind, Language, Notice, State, Taxonomy, WebinarDetails};

pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 2000;
pub const BODY_MAX: usize = 50_000;
const NOTE_MAX: usize = 500;
const APPLICANT_MAX: usize = 100;
const APPLICANTS_MAX: usize = 20;
const AREAS_MAX: usize = 10;
const AMOUNT_MAX: i64 = 1_000_000_000_000;

/// The fields an editor writes: those of the notice document.
pub fn editable_fields() -> &'static [&'static str] {
    field_names::<NoticeDocument>()
}

/// The fields of a document's `grant`.
pub fn grant_fields() -> &'static [&'static str] {
    field_names::<GrantDocument>()
}

/// The fields of a document's `webinar`.
pub fn webinar_fields() -> &'static [&'static str] {
    field_names::<WebinarDocument>()
}

/// Fields the server sets; shown in responses, refused in input.
const READ_ONLY: &[&str] = &[
    "id",
    "slug",
    "revision",
    "url",
    "status",
    "body_html",
    "created_at",
    "updated_at",
    "public",
];
/// A valid notice document.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeInput {
    pub title: String,
    pub summary: String,
    /// Rendered here, so that a body too costly to render is refused with the rest.
    pub body: Option<Body>,
    pub source_url: Option<String>,
    pub language: Language,
    /// `None`: now.
    pub published_at: Option<DateTime<Utc>>,
    pub state: State,
    pub areas: Vec<String>,
    pub details: Details,
}

fn unknown_fields(
    errors: &mut Errors,
    object: &Map<String, Value>,
    prefix: &str,
    allowed: &[&str],
) {
    for key in object.keys() {
        if allowed.contains(&key.as_str()) {
            continue;
        }
        let invalid = if prefix.is_empty() && READ_ONLY.contains(&key.as_str()) {
            Invalid::ReadOnly
        } else {
            Invalid::UnknownField {
                allowed: allowed.join(", "),
            }
        };
        errors.add(&format!("{prefix}{key}"), invalid);
    }
}

/// Validates a whole document. `existing` is the notice a PATCH changes.
pub fn parse(
    doc: &Value,
    taxonomy: &Taxonomy,
    existing: Option<&Notice>,
) -> Result<NoticeInput, Vec<FieldError>> {
    let mut errors = Errors::default();
    let Value::Object(fields) = doc else {
        errors.add("", Invalid::NotAnObject { document: true });
        return Err(errors.0);
    };
    unknown_fields(&mut errors, fields, "", editable_fields());
    let get = |name: &str| fields.get(name).filter(|v| !v.is_null());

    let kind = match get("kind") {
        None => {
            let choices = Kind::names();
            errors.add("kind", Invalid::RequiredChoice { choices });
            None
        }
        Some(value) => choice(&mut errors, "kind", value, Kind::names()),
    };
    // A notice keeps its kind; its details are checked against the kind it has.
    let kind = match (kind, existing) {
        (Some(kind), Some(existing)) if kind != existing.kind() => {
            errors.add("kind", Invalid::KindFixed);
            Some(existing.kind())
        }
        (kind, _) => kind,
    };
    let mut required_text = |name: &str, max: usize, multiline: bool| match get(name) {
        None => {
            errors.add(name, Invalid::Required);
            None
        }
        Some(v) => errors.check(name, check::text(v, max, multiline)),
    };
    let title = required_text("title", TITLE_MAX, false);
    let summary = required_text("summary", SUMMARY_MAX, true);
    let body = errors.check(
        "body",
        check::optional_text(get("body"), BODY_MAX, true).and_then(|markdown| {
            markdown
                .map(|m| Body::render(m).map_err(Invalid::Costly))
                .transpose()
        }),
    );
    let source_url = errors.check("source_url", check::optional_url(get("source_url")));
    let language = match get("language") {
        None => Some(existing.map_or(Language::default(), |n| n.language)),
        Some(value) => choice(&mut errors, "language", value, Language::names()),
    };
    let published_at = match get("published_at") {
        None => Some(None),
        Some(v) => errors
            .check("published_at", check::instant_or_date(v))
            .map(Some),
    };
    let state = state(&mut errors, get("state"), existing);
    let areas = areas(&mut errors, get("areas"), taxonomy);
    let details = kind.and_then(|kind| details(&mut errors, kind, fields, existing));

    match (
        title,
        summary,
        body,
        source_url,
        language,
        published_at,
        state,
        areas,
        details,
    ) {
        (
            Some(title),
            Some(summary),
            Some(body),
            Some(source_url),
            Some(language),
            Some(published_at),
            Some(state),
            Some(areas),
            Some(details),
        ) if errors.0.is_empty() => Ok(NoticeInput {
            title,
            summary,
            body,
            source_url,
            language,
            published_at,
            state,
            areas,
            details,
        }),
        _ => Err(errors.0),
    }
}

/// One of a closed set of names (`choices`, for the error), given as a string.
fn choice<T: std::str::FromStr>(
    errors: &mut Errors,
    field: &str,
    value: &Value,
    choices: String,
) -> Option<T> {
    let parsed = value.as_str().and_then(|s| s.parse::<T>().ok());
    if parsed.is_none() {
        errors.add(field, Invalid::NotAChoice { choices });
    }
    parsed
}

fn state(errors: &mut Errors, value: Option<&Value>, existing: Option<&Notice>) -> Option<State> {
    let Some(value) = value else {
        return Some(existing.map_or(State::Published, |n| n.state));
    };
    let parsed = match value {
        Value::String(s) => {
            errors.check("state", s.parse::<State>().map_err(|_| Invalid::NotAState))?
        }
        _ => {
            errors.add("state", Invalid::NotAState);
            return None;
        }
    };
    let already_withdrawn = existing.is_some_and(|n| n.state == State::Withdrawn);
    if parsed == State::Withdrawn && !already_withdrawn {
        errors.add("state", Invalid::WithdrawByDelete);
        return None;
    }
    Some(parsed)
}

fn areas(errors: &mut Errors, value: Option<&Value>, taxonomy: &Taxonomy) -> Option<Vec<String>> {
    let Some(Value::Array(items)) = value else {
        errors.add("areas", Invalid::AreasRequired);
        return None;
    };
    if items.is_empty() || items.len() > AREAS_MAX {
        errors.add("areas", Invalid::AreasCount { max: AREAS_MAX });
        return None;
    }
    let mut slugs: Vec<String> = Vec::new();
    let before = errors.0.len();
    for (i, item) in items.iter().enumerate() {
        let field = format!("areas[{i}]");
        let Value::String(slug) = item else {
            errors.add(&field, Invalid::NotAreaSlug);
            continue;
        };
        match taxonomy.get(slug) {
            None => errors.add(&field, Invalid::UnknownArea { slug: slug.clone() }),
            Some(area) if !area.linkable => errors.add(
                &field,
                Invalid::NotLinkable {
                    name: area.name.clone(),
                },
            ),
            Some(_) if slugs.contains(slug) => errors.add(&field, Invalid::ListedTwice),
            Some(_) => slugs.push(slug.clone()),
        }
    }
    (errors.0.len() == before).then_some(slugs)
}

fn object<'a>(
    errors: &mut Errors,
    fields: &'a Map<String, Value>,
    name: &str,
    allowed: &[&str],
) -> Option<&'a Map<String, Value>> {
    match fields.get(name) {
        None | Some(Value::Null) => None,
        Some(Value::Object(o)) => {
            unknown_fields(errors, o, &format!("{name}."), allowed);
            Some(o)
        }
        Some(_) => {
            errors.add(name, Invalid::NotAnObject { document: false });
            None
        }
    }
}

fn details(
    errors: &mut Errors,
    kind: Kind,
    fields: &Map<String, Value>,
    existing: Option<&Notice>,
) -> Option<Details> {
    for (other, owner) in [("grant", Kind::Grant), ("webinar", Kind::Webinar)] {
        if owner != kind && fields.get(other).is_some_and(|v| !v.is_null()) {
            let kind = owner.to_string();
            errors.add(other, Invalid::OnlyFor { kind });
        }
    }
    let empty = Map::new();
    match kind {
        Kind::News => Some(Details::News),
        Kind::Grant => {
            let g = object(errors, fields, "grant", grant_fields()).unwrap_or(&empty);
            let deadline =
                errors.check("grant.deadline", check::optional_instant(g.get("deadline")));
            let amount_nok = errors.check("grant.amount_nok", amount(g.get("amount_nok")));
            let applicants = errors.check("grant.applicants", applicants(g.get("applicants")));
            let apply_url =
                errors.check("grant.apply_url", check::optional_url(g.get("apply_url")));
            Some(Details::Grant(GrantDetails {
                deadline: deadline?,
                amount_nok: amount_nok?,
                applicants: applicants?,
                apply_url: apply_url?,
            }))
        }
        Kind::Webinar => {
            let w = object(errors, fields, "webinar", webinar_fields()).unwrap_or(&empty);
            let starts_at = errors.check(
                "webinar.starts_at",
                check::optional_instant(w.get("starts_at")),
            );
            let ends_at =
                errors.check("webinar.ends_at", check::optional_instant(w.get("ends_at")));
            let registration_url = errors.check(
                "webinar.registration_url",
                check::optional_url(w.get("registration_url")),
            );
            let cancelled = match w.get("cancelled") {
                None | Some(Value::Null) => Some(false),
                Some(Value::Bool(b)) => Some(*b),
                Some(_) => {
                    errors.add("webinar.cancelled", Invalid::NotBool);
                    None
                }
            };
            let note = errors.check(
                "webinar.cancellation_note",
                check::optional_text(w.get("cancellation_note"), NOTE_MAX, true),
            );
            let (starts_at, ends_at, cancelled, note) = (starts_at?, ends_at?, cancelled?, note?);
            // Sources without a time (some seeds) may stay so; new webinars need one.
            let had_no_start = existing.is_some_and(
                |n| matches!(&n.details, Details::Webinar(w) if w.starts_at.is_none()),
            );
            if starts_at.is_none() && !had_no_start {
                errors.add("webinar.starts_at", Invalid::StartRequired);
            }
            if let (Some(start), Some(end)) = (starts_at, ends_at) {
                if end <= start {
                    errors.add("webinar.ends_at", Invalid::EndBeforeStart);
                }
            }
            if ends_at.is_some() && starts_at.is_none() {
                errors.add("webinar.ends_at", Invalid::EndWithoutStart);
            }
            if note.is_some() && !cancelled {
                errors.add("webinar.cancellation_note", Invalid::NoteWithoutCancel);
            }
            Some(Details::Webinar(WebinarDetails {
                starts_at,
                ends_at,
                registration_url: registration_url?,
                cancelled,
                cancellation_note: note,
            }))
        }
    }
}

fn amount(value: Option<&Value>) -> Result<Option<i64>, Invalid> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(a) if (0..=AMOUNT_MAX).contains(&a) => Ok(Some(a)),
            _ => Err(Invalid::AmountRange { max: AMOUNT_MAX }),
        },
        Some(_) => Err(Invalid::NotKroner),
    }
}

fn applicants(value: Option<&Value>) -> Result<Vec<String>, Invalid> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) if items.len() <= APPLICANTS_MAX => items
            .iter()
            .map(|item| check::text(item, APPLICANT_MAX, false))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|inner| Invalid::Applicant(Box::new(inner))),
        Some(Value::Array(_)) => Err(Invalid::ApplicantsCount {
            max: APPLICANTS_MAX,
        }),
        Some(_) => Err(Invalid::NotAList),
    }
}
