//! Several instances on one database, and operating through outages.

mod common;

use std::time::{Duration, Instant};

use common::{create_postgres_database, postgres_admin, settings, TestApp, TestDb};
use tavla::store::Backend;

/// Polls `check` every 50 ms for up to `within`; returns how long it took.
async fn eventually<F, Fut>(within: Duration, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    loop {
        if check().await {
            return started.elapsed();
        }
        assert!(started.elapsed() < within, "not seen within {within:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

on_every_backend! {
    async fn a_write_through_one_instance_reaches_the_others_cached_feeds_within_a_second(app: TestApp) {
        let other = app.second_instance();
        let client = reqwest::Client::new();
        let get = |path: &str| {
            let client = client.clone();
            let url = format!("{other}{path}");
            async move { client.get(url).send().await.unwrap().text().await.unwrap() }
        };
        // The other instance has the feeds rendered and in memory.
        for path in ["/feed.rss", "/feed.rss?kind=news"] {
            assert_eq!(get(path).await, get(path).await);
        }
        let admin = app.admin();
        let mut doc = common::grant_doc("Skrevet gjennom den første instansen");
        doc["kind"] = serde_json::json!("news");
        doc.as_object_mut().unwrap().remove("grant");
        let created = app.create_notice(&admin, &doc).await;
        let id = created["id"].as_str().unwrap().to_owned();
        let guid = format!("urn:uuid:{id}");
        for path in ["/feed.rss", "/feed.rss?kind=news", "/feed.json", "/api/v1/notices"] {
            let needle = if path.starts_with("/api") { id.clone() } else { guid.clone() };
            eventually(Duration::from_secs(1), || {
                let get = get(path);
                let needle = needle.clone();
                async move { get.await.contains(&needle) }
            })
            .await;
        }
    }
}

#[tokio::test]
async fn instances_starting_together_migrate_and_seed_once() {
    let backend = Backend::Postgres(create_postgres_database());
    let starts: Vec<_> = (0..3)
        .map(|_| {
            let backend = backend.clone();
            std::thread::spawn(move || tavla::prepare_store(&settings(&backend)).map(|_| ()))
        })
        .collect();
    for start in starts {
        start.join().unwrap().expect("each instance starts");
    }
    let store = tavla::store::Store::connect(&backend, &Default::default()).unwrap();
    let count = tavla::store::notices::count(&mut store.conn().unwrap()).unwrap();
    assert_eq!(count, 10);
}

#[tokio::test]
async fn readiness_is_503_while_the_database_is_unreachable_and_recovers() {
    let app = TestApp::spawn(TestDb::Postgres).await;
    let Backend::Postgres(url) = &app.backend else {
        unreachable!()
    };
    let name = url.rsplit('/').next().unwrap().to_owned();
    assert_eq!(app.get("/readyz").await.status(), 200);

    postgres_admin(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"));
    postgres_admin(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    ));
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "the process itself is fine"
    );
    let api = app.get("/api/v1/notices?kind=grant").await;
    assert_eq!(api.headers()["retry-after"], "5");
    common::assert_problem(api, 503, None).await;

    postgres_admin(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"));
    eventually(Duration::from_secs(10), || {
        let response = app.get("/readyz");
        async move { response.await.status() == 200 }
    })
    .await;
    assert_eq!(app.get("/api/v1/notices").await.status(), 200);
}

#[tokio::test]
async fn an_unreachable_database_at_startup_is_a_clear_error_after_a_bounded_wait() {
    // Nothing listens on port 1.
    let started = Instant::now();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tavla"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env(
            "TAVLA_DATABASE_URL",
            "postgres://tavla:hemmelig@127.0.0.1:1/tavla",
        )
        .env("TAVLA_DB_STARTUP_WAIT", "2")
        .output()
        .unwrap();
    let waited = started.elapsed();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("tavla: cannot reach the database"),
        "{stderr}"
    );
    assert!(stderr.contains("within 2s"), "{stderr}");
    assert!(
        !stderr.contains("hemmelig"),
        "the password is not shown: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        waited >= Duration::from_secs(1),
        "it retried before giving up"
    );
}

#[test]
fn bad_settings_stop_the_start_with_their_name() {
    // (variable, value, what the message names: the variable, or the flag clap checked)
    for (variable, value, named) in [
        ("TAVLA_BIND", "not-an-address", "TAVLA_BIND"),
        ("TAVLA_BASE_URL", "ftp://example", "TAVLA_BASE_URL"),
        ("TAVLA_DATABASE_URL", "mysql://x", "TAVLA_DATABASE_URL"),
        ("TAVLA_DB_POOL_SIZE", "0", "--db-pool-size"),
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_tavla"))
            .arg("serve")
            .env(variable, value)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{variable}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(named), "{variable}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
