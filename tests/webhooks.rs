//! Webhooks through the real server and a real receiver on loopback: each
//! change of the public set arrives once, signed per Standard Webhooks (and
//! checked with the `standardwebhooks` crate), filtered, retried with the
//! same id, disabled by 410, never held up by a hanging receiver.

mod common;

use chrono::Duration;
use common::receiver::{Delivery, Receiver};
use common::{grant_doc, webinar_doc, TestApp, TestDb};
use reqwest::Method;
use serde_json::{json, Value};

/// Registers a webhook; returns its id and secret.
async fn register(app: &TestApp, admin: &str, doc: Value) -> (String, String) {
    let response = app
        .send(
            Method::POST,
            "/api/v1/admin/webhooks",
            admin,
            Some(&doc),
            &[],
        )
        .await;
    assert_eq!(response.status(), 201, "{doc}");
    let body: Value = response.json().await.unwrap();
    assert!(
        body["webhook"].get("secret").is_none(),
        "the secret is beside the webhook"
    );
    (
        body["webhook"]["id"].as_str().unwrap().to_owned(),
        body["secret"].as_str().unwrap().to_owned(),
    )
}

async fn deliveries(app: &TestApp, admin: &str, webhook: &str) -> Vec<Value> {
    let path = format!("/api/v1/admin/webhooks/{webhook}/deliveries");
    let response = app.send(Method::GET, &path, admin, None, &[]).await;
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.unwrap();
    page["items"].as_array().unwrap().clone()
}

fn of_notice<'a>(got: &'a [Delivery], id: &str) -> Vec<&'a Delivery> {
    got.iter()
        .filter(|d| d.json()["data"]["id"] == id)
        .collect()
}

