//! Closed grants and past webinars: lists that walk the notices a sweep has
//! marked lapsed, and find the few it has not reached through when they
//! lapse (store::listing::lapsed). The mark chooses where to look, never
//! the answer.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{
    create_postgres_database, grant_doc, news_notice, oslo_days_ahead, settings, TestApp, TestDb,
};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use serde_json::json;
use tavla::domain::{Details, GrantDetails, Notice, Status, WebinarDetails};
use tavla::store::listing::{self, NoticeQuery};
use tavla::store::Backend;
use tavla::store::{DbConnection, Store};

fn store(backend: &Backend) -> Store {
    tavla::prepare_store(&settings(backend)).unwrap();
    Store::connect(backend, &Default::default()).unwrap()
}

fn grant(title: &str, published: DateTime<Utc>, deadline: DateTime<Utc>) -> Notice {
    Notice {
        published_at: published,
        details: Details::Grant(GrantDetails {
            deadline: Some(deadline),
            ..Default::default()
        }),
        ..news_notice(title, "Kommunene kan søke.")
    }
}

fn webinar(title: &str, published: DateTime<Utc>, starts: DateTime<Utc>) -> Notice {
    Notice {
        published_at: published,
        details: Details::Webinar(WebinarDetails {
            starts_at: Some(starts),
            ends_at: Some(starts + Duration::hours(1)),
            ..Default::default()
        }),
        ..news_notice(title, "Et webinar.")
    }
}

fn titles(conn: &mut DbConnection, statuses: &[Status], now: DateTime<Utc>) -> Vec<String> {
    let query = NoticeQuery {
        statuses: statuses.to_vec(),
        limit: 1_000,
        ..Default::default()
    };
    let mut titles: Vec<String> = listing::list(conn, &query, now)
        .unwrap()
        .into_iter()
        .map(|n| n.title)
        .collect();
    titles.sort();
    titles
}

fn lapsed(conn: &mut DbConnection, title: &str) -> bool {
    #[derive(QueryableByName)]
    struct Mark {
        #[diesel(sql_type = Bool)]
        lapsed: bool,
    }
    let sql = match conn {
        DbConnection::Pg(_) => "SELECT lapsed FROM notices WHERE title = $1",
        DbConnection::Sqlite(_) => "SELECT lapsed FROM notices WHERE title = ?",
    };
    diesel::sql_query(sql)
        .bind::<Text, _>(title)
        .get_result::<Mark>(conn)
        .unwrap()
        .lapsed
}

/// Closed and past at each instant, before the sweep, after it, and with the
/// clock set back past the mark; and when more notices wait for the sweep
/// than are looked up by id.
fn assert_the_lists_follow_the_clock_not_the_mark(backend: Backend) {
    let store = store(&backend);
    let mut conn = store.conn().unwrap();
    let t0 = Utc::now();
    let published = t0 - Duration::days(10);
    for notice in [
        grant("Frist om to dager", published, t0 + Duration::days(2)),
        webinar("Webinar om to dager", published, t0 + Duration::days(2)),
    ] {
        tavla::store::notices::create(&mut conn, &notice, t0).unwrap();
    }
    let after = t0 + Duration::days(3);
    let closed_or_past = [Status::Closed, Status::Past];
    let ours = |titles: Vec<String>| -> Vec<String> {
        titles
            .into_iter()
            .filter(|t| t.ends_with("om to dager"))
            .collect()
    };
    assert!(ours(titles(&mut conn, &closed_or_past, t0)).is_empty());
    let both = ["Frist om to dager", "Webinar om to dager"];
    assert_eq!(
        ours(titles(&mut conn, &closed_or_past, after)),
        both,
        "before the sweep has marked them"
    );
    assert!(!lapsed(&mut conn, "Frist om to dager"));

    assert!(listing::sweep(&mut conn, after, 1_000).unwrap() >= 2);
    assert!(lapsed(&mut conn, "Frist om to dager"));
    assert!(lapsed(&mut conn, "Webinar om to dager"));
    assert_eq!(
        ours(titles(&mut conn, &[Status::Closed], after)),
        ["Frist om to dager"],
        "once marked"
    );
    assert_eq!(
        ours(titles(&mut conn, &[Status::Past], after)),
        ["Webinar om to dager"]
    );
    assert!(
        ours(titles(&mut conn, &closed_or_past, t0)).is_empty(),
        "a clock set back before the deadline: still open, though marked"
    );
    assert_eq!(
        ours(titles(&mut conn, &[Status::Open], t0)),
        ["Frist om to dager"]
    );

    // More unmarked than are looked up by id: the list walks as before.
    for i in 0..250 {
        let notice = grant(
            &format!("Mange frister {i:03}"),
            published,
            t0 + Duration::days(1),
        );
        tavla::store::notices::create(&mut conn, &notice, t0).unwrap();
    }
    let many = titles(&mut conn, &[Status::Closed], after);
    assert_eq!(
        many.iter()
            .filter(|t| t.starts_with("Mange frister"))
            .count(),
        250
    );
    assert!(many.contains(&"Frist om to dager".to_owned()));
    assert_eq!(
        listing::sweep(&mut conn, after, 100).unwrap(),
        100,
        "a batch at a time"
    );
    let marked_some = titles(&mut conn, &[Status::Closed], after);
    assert_eq!(marked_some, many, "half marked, the same answer");
}

#[test]
fn sqlite_the_lists_follow_the_clock_not_the_mark() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tavla.db").to_string_lossy().into_owned();
    assert_the_lists_follow_the_clock_not_the_mark(Backend::Sqlite(path));
}

#[test]
fn postgres_the_lists_follow_the_clock_not_the_mark() {
    assert_the_lists_follow_the_clock_not_the_mark(Backend::Postgres(create_postgres_database()));
}

on_every_backend! {
    async fn the_outbox_worker_marks_a_grant_once_its_deadline_passes(app: TestApp) {
        let admin = app.admin();
        let mut doc = grant_doc("Frist i morgen");
        doc["grant"]["deadline"] = json!(oslo_days_ahead(1, 12, 0));
        app.create_notice(&admin, &doc).await;
        let closed = |found: Vec<serde_json::Value>| {
            found.iter().any(|n| n["title"] == "Frist i morgen")
        };
        assert!(!closed(app.all_notices("&status=closed", 100).await));
        let store = app.store();
        assert!(!lapsed(&mut store.conn().unwrap(), "Frist i morgen"));
        app.clock.advance(Duration::days(2));
        assert!(closed(app.all_notices("&status=closed", 100).await));
        common::eventually(
            10,
            || "the worker's sweep marks the grant lapsed".into(),
            || {
                let store = store.clone();
                async move { lapsed(&mut store.conn().unwrap(), "Frist i morgen").then_some(()) }
            },
        )
        .await;
        assert!(closed(app.all_notices("&status=closed", 100).await));
    }
}
