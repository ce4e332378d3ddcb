//! Markdown bodies: refused when too costly to render, rendered once when
//! written, and served everywhere as stored.

mod common;

use common::{assert_problem, grant_doc, TestApp, TestDb};
use diesel::prelude::*;
use serde_json::{json, Value};
use tavla::store::schema::notices;
use tavla::store::StoreError;

const BODY: &str = "## Hvem kan søke\n\n- kommuner\n- fylkeskommuner\n\n\
                    Les mer hos [Helsedirektoratet](https://www.helsedirektoratet.no/tilskudd).\n\n\
                    <script>alert('lurt')</script>";

fn assert_rendered_and_sanitised(html: &str) {
    assert!(html.contains("<h2>Hvem kan søke</h2>"), "{html}");
    assert!(html.contains("<li>kommuner</li>"), "{html}");
    assert!(
        html.contains("<a href=\"https://www.helsedirektoratet.no/tilskudd\" rel=\"noopener noreferrer\">Helsedirektoratet</a>"),
        "{html}"
    );
    assert!(
        !html.contains("<script") && !html.contains("lurt"),
        "{html}"
    );
}

/// The HTML kept in a notice's row.
fn stored_html(app: &TestApp, id: &str) -> Option<String> {
    let store = app.store();
    let mut conn = store.conn().unwrap();
    notices::table
        .find(id)
        .select(notices::body_html)
        .first(&mut *conn)
        .unwrap()
}

/// Changes a notice's row behind the server's back, as one write, so that
/// every cache learns of it as of any other write.
fn change_row(app: &TestApp, id: &str, body: Option<&str>, body_html: Option<&str>) {
    let store = app.store();
    let mut conn = store.conn().unwrap();
    tavla::store::write(&mut conn, |conn, _| -> Result<(), StoreError> {
        diesel::update(notices::table.find(id))
            .set((notices::body.eq(body), notices::body_html.eq(body_html)))
            .execute(conn)?;
        Ok(())
    })
    .unwrap();
}

fn field_message(problem: &Value, field: &str) -> String {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == field)
        .and_then(|e| e["message"].as_str())
        .unwrap()
        .to_owned()
}

/// The notice in `/api/v1/changes`, as a dashboard mirrors it.
async fn in_changes(app: &TestApp, id: &str) -> Value {
    let page = app.json("/api/v1/changes?limit=1000").await;
    let items = page["items"].as_array().unwrap();
    let item = items
        .iter()
        .find(|i| i["id"] == id)
        .expect("the notice changed");
    item["notice"].clone()
}

