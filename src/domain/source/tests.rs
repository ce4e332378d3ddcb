use super::*;
use serde_json::json;

fn taxonomy() -> Taxonomy {
    let document = include_str!("../../../seeds/tilgangspakke-helse-pleie-omsorg-og-vern.md");
    Taxonomy::new(crate::domain::area::parse_access_packages(document).unwrap())
}

fn linkable() -> String {
    "helsetjenester".into()
}

#[test]
fn a_source_needs_a_url_a_kind_and_areas_and_defaults_the_rest() {
    let doc = json!({"url": "https://www.helsedirektoratet.no/rss", "kind": "news", "areas": [linkable()]});
    let input = parse(&doc, &taxonomy(), false).unwrap();
    assert_eq!(input.state, State::Draft);
    assert_eq!(input.language, Language::Nb);
    assert_eq!(input.interval_minutes, 60);
    let errors = parse(&json!({}), &taxonomy(), false).unwrap_err();
    let named: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(named, ["url", "kind", "areas"]);
}

#[test]
fn every_bad_field_is_named() {
    let doc = json!({
        "url": "ftp://example.no/feed", "kind": "event", "areas": ["nowhere"],
        "language": "sv", "state": "withdrawn", "interval_minutes": 4, "colour": "red",
    });
    let errors = parse(&doc, &taxonomy(), false).unwrap_err();
    let mut named: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    named.sort_unstable();
    assert_eq!(
        named,
        [
            "areas[0]",
            "colour",
            "interval_minutes",
            "kind",
            "language",
            "state",
            "url"
        ]
    );
}

#[test]
fn private_addresses_are_refused_unless_allowed() {
    for url in [
        "http://127.0.0.1:8080/feed",
        "http://[::1]/feed",
        "http://10.1.2.3/rss",
    ] {
        let doc = json!({"url": url, "kind": "news", "areas": [linkable()]});
        let errors = parse(&doc, &taxonomy(), false).unwrap_err();
        assert_eq!(errors[0].invalid, Invalid::PrivateAddress, "{url}");
        assert!(parse(&doc, &taxonomy(), true).is_ok(), "{url}");
    }
}

#[test]
fn failures_back_off_to_at_most_a_day_and_retry_after_is_honoured() {
    let now = Utc::now();
    let hour = Duration::hours(1);
    assert_eq!(next_fetch(hour, 0, None, now), now + hour);
    assert_eq!(next_fetch(hour, 1, None, now), now + hour);
    assert_eq!(next_fetch(hour, 2, None, now), now + hour * 2);
    assert_eq!(next_fetch(hour, 3, None, now), now + hour * 4);
    assert_eq!(next_fetch(hour, 40, None, now), now + Duration::hours(24));
    let week = Duration::days(7);
    assert_eq!(
        next_fetch(week, 3, None, now),
        now + week,
        "never sooner than the interval"
    );
    let asked = Duration::hours(3);
    assert_eq!(next_fetch(hour, 1, Some(asked), now), now + asked);
    assert_eq!(
        next_fetch(hour, 1, Some(Duration::days(3)), now),
        now + Duration::days(3),
        "a long pause asked for is honoured"
    );
    assert_eq!(
        next_fetch(hour, 1, Some(Duration::days(300)), now),
        now + week,
        "up to a week"
    );
}

#[test]
fn a_feed_is_shown_without_its_query() {
    assert_eq!(
        without_query("https://www.example.no/rss?key=hemmelig#topp"),
        "https://www.example.no/rss"
    );
}

#[test]
fn a_digest_changes_with_what_the_notice_shows() {
    let candidate = Candidate {
        key: "1".into(),
        title: "Tilskudd".into(),
        summary: "Søk nå".into(),
        source_url: None,
        published_at: Utc::now(),
    };
    let moved = Candidate {
        published_at: Utc::now() - Duration::days(1),
        ..candidate.clone()
    };
    assert_eq!(digest(&candidate), digest(&moved));
    let retitled = Candidate {
        title: "Tilskudd til demens".into(),
        ..candidate.clone()
    };
    assert_ne!(digest(&candidate), digest(&retitled));
}
