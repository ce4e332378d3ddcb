//! The metrics listener: scraped after traffic, and read with an
//! independent parser of the Prometheus text format.

mod common;

use chrono::Duration;
use common::sources::{days_ago, register};
use common::upstream::{rss, Upstream};
use common::{eventually, grant_doc, TestApp, TestDb};
use openmetrics_parser::prometheus::parse_prometheus;
use openmetrics_parser::{MetricsExposition, PrometheusType, PrometheusValue};
use reqwest::Method;
use serde_json::json;

type Exposition = MetricsExposition<PrometheusType, PrometheusValue>;

const REQUESTS: &str = "tavla_http_request_duration_seconds";

async fn spawn(db: TestDb) -> TestApp {
    TestApp::spawn_configured(db, |s| {
        s.metrics_bind = Some("127.0.0.1:0".parse().unwrap());
    })
    .await
}

/// Scrapes the app's metrics listener: the text format, every line of it
/// read by the parser (which refuses what the format does not allow).
async fn scrape(app: &TestApp) -> Exposition {
    let base = app.metrics.as_deref().expect("a metrics listener");
    let response = app
        .client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    let text = response.text().await.unwrap();
    parse_prometheus(&text).unwrap_or_else(|e| panic!("{e:?} in\n{text}"))
}

/// The value of the sample of `name` whose labels include `labels`; for a
/// histogram, how many it counted.
fn value(scraped: &Exposition, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let family = scraped.families.get(name)?;
    family
        .iter_samples()
        .find(|sample| {
            let set = sample.get_labelset().unwrap();
            labels
                .iter()
                .all(|(label, wanted)| set.get_label_value(label) == Some(*wanted))
        })
        .map(|sample| match &sample.value {
            PrometheusValue::Gauge(n) | PrometheusValue::Unknown(n) => n.as_f64(),
            PrometheusValue::Counter(c) => c.value.as_f64(),
            PrometheusValue::Histogram(h) => h.count.unwrap_or_default() as f64,
            PrometheusValue::Summary(s) => s.count.unwrap_or_default() as f64,
        })
}

/// Every value the label `label` has among `name`'s samples.
fn label_values(scraped: &Exposition, name: &str, label: &str) -> Vec<String> {
    let family = &scraped.families[name];
    family
        .iter_samples()
        .filter_map(|sample| {
            let set = sample.get_labelset().unwrap();
            set.get_label_value(label).map(str::to_owned)
        })
        .collect()
}

/// Waits until the worker has counted a sample of `name` with `labels`.
async fn counted_eventually(app: &TestApp, name: &str, labels: &[(&str, &str)]) -> f64 {
    eventually(
        10,
        || format!("{name} {labels:?} counted"),
        || async { value(&scrape(app).await, name, labels) },
    )
    .await
}

fn families(scraped: &Exposition) -> Vec<&String> {
    let mut names: Vec<_> = scraped.families.keys().collect();
    names.sort();
    names
}

async fn status(app: &TestApp, url: &str) -> u16 {
    app.client.get(url).send().await.unwrap().status().as_u16()
}

