//! `tavla backup PATH`: a consistent copy of a SQLite database taken while
//! Tavla serves and writes, which a new server runs on (the restore of
//! docs/deploy.md); on PostgreSQL it names pg_dump.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use common::{grant_doc, TestApp, TestDb};
use diesel::sql_types::{BigInt, Text};
use diesel::{Connection, QueryableByName, RunQueryDsl, SqliteConnection};
use tavla::store::Backend;

#[derive(QueryableByName)]
struct Checked {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn tavla(database_url: &str, args: &[&str]) -> std::process::Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_tavla"))
        .args(args)
        .env("TAVLA_DATABASE_URL", database_url)
        .output()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_backup_under_write_load_is_whole_and_holds_every_acknowledged_write() {
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let admin = app.admin();
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged: Arc<Mutex<Vec<String>>> = Default::default();
    let mut writers = Vec::new();
    for writer in 0..2 {
        let (stop, acknowledged) = (stop.clone(), acknowledged.clone());
        let (client, url, admin) = (
            app.client.clone(),
            app.url("/api/v1/admin/notices"),
            admin.clone(),
        );
        writers.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Acquire) {
                i += 1;
                let doc = grant_doc(&format!("Tilskudd {writer}-{i} under sikkerhetskopien"));
                let response = client
                    .post(&url)
                    .bearer_auth(&admin)
                    .json(&doc)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201);
                let created: serde_json::Value = response.json().await.unwrap();
                let id = created["id"].as_str().unwrap().to_owned();
                acknowledged.lock().unwrap().push(id);
            }
        }));
    }
    common::eventually(
        30,
        || "the writers to get going".into(),
        || async { (acknowledged.lock().unwrap().len() >= 20).then_some(()) },
    )
    .await;
    let before_backup = acknowledged.lock().unwrap().clone();
    let copy = app.dir().join("kopi.db");
    let source = app.db_path.clone().unwrap();
    let copied = tavla(
        source.to_str().unwrap(),
        &["backup", copy.to_str().unwrap()],
    )
    .await;
    stop.store(true, Ordering::Release);
    for writer in writers {
        writer.await.unwrap();
    }
    assert!(
        copied.status.success(),
        "{}",
        String::from_utf8_lossy(&copied.stderr)
    );
    let during = acknowledged.lock().unwrap().len() - before_backup.len();
    assert!(
        during > 0,
        "writes went on while the copy was made (else it proves little)"
    );
    let leftovers: Vec<_> = std::fs::read_dir(app.dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left behind");

    let mut conn = SqliteConnection::establish(copy.to_str().unwrap()).unwrap();
    let checked: Vec<Checked> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .unwrap();
    assert_eq!(checked.len(), 1);
    assert_eq!(checked[0].integrity_check, "ok");
    for id in &before_backup {
        let found: Count = diesel::sql_query("SELECT count(*) AS n FROM notices WHERE id = ?")
            .bind::<Text, _>(id)
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(
            found.n, 1,
            "notice {id}, acknowledged before the backup, is in it"
        );
    }
    drop(conn);

    // The restore: a server started on the copy serves what it holds.
    let mut settings = common::settings(&Backend::Sqlite(copy.to_string_lossy().into_owned()));
    settings.seed = false;
    let restored = tavla::Application::build(settings).expect("a server starts on the copy");
    let base = format!("http://127.0.0.1:{}", restored.port());
    tokio::spawn(restored.run_until_stopped());
    let last = before_backup.last().unwrap();
    let response = app
        .client
        .get(format!("{base}/api/v1/admin/notices/{last}"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        200,
        "the admin token and the notice came along"
    );
}

#[tokio::test]
async fn on_postgresql_backup_names_pg_dump() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("kopi.db");
    let out = tavla(
        "postgres://tavla@127.0.0.1:1/tavla",
        &["backup", copy.to_str().unwrap()],
    )
    .await;
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("pg_dump"), "{said}");
    assert!(!copy.exists());
}

#[tokio::test]
async fn a_backup_of_no_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("finnes-ikke.db");
    let copy = dir.path().join("kopi.db");
    let out = tavla(
        missing.to_str().unwrap(),
        &["backup", copy.to_str().unwrap()],
    )
    .await;
    assert!(!out.status.success());
    assert!(!missing.exists(), "no empty database is made");
    assert!(!copy.exists());
}

/// A PostgreSQL client program (`pg_dump`, `pg_restore`): Debian's newest
/// under /usr/lib/postgresql, else from the PATH.
fn pg_program(name: &str) -> std::path::PathBuf {
    let mut found: Vec<std::path::PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| {
            dirs.filter_map(|d| d.ok())
                .map(|d| d.path().join("bin").join(name))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    found.sort_by_key(|p| {
        p.components()
            .nth(4)
            .and_then(|c| c.as_os_str().to_str()?.parse::<u32>().ok())
    });
    found.pop().unwrap_or_else(|| name.into())
}

/// The PostgreSQL restore of docs/deploy.md: a `pg_dump` taken while Tavla
/// serves, restored into an empty database that a new server runs on.
#[tokio::test]
async fn a_pg_dump_restored_into_an_empty_database_serves_what_it_holds() {
    let app = TestApp::spawn(TestDb::Postgres).await;
    let admin = app.admin();
    let created = app
        .create_notice(&admin, &grant_doc("Tilskudd fra sikkerhetskopien"))
        .await;
    let Backend::Postgres(url) = &app.backend else {
        unreachable!()
    };
    let dump = app.dir().join("tavla.dump");
    let dumped = tokio::process::Command::new(pg_program("pg_dump"))
        .args(["--format=custom", "--file"])
        .arg(&dump)
        .arg(url)
        .output()
        .await
        .unwrap();
    assert!(
        dumped.status.success(),
        "{}",
        String::from_utf8_lossy(&dumped.stderr)
    );
    let restored_url = common::create_postgres_database();
    let restored = tokio::process::Command::new(pg_program("pg_restore"))
        .args(["--no-owner", "--dbname", &restored_url])
        .arg(&dump)
        .output()
        .await
        .unwrap();
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let mut settings = common::settings(&Backend::Postgres(restored_url));
    settings.seed = false;
    let server = tavla::Application::build(settings).expect("a server starts on the restore");
    let base = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.run_until_stopped());
    let id = created["id"].as_str().unwrap();
    let response = app
        .client
        .get(format!("{base}/api/v1/notices/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let notice: serde_json::Value = response.json().await.unwrap();
    assert_eq!(notice["title"], "Tilskudd fra sikkerhetskopien");
}
