//! Starts the real server on a free loopback port with its own fresh database,
//! on SQLite or on PostgreSQL.

#![allow(dead_code)]

mod documents;
pub mod editor;
pub mod hub;
pub mod mail;
pub mod process;
pub mod receiver;
mod requests;
pub mod smtp;
pub mod sources;
pub mod upstream;
// browser.rs (headless Chromium) is not declared here: only the test files
// that drive a browser include it, by path.

use std::path::PathBuf;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use diesel::{Connection, PgConnection, RunQueryDsl};
use serde_json::Value;
use tavla::app::Clock;
use tavla::config::Settings;
use tavla::store::{Backend, PoolOptions, Store};
use tempfile::TempDir;

// Not every test file uses them.
#[allow(unused_imports)]
pub use documents::*;

/// Waits for an asynchronous effect (the outbox's worker, another process)
/// that is due already: asks `check` every 50 ms until it gives `Some`, for at
/// most `seconds`; then panics saying `what` was not seen. Never a wait for
/// time to pass: tests advance the clock.
pub async fn eventually<T, F, Fut>(seconds: u64, what: impl FnOnce() -> String, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    for _ in 0..seconds * 20 {
        if let Some(found) = check().await {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("not within {seconds} s: {}", what());
}

/// Runs each test once on SQLite and once on PostgreSQL, in modules `sqlite` and `postgres`.
#[macro_export]
macro_rules! on_every_backend {
    ($( $(#[$meta:meta])* async fn $name:ident($app:ident: TestApp) $body:block )*) => {
        mod sqlite {
            use super::*;
            $( $(#[$meta])* #[tokio::test]
            async fn $name() {
                let $app = TestApp::spawn(TestDb::Sqlite).await;
                $body
            } )*
        }
        mod postgres {
            use super::*;
            $( $(#[$meta])* #[tokio::test]
            async fn $name() {
                let $app = TestApp::spawn(TestDb::Postgres).await;
                $body
            } )*
        }
    };
}

/// Which backend a test's fresh database is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestDb {
    Sqlite,
    Postgres,
}

/// The server every PostgreSQL test makes its own database on.
pub fn postgres_admin_url() -> String {
    std::env::var("TAVLA_TEST_POSTGRES_URL").expect(
        "TAVLA_TEST_POSTGRES_URL is not set: run the tests with scripts/test, \
         which starts a throwaway PostgreSQL server",
    )
}

/// A new, empty PostgreSQL database; returns its URL.
pub fn create_postgres_database() -> String {
    let admin = postgres_admin_url();
    let name = format!("tavla_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = PgConnection::establish(&admin).expect("the test PostgreSQL server answers");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .unwrap();
    let mut url = url::Url::parse(&admin).unwrap();
    url.set_path(&name);
    url.to_string()
}

/// Runs SQL as the test server's superuser, on its admin database.
pub fn postgres_admin(sql: &str) {
    let mut conn = PgConnection::establish(&postgres_admin_url()).unwrap();
    diesel::sql_query(sql).execute(&mut conn).unwrap();
}

pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// The metrics listener's base URL, when `metrics_bind` was set.
    pub metrics: Option<String>,
    pub client: reqwest::Client,
    pub backend: Backend,
    /// The SQLite file, for SQLite apps.
    pub db_path: Option<PathBuf>,
    pub db: TestDb,
    /// The app's clock: tests set and advance it instead of waiting.
    pub clock: Clock,
    /// What it was started with; a restart or a second instance uses them too.
    pub settings: Settings,
    handle: ServerHandle,
    dir: TempDir,
}

pub fn settings(backend: &Backend) -> Settings {
    Settings {
        backend: backend.clone(),
        pool: PoolOptions {
            startup_wait: Duration::from_secs(5),
            ..PoolOptions::default()
        },
        bind: "127.0.0.1:0".parse().unwrap(),
        metrics_bind: None,
        base_url: None,
        seed: true,
        websub_hub: None,
        cache_max_age: 60,
        cache_bytes: tavla::http::cached::DEFAULT_CACHE_BYTES,
        trusted_proxies: Vec::new(),
        // Test receivers listen on loopback.
        webhook_allow_private: true,
        // Test upstream feeds too.
        import_allow_private: true,
        mail: None,
        clock: Clock::settable(),
    }
}

/// A running instance: its base URL, its metrics listener's, and how to stop it.
fn start_with(settings: Settings) -> (String, Option<String>, ServerHandle) {
    let app = tavla::Application::build(settings).expect("the app starts");
    let base = format!("http://127.0.0.1:{}", app.port());
    let metrics = app
        .metrics_port()
        .map(|port| format!("http://127.0.0.1:{port}"));
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    (base, metrics, handle)
}

impl TestApp {
    /// A fresh database, seeded, behind a running server.
    pub async fn spawn(db: TestDb) -> Self {
        Self::spawn_configured(db, |_| {}).await
    }

    /// As `spawn`, with settings changed by `configure`.
    pub async fn spawn_configured(db: TestDb, configure: impl FnOnce(&mut Settings)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (backend, db_path) = match db {
            TestDb::Sqlite => {
                let path = dir.path().join("tavla.db");
                (
                    Backend::Sqlite(path.to_string_lossy().into_owned()),
                    Some(path),
                )
            }
            TestDb::Postgres => (Backend::Postgres(create_postgres_database()), None),
        };
        let mut settings = settings(&backend);
        configure(&mut settings);
        let clock = settings.clock.clone();
        let (base, metrics, handle) = start_with(settings.clone());
        Self {
            base,
            metrics,
            client: reqwest::Client::new(),
            backend,
            db_path,
            db,
            clock,
            settings,
            handle,
            dir,
        }
    }

    /// Another instance on the same database, as behind a load balancer.
    pub fn second_instance(&self) -> String {
        start_with(self.settings.clone()).0
    }

    /// Stops the server and starts a new one on the same database.
    pub async fn restart(self) -> Self {
        self.handle.stop(true).await;
        let (base, metrics, handle) = start_with(self.settings.clone());
        Self {
            base,
            metrics,
            handle,
            ..self
        }
    }

    /// Direct access to the storage layer, as another process would have.
    pub fn store(&self) -> Store {
        Store::connect(&self.backend, &PoolOptions::default()).unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    /// GET that must answer 200 with JSON.
    pub async fn json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap()
    }

    pub async fn text(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.text().await.unwrap()
    }

    /// Every public notice, walking the pages `limit` at a time.
    pub async fn all_notices(&self, filter: &str, limit: usize) -> Vec<Value> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/api/v1/notices?limit={limit}{filter}");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let page = self.json(&path).await;
            let batch = page["items"].as_array().unwrap();
            assert!(batch.len() <= limit);
            items.extend(batch.iter().cloned());
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
            assert!(items.len() < 10_000, "pagination does not end");
        }
        items
    }

    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }
}

/// Asserts a problem+json answer with `status` naming `field`.
pub async fn assert_problem(
    response: reqwest::Response,
    status: u16,
    field: Option<&str>,
) -> Value {
    assert_eq!(response.status(), status);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert!(body["type"].is_string() && body["title"].is_string() && body["detail"].is_string());
    if let Some(field) = field {
        let errors = body["errors"].as_array().expect("errors listed");
        assert!(
            errors
                .iter()
                .all(|e| e["code"].as_str().is_some_and(|c| !c.is_empty())),
            "every error has its rule's code: {body}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e["field"] == field && e["message"].is_string()),
            "{field} not named in {body}"
        );
        assert!(body["detail"].as_str().unwrap().contains(field));
    }
    body
}

/// A published news notice, ready to store through the storage layer.
pub fn news_notice(title: &str, summary: &str) -> tavla::domain::Notice {
    let now = tavla::app::Clock::system().now();
    tavla::domain::Notice {
        id: uuid::Uuid::new_v4(),
        slug: tavla::domain::slug::slugify(title),
        state: tavla::domain::State::Published,
        title: title.to_owned(),
        summary: summary.to_owned(),
        body: None,
        source_url: None,
        language: Default::default(),
        published_at: now,
        revision: 1,
        areas: vec!["helsetjenester".to_owned()],
        details: tavla::domain::Details::News,
        created_at: now,
        updated_at: now,
    }
}

/// Stores notices directly, as another writer would.
pub fn insert(app: &TestApp, notices: &[tavla::domain::Notice]) {
    let store = app.store();
    let mut conn = store.conn().unwrap();
    for notice in notices {
        tavla::store::notices::create(&mut conn, notice, app.clock.now()).unwrap();
    }
}

/// Issues a token straight into the app's database, as `tavla token create` does.
pub fn issue_token(app: &TestApp, role: &str, areas: &[&str]) -> String {
    let (store, taxonomy) = tavla::commands::open(&app.backend, &PoolOptions::default()).unwrap();
    let role = role.parse().unwrap();
    let areas = areas.iter().map(|a| a.to_string()).collect();
    tavla::commands::create_token(&store, &taxonomy, "test", role, areas, None)
        .unwrap()
        .1
}

/// A loopback port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
