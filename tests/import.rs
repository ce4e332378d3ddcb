//! Importing from upstream feeds: sources registered through the admin
//! API, fetched from a real upstream server on loopback (conditional GET,
//! ETag and Last-Modified), on SQLite and PostgreSQL.

mod common;

use chrono::Duration;
use common::upstream::{rss, Upstream};
use common::{TestApp, TestDb};
use reqwest::Method;
use serde_json::{json, Value};

/// An RFC 2822 date `days` before the app's now.
fn days_ago(app: &TestApp, days: i64) -> String {
    (app.clock.now() - Duration::days(days)).to_rfc2822()
}

/// Registers a source; returns its view.
async fn register(app: &TestApp, admin: &str, doc: Value) -> Value {
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
async fn register_fetched(app: &TestApp, admin: &str, doc: Value) -> Value {
    let since = app.clock.now();
    let id = register(app, admin, doc).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    settled(app, admin, &id, since).await
}

/// Fetches a source now; returns the answer's `result`.
async fn fetch(app: &TestApp, admin: &str, id: &str) -> Value {
    let path = format!("/api/v1/admin/sources/{id}/fetch");
    let response = app.send(Method::POST, &path, admin, None, &[]).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["result"].clone()
}

async fn source(app: &TestApp, admin: &str, id: &str) -> Value {
    let path = format!("/api/v1/admin/sources/{id}");
    let response = app.send(Method::GET, &path, admin, None, &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Every notice in `state`, as editors see them, by title.
async fn notices_in(app: &TestApp, admin: &str, state: &str) -> Vec<Value> {
    let path = format!("/api/v1/admin/notices?state={state}&limit=100");
    let response = app.send(Method::GET, &path, admin, None, &[]).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let mut items = body["items"].as_array().unwrap().clone();
    items.sort_by_key(|n| n["title"].as_str().unwrap().to_owned());
    items
}

fn grants_source(upstream: &Upstream) -> Value {
    json!({"url": upstream.feed_url(), "kind": "grant", "areas": ["helsetjenester"], "state": "draft"})
}

on_every_backend! {
    async fn the_first_fetch_imports_each_entry_once_as_a_clean_draft(app: TestApp) {
        let upstream = Upstream::start().await;
        let entries = [
            ("a-1", "&lt;b&gt;Tilskudd&lt;/b&gt; til  demens &amp;amp; omsorg", "&lt;p&gt;Søk &lt;i&gt;innen&lt;/i&gt; fristen.&lt;/p&gt;", "https://oppstroms.example.no/a-1", days_ago(&app, 2)),
            ("a-2", "Hospitering – «nye» plasser", "Plasser for leger", "https://oppstroms.example.no/a-2", days_ago(&app, 1)),
            ("a-1", "Den samme, en gang til", "Samme id", "https://oppstroms.example.no/a-1b", days_ago(&app, 3)),
        ];
        let items: Vec<(&str, &str, &str, &str, &str)> = entries
            .iter()
            .map(|(g, t, d, l, at)| (*g, *t, *d, *l, at.as_str()))
            .collect();
        upstream.serve(rss(&items), "application/rss+xml");
        let admin = app.admin();
        let before = notices_in(&app, &admin, "draft").await.len();
        let registered = register_fetched(&app, &admin, grants_source(&upstream)).await;
        let id = registered["id"].as_str().unwrap();
        assert_eq!(registered["state"], "draft");
        assert_eq!(registered["last_outcome"], "imported", "{registered}");
        assert_eq!(registered["imported"], 2, "each entry once, the repeated id too: {registered}");
        let again = fetch(&app, &admin, id).await;
        assert_eq!(again["created"], 0, "{again}");
        let drafts = notices_in(&app, &admin, "draft").await;
        assert_eq!(drafts.len(), before + 2);
        let imported: Vec<&Value> = drafts
            .iter()
            .filter(|n| n["source_url"].as_str().is_some_and(|u| u.starts_with("https://oppstroms")))
            .collect();
        let titles: Vec<&str> = imported.iter().map(|n| n["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["Hospitering – «nye» plasser", "Tilskudd til demens & omsorg"]);
        let first = imported[1];
        assert_eq!(first["summary"], "Søk innen fristen.");
        assert_eq!(first["kind"], "grant");
        assert_eq!(first["areas"], json!(["helsetjenester"]));
        assert_eq!(first["public"], false, "drafts wait for an editor");
        assert_eq!(first["source_url"], "https://oppstroms.example.no/a-1");
        // Not public: the drafts are in no public list.
        let public = app.all_notices("&q=hospitering", 100).await;
        assert!(public.iter().all(|n| n["title"] != "Hospitering – «nye» plasser"));
        let after = source(&app, &admin, id).await;
        assert_eq!(after["imported"], 2);
        assert_eq!(after["last_outcome"], "not-modified");
        assert_eq!(after["last_status"], 304);
        assert!(after["last_error"].is_null());
        // The audit log names the source's import.
        let audit = app.send(Method::GET, "/api/v1/admin/audit?action=notice.create&limit=100", &admin, None, &[]).await;
        let audit: Value = audit.json().await.unwrap();
        let by_import = audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["token_name"] == format!("import {id}"))
            .count();
        assert_eq!(by_import, 2, "{audit}");
    }

    async fn a_second_fetch_is_conditional_and_imports_nothing(app: TestApp) {
        let upstream = Upstream::start().await;
        let at = days_ago(&app, 1);
        upstream.serve(rss(&[("b-1", "Webinar om legemidler", "Påmelding åpen", "https://oppstroms.example.no/b-1", &at)]), "application/rss+xml");
        let admin = app.admin();
        let first = register_fetched(&app, &admin, grants_source(&upstream)).await;
        assert_eq!(first["imported"], 1);
        let id = first["id"].as_str().unwrap().to_owned();
        let second = fetch(&app, &admin, &id).await;
        assert_eq!(second["outcome"], "not-modified", "{second}");
        assert_eq!(second["created"], 0);
        let requests = upstream.requests();
        let document = upstream.document();
        let last = requests.last().unwrap();
        assert_eq!(last.if_none_match.as_deref(), Some(document.etag.as_str()));
        assert_eq!(last.if_modified_since.as_deref(), Some(document.last_modified.as_str()));
        assert!(requests[0].if_none_match.is_none(), "the first fetch has no validators");
        let agent = &last.user_agent;
        assert!(
            agent.starts_with(&format!("Tavla/{} (+", env!("CARGO_PKG_VERSION"))) && agent.contains(&app.base),
            "the User-Agent names Tavla and where it runs: {agent}"
        );
        assert_eq!(source(&app, &admin, &id).await["imported"], 1);
    }

    async fn an_upstream_change_updates_its_notice_until_an_editor_changes_it(app: TestApp) {
        let upstream = Upstream::start().await;
        let at = days_ago(&app, 1);
        let link = "https://oppstroms.example.no/c-1";
        upstream.serve(rss(&[("c-1", "Tilskudd til rus", "Frist i mars", link, &at)]), "application/rss+xml");
        let admin = app.admin();
        let id = register_fetched(&app, &admin, grants_source(&upstream)).await["id"].as_str().unwrap().to_owned();
        upstream.serve(rss(&[("c-1", "Tilskudd til rus og psykisk helse", "Frist i april", link, &at)]), "application/rss+xml");
        let result = fetch(&app, &admin, &id).await;
        assert_eq!(result["updated"], 1, "{result}");
        let notice = imported_notice(&app, &admin, link).await;
        assert_eq!(notice["title"], "Tilskudd til rus og psykisk helse");
        assert_eq!(notice["summary"], "Frist i april");
        assert_eq!(notice["revision"], 2);
        // An editor corrects it: from now on the editor's version stands.
        let notice_id = notice["id"].as_str().unwrap();
        let patched = app
            .patch_notice(&admin, notice_id, "\"rev-2\"", &json!({"summary": "Frist 15. april – se lenken"}))
            .await;
        assert_eq!(patched.status(), 200);
        upstream.serve(rss(&[("c-1", "Tilskudd til rus (endret igjen)", "Frist i mai", link, &at)]), "application/rss+xml");
        let result = fetch(&app, &admin, &id).await;
        assert_eq!(result["updated"], 0, "{result}");
        assert_eq!(result["kept"], 1, "{result}");
        let notice = imported_notice(&app, &admin, link).await;
        assert_eq!(notice["title"], "Tilskudd til rus og psykisk helse");
        assert_eq!(notice["summary"], "Frist 15. april – se lenken");
        assert_eq!(notice["revision"], 3);
    }

    async fn broken_and_hostile_feeds_record_errors_and_import_nothing(app: TestApp) {
        let upstream = Upstream::start().await;
        upstream.serve(rss(&[]), "application/rss+xml");
        let admin = app.admin();
        let id = register_fetched(&app, &admin, grants_source(&upstream)).await["id"].as_str().unwrap().to_owned();
        let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">\
            <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\
            <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>\
            <rss version=\"2.0\"><channel><title>&lol3;</title><item><guid>x</guid><title>&lol3;</title></item></channel></rss>";
        let cases: [(&str, Vec<u8>, &str); 4] = [
            ("invalid XML", b"<rss version=\"2.0\"><channel><item><title>Uavsluttet".to_vec(), "not-a-feed"),
            ("an HTML page", b"<!DOCTYPE html><html><head><title>Forside</title></head><body>Hei</body></html>".to_vec(), "not-a-feed"),
            ("a billion laughs", laughs.as_bytes().to_vec(), "not-a-feed"),
            ("a huge document", vec![b' '; 6 * 1024 * 1024], "too-large"),
        ];
        for (what, body, outcome) in cases {
            upstream.serve(body, "application/xml");
            let result = fetch(&app, &admin, &id).await;
            assert_eq!(result["outcome"], outcome, "{what}: {result}");
            assert_eq!(result["created"], 0, "{what}");
            let after = source(&app, &admin, &id).await;
            assert_eq!(after["last_outcome"], outcome, "{what}");
            assert!(after["last_error"].as_str().is_some_and(|e| !e.is_empty()), "{what}: {after}");
            assert_eq!(after["imported"], 0, "{what}");
        }
        let after = source(&app, &admin, &id).await;
        assert_eq!(after["failures"], 4, "failures in a row are counted, for the backoff");
        // Thousands of entries: the newest MAX_ENTRIES are imported, no more.
        let dates: Vec<(String, String, String)> = (0..3000)
            .map(|i| (format!("m-{i}"), format!("Melding nummer {i}"), days_ago(&app, i64::from(i) / 10 + 1)))
            .collect();
        let items: Vec<(&str, &str, &str, &str, &str)> = dates
            .iter()
            .map(|(g, t, at)| (g.as_str(), t.as_str(), "Kort", "https://oppstroms.example.no/m", at.as_str()))
            .collect();
        upstream.serve(rss(&items), "application/rss+xml");
        let result = fetch(&app, &admin, &id).await;
        assert_eq!(result["created"], tavla::app::sources::MAX_ENTRIES as i64, "{result}");
        let after = source(&app, &admin, &id).await;
        assert_eq!(after["failures"], 0);
        assert!(after["last_error"].is_null());
        // The public feeds stay valid to an independent parser.
        for path in ["/feed.rss", "/feed.atom", "/feed.json"] {
            let bytes = app.get(path).await.bytes().await.unwrap();
            feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }

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
}

/// The imported notice whose link is `link`, as editors see it.
async fn imported_notice(app: &TestApp, admin: &str, link: &str) -> Value {
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

fn instant(value: &Value) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(value.as_str().unwrap()).unwrap()
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

/// Waits until a fetch made after `since` is recorded, the source's next
/// one is ahead of the clock (so no instance schedules another), and no
/// fetch is queued; returns the source.
async fn settled(
    app: &TestApp,
    admin: &str,
    id: &str,
    since: chrono::DateTime<chrono::Utc>,
) -> Value {
    let store = app.store();
    common::eventually(
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
