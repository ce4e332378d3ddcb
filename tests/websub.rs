//! WebSub: feeds name the hub, and every publish reaches a hub on loopback,
//! while a dead or hanging hub never delays the editor.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpResponse, HttpServer};
use common::{grant_doc, TestApp, TestDb};
use serde_json::json;
use tokio::sync::Notify;

/// Every notification the hub received, as form fields.
type Received = Arc<Mutex<Vec<Vec<(String, String)>>>>;

/// A hub on loopback that records every notification and, if `hold` is
/// set, answers none of them until released.
struct Hub {
    url: String,
    received: Received,
    release: Arc<Notify>,
}

async fn hub(hold: bool) -> Hub {
    let received: Received = Default::default();
    let release = Arc::new(Notify::new());
    let (seen, gate) = (received.clone(), release.clone());
    let server = HttpServer::new(move || {
        let (seen, gate) = (seen.clone(), gate.clone());
        App::new().default_service(web::to(move |body: web::Bytes| {
            let (seen, gate) = (seen.clone(), gate.clone());
            async move {
                let form = form_urlencoded::parse(&body).into_owned().collect();
                seen.lock().unwrap().push(form);
                if hold {
                    gate.notified().await;
                }
                HttpResponse::NoContent().finish()
            }
        }))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let url = format!("http://{}/hub", server.addrs()[0]);
    tokio::spawn(server.run());
    Hub {
        url,
        received,
        release,
    }
}

async fn with_hub(db: TestDb, hub_url: &str) -> TestApp {
    let hub_url = hub_url.to_owned();
    TestApp::spawn_configured(db, move |settings| settings.websub_hub = Some(hub_url)).await
}

fn topics(hub: &Hub) -> Vec<String> {
    hub.received
        .lock()
        .unwrap()
        .iter()
        .map(|form| {
            assert!(
                form.contains(&("hub.mode".to_owned(), "publish".to_owned())),
                "{form:?}"
            );
            form.iter().find(|(k, _)| k == "hub.url").unwrap().1.clone()
        })
        .collect()
}

async fn until(hub: &Hub, mut check: impl FnMut(&[String]) -> bool) {
    for _ in 0..100 {
        if check(&topics(hub)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the hub did not hear it within 5 s; it heard {:#?}",
        topics(hub)
    );
}

on_every_backend! {
    async fn the_hub_hears_of_every_feed_a_publish_changes(app: TestApp) {
        let hub = hub(false).await;
        let app = with_hub(app.db, &hub.url).await;
        for path in ["/feed.rss?kind=grant", "/feed.atom", "/feed.json"] {
            let text = app.text(path).await;
            assert!(text.contains(&hub.url), "{path} names the hub");
        }
        let rss = app.text("/feed.rss").await;
        assert!(rss.contains(&format!("<atom:link href=\"{}\" rel=\"hub\"/>", hub.url)));
        assert!(topics(&hub).is_empty());

        let admin = app.admin();
        let created = app.create_notice(&admin, &grant_doc("Tilskudd til hubben")).await;
        // The topics are sent at once, so they may arrive in any order.
        let expected: Vec<String> = ["/feed.rss", "/feed.atom", "/feed.json", "/calendar.ics", "/feed.rss?kind=grant",
                      "/feed.atom?area=helsetjenester", "/feed.json?kind=grant&area=helsetjenester",
                      "/calendar.ics?kind=grant&area=helsetjenester"]
            .iter().map(|topic| format!("{}{topic}", app.base)).collect();
        until(&hub, |heard| expected.iter().all(|t| heard.contains(t))).await;
        let heard = topics(&hub);
        assert!(!heard.iter().any(|t| t.contains("kind=news")), "a grant leaves news feeds alone");

        let before = heard.len();
        let id = created["id"].as_str().unwrap();
        let patched = app.patch_notice(&admin, id, "\"rev-1\"", &json!({"summary": "Rettet"})).await;
        assert_eq!(patched.status(), 200);
        until(&hub, |heard| heard.len() >= 2 * before).await;
        let withdrawn = app.send(reqwest::Method::DELETE, &format!("/api/v1/admin/notices/{id}"), &admin, None, &[]).await;
        assert_eq!(withdrawn.status(), 200);
        until(&hub, |heard| heard.len() >= 3 * before).await;
    }

    async fn a_hanging_or_dead_hub_never_delays_the_write(app: TestApp) {
        let hanging = hub(true).await;
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
        until(&hanging, |heard| !heard.is_empty()).await;
        hanging.release.notify_waiters();

        let dead = TestApp::spawn_configured(app.db, |s| s.websub_hub = Some("http://127.0.0.1:9/hub".into())).await;
        let admin = dead.admin();
        let response = tokio::time::timeout(Duration::from_secs(4), dead.post_notice(&admin, &grant_doc("Tilskudd uten hub")))
            .await
            .expect("the write does not wait for the hub");
        assert_eq!(response.status(), 201);
        assert!(dead.text("/feed.rss").await.contains("Tilskudd uten hub"));
    }
}