on_every_backend! {
    async fn each_change_of_the_public_set_arrives_once_signed_with_its_type_and_data(app: TestApp) {
        let receiver = Receiver::start().await;
        let admin = app.admin();
        let (webhook, secret) = register(&app, &admin, json!({"url": receiver.url, "description": "Intranett"})).await;

        let webinar = app.create_notice(&admin, &webinar_doc("Webinar om webhooks")).await;
        let id = webinar["id"].as_str().unwrap();
        let published = receiver.until("the publication", |got| got.len() == 1).await;
        let first = &published[0];
        first.verify_now(&secret).expect("the Standard Webhooks library verifies it");
        assert_eq!(first.id, newest_event_id(&app, &admin, &webhook).await);
        assert_eq!(first.content_type, "application/json");
        assert!(first.user_agent.starts_with("Tavla/"), "{}", first.user_agent);
        let body = first.json();
        assert_eq!(body["type"], "notice.published");
        assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));
        let public = app.json(&format!("/api/v1/notices/{id}")).await;
        assert_eq!(body["data"], public, "data is the public notice as the API shows it");

        let changed = app.patch_notice(&admin, id, "\"rev-1\"", &json!({"summary": "Nytt tidspunkt for påmelding."})).await;
        assert_eq!(changed.status(), 200);
        receiver.until("the update", |got| got.len() == 2).await;
        let cancelled = app.patch_notice(&admin, id, "\"rev-2\"", &json!({"webinar": {"cancelled": true}})).await;
        assert_eq!(cancelled.status(), 200);
        let got = receiver.until("the cancellation", |got| got.len() == 3).await;
        assert_eq!(got[2].event_type(), "notice.updated");
        assert_eq!(got[2].json()["data"]["status"], "cancelled");
        let withdrawn = app.send(Method::DELETE, &format!("/api/v1/admin/notices/{id}"), &admin, None, &[]).await;
        assert!(withdrawn.status().is_success());
        let got = receiver.until("the withdrawal", |got| got.len() == 4).await;
        assert_eq!(got[3].event_type(), "notice.withdrawn");
        assert_eq!(got[3].json()["data"], json!({"id": id, "slug": webinar["slug"]}));

        let mut scheduled = grant_doc("Tilskudd som publiseres senere");
        let at = (app.clock.now() + Duration::hours(2)).to_rfc3339();
        scheduled["published_at"] = json!(at);
        let later = app.create_notice(&admin, &scheduled).await;
        assert!(of_notice(&receiver.received(), later["id"].as_str().unwrap()).is_empty(), "not before its instant");
        app.clock.advance(Duration::hours(3));
        let got = receiver.until("the scheduled publication", |got| got.len() == 5).await;
        assert_eq!(got[4].event_type(), "notice.published");
        assert_eq!(got[4].json()["data"]["id"], later["id"]);

        let types: Vec<String> = got.iter().map(Delivery::event_type).collect();
        assert_eq!(types, ["notice.published", "notice.updated", "notice.updated", "notice.withdrawn", "notice.published"]);
        let mut ids: Vec<&str> = got.iter().map(|d| d.id.as_str()).collect();
        ids.dedup();
        assert_eq!(ids.len(), 5, "each event once, each with its own id");
        assert!(got.iter().all(|d| d.signed_by(&secret)), "every one signed");
        let listed = common::eventually(20, || "every delivery recorded".into(), || async {
            let listed = deliveries(&app, &admin, &webhook).await;
            listed.iter().all(|d| d["outcome"] == "delivered").then_some(listed)
        })
        .await;
        assert_eq!(listed.len(), 5);
        assert!(listed.iter().all(|d| d["attempts"].as_array().unwrap().len() == 1), "each at the first attempt: {listed:#?}");
        assert_eq!(listed[0]["event_type"], "notice.published", "newest first");
    }

    async fn filters_take_in_only_their_notices_and_a_notice_moved_out_is_withdrawn_for_it(app: TestApp) {
        let receiver = Receiver::start().await;
        let admin = app.admin();
        let (_, secret) = register(&app, &admin, json!({"url": receiver.url, "kind": ["grant"], "area": ["helsetjenester"]})).await;
        let news = app.create_notice(&admin, &json!({"kind": "news", "title": "Nyhet utenfor filteret", "summary": "Tekst.", "areas": ["helsetjenester"]})).await;
        let mut elsewhere = grant_doc("Tilskudd i et annet område");
        elsewhere["areas"] = json!(["kommuneoverlege"]);
        app.create_notice(&admin, &elsewhere).await;
        let grant = app.create_notice(&admin, &grant_doc("Tilskudd i filteret")).await;
        let id = grant["id"].as_str().unwrap();
        let got = receiver.until("the grant", |got| !got.is_empty()).await;
        assert_eq!(got.len(), 1, "only the grant in its area: {got:#?}");
        assert_eq!(got[0].json()["data"]["id"], grant["id"]);
        assert!(of_notice(&got, news["id"].as_str().unwrap()).is_empty());

        let moved = app.patch_notice(&admin, id, "\"rev-1\"", &json!({"areas": ["kommuneoverlege"]})).await;
        assert_eq!(moved.status(), 200);
        let got = receiver.until("the move", |got| got.len() == 2).await;
        assert_eq!(got[1].event_type(), "notice.withdrawn", "it left this webhook's set");
        assert_eq!(got[1].json()["data"], json!({"id": id, "slug": grant["slug"]}));
        let back = app.patch_notice(&admin, id, "\"rev-2\"", &json!({"areas": ["helsetjenester"]})).await;
        assert_eq!(back.status(), 200);
        let got = receiver.until("the move back", |got| got.len() == 3).await;
        assert_eq!(got[2].event_type(), "notice.published", "it entered it again");
        assert!(got.iter().all(|d| d.signed_by(&secret)));
    }

    async fn a_refused_delivery_is_retried_with_the_same_id_and_a_fresh_signature(app: TestApp) {
        let receiver = Receiver::start().await;
        receiver.answers.lock().unwrap().push_back(500);
        let admin = app.admin();
        let (webhook, secret) = register(&app, &admin, json!({"url": receiver.url})).await;
        app.create_notice(&admin, &grant_doc("Tilskudd som må sendes to ganger")).await;
        receiver.until("the first attempt", |got| got.len() == 1).await;
        let listed = eventually_listed(&app, &admin, &webhook, |d| d["attempts"].as_array().unwrap().len() == 1).await;
        let first = &listed["attempts"][0];
        assert_eq!(first["status"], 500);
        assert!(first["error"].as_str().unwrap().contains("500"));
        assert!(first["next_attempt_at"].is_string(), "a retry is planned");
        assert!(first["duration_ms"].is_number());

        app.clock.advance(Duration::seconds(10));
        let got = receiver.until("the retry", |got| got.len() == 2).await;
        assert_eq!(got[0].id, got[1].id, "the same webhook-id");
        assert!(got[1].timestamp >= got[0].timestamp + 10, "a fresh timestamp");
        assert_ne!(got[0].signature, got[1].signature);
        assert!(got[0].signed_by(&secret) && got[1].signed_by(&secret), "each signature valid for its own timestamp");
        assert_eq!(got[0].body, got[1].body);
        let listed = eventually_listed(&app, &admin, &webhook, |d| d["outcome"] == "delivered").await;
        let attempts = listed["attempts"].as_array().unwrap();
        assert_eq!(attempts.len(), 2);
        assert_eq!(attempts[1]["attempt"], 2);
        assert_eq!(attempts[1]["status"], 204);
    }

    async fn a_retry_after_the_notice_left_the_public_set_tells_no_content_the_public_cannot_see(app: TestApp) {
        let receiver = Receiver::start().await;
        let admin = app.admin();
        let (_, secret) = register(&app, &admin, json!({"url": receiver.url})).await;
        let grant = app.create_notice(&admin, &grant_doc("Tilskudd som går tilbake til utkast")).await;
        let id = grant["id"].as_str().unwrap();
        receiver.until("the publication", |got| got.len() == 1).await;
        receiver.answers.lock().unwrap().push_back(503);
        let changed = app.patch_notice(&admin, id, "\"rev-1\"", &json!({"summary": "Endret mens den var ute."})).await;
        assert_eq!(changed.status(), 200);
        receiver.until("the refused update", |got| got.len() == 2).await;
        let drafted = app.patch_notice(&admin, id, "\"rev-2\"", &json!({"state": "draft", "title": "Hemmelig utkast før embargo"})).await;
        assert_eq!(drafted.status(), 200);
        app.clock.advance(Duration::seconds(10));
        let got = receiver.until("the retry and the withdrawal", |got| got.len() == 4).await;
        assert_eq!(got[2].event_type(), "notice.updated", "the update's retry, in order");
        assert_eq!(got[2].json()["data"], json!({"id": id, "slug": grant["slug"]}), "no content of a draft");
        assert!(!String::from_utf8_lossy(&got[2].body).contains("Hemmelig"));
        assert_eq!(got[3].event_type(), "notice.withdrawn");
        assert!(got.iter().all(|d| d.signed_by(&secret)));
    }

    async fn a_receiver_answering_410_disables_the_webhook_and_the_audit_log_says_why(app: TestApp) {
        let receiver = Receiver::start().await;
        receiver.answers.lock().unwrap().push_back(410);
        let admin = app.admin();
        let (webhook, _) = register(&app, &admin, json!({"url": receiver.url})).await;
        app.create_notice(&admin, &grant_doc("Tilskudd til en mottaker som er borte")).await;
        let path = format!("/api/v1/admin/webhooks/{webhook}");
        let disabled = common::eventually(20, || "the webhook disabled".into(), || async {
            let shown: Value = app.send(Method::GET, &path, &admin, None, &[]).await.json().await.unwrap();
            (shown["enabled"] == false).then_some(shown)
        }).await;
        assert!(disabled["disabled_reason"].as_str().unwrap().contains("410"), "{disabled}");
        let audit: Value = app.send(Method::GET, "/api/v1/admin/audit", &admin, None, &[]).await.json().await.unwrap();
        let said = audit.to_string();
        assert!(said.contains("webhook.disable") && said.contains("410 Gone"), "{said}");
        let listed = deliveries(&app, &admin, &webhook).await;
        assert_eq!(listed[0]["outcome"], "failed", "no retry after 410");
        app.create_notice(&admin, &grant_doc("Tilskudd etter at mottakeren ble borte")).await;
        assert_eq!(deliveries(&app, &admin, &webhook).await.len(), 1, "a disabled webhook gets nothing more");

        let enabled = app.send(Method::PATCH, &path, &admin, Some(&json!({"enabled": true})), &[("content-type", "application/merge-patch+json")]).await;
        assert_eq!(enabled.status(), 200);
        let enabled: Value = enabled.json().await.unwrap();
        assert_eq!(enabled["disabled_reason"], Value::Null, "enabling clears why");
    }

    async fn a_webhook_whose_every_attempt_fails_for_five_days_is_disabled(app: TestApp) {
        let receiver = Receiver::start().await;
        receiver.answers.lock().unwrap().extend([503; 100]);
        let admin = app.admin();
        let (webhook, _) = register(&app, &admin, json!({"url": receiver.url})).await;
        let path = format!("/api/v1/admin/webhooks/{webhook}");
        let shown = || async { app.send(Method::GET, &path, &admin, None, &[]).await.json::<Value>().await.unwrap() };
        for (day, title) in [(0, "Tilskudd dag én"), (3, "Tilskudd dag fire"), (2, "Tilskudd dag seks")] {
            // Counted before the clock moves: an earlier notice's retry, due
            // then, is an attempt too (and may be the one that disables it).
            let before = receiver.received().len();
            app.clock.advance(Duration::days(day));
            app.create_notice(&admin, &grant_doc(title)).await;
            receiver.until("an attempt", |got| got.len() > before).await;
            if day < 2 {
                assert_eq!(shown().await["enabled"], true, "failing for less than five days");
            }
        }
        let disabled = common::eventually(20, || "the webhook disabled".into(), || async {
            let now = shown().await;
            (now["enabled"] == false).then_some(now)
        }).await;
        assert!(disabled["disabled_reason"].as_str().unwrap().starts_with("every attempt failed since"), "{disabled}");
    }

    async fn a_hanging_receiver_holds_up_neither_writes_nor_other_receivers(app: TestApp) {
        let hanging = Receiver::start().await;
        hanging.hang(true);
        let healthy = Receiver::start().await;
        let admin = app.admin();
        register(&app, &admin, json!({"url": hanging.url})).await;
        register(&app, &admin, json!({"url": healthy.url})).await;
        for i in 0..8 {
            app.create_notice(&admin, &grant_doc(&format!("Tilskudd nummer {i} mens en mottaker henger"))).await;
        }
        healthy.until("all eight while the other hangs", |got| got.len() == 8).await;
        let held = hanging.received().len();
        assert!(held <= 4, "at most four under way to one receiver at once: {held}");
        hanging.hang(false);
        hanging.until("all eight once released", |got| got.len() >= 8).await;
    }

    async fn a_secret_rotation_signs_with_both_secrets_for_a_day(app: TestApp) {
        let receiver = Receiver::start().await;
        let admin = app.admin();
        let (webhook, old) = register(&app, &admin, json!({"url": receiver.url})).await;
        let rotated = app.send(Method::POST, &format!("/api/v1/admin/webhooks/{webhook}/rotate-secret"), &admin, None, &[]).await;
        assert_eq!(rotated.status(), 200);
        let new = rotated.json::<Value>().await.unwrap()["secret"].as_str().unwrap().to_owned();
        assert_ne!(new, old);
        app.create_notice(&admin, &grant_doc("Tilskudd under nøkkelbytte")).await;
        let got = receiver.until("a delivery", |got| got.len() == 1).await;
        assert_eq!(got[0].signature.split(' ').count(), 2, "{}", got[0].signature);
        assert!(got[0].signed_by(&old) && got[0].signed_by(&new));
        app.clock.advance(Duration::hours(25));
        app.create_notice(&admin, &grant_doc("Tilskudd etter nøkkelbyttet")).await;
        let got = receiver.until("another", |got| got.len() == 2).await;
        assert!(got[1].signed_by(&new));
        assert!(!got[1].signed_by(&old), "the old secret signs no more after a day");
    }

    async fn the_admin_api_is_for_admins_and_every_change_is_audited(app: TestApp) {
        let admin = app.admin();
        let editor = app.editor(&["helsetjenester"]);
        let doc = json!({"url": "https://intranett.example.no/tavla"});
        let refused = app.send(Method::POST, "/api/v1/admin/webhooks", &editor, Some(&doc), &[]).await;
        assert_eq!(refused.status(), 403);
        let (webhook, _) = register(&app, &admin, doc).await;
        for (method, path) in [(Method::GET, "/api/v1/admin/webhooks".to_owned()), (Method::GET, format!("/api/v1/admin/webhooks/{webhook}")), (Method::GET, format!("/api/v1/admin/webhooks/{webhook}/deliveries"))] {
            assert_eq!(app.send(method, &path, &editor, None, &[]).await.status(), 403, "{path}");
        }
        let listed: Value = app.send(Method::GET, "/api/v1/admin/webhooks", &admin, None, &[]).await.json().await.unwrap();
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
        assert!(!listed.to_string().contains("whsec_"), "no secret is ever listed");
        let bad = app.send(Method::PATCH, &format!("/api/v1/admin/webhooks/{webhook}"), &admin, Some(&json!({"events": ["notice.deleted"], "kind": ["event"]})), &[]).await;
        let problem = common::assert_problem(bad, 422, Some("events[0]")).await;
        assert!(problem.to_string().contains("kind[0]"), "every bad field at once: {problem}");
        let patched: Value = app.send(Method::PATCH, &format!("/api/v1/admin/webhooks/{webhook}"), &admin, Some(&json!({"description": "Dashbord", "area": ["helsetjenester"]})), &[]).await.json().await.unwrap();
        assert_eq!(patched["description"], "Dashbord");
        assert_eq!(patched["area"], json!(["helsetjenester"]));
        let deleted = app.send(Method::DELETE, &format!("/api/v1/admin/webhooks/{webhook}"), &admin, None, &[]).await;
        assert_eq!(deleted.status(), 204);
        let gone = app.send(Method::GET, &format!("/api/v1/admin/webhooks/{webhook}"), &admin, None, &[]).await;
        assert_eq!(gone.status(), 404);
        let audit = app.send(Method::GET, "/api/v1/admin/audit", &admin, None, &[]).await.text().await.unwrap();
        for action in ["webhook.create", "webhook.update", "webhook.delete"] {
            assert!(audit.contains(action), "{action}: {audit}");
        }
    }

    async fn an_event_is_delivered_again_with_the_same_id_on_request(app: TestApp) {
        let receiver = Receiver::start().await;
        let admin = app.admin();
        let (webhook, secret) = register(&app, &admin, json!({"url": receiver.url})).await;
        app.create_notice(&admin, &grant_doc("Tilskudd som sendes igjen")).await;
        let got = receiver.until("the delivery", |got| got.len() == 1).await;
        let path = format!("/api/v1/admin/webhooks/{webhook}/deliveries/{}/redeliver", got[0].id);
        let again = app.send(Method::POST, &path, &admin, None, &[]).await;
        assert_eq!(again.status(), 202);
        let got = receiver.until("the redelivery", |got| got.len() == 2).await;
        assert_eq!(got[1].id, got[0].id);
        assert!(got[1].signed_by(&secret));
        let unknown = format!("/api/v1/admin/webhooks/{webhook}/deliveries/{}/redeliver", uuid::Uuid::new_v4());
        assert_eq!(app.send(Method::POST, &unknown, &admin, None, &[]).await.status(), 404);
    }
}

