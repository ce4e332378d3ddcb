//! The admin API for notices: every status code, permissions, edit collisions,
//! idempotency, scheduling, hostile text, durability, revisions and audit.

mod common;

use common::{assert_problem, grant_doc, oslo_days_ahead, TestApp, TestDb};
use reqwest::Method;
use serde_json::{json, Value};

fn id_of(notice: &Value) -> String {
    notice["id"].as_str().unwrap().to_owned()
}

on_every_backend! {
    async fn a_new_notices_id_begins_with_its_creation_on_the_apps_clock(app: TestApp) {
        // Far from the machine's own time, so an id made from that would show.
        app.clock.advance(chrono::Duration::days(400));
        let admin = app.admin();
        let created = app.create_notice(&admin, &grant_doc("Tilskudd med ny id")).await;
        let id = uuid::Uuid::parse_str(&id_of(&created)).unwrap();
        assert_eq!(id.get_version_num(), 7, "{id}");
        let (secs, nanos) = id.get_timestamp().unwrap().to_unix();
        let in_id = secs as i64 * 1000 + i64::from(nanos / 1_000_000);
        let created_at = chrono::DateTime::parse_from_rfc3339(created["created_at"].as_str().unwrap())
            .unwrap()
            .timestamp_millis();
        assert_eq!(in_id, created_at, "the id's instant is the notice's creation");
        let off = (app.clock.now().timestamp_millis() - created_at).abs();
        assert!(off < 60_000, "created on the app's clock, {off} ms from it");
    }

    async fn a_created_notice_is_201_with_location_and_etag_and_public(app: TestApp) {
        let admin = app.admin();
        let response = app.post_notice(&admin, &grant_doc("Tilskudd til lokalt folkehelsearbeid")).await;
        assert_eq!(response.status(), 201);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(response.headers()["etag"], "\"rev-1\"");
        let created: Value = response.json().await.unwrap();
        assert_eq!(location, format!("/api/v1/admin/notices/{}", id_of(&created)));
        assert_eq!(created["state"], "published");
        assert_eq!(created["revision"], 1);
        assert_eq!(created["slug"], "tilskudd-til-lokalt-folkehelsearbeid");
        assert_eq!(created["grant"]["amount_nok"], 1500000);
        let read = app.send(Method::GET, &location, &admin, None, &[]).await;
        assert_eq!(read.headers()["etag"], "\"rev-1\"");
        let public = app.json(&format!("/api/v1/notices/{}", created["slug"].as_str().unwrap())).await;
        assert_eq!(public["title"], "Tilskudd til lokalt folkehelsearbeid");
        assert_eq!(public["status"], "open");
        assert!(app.text("/feed.rss").await.contains(&id_of(&created)));
    }

    async fn missing_or_bad_tokens_are_401_with_a_bearer_challenge(app: TestApp) {
        let no_token = app.client.get(app.url("/api/v1/admin/notices")).send().await.unwrap();
        assert_eq!(no_token.headers()["www-authenticate"], "Bearer realm=\"tavla\"");
        assert_problem(no_token, 401, None).await;
        let admin = app.admin();
        let forged = format!("{}x", &admin[..admin.len() - 1]);
        for bad in ["nonsense", forged.as_str(), "tavla_00000000000000000000000000000000_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"] {
            let response = app.send(Method::GET, "/api/v1/admin/notices", bad, None, &[]).await;
            assert!(response.headers()["www-authenticate"].to_str().unwrap().contains("invalid_token"));
            assert_problem(response, 401, None).await;
        }
        let basic = app.client.get(app.url("/api/v1/admin/notices")).basic_auth("a", Some("b")).send().await.unwrap();
        assert_problem(basic, 401, None).await;
        let post = app.client.post(app.url("/api/v1/admin/notices")).json(&grant_doc("x")).send().await.unwrap();
        assert_problem(post, 401, None).await;
    }

    async fn bad_bodies_get_400_413_415_and_422_naming_every_field(app: TestApp) {
        let admin = app.admin();
        let post = |body: &'static str, content_type: &'static str| {
            app.client
                .post(app.url("/api/v1/admin/notices"))
                .bearer_auth(&admin)
                .header("content-type", content_type)
                .body(body)
                .send()
        };
        let malformed = post("{\"kind\": \"news\",", "application/json").await.unwrap();
        let body = assert_problem(malformed, 400, None).await;
        assert!(body["detail"].as_str().unwrap().contains("not valid JSON"));
        assert_problem(post("{}", "text/plain").await.unwrap(), 415, None).await;
        let no_type = app.client.post(app.url("/api/v1/admin/notices")).bearer_auth(&admin).body("{}").send().await.unwrap();
        assert_problem(no_type, 415, None).await;
        let huge = json!({"kind": "news", "title": "x", "summary": "y".repeat(300_000), "areas": ["helsetjenester"]});
        assert_problem(app.post_notice(&admin, &huge).await, 413, None).await;

        let invalid = json!({
            "kind": "webinar",
            "title": "t".repeat(201),
            "areas": ["helse-pleie-omsorg-og-vern", "finnes-ikke"],
            "source_url": "ikke en adresse",
            "published_at": "i morgen",
            "webinar": {"starts_at": "2030-01-01T12:00:00+01:00", "ends_at": "2030-01-01T11:00:00+01:00",
                        "registration_url": "javascript:alert(1)"},
            "farge": "rød"
        });
        let response = app.post_notice(&admin, &invalid).await;
        let body = assert_problem(response, 422, Some("title")).await;
        let mut fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        fields.sort();
        assert_eq!(fields, [
            "areas[0]", "areas[1]", "farge", "published_at", "source_url", "summary", "title",
            "webinar.ends_at", "webinar.registration_url"
        ]);
        assert_eq!(app.all_notices("", 100).await.len(), 10, "nothing was stored");
        let not_object = app.post_notice(&admin, &json!([1, 2])).await;
        assert_problem(not_object, 422, None).await;
    }

    async fn a_patch_needs_if_match_and_a_stale_one_is_412(app: TestApp) {
        let admin = app.admin();
        let created = app.create_notice(&admin, &grant_doc("Tilskudd til rettelse")).await;
        let id = id_of(&created);
        let path = format!("/api/v1/admin/notices/{id}");
        let without = app.send(Method::PATCH, &path, &admin, Some(&json!({"title": "Ny"})), &[]).await;
        assert_problem(without, 428, None).await;
        let star = app.patch_notice(&admin, &id, "*", &json!({"title": "Ny"})).await;
        assert_problem(star, 428, None).await;

        let patched = app
            .patch_notice(&admin, &id, "\"rev-1\"", &json!({"grant": {"deadline": "2031-01-15T12:00:00+01:00"}}))
            .await;
        assert_eq!(patched.status(), 200);
        assert_eq!(patched.headers()["etag"], "\"rev-2\"");
        let patched: Value = patched.json().await.unwrap();
        assert_eq!(patched["grant"]["deadline"], "2031-01-15T12:00:00+01:00");
        assert_eq!(patched["grant"]["amount_nok"], 1500000, "untouched fields stay");
        assert_eq!(patched["slug"], created["slug"]);

        let stale = app.patch_notice(&admin, &id, "\"rev-1\"", &json!({"title": "For sent"})).await;
        assert_problem(stale, 412, None).await;
        let cleared = app
            .send(Method::PATCH, &path, &admin, Some(&json!({"grant": {"amount_nok": null}})),
                  &[("if-match", "\"rev-2\""), ("content-type", "application/merge-patch+json")])
            .await;
        assert_eq!(cleared.status(), 200);
        let cleared: Value = cleared.json().await.unwrap();
        assert_eq!(cleared["grant"]["amount_nok"], Value::Null, "null clears a field");
        let renamed = app.patch_notice(&admin, &id, "\"rev-3\"", &json!({"title": "Nytt navn på tilskuddet"})).await;
        let renamed: Value = renamed.json().await.unwrap();
        assert_eq!(renamed["slug"], created["slug"], "the slug is kept when the title changes");
        let bad = app.patch_notice(&admin, &id, "\"rev-4\"", &json!({"title": "", "kind": "news", "id": "x"})).await;
        let body = assert_problem(bad, 422, Some("title")).await;
        assert_eq!(body["errors"].as_array().unwrap().len(), 3, "{body}");
        let unknown = app.patch_notice(&admin, "00000000-0000-4000-8000-000000000000", "\"rev-1\"", &json!({})).await;
        assert_problem(unknown, 404, None).await;
    }

    async fn two_concurrent_patches_with_one_etag_let_exactly_one_win(app: TestApp) {
        let admin = app.admin();
        let id = id_of(&app.create_notice(&admin, &grant_doc("Tilskudd med kollisjon")).await);
        for round in 1..=5 {
            let etag = format!("\"rev-{round}\"");
            let (patch_a, patch_b) = (json!({"summary": format!("A {round}")}), json!({"summary": format!("B {round}")}));
            let (a, b) = tokio::join!(
                app.patch_notice(&admin, &id, &etag, &patch_a),
                app.patch_notice(&admin, &id, &etag, &patch_b),
            );
            let mut codes = [a.status().as_u16(), b.status().as_u16()];
            codes.sort();
            assert_eq!(codes, [200, 412], "round {round}");
        }
        let notice = app.json(&format!("/api/v1/notices/{id}")).await;
        assert!(notice["summary"].as_str().unwrap().ends_with(" 5"));
    }

    async fn an_idempotent_retry_creates_one_notice(app: TestApp) {
        let admin = app.admin();
        let doc = grant_doc("Tilskudd sendt to ganger");
        let key = [("idempotency-key", "a6f0d4b2-retry-1")];
        let first = app.send(Method::POST, "/api/v1/admin/notices", &admin, Some(&doc), &key).await;
        assert_eq!(first.status(), 201);
        let location = first.headers()["location"].clone();
        let first: Value = first.json().await.unwrap();
        let retry = app.send(Method::POST, "/api/v1/admin/notices", &admin, Some(&doc), &key).await;
        assert_eq!(retry.status(), 201);
        assert_eq!(retry.headers()["location"], location);
        let retry: Value = retry.json().await.unwrap();
        assert_eq!(retry, first, "the first response, again");
        // The same document written another way (spacing, key order).
        let mut fields: Vec<(String, Value)> = doc.as_object().unwrap().clone().into_iter().collect();
        fields.reverse();
        let respelled = format!(
            "{{\n  {}\n}}",
            fields.iter().map(|(k, v)| format!("{}: {}", json!(k), v)).collect::<Vec<_>>().join(",\n  ")
        );
        assert_ne!(respelled, doc.to_string());
        let again = app
            .client
            .post(app.url("/api/v1/admin/notices"))
            .bearer_auth(&admin)
            .header("content-type", "application/json")
            .header("idempotency-key", "a6f0d4b2-retry-1")
            .body(respelled)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 201, "the same document, spelled otherwise, is a retry");
        assert_eq!(again.headers()["location"], location);
        let found = app.all_notices("&q=ganger", 100).await;
        assert_eq!(found.len(), 1);
        let other_body = app
            .send(Method::POST, "/api/v1/admin/notices", &admin, Some(&grant_doc("Noe annet")), &key)
            .await;
        assert_problem(other_body, 422, None).await;
        let bad_key = app
            .send(Method::POST, "/api/v1/admin/notices", &admin, Some(&doc), &[("idempotency-key", "")])
            .await;
        assert_problem(bad_key, 400, None).await;
    }

    async fn an_editor_is_confined_to_its_areas(app: TestApp) {
        let admin = app.admin();
        let editor = app.editor(&["helsetjenester"]);
        let own = app.create_notice(&editor, &grant_doc("Tilskudd i eget område")).await;
        let mut outside = grant_doc("Tilskudd i andres område");
        outside["areas"] = json!(["helsetjenester", "barnevern-og-familievern"]);
        assert_problem(app.post_notice(&editor, &outside).await, 403, None).await;
        let theirs = app.create_notice(&admin, &outside).await;
        let patch = app.patch_notice(&editor, &id_of(&theirs), "\"rev-1\"", &json!({"title": "Kapret"})).await;
        assert_problem(patch, 403, None).await;
        let delete = app
            .send(Method::DELETE, &format!("/api/v1/admin/notices/{}", id_of(&theirs)), &editor, None, &[])
            .await;
        assert_problem(delete, 403, None).await;
        let move_out = app
            .patch_notice(&editor, &id_of(&own), "\"rev-1\"", &json!({"areas": ["kommuneoverlege"]}))
            .await;
        assert_problem(move_out, 403, None).await;
        let listed = app.send(Method::GET, "/api/v1/admin/notices?limit=100", &editor, None, &[]).await;
        let listed: Value = listed.json().await.unwrap();
        let items = listed["items"].as_array().unwrap();
        assert!(items.iter().any(|n| n["id"] == own["id"]));
        assert!(items.iter().all(|n| n["areas"].as_array().unwrap().iter().all(|a| a == "helsetjenester")));
        let tokens = app.send(Method::GET, "/api/v1/admin/tokens", &editor, None, &[]).await;
        assert_problem(tokens, 403, None).await;
        let parent = app.editor(&["helse-pleie-omsorg-og-vern"]);
        assert_eq!(app.post_notice(&parent, &outside).await.status(), 201, "a parent package covers its children");
    }

    async fn a_withdrawn_notice_is_gone_from_the_public_but_kept(app: TestApp) {
        let admin = app.admin();
        let created = app.create_notice(&admin, &grant_doc("Tilskudd som trekkes")).await;
        let id = id_of(&created);
        let path = format!("/api/v1/admin/notices/{id}");
        let stale = app.send(Method::DELETE, &path, &admin, None, &[("if-match", "\"rev-7\"")]).await;
        assert_problem(stale, 412, None).await;
        let withdrawn = app.send(Method::DELETE, &path, &admin, None, &[]).await;
        assert_eq!(withdrawn.status(), 200);
        let withdrawn: Value = withdrawn.json().await.unwrap();
        assert_eq!(withdrawn["state"], "withdrawn");
        assert_problem(app.get(&format!("/api/v1/notices/{id}")).await, 410, None).await;
        assert_eq!(app.get(&format!("/notices/{}", created["slug"].as_str().unwrap())).await.status(), 410);
        assert!(!app.text("/feed.rss").await.contains(&id));
        assert!(!app.all_notices("", 100).await.iter().any(|n| n["id"] == id.as_str()));
        let admin_view = app.send(Method::GET, &path, &admin, None, &[]).await;
        let admin_view: Value = admin_view.json().await.unwrap();
        assert_eq!(admin_view["state"], "withdrawn");
        let again = app.send(Method::DELETE, &path, &admin, None, &[]).await;
        assert_eq!(again.status(), 200, "withdrawing twice changes nothing");
        let restored = app.patch_notice(&admin, &id, "\"rev-2\"", &json!({"state": "published"})).await;
        assert_eq!(restored.status(), 200, "an editor can undo a withdrawal");
        assert_eq!(app.get(&format!("/api/v1/notices/{id}")).await.status(), 200);
    }

    async fn drafts_stay_private_until_published(app: TestApp) {
        let admin = app.admin();
        let mut doc = grant_doc("Tilskudd som utkast");
        doc["state"] = json!("draft");
        let draft = app.create_notice(&admin, &doc).await;
        let id = id_of(&draft);
        assert_problem(app.get(&format!("/api/v1/notices/{id}")).await, 404, None).await;
        let drafts = app.send(Method::GET, "/api/v1/admin/notices?state=draft", &admin, None, &[]).await;
        let drafts: Value = drafts.json().await.unwrap();
        assert_eq!(drafts["items"].as_array().unwrap().len(), 1);
        let published = app.patch_notice(&admin, &id, "\"rev-1\"", &json!({"state": "published"})).await;
        let published: Value = published.json().await.unwrap();
        assert_eq!(published["public"], true);
        assert_eq!(app.json(&format!("/api/v1/notices/{id}")).await["id"], id.as_str());
        let withdrawn = app.patch_notice(&admin, &id, "\"rev-2\"", &json!({"state": "withdrawn"})).await;
        assert_problem(withdrawn, 422, Some("state")).await;
    }

    async fn a_cancelled_webinar_stays_visible_marked_cancelled(app: TestApp) {
        let admin = app.admin();
        let starts_at = oslo_days_ahead(300, 10, 0);
        let webinar = app
            .create_notice(&admin, &json!({
                "kind": "webinar",
                "title": "Webinar om smittesporing",
                "summary": "Et webinar for kommunene.",
                "areas": ["kommuneoverlege"],
                "webinar": {"starts_at": starts_at, "ends_at": oslo_days_ahead(300, 11, 30),
                            "registration_url": "https://www.helsedirektoratet.no/webinar"}
            }))
            .await;
        assert_eq!(webinar["status"], "upcoming");
        let id = id_of(&webinar);
        let cancelled = app
            .patch_notice(&admin, &id, "\"rev-1\"", &json!({"webinar": {"cancelled": true, "cancellation_note": "Utsatt til høsten"}}))
            .await;
        assert_eq!(cancelled.status(), 200);
        let public = app.json(&format!("/api/v1/notices/{id}")).await;
        assert_eq!(public["status"], "cancelled");
        assert_eq!(public["webinar"]["cancellation_note"], "Utsatt til høsten");
        assert_eq!(public["webinar"]["starts_at"], starts_at.as_str());
        let rss = app.text("/feed.rss?kind=webinar").await;
        assert!(rss.contains("Avlyst: Utsatt til høsten"));
        let page = app.text(&format!("/notices/{}", public["slug"].as_str().unwrap())).await;
        assert!(page.contains("Avlyst"));
    }

    async fn a_scheduled_notice_appears_on_time_without_a_restart(app: TestApp) {
        let admin = app.admin();
        // Warm the feed cache before scheduling.
        let before = app.text("/feed.rss").await;
        let at = app.clock.now() + chrono::Duration::hours(1);
        let at = chrono::DateTime::from_timestamp(at.timestamp(), 0).unwrap();
        let mut doc = grant_doc("Planlagt tilskudd");
        doc["published_at"] = json!(at.to_rfc3339());
        let scheduled = app.create_notice(&admin, &doc).await;
        let id = id_of(&scheduled);
        assert_eq!(scheduled["public"], false);
        assert!(!before.contains(&id));
        assert_problem(app.get(&format!("/api/v1/notices/{id}")).await, 404, None).await;
        assert!(!app.text("/feed.rss").await.contains(&id), "not before its time");
        assert!(!app.all_notices("", 100).await.iter().any(|n| n["id"] == id.as_str()));
        app.clock.advance(chrono::Duration::hours(1) + chrono::Duration::seconds(1));
        assert_eq!(app.json(&format!("/api/v1/notices/{id}")).await["id"], id.as_str());
        assert!(app.all_notices("", 100).await.iter().any(|n| n["id"] == id.as_str()));
        assert!(app.text("/feed.rss").await.contains(&id), "in the feed once its time has come");
    }

    async fn hostile_titles_keep_every_feed_well_formed_and_controls_are_refused(app: TestApp) {
        let admin = app.admin();
        let titles = [
            "Slutt på CDATA ]]> her",
            "<script>alert('x')</script> & <b>fet</b>",
            "Emoji 🎉🇳🇴 og æøå ÆØÅ «sitat» – tankestrek",
        ];
        for title in titles {
            let mut doc = grant_doc(title);
            doc["summary"] = json!(format!("{title} ]]> <i>"));
            doc["body"] = json!("# Overskrift\n\n<script>alert(1)</script>\n\n[lenke](javascript:alert(1))");
            let created = app.create_notice(&admin, &doc).await;
            assert_eq!(created["title"], title);
            let page = app.text(&format!("/notices/{}", created["slug"].as_str().unwrap())).await;
            assert!(!page.contains("<script>alert"), "scripts never reach a page");
            assert!(!page.contains("javascript:"), "nor script links");
            assert!(page.contains("<h2>Overskrift</h2>"), "below the title, the page's h1");
        }
        let xml = app.text("/feed.rss").await;
        roxmltree::Document::parse(&xml).expect("well-formed");
        let feed = feed_rs::parser::parse(xml.as_bytes()).unwrap();
        for title in titles {
            assert!(feed.entries.iter().any(|e| e.title.as_ref().unwrap().content == title), "{title}");
        }
        for control in ["Bjelle\u{7}", "Null\u{0}tegn", "Escape\u{1b}[31m", "Linje\nskift"] {
            let response = app.post_notice(&admin, &grant_doc(control)).await;
            let body = assert_problem(response, 422, Some("title")).await;
            assert!(body["detail"].as_str().unwrap().contains("U+"), "{body}");
        }
        let mut summary_control = grant_doc("Gyldig tittel");
        summary_control["summary"] = json!("Tekst\u{c}mer tekst");
        assert_problem(app.post_notice(&admin, &summary_control).await, 422, Some("summary")).await;
    }

    async fn a_created_notice_survives_a_restart(app: TestApp) {
        let admin = app.admin();
        let created = app.create_notice(&admin, &grant_doc("Tilskudd som varer")).await;
        let app = app.restart().await;
        let read = app.json(&format!("/api/v1/notices/{}", id_of(&created))).await;
        assert_eq!(read["title"], "Tilskudd som varer");
        let still = app.send(Method::GET, "/api/v1/admin/notices", &admin, None, &[]).await;
        assert_eq!(still.status(), 200, "tokens survive too");
    }

    async fn revisions_and_audit_record_create_patch_and_withdrawal(app: TestApp) {
        let admin = app.admin();
        let editor = app.editor(&["helsetjenester"]);
        let created = app.create_notice(&editor, &grant_doc("Tilskudd med historikk")).await;
        let id = id_of(&created);
        app.patch_notice(&editor, &id, "\"rev-1\"", &json!({"summary": "Rettet sammendrag"})).await;
        app.send(Method::DELETE, &format!("/api/v1/admin/notices/{id}"), &admin, None, &[]).await;

        let revisions = app
            .send(Method::GET, &format!("/api/v1/admin/notices/{id}/revisions"), &editor, None, &[])
            .await;
        let revisions: Value = revisions.json().await.unwrap();
        let items = revisions["items"].as_array().unwrap();
        let actions: Vec<&str> = items.iter().map(|r| r["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["notice.withdraw", "notice.update", "notice.create"]);
        assert_eq!(items[2]["notice"]["summary"], "Kommunene kan søke om midler.");
        assert_eq!(items[1]["notice"]["summary"], "Rettet sammendrag");
        assert_eq!(items[0]["notice"]["state"], "withdrawn");
        assert_eq!(items[0]["revision"], 3);

        let audit = app
            .send(Method::GET, &format!("/api/v1/admin/audit?notice_id={id}"), &admin, None, &[])
            .await;
        let audit: Value = audit.json().await.unwrap();
        let entries = audit["items"].as_array().unwrap();
        let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["notice.withdraw", "notice.update", "notice.create"]);
        assert_eq!(entries[1]["detail"], "summary");
        assert_eq!(entries[1]["revision"], 2);
        assert!(entries[1]["token_id"].is_string());
        assert_eq!(entries[1]["token_name"], "test");
        assert_ne!(entries[0]["token_id"], entries[1]["token_id"], "the admin withdrew it");

        let page = app.send(Method::GET, "/api/v1/admin/audit?limit=2", &admin, None, &[]).await;
        let page: Value = page.json().await.unwrap();
        assert_eq!(page["items"].as_array().unwrap().len(), 2);
        let next = page["next_cursor"].as_str().unwrap();
        let rest = app.send(Method::GET, &format!("/api/v1/admin/audit?limit=100&cursor={next}"), &admin, None, &[]).await;
        let rest: Value = rest.json().await.unwrap();
        assert!(rest["items"][0]["seq"].as_i64() < page["items"][1]["seq"].as_i64());
        let bad = app.send(Method::GET, "/api/v1/admin/audit?notice_id=nope", &admin, None, &[]).await;
        assert_problem(bad, 400, Some("notice_id")).await;
        let editor_audit = app.send(Method::GET, "/api/v1/admin/audit", &editor, None, &[]).await;
        assert_problem(editor_audit, 403, None).await;
    }

    async fn repeated_failed_sign_ins_are_slowed_with_429(app: TestApp) {
        let admin = app.admin();
        for _ in 0..10 {
            let response = app.send(Method::GET, "/api/v1/admin/notices", "tavla_feil", None, &[]).await;
            assert_eq!(response.status(), 401);
        }
        let blocked = app.send(Method::GET, "/api/v1/admin/notices", "tavla_feil", None, &[]).await;
        let retry_after: u64 = blocked.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&retry_after));
        assert_problem(blocked, 429, None).await;
        let no_token = app.client.get(app.url("/api/v1/admin/notices")).send().await.unwrap();
        assert_problem(no_token, 429, None).await;
        let valid = app.send(Method::GET, "/api/v1/admin/notices", &admin, None, &[]).await;
        assert_eq!(valid.status(), 200, "an editor with a valid token is never held back");
    }
}