on_every_backend! {
    async fn a_body_nested_too_deep_is_422_naming_body(app: TestApp) {
        let admin = app.admin();
        let hostile = [
            ">".repeat(49_990) + "x",
            "- ".repeat(24_990) + "x",
            "> 1. ".repeat(9_990) + "x",
            "<div>".repeat(9_990),
        ];
        for body in &hostile {
            let mut doc = grant_doc("Tilskudd for dypt nøstet");
            doc["body"] = json!(body);
            let problem = assert_problem(app.post_notice(&admin, &doc).await, 422, Some("body")).await;
            assert!(field_message(&problem, "body").contains("more than 16 levels deep"), "{problem}");
        }
        // A correction is checked the same way, and changes nothing.
        let created = app.create_notice(&admin, &grant_doc("Tilskudd grunt nøstet")).await;
        let id = created["id"].as_str().unwrap();
        let patch = json!({"body": hostile[0]});
        assert_problem(app.patch_notice(&admin, id, "\"rev-1\"", &patch).await, 422, Some("body")).await;
        assert_eq!(app.json(&format!("/api/v1/notices/{id}")).await["body"], Value::Null);
        assert!(app.all_notices("&q=dypt", 100).await.is_empty());
    }

    async fn a_body_is_rendered_when_written_and_shown_sanitised_everywhere(app: TestApp) {
        let admin = app.admin();
        let mut doc = grant_doc("Tilskudd med brødtekst");
        doc["body"] = json!(BODY);
        let created = app.create_notice(&admin, &doc).await;
        let (id, slug) = (created["id"].as_str().unwrap(), created["slug"].as_str().unwrap());
        let html = created["body_html"].as_str().unwrap();
        assert_rendered_and_sanitised(html);
        assert_eq!(created["body"], BODY, "the Markdown as written");
        assert_eq!(stored_html(&app, id).as_deref(), Some(html), "kept as rendered");

        assert_eq!(app.json(&format!("/api/v1/notices/{slug}")).await["body_html"], html);
        let listed = app.all_notices("", 100).await;
        let listed = listed.iter().find(|n| n["id"] == id).unwrap();
        assert_eq!(listed["body_html"], html);
        assert_eq!(in_changes(&app, id).await["body_html"], html);
        let admin_view = app.send(reqwest::Method::GET, &format!("/api/v1/admin/notices/{id}"), &admin, None, &[]).await;
        assert_eq!(admin_view.json::<Value>().await.unwrap()["body_html"], html);
        let page = app.text(&format!("/notices/{slug}")).await;
        assert!(page.contains(html), "the page shows the stored HTML as it is");
        assert!(!page.contains("<script>alert"), "{page}");
        // Feeds carry the summary and key facts, never the body's script.
        for feed in ["/feed.rss", "/feed.atom", "/feed.json"] {
            let text = app.text(feed).await;
            assert!(text.contains("Tilskudd med brødtekst"), "{feed}");
            assert!(!text.contains("lurt"), "{feed}: {text}");
        }
    }

    async fn reads_serve_the_stored_html_and_never_render(app: TestApp) {
        let admin = app.admin();
        let mut doc = grant_doc("Tilskudd lest som lagret");
        doc["body"] = json!(BODY);
        let created = app.create_notice(&admin, &doc).await;
        let (id, slug) = (created["id"].as_str().unwrap(), created["slug"].as_str().unwrap());
        // HTML no render of the body would make: a read that rendered would show the body's.
        let marker = "<p>Slik det ble lagret.</p>\n";
        change_row(&app, id, Some(BODY), Some(marker));

        assert_eq!(app.json(&format!("/api/v1/notices/{slug}")).await["body_html"], marker);
        assert_eq!(in_changes(&app, id).await["body_html"], marker);
        let admin_view = app.send(reqwest::Method::GET, &format!("/api/v1/admin/notices/{id}"), &admin, None, &[]).await;
        assert_eq!(admin_view.json::<Value>().await.unwrap()["body_html"], marker);
        let page = app.text(&format!("/notices/{slug}")).await;
        assert!(page.contains(marker.trim_end()) && !page.contains("<h2>Hvem kan søke</h2>"), "{page}");
    }

    async fn a_patched_body_replaces_the_stored_html(app: TestApp) {
        let admin = app.admin();
        let mut doc = grant_doc("Tilskudd som rettes");
        doc["body"] = json!(BODY);
        let created = app.create_notice(&admin, &doc).await;
        let (id, slug) = (created["id"].as_str().unwrap(), created["slug"].as_str().unwrap());

        let patched = app.patch_notice(&admin, id, "\"rev-1\"", &json!({"body": "Ny *tekst*"})).await;
        assert_eq!(patched.status(), 200);
        let patched: Value = patched.json().await.unwrap();
        let html = "<p>Ny <em>tekst</em></p>\n";
        assert_eq!(patched["body_html"], html);
        assert_eq!(stored_html(&app, id).as_deref(), Some(html));
        assert_eq!(app.json(&format!("/api/v1/notices/{slug}")).await["body_html"], html);
        assert!(app.text(&format!("/notices/{slug}")).await.contains(html.trim_end()));

        let cleared = app.patch_notice(&admin, id, "\"rev-2\"", &json!({"body": null})).await;
        assert_eq!(cleared.status(), 200);
        assert_eq!(stored_html(&app, id), None);
        let public = app.json(&format!("/api/v1/notices/{slug}")).await;
        assert_eq!((&public["body"], &public["body_html"]), (&Value::Null, &Value::Null));
    }

    async fn bodies_kept_with_an_h1_are_rendered_below_the_title_once_migrated(app: TestApp) {
        let admin = app.admin();
        let markdown = "# Overskrift\n\nTekst.";
        let mut doc = grant_doc("Tilskudd med overskrift fra før");
        doc["body"] = json!(markdown);
        let created = app.create_notice(&admin, &doc).await;
        let (id, slug) = (created["id"].as_str().unwrap(), created["slug"].as_str().unwrap());
        let rendered = "<h2>Overskrift</h2>\n<p>Tekst.</p>\n";
        assert_eq!(created["body_html"], rendered, "rendered below the title when written");
        // As a Tavla that kept a body's `#` as an h1 left it, before the
        // migration that renders those again.
        change_row(&app, id, Some(markdown), Some("<h1>Overskrift</h1>\n<p>Tekst.</p>\n"));
        let untouched = app.create_notice(&admin, &{
            let mut doc = grant_doc("Tilskudd uten overskrift");
            doc["body"] = json!("Bare tekst.");
            doc
        }).await;
        let synced = app.json("/api/v1/changes?limit=1000").await["next"].as_str().unwrap().to_owned();
        {
            let store = app.store();
            let mut conn = store.conn().unwrap();
            diesel::sql_query("DELETE FROM __diesel_schema_migrations WHERE version = '20261201000015'")
                .execute(&mut *conn)
                .unwrap();
        }

        let app = app.restart().await;
        assert_eq!(stored_html(&app, id).as_deref(), Some(rendered));
        let page = app.text(&format!("/notices/{slug}")).await;
        assert_eq!(page.matches("<h1").count(), 1, "{page}");
        let changed = app.json(&format!("/api/v1/changes?since={synced}")).await;
        let changed: Vec<&Value> = changed["items"].as_array().unwrap().iter().map(|i| &i["id"]).collect();
        assert_eq!(changed, [id], "a dashboard learns of the new HTML, and of nothing else");
        assert_eq!(stored_html(&app, untouched["id"].as_str().unwrap()).as_deref(), Some("<p>Bare tekst.</p>\n"));
    }

    async fn bodies_stored_without_their_html_are_rendered_at_start(app: TestApp) {
        // As rows stored before bodies were rendered on write: one of them a
        // body accepted before bodies were checked.
        let admin = app.admin();
        let created = app.create_notice(&admin, &grant_doc("Tilskudd fra før")).await;
        let (id, slug) = (created["id"].as_str().unwrap(), created["slug"].as_str().unwrap());
        let hostile = ">".repeat(49_990) + "x";
        change_row(&app, id, Some(&hostile), None);
        let seeds = app.all_notices("", 100).await;
        let seed = seeds
            .iter()
            .find(|n| n["id"] != id && n["body_html"].is_string())
            .expect("a seed with a body");
        let (seed_id, seed_html) = (seed["id"].as_str().unwrap(), seed["body_html"].as_str().unwrap());
        assert!(seed_html.starts_with("<p>"), "{seed_html}");
        {
            let store = app.store();
            let mut conn = store.conn().unwrap();
            diesel::update(notices::table.filter(notices::body.is_not_null().and(notices::id.ne(id))))
                .set(notices::body_html.eq(None::<String>))
                .execute(&mut *conn)
                .unwrap();
        }
        // Until the next start, such a row is rendered on read; the hostile
        // one as its text, escaped, not as 49 990 nested quotes.
        let old = app.json(&format!("/api/v1/notices/{slug}")).await;
        let old_html = old["body_html"].as_str().unwrap().to_owned();
        assert!(old_html.starts_with("<pre>&gt;&gt;") && !old_html.contains("<blockquote"), "{}", &old_html[..100]);

        let app = app.restart().await;
        assert_eq!(stored_html(&app, seed_id).as_deref(), Some(seed_html), "rendered at start, as on write");
        assert_eq!(stored_html(&app, id).as_deref(), Some(old_html.as_str()));
        let unrendered: i64 = {
            let store = app.store();
            let mut conn = store.conn().unwrap();
            notices::table
                .filter(notices::body.is_not_null().and(notices::body_html.is_null()))
                .count()
                .get_result(&mut *conn)
                .unwrap()
        };
        assert_eq!(unrendered, 0);
    }
}
