//! Conditional GET, caching headers and compression on feeds and public JSON.

mod common;

use std::io::Read;

use common::{grant_doc, TestApp, TestDb};
use serde_json::json;

const PUBLIC: [&str; 8] = [
    "/feed.rss",
    "/feed.atom",
    "/feed.json",
    "/calendar.ics",
    "/api/v1/notices",
    "/api/v1/notices/tilskudd-til-hospitering",
    "/api/v1/areas",
    "/feed.rss?kind=grant",
];

async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

async fn etag(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.headers()["etag"].to_str().unwrap().to_owned()
}

on_every_backend! {
    async fn an_unchanged_representation_is_304_by_etag_or_date(app: TestApp) {
        for path in PUBLIC {
            let first = app.get(path).await;
            assert_eq!(first.status(), 200, "{path}");
            let etag = first.headers()["etag"].to_str().unwrap().to_owned();
            let last_modified = first.headers()["last-modified"].to_str().unwrap().to_owned();
            assert!(etag.starts_with('"') && !etag.starts_with("W/"), "{path}: a strong ETag");
            assert!(first.headers()["cache-control"].to_str().unwrap().contains("max-age="), "{path}");
            assert!(first.headers()["vary"].to_str().unwrap().contains("Accept-Encoding"), "{path}");

            let by_etag = get_with(&app, path, &[("if-none-match", &etag)]).await;
            assert_eq!(by_etag.status(), 304, "{path}");
            assert_eq!(by_etag.headers()["etag"].to_str().unwrap(), etag);
            assert!(by_etag.bytes().await.unwrap().is_empty());
            let by_date = get_with(&app, path, &[("if-modified-since", &last_modified)]).await;
            assert_eq!(by_date.status(), 304, "{path}");
            let other = get_with(&app, path, &[("if-none-match", "\"something-else\"")]).await;
            assert_eq!(other.status(), 200, "{path}");
            let old = get_with(&app, path, &[("if-modified-since", "Mon, 01 Jan 2001 00:00:00 GMT")]).await;
            assert_eq!(old.status(), 200, "{path}");
            let both = get_with(&app, path, &[("if-none-match", "\"x\""), ("if-modified-since", &last_modified)]).await;
            assert_eq!(both.status(), 200, "{path}: If-None-Match decides when both are sent");
        }
    }

    async fn every_filter_and_format_has_its_own_etag(app: TestApp) {
        let mut tags = Vec::new();
        for path in ["/feed.rss", "/feed.rss?kind=grant", "/feed.rss?kind=news", "/feed.rss?area=helsetjenester",
                     "/feed.atom", "/feed.json", "/calendar.ics", "/api/v1/notices", "/api/v1/notices?kind=grant"] {
            tags.push(etag(&app, path).await);
        }
        let unique: std::collections::HashSet<_> = tags.iter().collect();
        assert_eq!(unique.len(), tags.len(), "{tags:?}");
        assert_eq!(etag(&app, "/feed.rss?kind=grant").await, tags[1], "stable while nothing changes");
    }

    async fn an_admin_write_changes_the_etags_it_affects(app: TestApp) {
        let admin = app.admin();
        let before: Vec<String> = futures_etags(&app, &["/feed.rss", "/feed.rss?kind=grant", "/feed.json", "/api/v1/notices"]).await;
        let news_before = etag(&app, "/feed.rss?kind=news").await;
        let created = app.create_notice(&admin, &grant_doc("Tilskudd som endrer ETag")).await;
        let after = futures_etags(&app, &["/feed.rss", "/feed.rss?kind=grant", "/feed.json", "/api/v1/notices"]).await;
        for (b, a) in before.iter().zip(&after) {
            assert_ne!(b, a);
        }
        assert_eq!(etag(&app, "/feed.rss?kind=news").await, news_before, "a grant leaves the news feed as it was");
        let stale = get_with(&app, "/feed.rss", &[("if-none-match", &before[0])]).await;
        assert_eq!(stale.status(), 200);
        let rss = app.text("/feed.rss").await;
        assert!(rss.contains(created["id"].as_str().unwrap()));
        let id = created["id"].as_str().unwrap();
        let single = etag(&app, &format!("/api/v1/notices/{id}")).await;
        app.patch_notice(&admin, id, "\"rev-1\"", &json!({"summary": "Endret"})).await;
        assert_ne!(etag(&app, &format!("/api/v1/notices/{id}")).await, single);
    }

    async fn a_scheduled_notice_going_live_changes_the_etag_without_a_write(app: TestApp) {
        let admin = app.admin();
        let at = app.clock.now() + chrono::Duration::seconds(5);
        let at = chrono::DateTime::from_timestamp(at.timestamp(), 0).unwrap();
        let mut doc = grant_doc("Planlagt tilskudd");
        doc["published_at"] = json!(at.to_rfc3339());
        let created = app.create_notice(&admin, &doc).await;
        let before = etag(&app, "/feed.rss").await;
        let response = app.get("/feed.rss").await;
        let max_age: u64 = response.headers()["cache-control"].to_str().unwrap()
            .trim_start_matches("public, max-age=").parse().unwrap();
        assert!(max_age <= 5, "no one may keep it past the moment it changes (max-age={max_age})");
        app.clock.advance(chrono::Duration::seconds(6));
        let response = get_with(&app, "/feed.rss", &[("if-none-match", &before)]).await;
        assert_eq!(response.status(), 200, "the old ETag no longer matches");
        assert_ne!(response.headers()["etag"].to_str().unwrap(), before);
        assert!(response.text().await.unwrap().contains(created["id"].as_str().unwrap()));
    }

    async fn gzip_and_brotli_decode_to_the_same_bytes(app: TestApp) {
        for path in ["/feed.rss", "/feed.atom", "/feed.json", "/calendar.ics", "/api/v1/notices"] {
            let plain = get_with(&app, path, &[("accept-encoding", "identity")]).await;
            assert!(plain.headers().get("content-encoding").is_none());
            let plain_etag = plain.headers()["etag"].to_str().unwrap().to_owned();
            let plain = plain.bytes().await.unwrap();

            let gzip = get_with(&app, path, &[("accept-encoding", "gzip")]).await;
            assert_eq!(gzip.headers()["content-encoding"], "gzip", "{path}");
            let gzip_etag = gzip.headers()["etag"].to_str().unwrap().to_owned();
            let mut unzipped = Vec::new();
            flate2::read::GzDecoder::new(&gzip.bytes().await.unwrap()[..]).read_to_end(&mut unzipped).unwrap();
            assert_eq!(unzipped, plain, "{path}");

            let brotli = get_with(&app, path, &[("accept-encoding", "gzip, deflate, br")]).await;
            assert_eq!(brotli.headers()["content-encoding"], "br", "{path}");
            let brotli_etag = brotli.headers()["etag"].to_str().unwrap().to_owned();
            let compressed = brotli.bytes().await.unwrap();
            assert!(compressed.len() < plain.len(), "{path}");
            let mut decoded = Vec::new();
            brotli::BrotliDecompress(&mut &compressed[..], &mut decoded).unwrap();
            assert_eq!(decoded, plain, "{path}");

            assert_ne!(gzip_etag, plain_etag, "each coding is its own representation");
            assert_ne!(brotli_etag, gzip_etag);
            let revalidated = get_with(&app, path, &[("accept-encoding", "gzip"), ("if-none-match", &gzip_etag)]).await;
            assert_eq!(revalidated.status(), 304, "{path}");
        }
    }

    async fn a_notice_moved_out_of_an_area_is_no_304_by_date_either(app: TestApp) {
        let admin = app.admin();
        let created = app.create_notice(&admin, &grant_doc("Tilskudd som flyttes")).await;
        let path = "/feed.rss?area=helsetjenester";
        let first = app.get(path).await;
        let last_modified = first.headers()["last-modified"].to_str().unwrap().to_owned();
        assert!(first.text().await.unwrap().contains("Tilskudd som flyttes"));
        app.clock.advance(chrono::Duration::seconds(2));
        let moved = app
            .patch_notice(&admin, created["id"].as_str().unwrap(), "\"rev-1\"", &json!({"areas": ["kommuneoverlege"]}))
            .await;
        assert_eq!(moved.status(), 200);
        let again = get_with(&app, path, &[("if-modified-since", &last_modified)]).await;
        assert_eq!(again.status(), 200, "the feed lost a notice, so it was modified");
        assert!(!again.text().await.unwrap().contains("Tilskudd som flyttes"));
    }

    async fn feed_urls_have_one_canonical_form(app: TestApp) {
        let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let response = no_redirects.get(app.url("/feed.atom?area=helsetjenester&kind=grant")).send().await.unwrap();
        assert_eq!(response.status(), 301);
        assert_eq!(response.headers()["location"], "/feed.atom?kind=grant&area=helsetjenester");
        let response = no_redirects.get(app.url("/calendar.ics?kind=grant&kind=grant")).send().await.unwrap();
        assert_eq!(response.headers()["location"], "/calendar.ics?kind=grant");
        let canonical = no_redirects.get(app.url("/feed.atom?kind=grant&area=helsetjenester")).send().await.unwrap();
        assert_eq!(canonical.status(), 200);
    }

    async fn with_the_cache_off_every_answer_is_rendered_and_still_conditional(app: TestApp) {
        let off = TestApp::spawn_configured(app.db, |s| s.cache_bytes = 0).await;
        for path in PUBLIC {
            let first = off.get(path).await;
            assert_eq!(first.status(), 200, "{path}");
            let tag = first.headers()["etag"].to_str().unwrap().to_owned();
            let last_modified = first.headers()["last-modified"].to_str().unwrap().to_owned();
            let plain = first.bytes().await.unwrap();
            assert_eq!(etag(&off, path).await, tag, "{path}: the same answer rendered again");
            assert_eq!(get_with(&off, path, &[("if-none-match", &tag)]).await.status(), 304, "{path}");
            assert_eq!(get_with(&off, path, &[("if-modified-since", &last_modified)]).await.status(), 304, "{path}");

            let brotli = get_with(&off, path, &[("accept-encoding", "br")]).await;
            assert_eq!(brotli.headers()["content-encoding"], "br", "{path}");
            let brotli_etag = brotli.headers()["etag"].to_str().unwrap().to_owned();
            let mut decoded = Vec::new();
            brotli::BrotliDecompress(&mut &brotli.bytes().await.unwrap()[..], &mut decoded).unwrap();
            assert_eq!(decoded, plain, "{path}");
            let gzip = get_with(&off, path, &[("accept-encoding", "gzip")]).await;
            let mut unzipped = Vec::new();
            flate2::read::GzDecoder::new(&gzip.bytes().await.unwrap()[..]).read_to_end(&mut unzipped).unwrap();
            assert_eq!(unzipped, plain, "{path}");
            let revalidated = get_with(&off, path, &[("accept-encoding", "br"), ("if-none-match", &brotli_etag)]).await;
            assert_eq!(revalidated.status(), 304, "{path}");
        }
        let before = etag(&off, "/feed.rss").await;
        let created = off.create_notice(&off.admin(), &grant_doc("Tilskudd uten mellomlager")).await;
        assert_ne!(etag(&off, "/feed.rss").await, before);
        assert!(off.text("/feed.rss").await.contains(created["id"].as_str().unwrap()));
    }

    async fn with_the_cache_off_last_modified_follows_time_and_writes(app: TestApp) {
        // No answer is kept, but the timeline they are dated by is: it must
        // not outlive its next change nor a write.
        let off = TestApp::spawn_configured(app.db, |s| s.cache_bytes = 0).await;
        let admin = off.admin();
        let at = off.clock.now() + chrono::Duration::seconds(5);
        let at = chrono::DateTime::from_timestamp(at.timestamp(), 0).unwrap();
        let mut doc = grant_doc("Planlagt tilskudd uten mellomlager");
        doc["published_at"] = json!(at.to_rfc3339());
        off.create_notice(&admin, &doc).await;
        let last_modified = |response: &reqwest::Response| response.headers()["last-modified"].to_str().unwrap().to_owned();
        let before = last_modified(&off.get("/feed.rss").await);
        assert_eq!(last_modified(&off.get("/feed.rss").await), before);
        assert!(before != at.format("%a, %d %b %Y %H:%M:%S GMT").to_string(), "not live yet");

        off.clock.advance(chrono::Duration::seconds(6));
        let live = last_modified(&off.get("/feed.rss").await);
        assert_eq!(live, at.format("%a, %d %b %Y %H:%M:%S GMT").to_string(), "dated by its going live");

        off.clock.advance(chrono::Duration::seconds(60));
        off.create_notice(&admin, &grant_doc("Tilskudd skrevet etterpå")).await;
        let written = last_modified(&off.get("/feed.rss").await);
        let written = chrono::DateTime::parse_from_rfc2822(&written).unwrap();
        assert!(written > at + chrono::Duration::seconds(60), "dated by the write: {written}");
    }

    async fn head_answers_like_get_without_a_body(app: TestApp) {
        let get = app.get("/feed.rss").await;
        let head = app.client.head(app.url("/feed.rss")).send().await.unwrap();
        assert_eq!(head.status(), 200);
        assert_eq!(head.headers()["etag"], get.headers()["etag"]);
        assert!(head.bytes().await.unwrap().is_empty());
    }
}

async fn futures_etags(app: &TestApp, paths: &[&str]) -> Vec<String> {
    let mut tags = Vec::new();
    for path in paths {
        tags.push(etag(app, path).await);
    }
    tags
}
