//! Full-text search, `q`: PostgreSQL's norwegian configuration and SQLite's FTS5.

mod common;

use common::{assert_problem, grant_doc, TestApp, TestDb};
use serde_json::json;
use serde_json::Value;

fn titles(items: &[Value]) -> Vec<&str> {
    items.iter().map(|n| n["title"].as_str().unwrap()).collect()
}

on_every_backend! {
    async fn a_search_for_tilskudd_finds_the_grants_newest_first(app: TestApp) {
        let found = app.all_notices("&q=tilskudd", 100).await;
        assert_eq!(found.len(), 3, "{:?}", titles(&found));
        assert!(found.iter().all(|n| n["kind"] == "grant"));
        // One has the word only in its summary; a search is a filter, so the
        // matches keep the list's order.
        assert!(titles(&found).contains(&"Kompensasjon til fastleger pga korona"));
        let list: Vec<Value> = app
            .all_notices("", 100)
            .await
            .into_iter()
            .filter(|n| found.contains(n))
            .collect();
        assert_eq!(found, list, "matches come in the list's order, newest first");
        let paged = app.all_notices("&q=tilskudd", 1).await;
        assert_eq!(paged, found, "pages of a search follow that order");
    }

    async fn matches_within_one_second_come_in_id_order_across_pages(app: TestApp) {
        let admin = app.admin();
        let at = (chrono::Utc::now() - chrono::Duration::days(3))
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string();
        for i in 0..7 {
            let mut doc = grant_doc(&format!("Samtidig sjeldenord {i}"));
            // Within one second: some at one instant, which their ids order.
            doc["published_at"] = json!(format!("{at}.{:03}Z", [0, 500, 999][i % 3]));
            app.create_notice(&admin, &doc).await;
        }
        let mut list = app.all_notices("", 100).await;
        list.retain(|n| titles(std::slice::from_ref(n))[0].starts_with("Samtidig"));
        assert_eq!(list.len(), 7);
        for limit in [1, 2, 3, 100] {
            let found = app.all_notices("&q=sjeldenord", limit).await;
            assert_eq!(titles(&found), titles(&list), "pages of {limit}: ties by id, as the list");
        }
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
    }

    async fn a_cursor_from_the_list_goes_on_in_a_search(app: TestApp) {
        let found = app.all_notices("&q=tilskudd", 100).await;
        let first = found[0]["id"].as_str().unwrap();
        // The position of the first match in the whole list, as a cursor.
        let mut cursor: Option<String> = None;
        loop {
            let after = cursor.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
            let page = app.json(&format!("/api/v1/notices?limit=1{after}")).await;
            cursor = page["next_cursor"].as_str().map(str::to_owned);
            if page["items"][0]["id"] == first {
                break;
            }
        }
        let cursor = cursor.unwrap();
        let rest = app.json(&format!("/api/v1/notices?q=tilskudd&limit=100&cursor={cursor}")).await;
        assert_eq!(rest["items"].as_array().unwrap(), &found[1..]);
    }
}

/// SQLite matches a word as a prefix by expanding it into the words the
/// index holds that begin with it (store::search); those words are kept as
/// notices are written and edited.
mod sqlite_prefixes {
    use super::*;

    #[tokio::test]
    async fn a_prefix_finds_every_word_it_begins_including_words_an_edit_brings() {
        let app = TestApp::spawn(TestDb::Sqlite).await;
        let admin = app.admin();
        app.create_notice(&admin, &grant_doc("Tilskudd mot hjertesykdom"))
            .await;
        let other = app
            .create_notice(&admin, &grant_doc("Tilskudd til kreftomsorg"))
            .await;
        let id = other["id"].as_str().unwrap();
        let patch = json!({"title": "Tilskudd mot hjerteinfarkt"});
        assert_eq!(
            app.patch_notice(&admin, id, "\"rev-1\"", &patch)
                .await
                .status(),
            200
        );
        let mut found = titles(&app.all_notices("&q=hjerte", 100).await)
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>();
        found.sort();
        assert_eq!(
            found,
            ["Tilskudd mot hjerteinfarkt", "Tilskudd mot hjertesykdom"],
            "the word the edit brought is found beside the older one"
        );
        assert_eq!(
            titles(&app.all_notices("&q=HJERTEINF", 100).await),
            ["Tilskudd mot hjerteinfarkt"]
        );
    }

