//! SQLite under contention: a write queues behind another instead of
//! failing, and the WAL does not grow without end.

mod common;

use std::time::Duration;

use common::{grant_doc, TestApp, TestDb};
use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};

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
