//! Sources of imports: the admin API, fetches scheduled by the outbox (once
//! per interval across instances), backing off, redirects and private
//! addresses, and the one-off import from the command line.

mod common;

use chrono::Duration;
use common::sources::*;
use common::upstream::{rss, Upstream};
use common::{TestApp, TestDb};
use reqwest::Method;
use serde_json::{json, Value};

on_every_backend! {
    async fn an_upstream_that_asks_for_a_pause_is_left_alone_that_long(app: TestApp) {
        let upstream = Upstream::start().await;
        upstream.serve(rss(&[]), "application/rss+xml");
        upstream.answer_once(503, &[("retry-after", "7200")]);
        let admin = app.admin();
        let doc = json!({"url": upstream.feed_url(), "kind": "news", "areas": ["helsetjenester"], "interval_minutes": 15});
        let now = app.clock.now();
        let after = register_fetched(&app, &admin, doc).await;
        let id = after["id"].as_str().unwrap().to_owned();
        assert_eq!(after["last_outcome"], "http-status");
        assert_eq!(after["last_status"], 503);
        let next = instant(&after["next_fetch_at"]);
        assert!(next >= now + Duration::hours(2), "Retry-After is honoured: {after}");
        // Changing the source's areas does not cut the pause short.
        let path = format!("/api/v1/admin/sources/{id}");
        let patch = json!({"areas": ["helsetjenester", "kommuneoverlege"]});
        let patched = app.send(Method::PATCH, &path, &admin, Some(&patch), &[]).await;
        let patched: Value = patched.json().await.unwrap();
        assert_eq!(instant(&patched["next_fetch_at"]), next, "{patched}");
        // A second failure in a row waits twice the interval.
        upstream.answer_once(500, &[]);
        let before = app.clock.now();
        let result = fetch(&app, &admin, &id).await;
        assert_eq!(result["status"], 500);
        let after = source(&app, &admin, &id).await;
        let next = instant(&after["next_fetch_at"]);
        assert_eq!(after["failures"], 2);
        assert!(next >= before + Duration::minutes(30) && next <= app.clock.now() + Duration::minutes(30), "{after}");
    }

    async fn sources_are_fetched_on_their_interval_by_the_outbox(app: TestApp) {
        let upstream = Upstream::start().await;
        let at = days_ago(&app, 1);
        upstream.serve(rss(&[("d-1", "Nyhet fra direktoratet", "Kort", "https://oppstroms.example.no/d-1", &at)]), "application/rss+xml");
        let admin = app.admin();
        let doc = json!({"url": upstream.feed_url(), "kind": "news", "areas": ["helsetjenester"], "state": "published", "interval_minutes": 5});
        // Due at once: the worker fetches it without being asked.
        let after = register_fetched(&app, &admin, doc).await;
        let id = after["id"].as_str().unwrap().to_owned();
        assert_eq!(after["imported"], 1);
        let public = app.all_notices("&kind=news", 100).await;
        assert!(public.iter().any(|n| n["title"] == "Nyhet fra direktoratet"), "published sources publish");
        let since = app.clock.now();
        app.clock.advance(Duration::minutes(4));
        app.clock.advance(Duration::minutes(1));
        settled(&app, &admin, &id, since).await;
        assert_eq!(upstream.requests().len(), 2);
        assert!(upstream.requests()[1].if_none_match.is_some());
        // Deleting the source keeps its notices, and where they came from.
        let path = format!("/api/v1/admin/sources/{id}");
        assert_eq!(app.send(Method::DELETE, &path, &admin, None, &[]).await.status(), 204);
        let public = app.all_notices("&kind=news", 100).await;
        let kept = public.iter().find(|n| n["title"] == "Nyhet fra direktoratet").expect("the notice stays");
        let notice_id = uuid::Uuid::try_parse(kept["id"].as_str().unwrap()).unwrap();
        let from = app.store().run(move |conn| tavla::store::sources::imported_from(conn, notice_id)).await.unwrap();
        assert_eq!(from, Some(upstream.feed_url()));
    }

    async fn sources_are_for_admins_and_every_change_is_audited(app: TestApp) {
        let upstream = Upstream::start().await;
        let admin = app.admin();
        let editor = app.editor(&["helsetjenester"]);
        let refused = app.send(Method::POST, "/api/v1/admin/sources", &editor, Some(&grants_source(&upstream)), &[]).await;
        assert_eq!(refused.status(), 403);
        let invalid = app
            .send(Method::POST, "/api/v1/admin/sources", &admin, Some(&json!({"url": "ftp://x", "kind": "grant", "areas": ["helsetjenester"], "interval_minutes": 2})), &[])
            .await;
        let problem = common::assert_problem(invalid, 422, Some("interval_minutes")).await;
        assert!(problem["errors"].as_array().unwrap().iter().any(|e| e["field"] == "url"));
        let id = register(&app, &admin, grants_source(&upstream)).await["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/admin/sources/{id}");
        let patched = app.send(Method::PATCH, &path, &admin, Some(&json!({"interval_minutes": 30, "language": "nn"})), &[]).await;
        assert_eq!(patched.status(), 200);
        let patched: Value = patched.json().await.unwrap();
        assert_eq!(patched["interval_minutes"], 30);
        assert_eq!(patched["language"], "nn");
        assert_eq!(patched["kind"], "grant");
        let listed = app.send(Method::GET, "/api/v1/admin/sources", &admin, None, &[]).await;
        let listed: Value = listed.json().await.unwrap();
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
        assert_eq!(app.send(Method::DELETE, &path, &admin, None, &[]).await.status(), 204);
        assert_eq!(app.send(Method::GET, &path, &admin, None, &[]).await.status(), 404);
        let audit = app.send(Method::GET, "/api/v1/admin/audit?limit=100", &admin, None, &[]).await;
        let audit: Value = audit.json().await.unwrap();
        let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).filter(|a| a.starts_with("source.")).collect();
        assert_eq!(actions, ["source.delete", "source.update", "source.create"]);
    }

    async fn the_command_line_imports_a_feed_once(app: TestApp) {
        let upstream = Upstream::start().await;
        let items: Vec<Value> = (1..=3)
            .map(|i| json!({
                "id": format!("arkiv-{i}"),
                "title": format!("Arkivert nyhet {i} – «gammel»"),
                "content_html": format!("<p>Fra arkivet, nummer {i}.</p>"),
                "url": format!("https://arkiv.example.no/{i}"),
                "date_published": (app.clock.now() - Duration::days(400 + i)).to_rfc3339(),
            }))
            .collect();
        let feed = json!({"version": "https://jsonfeed.org/version/1.1", "title": "Arkiv", "items": items});
        upstream.serve(feed.to_string(), "application/feed+json");
        let url = upstream.feed_url();
        let args = ["import", url.as_str(), "--kind", "news", "--area", "helsetjenester"];
        let first = tavla(&app, &args).await;
        let said = String::from_utf8_lossy(&first.stdout).into_owned();
        assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
        assert!(said.starts_with("Imported 3 new notice(s)"), "{said}");
        let again = tavla(&app, &args).await;
        let said = String::from_utf8_lossy(&again.stdout).into_owned();
        assert!(said.starts_with("Imported 0 new notice(s)") && said.contains("3 unchanged"), "{said}");
        let public = app.all_notices("&q=arkivert", 100).await;
        let titles: Vec<&str> = public.iter().filter_map(|n| n["title"].as_str()).collect();
        assert_eq!(titles, ["Arkivert nyhet 1 – «gammel»", "Arkivert nyhet 2 – «gammel»", "Arkivert nyhet 3 – «gammel»"]);
        assert_eq!(public[0]["summary"], "Fra arkivet, nummer 1.");
        let refused = tavla(&app, &["import", url.as_str(), "--kind", "news", "--area", "ingensteds"]).await;
        assert!(!refused.status.success());
        let said = String::from_utf8_lossy(&refused.stderr).into_owned();
        assert!(said.contains("--area[0]"), "the bad flag is named: {said}");
    }


    /// A fetch whose source was deleted or given a new URL while it ran
    /// keeps nothing: no notice, no validators of the old URL.
    async fn a_fetch_outrun_by_a_change_of_its_source_keeps_nothing(app: TestApp) {
        use tavla::domain::import::Candidate;
        use tavla::store::sources::{self, Fetched};
        let upstream = Upstream::start().await;
        upstream.serve(rss(&[]), "application/rss+xml");
        let admin = app.admin();
        let before = register_fetched(&app, &admin, grants_source(&upstream)).await;
        let id = uuid::Uuid::try_parse(before["id"].as_str().unwrap()).unwrap();
        let store = app.store();
        for change in ["url", "delete"] {
            let now = tavla::domain::time::truncate_to_micros(app.clock.now());
            let until = now + Duration::seconds(45);
            // After the URL's change the worker fetches the new one first.
            let source = common::eventually(
                20,
                || "the source free".into(),
                || async { store.run(move |conn| sources::take(conn, id, now, until)).await.unwrap() },
            )
            .await;
            let path = format!("/api/v1/admin/sources/{id}");
            let changed = match change {
                "url" => {
                    let patch = json!({"url": format!("{}/ny", upstream.base)});
                    app.send(Method::PATCH, &path, &admin, Some(&patch), &[]).await
                }
                _ => app.send(Method::DELETE, &path, &admin, None, &[]).await,
            };
            assert!(changed.status().is_success());
            let fetched = Fetched {
                at: now,
                outcome: "imported",
                status: Some(200),
                error: None,
                etag: Some("\"gammel\"".into()),
                last_modified: None,
                next_fetch_at: now + Duration::hours(1),
                failures: 0,
            };
            let found = vec![Candidate {
                key: format!("utdatert-{change}"),
                title: "Fra en henting som kom for sent".into(),
                summary: "Kort".into(),
                source_url: None,
                published_at: now,
            }];
            let recorded = store
                .run(move |conn| sources::record_import(conn, (&source, until), &found, &fetched, &[], now))
                .await
                .unwrap();
            assert_eq!(recorded, None, "after a change of {change}");
        }
        let drafts = notices_in(&app, &admin, "draft").await;
        assert!(drafts.iter().all(|n| n["title"] != "Fra en henting som kom for sent"));
    }

}

