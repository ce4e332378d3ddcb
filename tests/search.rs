//! Full-text search, `q`: PostgreSQL's norwegian configuration and SQLite's FTS5.

mod common;

use common::{assert_problem, grant_doc, TestApp, TestDb};
use serde_json::json;
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

    async fn a_correction_is_searched_as_it_now_reads(app: TestApp) {
        let admin = app.admin();
        let created = app.create_notice(&admin, &grant_doc("Tilskudd til demensomsorg")).await;
        let id = created["id"].as_str().unwrap();
        assert_eq!(app.all_notices("&q=demensomsorg", 100).await.len(), 1);
        let patch = json!({"title": "Tilskudd til rusomsorg", "published_at": "2021-03-04T00:00:00+01:00"});
        let patched = app.patch_notice(&admin, id, "\"rev-1\"", &patch).await;
        assert_eq!(patched.status(), 200);
        assert!(app.all_notices("&q=demensomsorg", 100).await.is_empty(), "the old title is gone");
        let found = app.all_notices("&q=rusomsorg&from=2021-03-04&to=2021-03-04", 100).await;
        assert_eq!(titles(&found), ["Tilskudd til rusomsorg"], "found under its new title and date");
        assert!(app.all_notices("&q=rusomsorg&kind=news", 100).await.is_empty());
        assert_eq!(app.all_notices("&q=rusomsorg&kind=grant&area=helsetjenester", 100).await.len(), 1);
    }

    async fn a_page_of_a_search_is_filled_past_matches_other_filters_leave_out(app: TestApp) {
        let admin = app.admin();
        let mut published = grant_doc("Publisert om sjeldenord");
        published["published_at"] = json!("2024-01-02T00:00:00+01:00");
        app.create_notice(&admin, &published).await;
        // Newer, so they come first in the search's order: more than a batch of them.
        for i in 0..150 {
            let mut doc = grant_doc(&format!("Kladd om sjeldenord {i}"));
            doc["state"] = json!("draft");
            app.create_notice(&admin, &doc).await;
        }
        let found = app.all_notices("&q=sjeldenord", 2).await;
        assert_eq!(titles(&found), ["Publisert om sjeldenord"], "drafts are matched but never shown");
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
