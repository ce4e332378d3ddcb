//! Importing from upstream feeds: what a fetch from a real upstream server
//! on loopback imports (conditional GET, ETag and Last-Modified, clean
//! drafts, upstream changes, editors' changes, hostile documents), on
//! SQLite and PostgreSQL.

mod common;

use common::sources::*;
use common::upstream::{rss, Upstream};
use common::{TestApp, TestDb};
use reqwest::Method;
use serde_json::{json, Value};

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
        // A document sent in chunks with no length is cut off at the cap.
        let endless = json!({"url": format!("{}/endless", upstream.base), "kind": "news", "areas": ["helsetjenester"]});
        let after = register_fetched(&app, &admin, endless).await;
        assert_eq!(after["last_outcome"], "too-large", "{after}");
        // The public feeds stay valid to an independent parser.
        for path in ["/feed.rss", "/feed.atom", "/feed.json"] {
            let bytes = app.get(path).await.bytes().await.unwrap();
            feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
}
