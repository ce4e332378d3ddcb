//! Notice documents and notices, both ways: the document an editor edits
//! (`editable`), the notice a valid document makes or revises, the snapshot a
//! revision keeps, and which fields a change touched.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::input::NoticeInput;
use super::time::rfc3339_oslo;
use super::{Details, Notice, State};

/// The document of an existing notice, as a merge patch applies to it.
pub fn editable(notice: &Notice) -> Value {
    let mut doc = json!({
        "kind": notice.kind(),
        "title": notice.title,
        "summary": notice.summary,
        "body": notice.body.as_ref().map(|b| b.markdown()),
        "source_url": notice.source_url,
        "published_at": rfc3339_oslo(notice.published_at),
        "state": notice.state,
        "areas": notice.areas,
    });
    let instant = |at: Option<DateTime<Utc>>| at.map(rfc3339_oslo);
    match &notice.details {
        Details::Grant(g) => {
            doc["grant"] = json!({
                "deadline": instant(g.deadline),
                "amount_nok": g.amount_nok,
                "applicants": g.applicants,
                "apply_url": g.apply_url,
            })
        }
        Details::Webinar(w) => {
            doc["webinar"] = json!({
                "starts_at": instant(w.starts_at),
                "ends_at": instant(w.ends_at),
                "registration_url": w.registration_url,
                "cancelled": w.cancelled,
                "cancellation_note": w.cancellation_note,
            })
        }
        Details::News => {}
    }
    doc
}

impl NoticeInput {
    /// A new notice (revision 1): published now unless the document says when.
    pub fn into_new(self, now: DateTime<Utc>) -> Notice {
        Notice {
            id: uuid::Uuid::new_v4(),
            slug: super::slug::slugify(&self.title),
            state: self.state,
            published_at: self.published_at.unwrap_or(now),
            title: self.title,
            summary: self.summary,
            body: self.body,
            source_url: self.source_url,
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
