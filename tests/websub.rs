//! WebSub: feeds name the hub, and every change reaches a hub on loopback
//! from the durable outbox: once, however many instances run, at a scheduled
//! notice's instant with no reader involved, again after a refusal, and
//! never delaying the editor.

mod common;

use std::time::Duration;

use common::hub::Hub;
use common::{eventually, grant_doc, TestApp, TestDb};
use diesel::prelude::*;
use serde_json::json;
use tavla::store::schema::{deliveries, delivery_attempts};

async fn with_hub(db: TestDb, hub_url: &str) -> TestApp {
    let hub_url = hub_url.to_owned();
    TestApp::spawn_configured(db, move |settings| settings.websub_hub = Some(hub_url)).await
}

/// The topics a grant in helsetjenester touches, on `app`.
fn grant_topics(app: &TestApp) -> Vec<String> {
    [
        "/feed.rss",
        "/feed.atom",
        "/feed.json",
        "/calendar.ics",
        "/feed.rss?kind=grant",
        "/feed.atom?area=helsetjenester",
        "/feed.json?kind=grant&area=helsetjenester",
        "/calendar.ics?kind=grant&area=helsetjenester",
    ]
    .iter()
    .map(|topic| format!("{}{topic}", app.base))
    .collect()
}

/// A news notice, whose topics no grant shares.
fn news_doc(title: &str) -> serde_json::Value {
    json!({"kind": "news", "title": title, "summary": "Kort", "areas": ["kommuneoverlege"]})
}