/// The id of the newest event delivered to the webhook, once listed.
async fn newest_event_id(app: &TestApp, admin: &str, webhook: &str) -> String {
    common::eventually(
        20,
        || "the delivery listed".into(),
        || async {
            let listed = deliveries(app, admin, webhook).await;
            listed
                .first()
                .map(|d| d["event_id"].as_str().unwrap().to_owned())
        },
    )
    .await
}

/// The webhook's newest delivery, once it satisfies `check`.
async fn eventually_listed(
    app: &TestApp,
    admin: &str,
    webhook: &str,
    check: impl Fn(&Value) -> bool,
) -> Value {
    common::eventually(
        20,
        || "the delivery as expected".into(),
        || async {
            deliveries(app, admin, webhook)
                .await
                .into_iter()
                .next()
                .filter(|d| check(d))
        },
    )
    .await
}

#[tokio::test]
async fn private_and_plain_http_receivers_are_refused_without_the_setting() {
    let app = TestApp::spawn_configured(TestDb::Sqlite, |s| s.webhook_allow_private = false).await;
    let admin = app.admin();
    for (url, code) in [
        ("http://intranett.example.no/tavla", "not-https"),
        ("https://127.0.0.1/tavla", "private-address"),
        ("https://localhost:8443/tavla", "private-address"),
        ("https://[::1]/tavla", "private-address"),
        ("https://10.1.2.3/tavla", "private-address"),
        ("https://169.254.169.254/latest", "private-address"),
        (
            "https://bruker:passord@intranett.example.no/",
            "credentials-in-url",
        ),
    ] {
        let response = app
            .send(
                Method::POST,
                "/api/v1/admin/webhooks",
                &admin,
                Some(&json!({"url": url})),
                &[],
            )
            .await;
        assert_eq!(response.status(), 422, "{url}");
        let problem: Value = response.json().await.unwrap();
        let error = &problem["errors"][0];
        assert_eq!(error["field"], "url", "{url}: {problem}");
        assert_eq!(error["code"], code, "{url}: {problem}");
    }
    let public = app
        .send(
            Method::POST,
            "/api/v1/admin/webhooks",
            &admin,
            Some(&json!({"url": "https://8.8.8.8/tavla"})),
            &[],
        )
        .await;
    assert_eq!(public.status(), 201, "a public address is taken");
}

