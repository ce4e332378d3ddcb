//! Full-text search, `q`: PostgreSQL's norwegian configuration and SQLite's FTS5.

mod common;

use common::{assert_problem, TestApp, TestDb};
use serde_json::Value;

fn titles(items: &[Value]) -> Vec<&str> {
    items.iter().map(|n| n["title"].as_str().unwrap()).collect()
}

on_every_backend! {
    async fn a_search_for_tilskudd_finds_the_grants_title_matches_first(app: TestApp) {
        let found = app.all_notices("&q=tilskudd", 100).await;
        assert_eq!(found.len(), 3, "{:?}", titles(&found));
        assert!(found.iter().all(|n| n["kind"] == "grant"));
        // Two have the word in their title, one only in its summary: that one ranks last.
        assert_eq!(found[2]["title"], "Kompensasjon til fastleger pga korona");
        let paged = app.all_notices("&q=tilskudd", 1).await;
        assert_eq!(paged, found, "pages of a search follow its relevance order");
    }

    async fn words_with_norwegian_letters_match_in_any_case(app: TestApp) {
        for query in ["øve", "ØVE", "Øve"] {
            let found = app.all_notices(&format!("&q={query}"), 100).await;
            assert!(
                titles(&found).contains(&"Helsedirektoratet inviterer til webinarrekken \"Øve på TISK\"."),
                "{query}: {:?}",
                titles(&found)
            );
        }
        let found = app.all_notices("&q=n%C3%A6ringsdrivende", 100).await;
        assert_eq!(titles(&found), ["Kompensasjon til fastleger pga korona"]);
        let found = app.all_notices("&q=oppl%C3%A6ring", 100).await;
        assert!(titles(&found).contains(&"IPLOS/KPR opplæring"));
    }

    async fn every_word_must_match_and_filters_still_apply(app: TestApp) {
        let found = app.all_notices("&q=tilskudd%20helsefellesskap", 100).await;
        assert_eq!(titles(&found), ["Tilskudd til helsefellesskap"]);
        let none = app.all_notices("&q=tilskudd&kind=news", 100).await;
        assert!(none.is_empty());
        let none = app.all_notices("&q=finnesikkenoesteds", 100).await;
        assert!(none.is_empty());
    }

    async fn a_query_without_words_is_a_400(app: TestApp) {
        for query in ["q=", "q=%20", "q=!!!", "q=%C2%AB%C2%BB"] {
            assert_problem(app.get(&format!("/api/v1/notices?{query}")).await, 400, Some("q")).await;
        }
        let page = app.json("/api/v1/notices?limit=1").await;
        let cursor = page["next_cursor"].as_str().unwrap();
        let mixed = app.get(&format!("/api/v1/notices?q=tilskudd&cursor={cursor}")).await;
        assert_problem(mixed, 400, Some("cursor")).await;
    }
}
