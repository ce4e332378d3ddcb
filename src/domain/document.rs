//! Notice documents and notices, both ways: the document an editor edits
//! (`editable`), the notice a valid document makes or revises, the snapshot a
//! revision keeps, and which fields a change touched.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::input::NoticeInput;
use super::time::rfc3339_oslo;
use super::{Details, Kind, Language, Notice, State};

/// The notice document an editor sends: the body of a POST, and what a PATCH
/// (a JSON merge patch, RFC 7396) changes. Every invalid field is named in a
/// 422. Described once, here: the parser takes its field names from it, the
/// API description is derived from it, and `editable` writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NoticeDocument {
    /// Required on create; a notice keeps its kind.
    pub kind: Kind,
    /// One line, 1–200 characters, no control characters.
    #[schema(example = "Tilskudd til hospitering", min_length = 1, max_length = 200)]
    pub title: String,
    /// Plain text, 1–2000 characters; line breaks allowed.
    #[schema(min_length = 1, max_length = 2000)]
    pub summary: String,
    /// Markdown, up to 50 000 characters, with block quotes and lists, emphasis
    /// and links, and HTML elements each nested at most 16 levels deep;
    /// rendered and sanitised once when written.
    pub body: Option<String>,
    /// An absolute http(s) URL.
    pub source_url: Option<String>,
    /// The language it is written in: `nb` (bokmål, the default), `nn`
    /// (nynorsk), `se` (Northern Sami) or `en`.
    pub language: Option<Language>,
    /// An RFC 3339 instant, or a date (00:00 Europe/Oslo). Default: now. Ahead: scheduled.
    #[schema(example = "2026-12-01T09:00:00+01:00")]
    pub published_at: Option<String>,
    /// `published` (default) or `draft`; withdraw with DELETE.
    pub state: Option<State>,
    /// 1–10 linkable area slugs, each within the token's packages.
    #[schema(example = json!(["helsetjenester"]), min_items = 1, max_items = 10)]
    pub areas: Vec<String>,
    /// Only for grants.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant: Option<GrantDocument>,
    /// Only for webinars.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webinar: Option<WebinarDocument>,
}

/// A grant's terms in a notice document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GrantDocument {
    /// RFC 3339; `null` for a rolling grant.
    pub deadline: Option<String>,
    /// Whole kroner, 0 to 10^12.
    pub amount_nok: Option<i64>,
    /// Up to 20 groups, e.g. kommuner, fylkeskommuner, helseforetak, organisasjoner, fastleger.
    pub applicants: Option<Vec<String>>,
    pub apply_url: Option<String>,
}

/// A webinar's time and registration in a notice document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WebinarDocument {
    /// RFC 3339; required for a new webinar.
    pub starts_at: Option<String>,
    /// RFC 3339, after `starts_at`.
    pub ends_at: Option<String>,
    pub registration_url: Option<String>,
    /// Cancel with `true`; the webinar stays visible, marked cancelled.
    pub cancelled: Option<bool>,
    /// Up to 500 characters; only for a cancelled webinar.
    pub cancellation_note: Option<String>,
}

/// The document of an existing notice.
pub fn document(notice: &Notice) -> NoticeDocument {
    let instant = |at: Option<DateTime<Utc>>| at.map(rfc3339_oslo);
    let (grant, webinar) = match &notice.details {
        Details::Grant(g) => (
            Some(GrantDocument {
                deadline: instant(g.deadline),
                amount_nok: g.amount_nok,
                applicants: Some(g.applicants.clone()),
                apply_url: g.apply_url.clone(),
            }),
            None,
        ),
        Details::Webinar(w) => (
            None,
            Some(WebinarDocument {
                starts_at: instant(w.starts_at),
                ends_at: instant(w.ends_at),
                registration_url: w.registration_url.clone(),
                cancelled: Some(w.cancelled),
                cancellation_note: w.cancellation_note.clone(),
            }),
        ),
        Details::News => (None, None),
    };
    NoticeDocument {
        kind: notice.kind(),
        title: notice.title.clone(),
        summary: notice.summary.clone(),
        body: notice.body.as_ref().map(|b| b.markdown().to_owned()),
        source_url: notice.source_url.clone(),
        language: Some(notice.language),
        published_at: Some(rfc3339_oslo(notice.published_at)),
        state: Some(notice.state),
        areas: notice.areas.clone(),
        grant,
        webinar,
    }
}

/// The document of an existing notice as JSON, as a merge patch applies to it.
pub fn editable(notice: &Notice) -> Value {
    serde_json::to_value(document(notice)).expect("documents serialise")
}

/// The names of a struct's fields as serde reads them, from its
/// `Deserialize` implementation: what the parser accepts is what the type
/// (and so the API description) says.
pub fn field_names<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{self, Visitor};

    struct Names<'a>(&'a mut &'static [&'static str]);

    impl<'de> serde::Deserializer<'de> for Names<'_> {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("only a struct has field names"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("the names are read"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }

    let mut names: &'static [&'static str] = &[];
    let _ = T::deserialize(Names(&mut names));
    names
}

impl NoticeInput {
    /// A new notice (revision 1): published now unless the document says when.
    pub fn into_new(self, now: DateTime<Utc>) -> Notice {
        Notice {
            id: Notice::new_id(now),
            slug: super::slug::slugify(&self.title),
            state: self.state,
            published_at: self.published_at.unwrap_or(now),
            title: self.title,
            summary: self.summary,
            body: self.body,
            source_url: self.source_url,
            language: self.language,
            revision: 1,
            areas: self.areas,
            details: self.details,
            created_at: now,
            updated_at: now,
        }
    }

    /// `before` revised to this document; its id, slug and creation stay.
    /// A draft published without a time named (`time_named` false) goes out
    /// now, unless it already had a time still ahead: then it keeps it.
    pub fn revise(self, before: &Notice, time_named: bool, now: DateTime<Utc>) -> Notice {
        let publishing_draft = before.state == State::Draft
            && self.state == State::Published
            && !time_named
            && before.published_at <= now;
        Notice {
            state: self.state,
            title: self.title,
            summary: self.summary,
            body: self.body,
            source_url: self.source_url,
            language: self.language,
            published_at: match publishing_draft {
                true => now,
                false => self.published_at.unwrap_or(before.published_at),
            },
            areas: self.areas,
            details: self.details,
            revision: before.revision + 1,
            updated_at: now,
            ..before.clone()
        }
    }
}

/// `before`, withdrawn.
pub fn withdrawn(before: &Notice, now: DateTime<Utc>) -> Notice {
    Notice {
        state: State::Withdrawn,
        revision: before.revision + 1,
        updated_at: now,
        ..before.clone()
    }
}

/// The stored snapshot of a revision: the document plus what the server set.
pub fn snapshot(notice: &Notice) -> Value {
    let mut doc = editable(notice);
    doc["id"] = json!(notice.id);
    doc["slug"] = json!(notice.slug);
    doc["revision"] = json!(notice.revision);
    doc["created_at"] = json!(rfc3339_oslo(notice.created_at));
    doc["updated_at"] = json!(rfc3339_oslo(notice.updated_at));
    doc
}

/// The top-level fields whose values differ between two documents, for the audit trail.
pub fn changed_fields(before: &Value, after: &Value) -> Vec<String> {
    let (Some(before), Some(after)) = (before.as_object(), after.as_object()) else {
        return Vec::new();
    };
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .cloned()
        .collect()
}