on_every_backend! {
    async fn the_hub_hears_of_every_feed_a_publish_changes(app: TestApp) {
        let hub = Hub::start(false).await;
        let app = with_hub(app.db, &hub.url).await;
        for path in ["/feed.rss?kind=grant", "/feed.atom", "/feed.json"] {
            let text = app.text(path).await;
            assert!(text.contains(&hub.url), "{path} names the hub");
        }
        let rss = app.text("/feed.rss").await;
        assert!(rss.contains(&format!("<atom:link href=\"{}\" rel=\"hub\"/>", hub.url)));
        assert!(hub.topics().is_empty());

        let admin = app.admin();
        let created = app.create_notice(&admin, &grant_doc("Tilskudd til hubben")).await;
        // The topics are sent at once, so they may arrive in any order.
        let expected = grant_topics(&app);
        hub.until(|heard| expected.iter().all(|t| heard.contains(t))).await;
        let heard = hub.topics();
        assert!(!heard.iter().any(|t| t.contains("kind=news")), "a grant leaves news feeds alone");

        let before = heard.len();
        let id = created["id"].as_str().unwrap();
        let patched = app.patch_notice(&admin, id, "\"rev-1\"", &json!({"summary": "Rettet"})).await;
        assert_eq!(patched.status(), 200);
        hub.until(|heard| heard.len() >= 2 * before).await;
        let withdrawn = app.send(reqwest::Method::DELETE, &format!("/api/v1/admin/notices/{id}"), &admin, None, &[]).await;
        assert_eq!(withdrawn.status(), 200);
        hub.until(|heard| heard.len() >= 3 * before).await;
    }

    async fn a_hanging_or_dead_hub_never_delays_the_write(app: TestApp) {
        let hanging = Hub::start(true).await;
        let app = with_hub(app.db, &hanging.url).await;
        let admin = app.admin();
        // One attempt at the hub may take 5 s: a write that waited for it could not be back in 4.
        let response = tokio::time::timeout(
            Duration::from_secs(4),
            app.post_notice(&admin, &grant_doc("Tilskudd mens hubben henger")),
        )
        .await
        .expect("the write does not wait for the hub");
        assert_eq!(response.status(), 201);
        // The hub has been asked, and is still holding every answer back:
        // the write did not wait for it.
        hanging.until(|heard| !heard.is_empty()).await;
        hanging.release();

        let dead = TestApp::spawn_configured(app.db, |s| s.websub_hub = Some("http://127.0.0.1:9/hub".into())).await;
        let admin = dead.admin();
        let response = tokio::time::timeout(Duration::from_secs(4), dead.post_notice(&admin, &grant_doc("Tilskudd uten hub")))
            .await
            .expect("the write does not wait for the hub");
        assert_eq!(response.status(), 201);
        assert!(dead.text("/feed.rss").await.contains("Tilskudd uten hub"));
    }

    async fn a_scheduled_notice_reaches_the_hub_and_the_changes_at_its_instant_with_no_reader(app: TestApp) {
        let hub = Hub::start(false).await;
        let app = with_hub(app.db, &hub.url).await;
        let admin = app.admin();
        let at = app.clock.now() + chrono::Duration::hours(2);
        let mut doc = grant_doc("Tilskudd som kommer om to timer");
        doc["published_at"] = json!(chrono::DateTime::from_timestamp(at.timestamp(), 0).unwrap().to_rfc3339());
        let scheduled = app.create_notice(&admin, &doc).await;
        let changes = app.json("/api/v1/changes").await;
        let next = changes["next"].as_str().unwrap().to_owned();

        // A later write of another kind is delivered; the scheduled grant is not.
        app.create_notice(&admin, &news_doc("Nyhet før tiden")).await;
        let news = format!("{}/feed.rss?kind=news", app.base);
        hub.until(|heard| heard.contains(&news)).await;
        let grant = format!("{}/feed.rss?kind=grant", app.base);
        assert_eq!(hub.count(&grant), 0, "not before its time");

        // Nobody reads between the instant and the hub's notification.
        app.clock.advance(chrono::Duration::hours(2) + chrono::Duration::seconds(1));
        hub.until(|heard| heard.contains(&grant)).await;
        let changed = app.json(&format!("/api/v1/changes?since={next}")).await;
        let ids: Vec<_> = changed["items"].as_array().unwrap().iter().map(|c| c["id"].clone()).collect();
        assert!(ids.contains(&scheduled["id"]), "{changed}");
        assert_eq!(hub.count(&grant), 1);
    }

    async fn two_instances_on_one_database_notify_the_hub_once_per_change(app: TestApp) {
        let hub = Hub::start(false).await;
        let app = with_hub(app.db, &hub.url).await;
        let other = app.second_instance();
        // Each instance names its own address (behind a load balancer they
        // would share TAVLA_BASE_URL), so topics are compared by their path.
        let path = |topic: &str| topic.splitn(4, '/').nth(3).unwrap_or_default().to_owned();
        let heard_paths = |heard: &[String]| heard.iter().map(|t| path(t)).collect::<Vec<_>>();
        let topics: Vec<String> = grant_topics(&app).iter().map(|t| path(t)).collect();
        let admin = app.admin();
        app.create_notice(&admin, &grant_doc("Tilskudd sett av to instanser")).await;
        hub.until(|heard| topics.iter().all(|t| heard_paths(heard).contains(t))).await;
        // A later change, through the other instance: once it is heard, the
        // first one's delivery has long been claimed by one worker or the other.
        let response = app.client.post(format!("{other}/api/v1/admin/notices"))
            .bearer_auth(&admin).json(&news_doc("Nyhet fra den andre")).send().await.unwrap();
        assert_eq!(response.status(), 201);
        let news = "feed.rss?kind=news".to_owned();
        hub.until(|heard| heard_paths(heard).contains(&news)).await;
        let heard = heard_paths(&hub.topics());
        for topic in topics.iter().chain([&news]) {
            let times = heard.iter().filter(|p| *p == topic).count();
            let once = if topic.contains('?') { 1 } else { 2 }; // unfiltered feeds take both
            assert_eq!(times, once, "{topic} in {heard:#?}");
        }
    }

    async fn a_refused_notification_is_retried_and_every_attempt_recorded(app: TestApp) {
        let hub = Hub::start(false).await;
        let app = with_hub(app.db, &hub.url).await;
        let admin = app.admin();
        hub.refuse.store(1, std::sync::atomic::Ordering::Release);
        app.create_notice(&admin, &grant_doc("Tilskudd hubben først avviser")).await;
        let store = app.store();
        let attempts = |conn: &mut tavla::store::DbConnection| -> Vec<(Option<i32>, Option<String>, bool)> {
            delivery_attempts::table
                .order(delivery_attempts::id)
                .select((delivery_attempts::status, delivery_attempts::error, delivery_attempts::next_attempt_at.is_not_null()))
                .load(conn)
                .unwrap()
        };
        let recorded = eventually(5, || "a first attempt".into(), || {
            let recorded = attempts(&mut store.conn().unwrap());
            std::future::ready((!recorded.is_empty()).then_some(recorded))
        })
        .await;
        assert_eq!(recorded.len(), 1, "{recorded:?}");
        assert_eq!(recorded[0].0, Some(503));
        assert!(recorded[0].1.as_deref().unwrap().contains("503"));
        assert!(recorded[0].2, "a retry is scheduled");
        let expected = grant_topics(&app);
        // The retry waits for its time, which the test's clock brings.
        app.clock.advance(chrono::Duration::seconds(6));
        hub.until(|heard| expected.iter().all(|t| heard.contains(t))).await;
        let mut conn = store.conn().unwrap();
        eventually(5, || "the delivery finished".into(), || {
            let outcome: Option<String> = deliveries::table.select(deliveries::outcome).first(&mut conn).unwrap();
            std::future::ready((outcome.as_deref() == Some("delivered")).then_some(()))
        })
        .await;
        let recorded = attempts(&mut conn);
        assert_eq!(recorded.len(), 2, "{recorded:?}");
        assert_eq!(recorded[1], (Some(204), None, false));
        let tries: i32 = deliveries::table.select(deliveries::attempts).first(&mut conn).unwrap();
        assert_eq!(tries, 2);
    }

    async fn a_hanging_hub_holds_up_no_other_delivery(app: TestApp) {
        let hub = Hub::start(true).await; // answers nothing until released
        let app = with_hub(app.db, &hub.url).await;
        let admin = app.admin();
        let next = app.json("/api/v1/changes").await["next"].as_str().unwrap().to_owned();
        let at = app.clock.now() + chrono::Duration::hours(1);
        let mut doc = grant_doc("Tilskudd som går ut mens hubben henger");
        doc["published_at"] = json!(chrono::DateTime::from_timestamp(at.timestamp(), 0).unwrap().to_rfc3339());
        let scheduled = app.create_notice(&admin, &doc).await;
        app.create_notice(&admin, &news_doc("Nyhet hubben holder på")).await;
        hub.until(|heard| !heard.is_empty()).await; // that delivery is under way, held

        app.clock.advance(chrono::Duration::hours(1) + chrono::Duration::seconds(1));
        eventually(10, || "the scheduled notice going live".into(), || async {
            let changed = app.json(&format!("/api/v1/changes?since={next}")).await;
            changed["items"].as_array().unwrap().iter().any(|c| c["id"] == scheduled["id"]).then_some(())
        })
        .await;
        // It went live while the hub still held the other delivery: no
        // attempt at the hub has ended (answered or timed out) yet.
        let store = app.store();
        let ended: i64 = delivery_attempts::table.count().get_result(&mut store.conn().unwrap()).unwrap();
        assert_eq!(ended, 0, "the go-live waited for no hub");
        hub.release();
    }
}
