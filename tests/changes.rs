//! `GET /api/v1/changes`: a dashboard that polls it mirrors the public set exactly.

mod common;

use std::collections::BTreeMap;

use common::{assert_problem, grant_doc, TestApp, TestDb};
use reqwest::Method;
use serde_json::{json, Value};

/// A dashboard's copy of the public notices, kept by polling the changes feed.
struct Mirror {
    notices: BTreeMap<String, Value>,
    next: Option<String>,
}

impl Mirror {
    fn new() -> Self {
        Self {
            notices: BTreeMap::new(),
            next: None,
        }
    }

    /// Polls until nothing more is waiting; returns the items seen.
    async fn sync(&mut self, app: &TestApp, limit: usize) -> Vec<Value> {
        let mut seen = Vec::new();
        loop {
            let mut path = format!("/api/v1/changes?limit={limit}");
            if let Some(next) = &self.next {
                path.push_str(&format!("&since={next}"));
            }
            let page = app.json(&path).await;
            for item in page["items"].as_array().unwrap() {
                let id = item["id"].as_str().unwrap().to_owned();
                match &item["notice"] {
                    Value::Null => self.notices.remove(&id),
                    notice => self.notices.insert(id, notice.clone()),
                };
                seen.push(item.clone());
            }
            self.next = Some(page["next"].as_str().unwrap().to_owned());
            if page["has_more"] == false {
                return seen;
            }
        }
    }

    async fn assert_matches_public(&self, app: &TestApp) {
        let public: BTreeMap<String, Value> = app
            .all_notices("", 100)
            .await
            .into_iter()
            .map(|n| (n["id"].as_str().unwrap().to_owned(), n))
            .collect();
        assert_eq!(
            self.notices.keys().collect::<Vec<_>>(),
            public.keys().collect::<Vec<_>>()
        );
        for (id, notice) in &public {
            assert_eq!(self.notices[id]["title"], notice["title"]);
            assert_eq!(self.notices[id]["summary"], notice["summary"]);
        }
    }
}

on_every_backend! {
    async fn a_dashboard_polling_changes_mirrors_the_public_set(app: TestApp) {
        let admin = app.admin();
        let mut mirror = Mirror::new();
        let first = mirror.sync(&app, 3).await;
        assert_eq!(first.len(), 10, "a full sync at first, a page at a time");
        mirror.assert_matches_public(&app).await;
        assert!(mirror.sync(&app, 3).await.is_empty(), "nothing new");

        let created = app.create_notice(&admin, &grant_doc("Nytt tilskudd")).await;
        let id = created["id"].as_str().unwrap().to_owned();
        let mut draft = grant_doc("Bare et utkast");
        draft["state"] = json!("draft");
        app.create_notice(&admin, &draft).await;
        let seen = mirror.sync(&app, 100).await;
        assert_eq!(seen.len(), 1, "drafts are no public change: {seen:?}");
        assert_eq!(seen[0]["id"], id.as_str());
        mirror.assert_matches_public(&app).await;

        app.patch_notice(&admin, &id, "\"rev-1\"", &json!({"summary": "Rettet"})).await;
        let seen = mirror.sync(&app, 100).await;
        assert_eq!(seen[0]["notice"]["summary"], "Rettet");
        mirror.assert_matches_public(&app).await;

        app.send(Method::DELETE, &format!("/api/v1/admin/notices/{id}"), &admin, None, &[]).await;
        let seen = mirror.sync(&app, 100).await;
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0]["state"], "withdrawn");
        assert_eq!(seen[0]["notice"], Value::Null, "a tombstone");
        assert!(seen[0]["changed_at"].is_string());
        mirror.assert_matches_public(&app).await;
    }

    async fn a_scheduled_notice_reaches_the_mirror_when_it_goes_live(app: TestApp) {
        let admin = app.admin();
        let mut mirror = Mirror::new();
        mirror.sync(&app, 100).await;
        let at = app.clock.now() + chrono::Duration::hours(4);
        let at = chrono::DateTime::from_timestamp(at.timestamp(), 0).unwrap();
        let mut doc = grant_doc("Tilskudd som kommer");
        doc["published_at"] = json!(at.to_rfc3339());
        let scheduled = app.create_notice(&admin, &doc).await;
        assert!(mirror.sync(&app, 100).await.is_empty(), "not before its time");
        app.clock.advance(chrono::Duration::hours(4) + chrono::Duration::seconds(1));
        // The outbox's worker records the go-live within a poll; nobody's read does.
        let id = scheduled["id"].clone();
        common::eventually(5, || "the go-live in the changes".into(), || async {
            let all = app.json("/api/v1/changes?limit=1000").await;
            all["items"].as_array().unwrap().iter().any(|c| c["id"] == id).then_some(())
        })
        .await;
        let seen = mirror.sync(&app, 100).await;
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0]["id"], scheduled["id"]);
        assert_eq!(seen[0]["state"], "published");
        mirror.assert_matches_public(&app).await;
        assert!(mirror.sync(&app, 100).await.is_empty(), "once");
    }

    async fn bad_change_tokens_are_400(app: TestApp) {
        assert_problem(app.get("/api/v1/changes?since=nonsense").await, 400, Some("since")).await;
        assert_problem(app.get("/api/v1/changes?limit=0").await, 400, Some("limit")).await;
        assert_problem(app.get("/api/v1/changes?after=1").await, 400, Some("after")).await;
    }
}