#[tokio::test]
async fn private_addresses_are_refused_without_the_setting() {
    let app = TestApp::spawn_configured(TestDb::Sqlite, |s| s.import_allow_private = false).await;
    let upstream = Upstream::start().await;
    upstream.serve(rss(&[]), "application/rss+xml");
    let admin = app.admin();
    let port = upstream.base.rsplit(':').next().unwrap().to_owned();
    for url in [
        upstream.feed_url(),
        format!("http://localhost:{port}/feed"),
        format!("http://[::1]:{port}/feed"),
    ] {
        let doc = json!({"url": url, "kind": "news", "areas": ["helsetjenester"]});
        let refused = app
            .send(
                Method::POST,
                "/api/v1/admin/sources",
                &admin,
                Some(&doc),
                &[],
            )
            .await;
        let problem = common::assert_problem(refused, 422, Some("url")).await;
        assert_eq!(problem["errors"][0]["code"], "private-address", "{url}");
    }
    // As if the name had resolved publicly at registration: stored directly.
    // The fetch resolves it again, and refuses the loopback address.
    let id = uuid::Uuid::new_v4();
    let input = tavla::domain::source::SourceInput {
        url: format!("http://localhost:{port}/feed"),
        kind: tavla::domain::Kind::News,
        areas: vec!["helsetjenester".into()],
        language: tavla::domain::Language::Nb,
        state: tavla::domain::State::Draft,
        interval_minutes: 60,
    };
    let now = app.clock.now();
    app.store()
        .run(move |conn| {
            tavla::store::sources::create(conn, id, &input, &tavla::domain::Actor::system(), now)
        })
        .await
        .unwrap();
    // The worker may take it first; either way, the outcome is recorded.
    common::eventually(
        20,
        || "the refusal recorded".into(),
        || async {
            let after = source(&app, &admin, &id.to_string()).await;
            (after["last_outcome"] == "private-address").then_some(())
        },
    )
    .await;
    assert!(
        upstream.requests().is_empty(),
        "no request reached the private address"
    );
    // A redirect from a public name to a private address is refused too:
    // only the check on every redirect stands between them, so it is
    // tested where the first hop is allowed.
}

