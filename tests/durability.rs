//! A 2xx write, and the deliveries it owes, survive the process being
//! killed outright (SIGKILL).

mod common;

use std::process::Command;

use common::hub::Hub;
use common::process::{serve, serve_logged, serve_with};
use common::receiver::Receiver;
use common::smtp::SmtpSink;
use common::{eventually, free_port, grant_doc, TestApp, TestDb};

/// POSTs a grant titled `title` to the process at `base`; returns its id.
async fn post_grant(base: &str, admin: &str, title: &str) -> String {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/v1/admin/notices"))
        .bearer_auth(admin)
        .json(&grant_doc(title))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body: serde_json::Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().to_owned()
}

on_every_backend! {
    async fn an_acknowledged_write_survives_sigkill(app: TestApp) {
        let admin = app.admin();
        let (mut child, base) = serve(&app).await;
        let mut ids = Vec::new();
        for i in 0..5 {
            ids.push(post_grant(&base, &admin, &format!("Tilskudd før krasj {i}")).await);
        }
        child.kill().unwrap(); // SIGKILL: no shutdown, no flush
        child.wait().unwrap();
        let (mut again, base) = serve(&app).await;
        for id in &ids {
            let response = reqwest::Client::new().get(format!("{base}/api/v1/notices/{id}")).send().await.unwrap();
            assert_eq!(response.status(), 200, "{id} survived");
        }
        again.kill().unwrap();
        again.wait().unwrap();
    }

    async fn a_hub_notification_owed_survives_sigkill_and_arrives_after_the_restart(app: TestApp) {
        let admin = app.admin();
        // The hub is not up yet: nothing listens on its port.
        let hub_address = format!("127.0.0.1:{}", free_port());
        let hub_url = format!("http://{hub_address}/hub");
        let env = [("TAVLA_WEBSUB_HUB", hub_url.as_str())];
        let (mut child, base) = serve_with(&app, &env).await;
        post_grant(&base, &admin, "Tilskudd varslet etter krasj").await;
        child.kill().unwrap(); // before the hub could have been reached
        child.wait().unwrap();

        let hub = Hub::on(&hub_address, false).await;
        let (mut again, base) = serve_with(&app, &env).await;
        let grant_feed = format!("{base}/feed.rss?kind=grant");
        // Due a second after the write, or (if an attempt found no hub) 5 s after it.
        hub.until_within(20, |heard| heard.contains(&grant_feed)).await;
        assert_eq!(hub.count(&grant_feed), 1);
        again.kill().unwrap();
        again.wait().unwrap();
    }

    async fn a_webhook_delivery_owed_survives_sigkill_and_arrives_after_the_restart(app: TestApp) {
        let admin = app.admin();
        // The receiver is not up yet: nothing listens on its port.
        let address = format!("127.0.0.1:{}", free_port());
        let env = [("TAVLA_WEBHOOK_ALLOW_PRIVATE", "true")];
        let (mut child, base) = serve_with(&app, &env).await;
        let registered = reqwest::Client::new()
            .post(format!("{base}/api/v1/admin/webhooks"))
            .bearer_auth(&admin)
            .json(&serde_json::json!({"url": format!("http://{address}/tavla")}))
            .send()
            .await
            .unwrap();
        assert_eq!(registered.status(), 201);
        let secret = registered.json::<serde_json::Value>().await.unwrap()["secret"].as_str().unwrap().to_owned();
        let id = post_grant(&base, &admin, "Tilskudd meldt etter krasj").await;
        child.kill().unwrap(); // SIGKILL, before the receiver could have been reached
        child.wait().unwrap();

        let receiver = Receiver::on(&address).await;
        let (mut again, _) = serve_with(&app, &env).await;
        // Due at once, or (if an attempt found no receiver) within 5.5 s of it.
        let got = receiver.until("the owed delivery", |got| !got.is_empty()).await;
        assert_eq!(got[0].json()["data"]["id"], id.as_str());
        assert!(got[0].signed_by(&secret));
        again.kill().unwrap();
        again.wait().unwrap();
        assert_eq!(receiver.received().len(), 1, "once");
    }

    async fn sigterm_lets_the_delivery_under_way_finish(app: TestApp) {
        let admin = app.admin();
        let hub = Hub::start(true).await; // holds every answer until released
        let (mut child, base) = serve_with(&app, &[("TAVLA_WEBSUB_HUB", hub.url.as_str())]).await;
        post_grant(&base, &admin, "Tilskudd levert under nedstenging").await;
        hub.until(|heard| !heard.is_empty()).await; // the delivery is under way
        let stopped = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
        assert!(stopped.success());
        // The server stops taking requests while the process stays for the delivery.
        eventually(5, || "the server to stop listening".into(), || async {
            reqwest::get(format!("{base}/healthz")).await.is_err().then_some(())
        })
        .await;
        assert!(child.try_wait().unwrap().is_none(), "still finishing the delivery");
        hub.release();
        let exited = eventually(10, || "the process to end".into(), || std::future::ready(child.try_wait().unwrap())).await;
        assert!(exited.success(), "{exited:?}");
        use diesel::prelude::*;
        use tavla::store::schema::deliveries;
        let outcome: Option<String> = deliveries::table
            .select(deliveries::outcome)
            .first(&mut app.store().conn().unwrap())
            .unwrap();
        assert_eq!(outcome.as_deref(), Some("delivered"), "recorded before the process ended");
    }

    async fn mail_owed_survives_sigkill_and_no_address_or_token_reaches_the_logs(app: TestApp) {
        let admin = app.admin();
        let address = "krasj.kari@example.org";
        // The relay is not up yet: nothing listens on its port.
        let port = free_port();
        let relay = format!("smtp://127.0.0.1:{port}");
        let env = [
            ("TAVLA_SMTP_URL", relay.as_str()),
            ("TAVLA_MAIL_FROM", "Tavla <tavla@tavla.example>"),
            ("TAVLA_MAIL_DELAY", "0"),
            ("RUST_LOG", "info,tavla=debug"),
        ];
        let logs: Vec<_> = (0..3).map(|n| app.dir().join(format!("serve-{n}.log"))).collect();
        let (mut child, base) = serve_logged(&app, &env, Some(&logs[0])).await;
        let client = reqwest::Client::new();
        let subscribed = client.post(format!("{base}/api/v1/subscriptions")).json(&serde_json::json!({"email": address})).send().await.unwrap();
        assert_eq!(subscribed.status(), 202);
        child.kill().unwrap(); // SIGKILL, before the relay could have been reached
        child.wait().unwrap();

        let sink = SmtpSink::start_on(port).await;
        let (mut again, base) = serve_logged(&app, &env, Some(&logs[1])).await;
        // Due at once, or 5 s after an attempt that found no relay, or (if
        // the kill came while an attempt was under way) when its lease ends.
        let lease = tavla::app::outbox::LEASE.num_seconds() as u64 + 15;
        let confirmation = sink.wait_for(1, lease).await.remove(0);
        let text = confirmation.text().unwrap();
        let link = text.split_whitespace().find(|w| w.contains("/subscriptions/confirm?token=")).unwrap();
        let token = link.split_once("token=").unwrap().1.to_owned();
        let confirmed = client.post(format!("{base}/subscriptions/confirm")).form(&[("token", &token)]).send().await.unwrap();
        assert_eq!(confirmed.status(), 200);
        assert!(client.get(link.replace(&link[..link.find("/subscriptions").unwrap()], &base)).send().await.unwrap().status().is_success());
        post_grant(&base, &admin, "Tilskudd sendt etter krasj").await;
        again.kill().unwrap(); // SIGKILL, right after the write
        again.wait().unwrap();

        let (mut last, _) = serve_logged(&app, &env, Some(&logs[2])).await;
        let mails = sink.wait_for(2, lease).await;
        assert!(mails[1].subject().unwrap().contains("Tilskudd sendt etter krasj"));
        let store = app.store();
        eventually(20, || "the e-mail deliveries to finish".into(), || {
            let store = store.clone();
            async move {
                let open: i64 = store.run(|c| {
                    use diesel::prelude::*;
                    use tavla::store::schema::deliveries::dsl as d;
                    Ok(d::deliveries.filter(d::channel.like("mail-%")).filter(d::finished_at.is_null()).count().get_result(c)?)
                }).await.unwrap();
                (open == 0).then_some(())
            }
        }).await;
        last.kill().unwrap();
        last.wait().unwrap();
        assert_eq!(sink.messages().len(), 2, "each sent once");
        let logged: String = logs.iter().map(|log| std::fs::read_to_string(log).unwrap()).collect();
        assert!(logged.contains("POST /api/v1/subscriptions") && logged.contains("/subscriptions/confirm?token=…"), "the requests are logged: {logged}");
        assert!(!logged.contains(address) && !logged.contains("krasj.kari"), "no address logged: {logged}");
        assert!(!logged.contains(&token), "no link token logged: {logged}");
    }
}
