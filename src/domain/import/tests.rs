use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::*;

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().to_utc()
}

fn now() -> DateTime<Utc> {
    at("2031-06-01T12:00:00Z")
}

fn rss(items: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Helsedirektoratet</title>
<link>https://www.helsedirektoratet.no/</link><description>Nyheter</description>
{items}
</channel></rss>"#
    )
    .into_bytes()
}

fn json_feed(items: Value) -> Vec<u8> {
    let feed =
        json!({"version": "https://jsonfeed.org/version/1.1", "title": "Tavla", "items": items});
    feed.to_string().into_bytes()
}

fn import(bytes: &[u8]) -> Vec<Candidate> {
    candidates(bytes, now(), false, 100).unwrap()
}

fn refusal(bytes: &[u8]) -> String {
    match candidates(bytes, now(), false, 100) {
        Err(error @ ImportError::NotAFeed(_)) => error.to_string(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_rss_item_keeps_its_norwegian_text_exactly() {
    let feed = rss(r#"<item>
        <title>Tilskudd til «Sterkere sammen» – søk nå</title>
        <link>https://www.helsedirektoratet.no/tilskudd/sterkere-sammen</link>
        <guid isPermaLink="false">hdir-2031-17</guid>
        <pubDate>Tue, 04 Mar 2031 09:30:00 +0100</pubDate>
        <description>&lt;p&gt;Søk &amp;amp; få støtte til tiltak for barn og unge – frist 1. april.&lt;/p&gt;</description>
    </item>"#);
    assert_eq!(
        import(&feed),
        [Candidate {
            key: "hdir-2031-17".into(),
            title: "Tilskudd til «Sterkere sammen» – søk nå".into(),
            summary: "Søk & få støtte til tiltak for barn og unge – frist 1. april.".into(),
            source_url: Some("https://www.helsedirektoratet.no/tilskudd/sterkere-sammen".into()),
            published_at: at("2031-03-04T08:30:00Z"),
        }]
    );
}

#[test]
fn an_atom_entry_is_read_by_its_id_its_alternate_link_and_its_html_title() {
    let feed = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Webinarer</title><id>urn:x:feed</id>
<updated>2031-03-01T10:00:00Z</updated>
<entry>
  <id>tag:helsedirektoratet.no,2031:webinar-9</id>
  <title type="html">Webinar: &lt;em&gt;Rus og psykisk helse&lt;/em&gt; &amp;amp; ettervern</title>
  <link rel="self" href="https://api.helsedirektoratet.no/entries/9"/>
  <link rel="enclosure" href="https://www.helsedirektoratet.no/lysark.pdf"/>
  <link href="https://www.helsedirektoratet.no/webinar/rus"/>
  <updated>2031-02-20T13:00:00+01:00</updated>
  <summary>Påmelding innen 1. mars – «alle er velkomne».</summary>
</entry>
</feed>"#;
    assert_eq!(
        import(feed.as_bytes()),
        [Candidate {
            key: "tag:helsedirektoratet.no,2031:webinar-9".into(),
            title: "Webinar: Rus og psykisk helse & ettervern".into(),
            summary: "Påmelding innen 1. mars – «alle er velkomne».".into(),
            source_url: Some("https://www.helsedirektoratet.no/webinar/rus".into()),
            published_at: at("2031-02-20T12:00:00Z"),
        }]
    );
}

#[test]
fn a_json_feed_item_without_a_summary_is_summarised_by_its_content() {
    let feed = json_feed(json!([{
        "id": "42",
        "url": "https://www.helsedirektoratet.no/nyheter/arsrapport",
        "title": "Årsrapport for 2030 – nå ute",
        "content_html": "<h2>Hovedfunn</h2><p>Færre venter på sykehus &ndash; «særlig i nord».</p>",
        "date_published": "2031-01-15T08:00:00+01:00"
    }]));
    assert_eq!(
        import(&feed),
        [Candidate {
            key: "42".into(),
            title: "Årsrapport for 2030 – nå ute".into(),
            summary: "Hovedfunn Færre venter på sykehus – «særlig i nord».".into(),
            source_url: Some("https://www.helsedirektoratet.no/nyheter/arsrapport".into()),
            published_at: at("2031-01-15T07:00:00Z"),
        }]
    );
}

#[test]
fn a_feed_in_latin_1_is_decoded() {
    let text = r#"<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel>
        <item><guid>1</guid><title>Søknad om støtte på Ås</title></item></channel></rss>"#;
    let latin_1: Vec<u8> = text.chars().map(|c| u8::try_from(c).unwrap()).collect();
    assert_eq!(import(&latin_1)[0].title, "Søknad om støtte på Ås");
}

#[test]
fn a_long_title_and_summary_are_cut_within_the_notice_limits() {
    let title = "Nasjonal faglig retningslinje for «rus og avhengighet» – ".repeat(10);
    let summary = format!(
        "<p>{}</p>",
        "Kommunene får støtte til ettervern. ".repeat(100)
    );
    let feed = json_feed(json!([{"id": "1", "title": title, "summary": summary}]));
    let found = &import(&feed)[0];
    assert_eq!(found.title.chars().count(), TITLE_MAX);
    assert!(found
        .title
        .starts_with("Nasjonal faglig retningslinje for «rus"));
    assert!(found.title.ends_with("…"));
    assert_eq!(found.summary.chars().count(), SUMMARY_MAX);
    assert!(found.summary.ends_with("får støtt…"), "{}", found.summary);
}

#[test]
fn control_characters_and_direction_overrides_are_removed() {
    let feed = json_feed(json!([{
        "id": "1",
        "title": "Hei\u{0}\u{7} du\u{202e}\u{9f}",
        "summary": "Linje\u{1b} én\u{2028}og \u{85}to\u{ffff}"
    }]));
    let found = &import(&feed)[0];
    assert_eq!(
        (found.title.as_str(), found.summary.as_str()),
        ("Hei du", "Linje én og to")
    );
}

#[test]
fn an_entry_is_keyed_by_its_id_else_its_link_and_skipped_without_either() {
    let feed = rss(r#"
        <item><title>Med guid</title><guid>hdir-1</guid><link>https://hdir.no/1</link></item>
        <item><title>Med lenke</title><link>https://hdir.no/2</link></item>
        <item><title>Uten noe</title><description>Borte</description></item>"#);
    let keys: Vec<_> = import(&feed).into_iter().map(|c| c.key).collect();
    assert_eq!(keys, ["hdir-1", "https://hdir.no/2"]);

    let hostile = json_feed(json!([{"id": "x".repeat(5000), "title": "Lang id"}]));
    let key = &import(&hostile)[0].key;
    assert!(key.starts_with("sha256:") && key.len() == 71, "{key}");
}

#[test]
fn only_absolute_http_links_are_kept() {
    let feed = json_feed(json!([
        {"id": "1", "title": "Skript", "url": "javascript:alert(1)"},
        {"id": "2", "title": "Relativ", "url": "/nyheter/2"},
        {"id": "3", "title": "Fil", "url": "ftp://hdir.no/3"},
        {"id": "4", "title": "God", "url": "https://hdir.no/4"}
    ]));
    let links: Vec<_> = import(&feed).into_iter().map(|c| c.source_url).collect();
    assert_eq!(links, [None, None, None, Some("https://hdir.no/4".into())]);
}

#[test]
fn dates_come_from_the_entry_else_the_fetch_and_lie_in_the_future_only_for_drafts() {
    let feed = json_feed(json!([
        {"id": "udatert", "title": "Udatert"},
        {"id": "fremtid", "title": "Fremtid", "date_published": "2040-01-01T00:00:00Z"},
        {"id": "endret", "title": "Endret", "date_modified": "2031-05-01T10:00:00Z"},
        {"id": "urtid", "title": "Urtid", "date_published": "0001-01-01T00:00:00Z"}
    ]));
    let dates = |draft| -> Vec<(String, DateTime<Utc>)> {
        let found = candidates(&feed, now(), draft, 100).unwrap();
        found.into_iter().map(|c| (c.key, c.published_at)).collect()
    };
    let published = dates(false);
    assert!(published.contains(&("udatert".into(), now())));
    assert!(published.contains(&("fremtid".into(), now())));
    assert!(published.contains(&("endret".into(), at("2031-05-01T10:00:00Z"))));
    assert!(published.contains(&("urtid".into(), now())));
    assert!(dates(true).contains(&("fremtid".into(), at("2040-01-01T00:00:00Z"))));
}

#[test]
fn of_entries_with_one_key_the_first_usable_is_kept() {
    let feed = rss(r#"
        <item><guid>a</guid><description>Uten tittel</description></item>
        <item><guid>a</guid><title>Første</title></item>
        <item><guid>b</guid><title>Annen</title></item>
        <item><guid>a</guid><title>Gjentatt</title></item>"#);
    let titles: Vec<_> = import(&feed).into_iter().map(|c| c.title).collect();
    assert_eq!(titles, ["Første", "Annen"]);
}

#[test]
fn an_entry_without_a_visible_title_is_skipped_and_a_missing_summary_is_the_title() {
    let feed = rss(r#"
        <item><guid>1</guid><description>Ingen tittel</description></item>
        <item><guid>2</guid><title>  </title></item>
        <item><guid>3</guid><title>&lt;p&gt;&lt;/p&gt;</title></item>
        <item><guid>4</guid><title>Bare tittel</title><description>&lt;br&gt;</description></item>"#);
    let found = import(&feed);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].title.as_str(), found[0].summary.as_str()),
        ("Bare tittel", "Bare tittel")
    );
}

#[test]
fn what_is_not_a_feed_is_refused_with_a_reason() {
    let broken = rss("<item><title>Uavsluttet</item>");
    assert!(
        refusal(&broken).contains("invalid XML"),
        "{}",
        refusal(&broken)
    );
    let page = b"<!DOCTYPE html>\n<html lang=\"nb\"><head><meta charset=\"utf-8\"><title>Hei</title></head><body><p>Hei</body></html>";
    assert!(refusal(page).ends_with("an HTML page"), "{}", refusal(page));
    let lower = b"\xef\xbb\xbf<!doctype html>\n<!-- side -->\n<HTML><body>Hei</body></HTML>";
    assert!(
        refusal(lower).ends_with("an HTML page"),
        "{}",
        refusal(lower)
    );
    let other_json = br#"{"name": "Tavla", "items": []}"#;
    assert!(
        refusal(other_json).contains("not JSON Feed"),
        "{}",
        refusal(other_json)
    );
    let version_2 = br#"{"version": "https://jsonfeed.org/version/2", "title": "x", "items": []}"#;
    assert!(
        refusal(version_2).contains("version 1"),
        "{}",
        refusal(version_2)
    );
    for other in [
        &b""[..],
        b"Hei",
        br#"<?xml version="1.0"?><notes><note/></notes>"#,
    ] {
        assert!(refusal(other).contains("root"), "{}", refusal(other));
    }
    assert_eq!(ImportError::NotAFeed(String::new()).code(), "not-a-feed");
}

#[test]
fn html_inside_a_json_feed_is_no_html_page() {
    let page = "<html><body><p>Hei</p></body></html>";
    let feed = json_feed(json!([{"id": "1", "title": "Side", "content_html": page}]));
    assert_eq!(import(&feed)[0].summary, "Hei");
}

#[test]
fn a_reason_is_short_whatever_the_document() {
    let name = "a".repeat(10_000);
    let broken = format!("<rss version=\"2.0\"><{name}></rss>");
    let reason = refusal(broken.as_bytes());
    assert!(reason.chars().count() < 300, "{reason}");
}

#[test]
fn a_document_over_five_mebibytes_is_refused_before_parsing() {
    let huge = vec![b'<'; MAX_BYTES + 1];
    let refused = candidates(&huge, now(), false, 100).unwrap_err();
    assert_eq!(
        refused,
        ImportError::TooLarge {
            bytes: MAX_BYTES + 1
        }
    );
    assert_eq!(refused.code(), "too-large");

    let mut padded = rss("<item><guid>1</guid><title>Akkurat nok</title></item>");
    padded.resize(MAX_BYTES, b' ');
    assert_eq!(import(&padded).len(), 1);
}

#[test]
fn a_billion_laughs_is_refused_and_its_entities_are_never_expanded() {
    let mut entities = String::from(r#"<!ENTITY lol "lol">"#);
    for n in 1..=9 {
        let previous = if n == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", n - 1)
        };
        let refs = format!("&{previous};").repeat(10);
        entities.push_str(&format!("\n<!ENTITY lol{n} \"{refs}\">"));
    }
    let item = "<item><guid>1</guid><title>&lol9;</title><description>&lol9;</description></item>";
    let bomb = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n{entities}\n]>\n<rss version=\"2.0\"><channel>{item}</channel></rss>"
    );
    assert!(refusal(bomb.as_bytes()).contains("entities"));
    let with_bom = format!("\u{feff}{bomb}");
    assert!(refusal(with_bom.as_bytes()).contains("entities"));

    // Without the declarations the references stay what they are: short text.
    let found = import(&rss(item));
    assert_eq!(
        (found[0].title.as_str(), found[0].summary.as_str()),
        ("&lol9;", "&lol9;")
    );
}

#[test]
fn at_most_max_entries_are_taken_the_newest_first() {
    let first = at("2031-01-01T00:00:00Z");
    let items: String = (0..3000)
        .map(|i| {
            let date = (first + Duration::minutes(i)).to_rfc2822();
            format!("<item><guid>{i}</guid><title>Nr. {i}</title><pubDate>{date}</pubDate></item>")
        })
        .collect();
    let found = candidates(&rss(&items), now(), false, 50).unwrap();
    let keys: Vec<_> = found.iter().map(|c| c.key.as_str()).collect();
    let newest: Vec<_> = (2950..3000).rev().map(|i| i.to_string()).collect();
    assert_eq!(keys, newest);

    let undated = json_feed(
        json!([{"id": "a", "title": "A"}, {"id": "b", "title": "B"}, {"id": "c", "title": "C"}]),
    );
    let keys: Vec<_> = candidates(&undated, now(), false, 2)
        .unwrap()
        .into_iter()
        .map(|c| c.key)
        .collect();
    assert_eq!(keys, ["a", "b"], "the document's order among equal dates");
}
