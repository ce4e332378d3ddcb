//! Every feed format, read by independent parsers: the same notices, ids,
//! titles and dates everywhere, self links with their filters, discovery.

mod common;

use common::{
    assert_problem, grant_doc, ical_property, parse_calendar, webinar_doc, TestApp, TestDb,
};
use serde_json::{json, Value};

async fn fetch(app: &TestApp, path: &str) -> (String, String) {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    (content_type, response.text().await.unwrap())
}

/// (id, title, published) of each entry, as feed-rs reads them.
fn entries(text: &str) -> Vec<(String, String, chrono::DateTime<chrono::Utc>)> {
    let feed = feed_rs::parser::parse(text.as_bytes()).expect("feed-rs reads it");
    feed.entries
        .iter()
        .map(|e| {
            (
                e.id.clone(),
                e.title.as_ref().unwrap().content.clone(),
                e.published.unwrap(),
            )
        })
        .collect()
}

on_every_backend! {
    async fn rss_atom_and_json_feed_carry_the_same_notices(app: TestApp) {
        let admin = app.admin();
        app.create_notice(&admin, &grant_doc("Tilskudd til alle formater")).await;
        app.create_notice(&admin, &webinar_doc("Webinar i alle formater")).await;
        let (rss_type, rss) = fetch(&app, "/feed.rss").await;
        let (atom_type, atom) = fetch(&app, "/feed.atom").await;
        let (json_type, json) = fetch(&app, "/feed.json").await;
        assert_eq!(rss_type, "application/rss+xml; charset=utf-8");
        assert_eq!(atom_type, "application/atom+xml; charset=utf-8");
        assert_eq!(json_type, "application/feed+json; charset=utf-8");
        roxmltree::Document::parse(&atom).expect("Atom is well-formed");
        let rss = entries(&rss);
        assert_eq!(rss.len(), 12);
        assert_eq!(rss, entries(&atom), "Atom matches RSS");
        assert_eq!(rss, entries(&json), "JSON Feed matches RSS");
        let api = app.all_notices("", 100).await;
        let api: Vec<(String, String)> = api
            .iter()
            .map(|n| (format!("urn:uuid:{}", n["id"].as_str().unwrap()), n["title"].as_str().unwrap().to_owned()))
            .collect();
        let feed: Vec<(String, String)> = rss.iter().map(|(id, title, _)| (id.clone(), title.clone())).collect();
        assert_eq!(feed, api, "and the JSON API, in the same order");

        let parsed: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["version"], "https://jsonfeed.org/version/1.1");
        let webinar = parsed["items"].as_array().unwrap().iter().find(|i| i["title"] == "Webinar i alle formater").unwrap();
        assert_eq!(webinar["_tavla"]["kind"], "webinar");
        assert_eq!(webinar["_tavla"]["status"], "upcoming");
        let atom_feed = feed_rs::parser::parse(atom.as_bytes()).unwrap();
        assert_eq!(atom_feed.feed_type, feed_rs::model::FeedType::Atom);
        assert!(atom_feed.authors.iter().any(|a| a.name == "Helsedirektoratet"));
    }

    async fn every_format_names_itself_with_its_filters(app: TestApp) {
        let query = "?kind=grant&area=helsetjenester";
        let (_, rss) = fetch(&app, &format!("/feed.rss{query}")).await;
        assert!(rss.contains(&format!("<atom:link href=\"{}/feed.rss?kind=grant&amp;area=helsetjenester\" rel=\"self\"", app.base)));
        let (_, atom) = fetch(&app, &format!("/feed.atom{query}")).await;
        let doc = roxmltree::Document::parse(&atom).unwrap();
        let self_link = doc.descendants().find(|n| n.has_tag_name("link") && n.attribute("rel") == Some("self")).unwrap();
        assert_eq!(self_link.attribute("href").unwrap(), format!("{}/feed.atom{query}", app.base));
        let (_, json) = fetch(&app, &format!("/feed.json{query}")).await;
        let json: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["feed_url"], format!("{}/feed.json{query}", app.base));
        assert_eq!(json["items"].as_array().unwrap().len(), 3, "the three seed grants in helsetjenester");
        let other_atom = fetch(&app, "/feed.atom?kind=news").await.1;
        let id = |text: &str| feed_rs::parser::parse(text.as_bytes()).unwrap().id;
        assert_ne!(id(&atom), id(&other_atom), "each filter is its own feed");
        assert_eq!(id(&atom), id(&fetch(&app, "/feed.atom?area=helsetjenester&kind=grant").await.1), "the id does not depend on the order of the filters");
    }

    async fn hostile_titles_leave_every_format_valid(app: TestApp) {
        let admin = app.admin();
        for title in ["Slutt ]]> her", "<script>alert('x')</script> & \"sitat\"", "Emoji 🎉 æøå «» – ; , \\ :"] {
            let mut grant = grant_doc(title);
            grant["summary"] = json!(format!("{title}\nandre linje\rtredje linje"));
            app.create_notice(&admin, &grant).await;
            app.create_notice(&admin, &webinar_doc(title)).await;
        }
        for path in ["/feed.rss", "/feed.atom"] {
            let (_, xml) = fetch(&app, path).await;
            roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{path}: {e}"));
            let titles: Vec<String> = entries(&xml).into_iter().map(|e| e.1).collect();
            assert!(titles.contains(&"Emoji 🎉 æøå «» – ; , \\ :".to_owned()), "{path}: {titles:?}");
            assert!(titles.contains(&"<script>alert('x')</script> & \"sitat\"".to_owned()));
        }
        let (_, json) = fetch(&app, "/feed.json").await;
        assert_eq!(entries(&json).len(), 16);
        let (_, ics) = fetch(&app, "/calendar.ics").await;
        let calendar = parse_calendar(&ics);
        let summaries: Vec<String> = calendar
            .events
            .iter()
            .filter_map(|e| ical_property(&e.properties, "SUMMARY").and_then(|p| p.value.clone()))
            .collect();
        assert!(summaries.iter().any(|s| s.contains("Emoji 🎉 æøå «»")), "{summaries:?}");
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "folded at 75 octets: {line:?}");
        }
        assert_eq!(ics.matches("\r\nPRODID:").count(), 1, "one PRODID, as RFC 5545 says");
        assert_eq!(ics.matches("\r\nVERSION:2.0\r\n").count(), 1);
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("SUMMARY;LANGUAGE=nb:Emoji 🎉 æøå «» – \\; \\, \\\\ :"), "TEXT escaping of ; , and \\");
        assert!(!ics.replace("\r\n", "").contains('\n'), "every line ends in CRLF");
    }

    async fn every_page_links_its_feeds(app: TestApp) {
        for (path, query) in [("/", ""), ("/areas/helsetjenester", "?area=helsetjenester"), ("/notices/tilskudd-til-hospitering", "")] {
            let (_, page) = fetch(&app, path).await;
            for (kind, feed) in [
                ("application/rss+xml", "/feed.rss"),
                ("application/atom+xml", "/feed.atom"),
                ("application/feed+json", "/feed.json"),
                ("text/calendar", "/calendar.ics"),
            ] {
                let link = format!("<link rel=\"alternate\" type=\"{kind}\"");
                let href = format!("href=\"{feed}{query}\"");
                assert!(page.lines().any(|l| l.contains(&link) && l.contains(&href)), "{path} links {feed}{query}");
            }
        }
    }

    async fn bad_filters_are_400_in_every_format(app: TestApp) {
        for path in ["/feed.rss", "/feed.atom", "/feed.json", "/calendar.ics"] {
            assert_problem(app.get(&format!("{path}?kind=event")).await, 400, Some("kind")).await;
            assert_problem(app.get(&format!("{path}?area=nowhere")).await, 400, Some("area")).await;
        }
    }
}
