//! SQLite's writes: a write queues behind another instead of failing, the
//! WAL does not grow without end, no write copies it into the database nor
//! merges the search index, and a correction rewrites only what it changes.

mod common;

use std::time::Duration;

use common::{grant_doc, oslo_days_ahead, TestApp, TestDb};
use diesel::connection::SimpleConnection;
use diesel::{Connection, RunQueryDsl, SqliteConnection};

/// Longer than the five seconds a writer used to wait before it failed with
/// "database is locked" and the client got a 500.
const HELD: Duration = Duration::from_secs(7);

#[tokio::test]
async fn writes_wait_for_a_long_write_instead_of_failing() {
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let admin = app.admin();
    let path = app.db_path.clone().unwrap();
    // Another process's long write: it holds SQLite's write lock for a while.
    let (locked, is_locked) = tokio::sync::oneshot::channel();
    let holder = std::thread::spawn(move || {
        let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
        conn.batch_execute("BEGIN IMMEDIATE").unwrap();
        locked.send(()).unwrap();
        std::thread::sleep(HELD);
        conn.batch_execute("COMMIT").unwrap();
    });
    is_locked.await.unwrap();
    let posts = (0..3).map(|i| {
        let app = &app;
        let admin = &admin;
        async move {
            app.post_notice(admin, &grant_doc(&format!("Tilskudd i kø {i}")))
                .await
        }
    });
    let responses = futures_util::future::join_all(posts).await;
    holder.join().unwrap();
    for response in responses {
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    }
    assert_eq!(app.all_notices("&q=k%C3%B8", 100).await.len(), 3);
}

#[tokio::test]
async fn a_checkpoint_empties_the_wal() {
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let admin = app.admin();
    for i in 0..20 {
        app.create_notice(&admin, &grant_doc(&format!("Tilskudd nr. {i}")))
            .await;
    }
    let wal = app.db_path.clone().unwrap().with_extension("db-wal");
    let size = || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert!(size() > 0, "the writes are in the WAL");
    let store = app.store();
    tavla::store::checkpoint(&mut store.conn().unwrap()).unwrap();
    assert_eq!(
        size(),
        0,
        "the WAL is truncated once copied into the database"
    );
    assert_eq!(app.all_notices("&q=nr", 100).await.len(), 20);
}

/// Pages of 4 KiB a write below adds: past the 1 000 at which SQLite's
/// default has the writer copy the WAL into the database before it answers.
const MANY_PAGES: usize = 1_500;

#[test]
fn a_write_leaves_copying_the_wal_to_the_checkpoints() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tavla.db");
    let backend = tavla::store::Backend::Sqlite(path.to_str().unwrap().to_owned());
    let store = tavla::store::Store::connect(&backend, &Default::default()).unwrap();
    let mut conn = store.conn().unwrap();
    conn.batch_execute("CREATE TABLE filler (page BLOB NOT NULL)")
        .unwrap();
    tavla::store::checkpoint(&mut conn).unwrap();
    let size = || std::fs::metadata(&path).unwrap().len();
    let before = size();
    conn.batch_execute(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {MANY_PAGES}) \
         INSERT INTO filler (page) SELECT zeroblob(4000) FROM n"
    ))
    .unwrap();
    assert_eq!(size(), before, "the write left the database file as it was");
    tavla::store::checkpoint(&mut conn).unwrap();
    assert!(
        size() >= before + (MANY_PAGES as u64) * 4000,
        "the checkpoint copied the write into the database file"
    );
}

/// Logs, in `rewritten`, each of these columns an UPDATE of a notice sets
/// (whatever the value), and each deletion of an area link.
const REWRITES_LOGGED: &str = "
    CREATE TABLE rewritten (name TEXT NOT NULL);
    CREATE TRIGGER kind_set AFTER UPDATE OF kind ON notices
        BEGIN INSERT INTO rewritten VALUES ('kind'); END;
    CREATE TRIGGER published_at_set AFTER UPDATE OF published_at ON notices
        BEGIN INSERT INTO rewritten VALUES ('published_at'); END;
    CREATE TRIGGER deadline_set AFTER UPDATE OF deadline ON notices
        BEGIN INSERT INTO rewritten VALUES ('deadline'); END;
    CREATE TRIGGER link_deleted AFTER DELETE ON notice_areas
        BEGIN INSERT INTO rewritten VALUES ('links'); END;";

#[tokio::test]
async fn a_correction_rewrites_only_what_it_changes() {
    #[derive(diesel::QueryableByName)]
    struct Rewritten {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let admin = app.admin();
    let created = app
        .create_notice(&admin, &grant_doc("Tilskudd til retting"))
        .await;
    let id = created["id"].as_str().unwrap();
    let store = app.store();
    store
        .conn()
        .unwrap()
        .batch_execute(REWRITES_LOGGED)
        .unwrap();
    let rewritten = || -> Vec<String> {
        let mut conn = store.conn().unwrap();
        let names: Vec<Rewritten> = diesel::sql_query("DELETE FROM rewritten RETURNING name")
            .load(&mut *conn)
            .unwrap();
        let mut names: Vec<String> = names.into_iter().map(|r| r.name).collect();
        names.sort();
        names
    };
    let corrections = [
        (serde_json::json!({"summary": "Rettet sammendrag."}), vec![]),
        (
            serde_json::json!({"grant": {"deadline": oslo_days_ahead(200, 12, 0)}}),
            vec!["deadline"],
        ),
        (
            serde_json::json!({"areas": ["helsetjenester", "kommuneoverlege"]}),
            vec!["links"],
        ),
    ];
    for (revision, (patch, expected)) in (1..).zip(corrections) {
        let response = app
            .patch_notice(&admin, id, &format!("\"rev-{revision}\""), &patch)
            .await;
        assert_eq!(response.status(), 200, "{patch}");
        assert_eq!(rewritten(), expected, "what {patch} rewrote");
    }
}

#[derive(diesel::QueryableByName)]
struct Number {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[tokio::test]
async fn writes_leave_merging_the_search_index_to_the_background() {
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let admin = app.admin();
    let store = app.store();
    let number = |sql: &str| -> i64 {
        let found: Number = diesel::sql_query(sql)
            .get_result(&mut *store.conn().unwrap())
            .unwrap();
        found.n
    };
    // Each segment of FTS5's index has a row in `notices_fts_idx` for each
    // of its leaves, so counting its distinct ids counts the segments.
    let segments = || number("SELECT count(DISTINCT segid) AS n FROM notices_fts_idx");
    assert_eq!(
        number("SELECT v AS n FROM notices_fts_config WHERE k = 'automerge'"),
        0,
        "FTS5 merges nothing in a write but what its crisis merges must"
    );
    tavla::store::merge_search_index(&mut store.conn().unwrap()).unwrap();
    let settled = segments();
    // Four: as many as FTS5 merges a level at (its `usermerge`).
    for i in 0..4 {
        app.create_notice(&admin, &grant_doc(&format!("Tilskudd til fletting {i}")))
            .await;
    }
    let written = segments();
    assert!(
        written >= settled + 4,
        "each write added a segment of its own ({settled} -> {written})"
    );
    tavla::store::merge_search_index(&mut store.conn().unwrap()).unwrap();
    let merged = segments();
    assert!(
        merged < written,
        "a step of the background merge merged them ({written} -> {merged})"
    );
    assert_eq!(app.all_notices("&q=fletting", 100).await.len(), 4);
}