#[tokio::test]
async fn two_instances_on_postgres_deliver_each_event_once() {
    let app = TestApp::spawn(TestDb::Postgres).await;
    let _other = app.second_instance();
    let receiver = Receiver::start().await;
    let admin = app.admin();
    register(&app, &admin, json!({"url": receiver.url})).await;
    for i in 0..12 {
        app.create_notice(
            &admin,
            &grant_doc(&format!("Tilskudd {i} til to instanser")),
        )
        .await;
    }
    let got = receiver
        .until("twelve deliveries", |got| got.len() >= 12)
        .await;
    let mut ids: Vec<&str> = got.iter().map(|d| d.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 12);
    let store = app.store();
    common::eventually(
        20,
        || "every delivery finished".into(),
        || async {
            let unfinished = store.run(tavla::store::webhooks::unfinished).await.unwrap();
            (unfinished == 0).then_some(())
        },
    )
    .await;
    assert_eq!(
        receiver.received().len(),
        12,
        "each event once, across both instances"
    );
}

/// A host name that pointed to a public address when the webhook was
/// registered can be pointed inside the network later (DNS rebinding);
/// every connection resolves it again and refuses private addresses.
#[tokio::test]
async fn a_host_name_resolving_to_a_private_address_is_refused_at_connection() {
    let app = TestApp::spawn_configured(TestDb::Sqlite, |s| s.webhook_allow_private = false).await;
    let receiver = Receiver::start().await;
    let port = receiver
        .url
        .split(':')
        .nth(2)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    // As if the name had resolved publicly at registration: stored directly.
    let input = tavla::domain::webhook::WebhookInput {
        url: format!("https://localhost:{port}/tavla"),
        description: String::new(),
        filter: Default::default(),
        enabled: true,
    };
    let id = uuid::Uuid::new_v4();
    let now = app.clock.now();
    app.store()
        .run(move |conn| {
            tavla::store::webhooks::create(
                conn,
                id,
                &input,
                "whsec_dGVzdA==",
                &tavla::domain::Actor::system(),
                now,
            )
        })
        .await
        .unwrap();
    let admin = app.admin();
    app.create_notice(
        &admin,
        &grant_doc("Tilskudd til en mottaker bak brannmuren"),
    )
    .await;
    let listed = eventually_listed(&app, &admin, &id.to_string(), |d| {
        !d["attempts"].as_array().unwrap().is_empty()
    })
    .await;
    let error = listed["attempts"][0]["error"].as_str().unwrap().to_owned();
    assert!(error.contains("no public address"), "{error}");
    assert!(
        receiver.received().is_empty(),
        "nothing reached the private address"
    );
}
