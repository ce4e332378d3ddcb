use super::*;
use crate::domain::document::editable;
use crate::seed;
use serde_json::json;

fn taxonomy() -> Taxonomy {
    Taxonomy::new(seed::taxonomy())
}

fn fields(result: Result<NoticeInput, Vec<FieldError>>) -> Vec<String> {
    result.unwrap_err().into_iter().map(|e| e.field).collect()
}

#[test]
fn a_minimal_news_notice_is_valid_and_published() {
    let input = parse(
        &json!({"kind": "news", "title": " Hei ", "summary": "Tekst", "areas": ["helsetjenester"]}),
        &taxonomy(),
        None,
    )
    .unwrap();
    assert_eq!(input.title, "Hei");
    assert_eq!(input.state, State::Published);
    assert_eq!(input.published_at, None);
    assert_eq!(input.details, Details::News);
}

#[test]
fn every_bad_field_is_named_at_once() {
    let doc = json!({
        "kind": "webinar",
        "title": "",
        "summary": "x".repeat(2001),
        "areas": ["helse-pleie-omsorg-og-vern", "nowhere"],
        "source_url": "javascript:alert(1)",
        "webinar": {"starts_at": "2026-12-01T10:00:00+01:00", "ends_at": "2026-12-01T09:00:00+01:00", "room": 1},
        "grant": {},
        "slug": "x",
        "colour": "red"
    });
    let mut bad = fields(parse(&doc, &taxonomy(), None));
    bad.sort();
    assert_eq!(
        bad,
        [
            "areas[0]",
            "areas[1]",
            "colour",
            "grant",
            "slug",
            "source_url",
            "summary",
            "title",
            "webinar.ends_at",
            "webinar.room"
        ]
    );
}

#[test]
fn a_new_webinar_needs_a_start_and_a_note_needs_cancelling() {
    let doc = json!({"kind": "webinar", "title": "W", "summary": "S", "areas": ["helsetjenester"],
                     "webinar": {"cancellation_note": "avlyst"}});
    assert_eq!(
        fields(parse(&doc, &taxonomy(), None)),
        ["webinar.starts_at", "webinar.cancellation_note"]
    );
}

#[test]
fn an_existing_document_round_trips() {
    for notice in seed::notices(chrono::Utc::now()) {
        let doc = editable(&notice);
        let input = parse(&doc, &taxonomy(), Some(&notice)).unwrap();
        assert_eq!(input.title, notice.title);
        assert_eq!(input.details, notice.details);
        assert_eq!(input.published_at, Some(notice.published_at));
        assert_eq!(input.areas, notice.areas);
    }
}

#[test]
fn kind_cannot_change_and_withdrawal_is_a_delete() {
    let notice = &seed::notices(chrono::Utc::now())[1];
    let mut doc = editable(notice);
    doc["kind"] = json!("news");
    doc.as_object_mut().unwrap().remove("grant");
    assert_eq!(fields(parse(&doc, &taxonomy(), Some(notice))), ["kind"]);
    let mut doc = editable(notice);
    doc["state"] = json!("withdrawn");
    assert_eq!(fields(parse(&doc, &taxonomy(), Some(notice))), ["state"]);
}