async fn the_requests_cache_and_pool_are_counted_by_route_template(db: TestDb) {
    let app = spawn(db).await;
    let metrics = app.metrics.clone().unwrap();
    // Only on its own listener, and only /metrics there.
    assert_eq!(status(&app, &app.url("/metrics")).await, 404);
    assert_eq!(
        status(&app, &format!("{metrics}/api/v1/notices")).await,
        404
    );
    let first = app.json("/api/v1/notices?limit=5").await;
    let slug = first["items"][0]["slug"].as_str().unwrap().to_owned();
    app.json("/api/v1/notices?limit=5").await; // from memory
    for _ in 0..2 {
        let path = format!("/api/v1/notices/{slug}");
        assert_eq!(status(&app, &app.url(&path)).await, 200);
    }
    let missing = app.url("/api/v1/notices/ingen-slik-kunngjoring");
    assert_eq!(status(&app, &missing).await, 404);
    assert_eq!(status(&app, &app.url("/ingen/slik/side")).await, 404);
    assert_eq!(
        status(&app, &app.url("/api/v1/notices?limit=mange")).await,
        400
    );

    let scraped = scrape(&app).await;
    let route = "/api/v1/notices/{id_or_slug}";
    let of = |status| [("method", "GET"), ("route", route), ("status", status)];
    assert_eq!(
        value(&scraped, REQUESTS, &of("200")),
        Some(2.0),
        "{:?}",
        families(&scraped)
    );
    assert_eq!(value(&scraped, REQUESTS, &of("404")), Some(1.0));
    // /metrics asked of the public port, and a page that is not there.
    let unmatched = [("route", "unmatched"), ("status", "404")];
    assert_eq!(value(&scraped, REQUESTS, &unmatched), Some(2.0));
    let list = [("route", "/api/v1/notices"), ("status", "400")];
    assert_eq!(value(&scraped, REQUESTS, &list), Some(1.0));
    // Templates, never paths: no slug, id or query becomes a series.
    for route in label_values(&scraped, REQUESTS, "route") {
        assert!(
            route == "unmatched" || (route.starts_with('/') && !route.contains('?')),
            "{route}"
        );
        assert!(
            !route.contains(&slug) && !route.contains("ingen"),
            "{route}"
        );
    }

    let counted = |name: &str| value(&scraped, name, &[]).unwrap_or_else(|| panic!("{name}"));
    assert!(counted("tavla_cache_hits_total") >= 1.0);
    assert!(counted("tavla_cache_misses_total") >= 1.0);
    assert!(counted("tavla_cache_bytes") > 0.0);
    assert!(counted("tavla_cache_entries") >= 1.0);
    assert!(scraped.families.contains_key("tavla_cache_evictions_total"));
    assert!(counted("tavla_db_pool_max_connections") >= 1.0);
    assert!(
        counted("tavla_db_pool_wait_seconds") >= 1.0,
        "each use counted"
    );
    // The requests before left connections open; the worker may be using one.
    let connections = |state| value(&scraped, "tavla_db_pool_connections", &[("state", state)]);
    let (in_use, idle) = (connections("in_use").unwrap(), connections("idle").unwrap());
    assert!(in_use + idle >= 1.0, "{in_use} {idle}");
    assert!(in_use + idle <= counted("tavla_db_pool_max_connections"));
    let backend = match db {
        TestDb::Sqlite => "sqlite",
        TestDb::Postgres => "postgres",
    };
    let build = [("version", env!("CARGO_PKG_VERSION")), ("backend", backend)];
    assert_eq!(value(&scraped, "tavla_build_info", &build), Some(1.0));
    assert_eq!(counted("tavla_ready"), 1.0);
    assert_eq!(counted("tavla_outbox_readable"), 1.0);
}

#[tokio::test]
async fn sqlite_the_requests_cache_and_pool_are_counted_by_route_template() {
    the_requests_cache_and_pool_are_counted_by_route_template(TestDb::Sqlite).await;
}

#[tokio::test]
async fn postgres_the_requests_cache_and_pool_are_counted_by_route_template() {
    the_requests_cache_and_pool_are_counted_by_route_template(TestDb::Postgres).await;
}

