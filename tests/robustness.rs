//! Inputs at the edges: every one a clear 4xx, never a 500, on both backends.

mod common;

use common::{assert_problem, grant_doc, oslo_days_ahead, TestApp, TestDb};
use reqwest::Method;
use serde_json::json;

on_every_backend! {
    async fn control_characters_in_parameters_are_4xx(app: TestApp) {
        assert_problem(app.get("/api/v1/notices?q=%00tilskudd").await, 400, Some("q")).await;
        assert_problem(app.get("/api/v1/notices/a%00b").await, 404, None).await;
        assert_eq!(app.get("/notices/a%00b").await.status(), 404);
        assert_problem(app.get("/api/v1/notices?area=a%00b").await, 400, Some("area")).await;
        let admin = app.admin();
        let audit = app.send(Method::GET, "/api/v1/admin/audit?action=x%00y", &admin, None, &[]).await;
        assert_problem(audit, 400, Some("action")).await;
    }

    async fn dates_beyond_what_can_be_stored_are_4xx(app: TestApp) {
        for query in ["to=%2B262142-12-31", "from=-4800-01-01", "to=9999-12-31T23:59:59Z", "from=%2B200000-01-01"] {
            let field = query.split('=').next().unwrap();
            assert_problem(app.get(&format!("/api/v1/notices?{query}")).await, 400, Some(field)).await;
        }
        let admin = app.admin();
        for published_at in ["0000-01-01", "9999-12-31T23:00:00-12:00", "1066-10-14T09:00:00Z"] {
            let mut doc = grant_doc("Tilskudd fra en annen tid");
            doc["published_at"] = json!(published_at);
            assert_problem(app.post_notice(&admin, &doc).await, 422, Some("published_at")).await;
        }
        let mut doc = grant_doc("Tilskudd med fjern frist");
        doc["grant"]["deadline"] = json!("+10000-01-01T00:00:00Z");
        assert_problem(app.post_notice(&admin, &doc).await, 422, Some("grant.deadline")).await;
        // The widest dates that are allowed keep every feed working.
        let mut doc = grant_doc("Tilskudd i år 9000");
        doc["published_at"] = json!("1900-01-02");
        doc["grant"]["deadline"] = json!("9000-12-31T12:00:00+01:00");
        app.create_notice(&admin, &doc).await;
        for path in ["/feed.rss", "/feed.atom", "/feed.json", "/calendar.ics", "/api/v1/notices?to=9000-12-31"] {
            assert_eq!(app.get(path).await.status(), 200, "{path}");
        }
        assert_eq!(app.all_notices("&from=1900-01-01&to=9000-12-31", 100).await.len(), 11);
    }

    async fn a_title_that_reads_as_an_id_cannot_take_over_another_notice(app: TestApp) {
        let editor = app.editor(&["helsetjenester"]);
        let victim = app.create_notice(&editor, &grant_doc("Det ekte tilskuddet")).await;
        let id = victim["id"].as_str().unwrap();
        let impostor = app.create_notice(&editor, &grant_doc(id)).await;
        assert_ne!(impostor["slug"], id, "a slug never reads as an id");
        assert_eq!(app.json(&format!("/api/v1/notices/{id}")).await["title"], "Det ekte tilskuddet");
        let admin = app.admin();
        let patched = app.patch_notice(&admin, id, "\"rev-1\"", &json!({"summary": "Rettet"})).await;
        assert_eq!(patched.status(), 200);
        assert_eq!(app.json(&format!("/api/v1/notices/{}", impostor["slug"].as_str().unwrap())).await["title"], id);
    }

    async fn a_draft_with_a_time_ahead_is_scheduled_when_published(app: TestApp) {
        let admin = app.admin();
        let mut doc = grant_doc("Utkast til mandag");
        doc["state"] = json!("draft");
        let monday = oslo_days_ahead(30, 9, 0);
        doc["published_at"] = json!(monday);
        let draft = app.create_notice(&admin, &doc).await;
        let published = app
            .patch_notice(&admin, draft["id"].as_str().unwrap(), "\"rev-1\"", &json!({"state": "published"}))
            .await;
        let published: serde_json::Value = published.json().await.unwrap();
        assert_eq!(published["published_at"], monday.as_str(), "kept, not moved to now");
        assert_eq!(published["public"], false);
    }

    async fn searches_mean_the_same_on_both_backends(app: TestApp) {
        let titles = |items: Vec<serde_json::Value>| {
            let mut t: Vec<String> = items.iter().map(|n| n["title"].as_str().unwrap().to_owned()).collect();
            t.sort();
            t
        };
        // Operators are words like any other: every word must match.
        assert!(app.all_notices("&q=tilskudd%20or%20webinar", 100).await.is_empty());
        assert_eq!(
            titles(app.all_notices("&q=-tilskudd", 100).await),
            titles(app.all_notices("&q=tilskudd", 100).await)
        );
        let found = titles(app.all_notices("&q=kompensere%20koronavirus", 100).await);
        assert_eq!(found, ["Kompensasjon til fastleger pga korona"]);
    }

    async fn a_failed_write_leaves_no_trace(app: TestApp) {
        let admin = app.admin();
        let created = app.create_notice(&admin, &grant_doc("Tilskudd uten spor")).await;
        let id = created["id"].as_str().unwrap();
        let stale = app.patch_notice(&admin, id, "\"rev-9\"", &json!({"title": "Aldri lagret"})).await;
        assert_eq!(stale.status(), 412);
        let invalid = app.patch_notice(&admin, id, "\"rev-1\"", &json!({"title": ""})).await;
        assert_eq!(invalid.status(), 422);
        let revisions = app.send(Method::GET, &format!("/api/v1/admin/notices/{id}/revisions"), &admin, None, &[]).await;
        let revisions: serde_json::Value = revisions.json().await.unwrap();
        assert_eq!(revisions["items"].as_array().unwrap().len(), 1);
        let audit = app.send(Method::GET, &format!("/api/v1/admin/audit?notice_id={id}"), &admin, None, &[]).await;
        let audit: serde_json::Value = audit.json().await.unwrap();
        assert_eq!(audit["items"].as_array().unwrap().len(), 1);
        assert_eq!(app.json(&format!("/api/v1/notices/{id}")).await["title"], "Tilskudd uten spor");
    }

    async fn a_key_given_twice_in_a_body_is_400(app: TestApp) {
        let admin = app.admin();
        let body = r#"{"kind": "news", "title": "Først", "title": "Sist", "summary": "Kort", "areas": ["helsetjenester"]}"#;
        let response = app.client.post(app.url("/api/v1/admin/notices")).bearer_auth(&admin)
            .header("content-type", "application/json").body(body).send().await.unwrap();
        let problem = assert_problem(response, 400, None).await;
        assert!(problem["detail"].as_str().unwrap().contains("\"title\" appears twice"), "{problem}");
        assert!(app.all_notices("&q=Sist", 10).await.is_empty(), "nothing was stored");
    }

    async fn thousands_of_bad_fields_get_a_short_answer(app: TestApp) {
        let admin = app.admin();
        let mut doc = grant_doc("Tilskudd med ti tusen felt");
        for i in 0..10_000 {
            doc[format!("u{i}")] = json!(i);
        }
        let response = app.post_notice(&admin, &doc).await;
        assert_eq!(response.status(), 422);
        let text = response.text().await.unwrap();
        assert!(text.len() < 20_000, "{} bytes", text.len());
        let problem: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(problem["errors"].as_array().unwrap().len(), 50);
        assert_eq!(problem["errors"][0]["code"], "unknown-field");
        assert_eq!(problem["more_errors"], 10_000 - 50);
        assert!(problem["detail"].as_str().unwrap().ends_with("and 9950 more"), "{}", problem["detail"]);
        let few = app.post_notice(&admin, &json!({"kind": "news"})).await;
        let few = assert_problem(few, 422, Some("title")).await;
        assert!(few.get("more_errors").is_none());
    }

    async fn titles_with_nothing_visible_or_a_direction_override_are_422(app: TestApp) {
        let admin = app.admin();
        for title in ["\u{200b}\u{200b}\u{200b}", "\u{feff}", "\u{0301}\u{0301}", "\u{3164}", "Tilskudd \u{202e}gnidnif", "Tilskudd\u{2028}til"] {
            let response = app.post_notice(&admin, &grant_doc(title)).await;
            let problem = assert_problem(response, 422, Some("title")).await;
            let code = problem["errors"][0]["code"].as_str().unwrap();
            assert!(["nothing-visible", "direction-override", "unicode-separator"].contains(&code), "{problem}");
        }
        assert_eq!(app.create_notice(&admin, &grant_doc("Tilskudd til «æøå» – e\u{0301}")).await["title"], "Tilskudd til «æøå» – e\u{0301}");
    }
}

#[tokio::test]
async fn a_search_of_stop_words_alone_is_400_on_postgres() {
    let app = TestApp::spawn(TestDb::Postgres).await;
    assert_problem(
        app.get("/api/v1/notices?q=og%20i%20til").await,
        400,
        Some("q"),
    )
    .await;
}