    #[tokio::test]
    async fn a_prefix_of_very_many_words_still_finds_each_of_them() {
        let app = TestApp::spawn(TestDb::Sqlite).await;
        let admin = app.admin();
        // More words with one prefix than a search expands it into.
        let mut many = grant_doc("Mange ord");
        let words: Vec<String> = (0..300).map(|i| format!("qvxord{i:03}")).collect();
        many["body"] = json!(words.join(" "));
        app.create_notice(&admin, &many).await;
        app.create_notice(&admin, &grant_doc("Bare qvxord299"))
            .await;
        let mut found = titles(&app.all_notices("&q=qvxord", 100).await)
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>();
        found.sort();
        assert_eq!(found, ["Bare qvxord299", "Mange ord"]);
    }

    #[tokio::test]
    async fn a_word_of_one_or_two_letters_is_matched_whole() {
        let app = TestApp::spawn(TestDb::Sqlite).await;
        let admin = app.admin();
        app.create_notice(&admin, &grant_doc("Tilskudd til qv-prosjekter"))
            .await;
        app.create_notice(&admin, &grant_doc("Tilskudd til qvalitet"))
            .await;
        assert_eq!(
            titles(&app.all_notices("&q=qv", 100).await),
            ["Tilskudd til qv-prosjekter"],
            "\"qv\" is a word of its own, not the start of every word"
        );
        assert_eq!(
            titles(&app.all_notices("&q=qva", 100).await),
            ["Tilskudd til qvalitet"]
        );
    }
}

/// SQLite's index holds each notice under the negated `search_rowid`, so that
/// FTS5 reads newest first forwards (migration `search_forwards`). A store
/// whose index was made the other way finds the same after the migration.
mod sqlite_index_order {
    use super::*;
    use diesel::prelude::*;
    use diesel::sql_types::BigInt;
    use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

    const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

    #[derive(QueryableByName)]
    struct Rowid {
        #[diesel(sql_type = BigInt)]
        rowid: i64,
    }

    /// The FTS rowids of the notices that match `word`, in FTS5's order.
    fn fts_rowids(conn: &mut SqliteConnection, word: &str) -> Vec<i64> {
        diesel::sql_query("SELECT rowid FROM notices_fts WHERE notices_fts MATCH ? ORDER BY rowid")
            .bind::<diesel::sql_types::Text, _>(word)
            .load::<Rowid>(conn)
            .unwrap()
            .into_iter()
            .map(|r| r.rowid)
            .collect()
    }

    #[tokio::test]
    async fn a_store_indexed_backwards_searches_the_same_once_migrated() {
        let app = TestApp::spawn(TestDb::Sqlite).await;
        let admin = app.admin();
        for i in 0..4 {
            app.create_notice(&admin, &grant_doc(&format!("Tilskudd til rekkefølge {i}")))
                .await;
        }
        let before = app.all_notices("&q=tilskudd", 2).await;
        assert!(before.len() >= 7, "the seed's grants and these four");
        let path = app.db_path.clone().unwrap();
        let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
        let forwards = fts_rowids(&mut conn, "tilskudd");
        assert!(forwards.iter().all(|&rowid| rowid < 0), "{forwards:?}");

        let reverted = conn.revert_last_migration(MIGRATIONS).unwrap();
        assert_eq!(reverted.to_string(), "20261205000022", "search_forwards");
        let backwards = fts_rowids(&mut conn, "tilskudd");
        let mut negated: Vec<i64> = forwards.iter().map(|rowid| -rowid).collect();
        negated.reverse();
        assert_eq!(backwards, negated, "the store as it was before");

        // A start migrates it again.
        let app = app.restart().await;
        assert_eq!(fts_rowids(&mut conn, "tilskudd"), forwards);
        let ids = |items: &[Value]| -> Vec<String> {
            items
                .iter()
                .map(|n| n["id"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(ids(&app.all_notices("&q=tilskudd", 2).await), ids(&before));
        app.create_notice(&admin, &grant_doc("Tilskudd til rekkefølge 4"))
            .await;
        let after = app.all_notices("&q=rekkefølge", 2).await;
        let mut list = app.all_notices("", 100).await;
        list.retain(|n| titles(std::slice::from_ref(n))[0].contains("rekkefølge"));
        assert_eq!(list.len(), 5);
        assert_eq!(
            ids(&after),
            ids(&list),
            "the list's order, a write included"
        );
    }
}