#[tokio::test]
async fn redirects_are_followed_five_times_at_most() {
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let upstream = Upstream::start().await;
    let at = days_ago(&app, 1);
    upstream.serve(
        rss(&[(
            "r-1",
            "Omdirigert",
            "Kort",
            "https://oppstroms.example.no/r",
            &at,
        )]),
        "application/rss+xml",
    );
    let admin = app.admin();
    let five = json!({"url": format!("{}/redirect/5", upstream.base), "kind": "news", "areas": ["helsetjenester"]});
    let after = register_fetched(&app, &admin, five).await;
    assert_eq!(after["imported"], 1, "{after}");
    let six = json!({"url": format!("{}/redirect/6", upstream.base), "kind": "news", "areas": ["helsetjenester"]});
    let after = register_fetched(&app, &admin, six).await;
    assert_eq!(after["last_outcome"], "too-many-redirects", "{after}");
}

#[tokio::test]
async fn two_instances_on_postgres_fetch_each_source_once_per_interval() {
    let app = TestApp::spawn(TestDb::Postgres).await;
    let _other = app.second_instance();
    let upstream = Upstream::start().await;
    upstream.serve(rss(&[]), "application/rss+xml");
    let admin = app.admin();
    let doc = json!({"url": upstream.feed_url(), "kind": "news", "areas": ["helsetjenester"], "interval_minutes": 5});
    let mut since = app.clock.now();
    let id = register(&app, &admin, doc).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for round in 1..=4 {
        settled(&app, &admin, &id, since).await;
        assert_eq!(
            upstream.requests().len(),
            round,
            "one fetch per interval across both instances"
        );
        since = app.clock.now();
        app.clock.advance(Duration::minutes(5));
    }
}

/// Runs `tavla` on the app's database, while the test's upstream serves.
async fn tavla(app: &TestApp, args: &[&str]) -> std::process::Output {
    let url = match &app.backend {
        tavla::store::Backend::Sqlite(path) => path.clone(),
        tavla::store::Backend::Postgres(url) => url.clone(),
    };
    tokio::process::Command::new(env!("CARGO_BIN_EXE_tavla"))
        .args(args)
        .env("TAVLA_DATABASE_URL", url)
        .env("TAVLA_IMPORT_ALLOW_PRIVATE", "true")
        .env_remove("TAVLA_WEBSUB_HUB")
        .env_remove("TAVLA_SMTP_URL")
        .output()
        .await
        .unwrap()
}