async fn the_outbox_backlog_deliveries_and_fetches_are_counted(db: TestDb) {
    let app = spawn(db).await;
    let admin = app.admin();
    let go_live = [("channel", "go-live")];
    let before = scrape(&app).await;
    let pending = value(&before, "tavla_outbox_pending", &go_live).unwrap();

    // A notice due in an hour waits in the outbox, not yet due.
    let mut doc = grant_doc("Tilskudd som kommer");
    let at = app.clock.now() + Duration::hours(1);
    let at = chrono::DateTime::from_timestamp(at.timestamp(), 0).unwrap();
    doc["published_at"] = json!(at.to_rfc3339());
    app.create_notice(&admin, &doc).await;
    let scraped = scrape(&app).await;
    assert_eq!(
        value(&scraped, "tavla_outbox_pending", &go_live),
        Some(pending + 1.0)
    );
    assert_eq!(value(&scraped, "tavla_outbox_due", &go_live), Some(0.0));
    let oldest = "tavla_outbox_oldest_due_age_seconds";
    assert_eq!(value(&scraped, oldest, &go_live), Some(0.0));
    // Read two hours on, as a stalled worker would leave it: due, for an hour.
    let later = app.clock.now() + Duration::hours(2);
    let backlog = app
        .store()
        .run(move |conn| tavla::store::outbox::backlog(conn, &["go-live"], later))
        .await
        .unwrap();
    assert_eq!(backlog[0].due, 1, "{backlog:?}");
    // The settable clock runs on from where it was set: the wait is `later`
    // less the notice's instant, to the millisecond.
    let expected = (later - at).num_milliseconds() as f64 / 1000.0;
    assert_eq!(backlog[0].oldest_due_seconds, expected, "{backlog:?}");
    assert!(expected >= 3_599.0, "{expected}");

    // Its time comes: the worker makes it go live, and counts it.
    app.clock.advance(Duration::hours(1) + Duration::seconds(1));
    let delivered = [("channel", "go-live"), ("outcome", "delivered")];
    counted_eventually(&app, "tavla_outbox_deliveries_total", &delivered).await;
    let scraped = scrape(&app).await;
    assert_eq!(
        value(&scraped, "tavla_outbox_pending", &go_live),
        Some(pending)
    );

    // Two webhooks: one receiver fails (tried again later), one is gone
    // (given up).
    let receivers = Upstream::start().await;
    receivers.answer_once(500, &[]);
    receivers.answer_once(410, &[]);
    for n in 1..=2 {
        let hook = json!({"url": format!("{}/hook/{n}", receivers.base)});
        let path = "/api/v1/admin/webhooks";
        let made = app.send(Method::POST, path, &admin, Some(&hook), &[]).await;
        assert_eq!(made.status(), 201);
    }
    app.create_notice(&admin, &grant_doc("Tilskudd til mottakerne"))
        .await;
    let webhook = [("channel", "webhook")];
    eventually(
        10,
        || "both attempts counted".into(),
        || async {
            let scraped = scrape(&app).await;
            let outcome = |o| [("channel", "webhook"), ("outcome", o)];
            let counted = |o| value(&scraped, "tavla_outbox_deliveries_total", &outcome(o));
            (counted("retried") == Some(1.0) && counted("given-up") == Some(1.0)).then_some(())
        },
    )
    .await;
    // Scraped again: one scrape reads the backlog before the counters, and
    // an attempt is counted only once its outcome is recorded.
    let scraped = scrape(&app).await;
    assert_eq!(value(&scraped, "tavla_outbox_pending", &webhook), Some(1.0));
    assert_eq!(
        value(&scraped, "tavla_outbox_due", &webhook),
        Some(0.0),
        "its retry is ahead"
    );
    let delivered = [("channel", "webhook"), ("outcome", "delivered")];
    assert_eq!(
        value(&scraped, "tavla_outbox_deliveries_total", &delivered),
        None
    );

    // A source's first fetch, made by the worker at once.
    let upstream = Upstream::start().await;
    let item = (
        "m-1",
        "Ny ordning",
        "Kort",
        "https://oppstroms.example.no/m-1",
    );
    let date = days_ago(&app, 1);
    upstream.serve(
        rss(&[(item.0, item.1, item.2, item.3, &date)]),
        "application/rss+xml",
    );
    let source = json!({"url": upstream.feed_url(), "kind": "news", "areas": ["helsetjenester"]});
    register(&app, &admin, source).await;
    let imported = [("outcome", "imported")];
    counted_eventually(&app, "tavla_source_fetches_total", &imported).await;
    let scraped = scrape(&app).await;
    let created = [("change", "created")];
    assert_eq!(
        value(&scraped, "tavla_imported_notices_total", &created),
        Some(1.0)
    );
    // The fetch's delivery is recorded (and counted) after the fetch.
    let fetched = [("channel", "import"), ("outcome", "delivered")];
    counted_eventually(&app, "tavla_outbox_deliveries_total", &fetched).await;
}

#[tokio::test]
async fn sqlite_the_outbox_backlog_deliveries_and_fetches_are_counted() {
    the_outbox_backlog_deliveries_and_fetches_are_counted(TestDb::Sqlite).await;
}

#[tokio::test]
async fn postgres_the_outbox_backlog_deliveries_and_fetches_are_counted() {
    the_outbox_backlog_deliveries_and_fetches_are_counted(TestDb::Postgres).await;
}

#[tokio::test]
async fn there_is_no_metrics_listener_unless_one_is_configured() {
    let app = TestApp::spawn(TestDb::Sqlite).await;
    assert!(app.metrics.is_none());
    assert_eq!(status(&app, &app.url("/metrics")).await, 404);
}
