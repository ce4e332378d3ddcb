//! `GET /feed.rss`, read by an independent parser (feed-rs) and a strict XML parser.

mod common;

use std::collections::HashMap;

use common::{assert_problem, insert, news_notice, TestApp, TestDb};
use serde_json::Value;

async fn feed(app: &TestApp, path: &str) -> (String, feed_rs::model::Feed) {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    assert_eq!(
        response.headers()["content-type"],
        "application/rss+xml; charset=utf-8"
    );
    let xml = response.text().await.unwrap();
    roxmltree::Document::parse(&xml)
        .unwrap_or_else(|e| panic!("{path} is not well-formed XML: {e}\n{xml}"));
    let parsed = feed_rs::parser::parse(xml.as_bytes()).expect("feed-rs reads the feed");
    (xml, parsed)
}

on_every_backend! {
    async fn every_item_matches_the_json_api(app: TestApp) {
        let (xml, parsed) = feed(&app, "/feed.rss").await;
        assert_eq!(parsed.feed_type, feed_rs::model::FeedType::RSS2);
        assert_eq!(parsed.language.as_deref(), Some("nb"));
        assert!(parsed.title.unwrap().content.contains("Helsedirektoratet"));
        assert!(xml.contains(&format!(
            "<atom:link href=\"{}/feed.rss\" rel=\"self\" type=\"application/rss+xml\"/>",
            app.base
        )));
        assert!(parsed.updated.is_some(), "lastBuildDate");

        let notices = app.all_notices("", 100).await;
        let by_guid: HashMap<String, &Value> = notices
            .iter()
            .map(|n| (format!("urn:uuid:{}", n["id"].as_str().unwrap()), n))
            .collect();
        assert_eq!(parsed.entries.len(), 10);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let guids: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("guid"))
            .collect();
        assert_eq!(guids.len(), 10);
        assert!(guids
            .iter()
            .all(|g| g.attribute("isPermaLink") == Some("false")));
        for (entry, guid) in parsed.entries.iter().zip(&guids) {
            let guid = guid.text().unwrap();
            let notice = by_guid
                .get(guid)
                .unwrap_or_else(|| panic!("{guid} not in JSON"));
            assert_eq!(
                entry.title.as_ref().unwrap().content,
                notice["title"].as_str().unwrap()
            );
            assert_eq!(entry.links[0].href, notice["url"].as_str().unwrap());
            let json_date =
                chrono::DateTime::parse_from_rfc3339(notice["published_at"].as_str().unwrap()).unwrap();
            assert_eq!(entry.published.unwrap(), json_date);
            let categories: Vec<&str> = entry.categories.iter().map(|c| c.term.as_str()).collect();
            assert_eq!(categories.len(), notice["areas"].as_array().unwrap().len());
        }
    }

    async fn item_descriptions_carry_the_key_facts(app: TestApp) {
        let (_, parsed) = feed(&app, "/feed.rss").await;
        let summary_of = |start: &str| {
            let entry = parsed
                .entries
                .iter()
                .find(|e| e.title.as_ref().unwrap().content.starts_with(start))
                .unwrap();
            entry.summary.as_ref().unwrap().content.clone()
        };
        let iplos = summary_of("IPLOS/KPR");
        assert!(
            iplos.contains("Avlyst: webinar i oktober/ november er avlyst"),
            "{iplos}"
        );
        let grant = summary_of("Tilskudd til hospitering");
        assert!(grant.contains("Søknadsfrist: løpende"), "{grant}");
        assert!(grant.contains("Det er nå mulig å søke"), "{grant}");
    }

    async fn filters_narrow_the_feed_and_name_it_in_the_self_link(app: TestApp) {
        let path = "/feed.rss?kind=webinar&area=helsetjenester";
        let (xml, parsed) = feed(&app, path).await;
        let expected = app
            .all_notices("&kind=webinar&area=helsetjenester", 100)
            .await;
        assert_eq!(parsed.entries.len(), expected.len());
        assert_eq!(parsed.entries.len(), 2);
        let self_link = format!(
            "<atom:link href=\"{}{}\" rel=\"self\"",
            app.base,
            path.replace('&', "&amp;")
        );
        assert!(xml.contains(&self_link), "{xml}");
        let (_, news) = feed(&app, "/feed.rss?kind=news").await;
        assert_eq!(news.entries.len(), 4);
    }

    async fn bad_feed_parameters_are_400(app: TestApp) {
        assert_problem(app.get("/feed.rss?kind=event").await, 400, Some("kind")).await;
        assert_problem(app.get("/feed.rss?area=nowhere").await, 400, Some("area")).await;
        assert_problem(app.get("/feed.rss?limit=5").await, 400, Some("limit")).await;
    }

    async fn hostile_text_in_storage_still_makes_a_well_formed_feed(app: TestApp) {
        // PostgreSQL cannot store NUL in text at all; SQLite can, so it is tried there.
        let nul = if app.db == TestDb::Sqlite { "\u{0}" } else { "" };
        let hostile = [
            news_notice("Slutt ]]> på CDATA", "<![CDATA[ ]]> ]]>"),
            news_notice(
                "<script>alert('x')</script> & <b>fet</b>",
                "a < b && c > d \"sitat\"",
            ),
            news_notice("Emoji 🎉 og æøå ÆØÅ «sitat» – tankestrek", "Hei 👋"),
            news_notice(
                &format!("Kontroll{nul}\u{1}\u{8}\u{b}\u{c}\u{1b}tegn\u{FFFE}"),
                &format!("NUL{nul} og ESC\u{1b} og BEL\u{7}"),
            ),
        ];
        insert(&app, &hostile);
        let (xml, parsed) = feed(&app, "/feed.rss").await;
        assert_eq!(parsed.entries.len(), 14);
        let titles: Vec<String> = parsed
            .entries
            .iter()
            .map(|e| e.title.as_ref().unwrap().content.clone())
            .collect();
        assert!(titles.contains(&"Slutt ]]> på CDATA".to_owned()));
        assert!(titles.contains(&"<script>alert('x')</script> & <b>fet</b>".to_owned()));
        assert!(titles.contains(&"Emoji 🎉 og æøå ÆØÅ «sitat» – tankestrek".to_owned()));
        assert!(titles.contains(&"Kontrolltegn".to_owned()), "{titles:?}");
        assert!(
            !xml.contains("<script>"),
            "markup in text is escaped, never live"
        );
        // The filtered feeds stay well-formed too.
        feed(&app, "/feed.rss?kind=news").await;
    }

    async fn guids_survive_a_restart_on_the_same_database(app: TestApp) {
        let guids = |feed: &feed_rs::model::Feed| {
            feed.entries
                .iter()
                .map(|e| e.id.clone())
                .collect::<Vec<_>>()
        };
        let (_, before) = feed(&app, "/feed.rss").await;
        let app = app.restart().await;
        let (_, after) = feed(&app, "/feed.rss").await;
        assert_eq!(guids(&before), guids(&after));
        assert!(guids(&after).iter().all(|g| g.starts_with("urn:uuid:")));
        assert_eq!(
            app.all_notices("", 100).await.len(),
            10,
            "seeds load only into an empty database"
        );
    }
}
