//! Helpers of the import tests: sources through the admin API, waiting
//! for their fetches, reading what they imported.

use chrono::Duration;
use reqwest::Method;
use serde_json::{json, Value};

use super::upstream::Upstream;
use super::TestApp;

/// An RFC 2822 date `days` before the app's now.
pub fn days_ago(app: &TestApp, days: i64) -> String {
    (app.clock.now() - Duration::days(days)).to_rfc2822()
}

/// Registers a source; returns its view.
pub async fn register(app: &TestApp, admin: &str, doc: Value) -> Value {
    let response = app
        .send(
            Method::POST,
            "/api/v1/admin/sources",
            admin,
            Some(&doc),
            &[],
        )
        .await;
    assert_eq!(response.status(), 201, "register {doc}");
    response.json().await.unwrap()
}

/// Registers a source and waits for its first fetch, which the outbox's
/// worker makes at once; returns the source after it.
pub async fn register_fetched(app: &TestApp, admin: &str, doc: Value) -> Value {
    let since = app.clock.now();
    let id = register(app, admin, doc).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    settled(app, admin, &id, since).await
}

/// Fetches a source now; returns the answer's `result`.
pub async fn fetch(app: &TestApp, admin: &str, id: &str) -> Value {
    let path = format!("/api/v1/admin/sources/{id}/fetch");
    let response = app.send(Method::POST, &path, admin, None, &[]).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["result"].clone()
}

pub async fn source(app: &TestApp, admin: &str, id: &str) -> Value {
    let path = format!("/api/v1/admin/sources/{id}");
    let response = app.send(Method::GET, &path, admin, None, &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Every notice in `state`, as editors see them, by title.
pub async fn notices_in(app: &TestApp, admin: &str, state: &str) -> Vec<Value> {
    let path = format!("/api/v1/admin/notices?state={state}&limit=100");
    let response = app.send(Method::GET, &path, admin, None, &[]).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let mut items = body["items"].as_array().unwrap().clone();
    items.sort_by_key(|n| n["title"].as_str().unwrap().to_owned());
    items
}

pub fn grants_source(upstream: &Upstream) -> Value {
    json!({"url": upstream.feed_url(), "kind": "grant", "areas": ["helsetjenester"], "state": "draft"})
}

/// The imported notice whose link is `link`, as editors see it.
pub async fn imported_notice(app: &TestApp, admin: &str, link: &str) -> Value {
    for state in ["draft", "published"] {
        if let Some(found) = notices_in(app, admin, state)
            .await
            .into_iter()
            .find(|n| n["source_url"] == link)
        {
            return found;
        }
    }
    panic!("no notice links to {link}");
}

pub fn instant(value: &Value) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(value.as_str().unwrap()).unwrap()
}

/// Waits until a fetch made after `since` is recorded, the source's next
/// one is ahead of the clock (so no instance schedules another), and no
/// fetch is queued; returns the source.
pub async fn settled(
    app: &TestApp,
    admin: &str,
    id: &str,
    since: chrono::DateTime<chrono::Utc>,
) -> Value {
    let store = app.store();
    super::eventually(
        20,
        || "the fetch recorded and none queued".into(),
        || async {
            let after = source(app, admin, id).await;
            let next =
                chrono::DateTime::parse_from_rfc3339(after["next_fetch_at"].as_str()?).ok()?;
            let fetched = after["last_fetched_at"]
                .as_str()
                .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())?;
            let queued = store
                .run(|conn| tavla::store::outbox::unfinished(conn, tavla::store::sources::CHANNEL))
                .await
                .unwrap();
            (next > app.clock.now() && fetched >= since && queued == 0).then_some(after)
        },
    )
    .await
}
