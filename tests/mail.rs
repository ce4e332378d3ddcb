//! E-mail subscriptions end to end, on both backends, against a real SMTP
//! server on loopback: one confirmation per subscribe, confirmed only by
//! the page's POST; a notice's e-mail after its grace period, corrected or
//! not at all, with RFC 8058's one-click unsubscribe; filters; a relay
//! that is down, or refuses the address for good; the per-client limit.

mod common;

use chrono::Duration;
use common::mail::*;
use common::smtp::SmtpSink;
use common::{grant_doc, webinar_doc, TestDb};
use reqwest::Method;
use serde_json::{json, Value};

with_mail! {
    async fn a_subscribe_sends_one_confirmation_and_only_the_pages_post_confirms(app, sink) {
        let admin = app.admin();
        let doc = json!({"email": "kari@example.org", "kind": ["grant"], "language": "nn"});
        let first = subscribe(&app, &doc).await;
        assert_eq!(first.status(), 202);
        let first: Value = first.json().await.unwrap();
        let again = subscribe(&app, &json!({"email": "KARI@example.org", "kind": ["grant"], "language": "nn"})).await;
        assert_eq!(again.status(), 202);
        assert_eq!(again.json::<Value>().await.unwrap(), first, "the same answer, whatever the address's state");
        assert!(!first.to_string().contains("kari"), "no address told back");

        let mail = sink.wait_for(1, 10).await.remove(0);
        mail_settled(&app).await;
        assert_eq!(sink.messages().len(), 1, "one confirmation, not one per request: {:?}", sink.messages());
        assert_eq!(mail.to, ["kari@example.org"]);
        assert!(mail.is_multipart_alternative());
        assert!(mail.html().unwrap().contains("lang=\"nn\""), "in the subscriber's written standard");
        assert!(mail.message_id().is_some_and(|id| id.ends_with("@tavla.example")));
        let url = link(&app, &mail, "/subscriptions/confirm?token=");
        assert!(url.starts_with(&app.url("/nn/")), "a nynorsk page: {url}");

        let shown = app.client.get(&url).send().await.unwrap();
        assert_eq!(shown.status(), 200);
        assert_eq!(shown.headers()["referrer-policy"], "no-referrer");
        let page = shown.text().await.unwrap();
        assert!(page.contains("<form method=\"post\" action=\"/nn/subscriptions/confirm\">"), "{page}");
        assert!(page.contains("lang=\"nn\""));
        assert_eq!(stats(&app, &admin).await["pending"], 1, "following the link confirms nothing");

        let token = token_of(&url);
        let posted = app.client.post(app.url("/nn/subscriptions/confirm")).form(&[("token", &token)]).send().await.unwrap();
        assert_eq!(posted.status(), 200);
        assert!(posted.text().await.unwrap().contains("stadfesta"));
        let counts = stats(&app, &admin).await;
        assert_eq!((counts["pending"].as_i64(), counts["confirmed"].as_i64()), (Some(0), Some(1)));
        assert_eq!(counts["by_language"]["nn"], 1);

        let spent = app.client.get(&url).send().await.unwrap().text().await.unwrap();
        assert!(spent.contains("Lenka verkar ikkje lenger"), "a spent link says so: {spent}");
    }

    async fn concurrent_first_subscriptions_of_one_address_make_one_subscription(app, sink) {
        let admin = app.admin();
        let doc = json!({"email": "samtidig@example.org"});
        let requests = (0..8).map(|_| subscribe(&app, &doc));
        for answer in futures_util::future::join_all(requests).await {
            assert_eq!(answer.status(), 202);
        }
        assert_eq!(stats(&app, &admin).await["pending"], 1);
        sink.wait_for(1, 10).await;
        mail_settled(&app).await;
        assert_eq!(sink.messages().len(), 1, "one confirmation");
    }

    async fn a_notice_is_mailed_after_its_grace_period_with_one_click_unsubscribe(app, sink) {
        let admin = app.admin();
        confirmed(&app, &sink, json!({"email": "ola@example.org"})).await;
        let notice = app.create_notice(&admin, &grant_doc("Tilskudd til «Friskliv» – søk nå")).await;
        app.clock.advance(Duration::seconds(2));
        mail_settled(&app).await;
        assert_eq!(sink.messages().len(), 1, "nothing before the grace period is over");

        after_grace(&app).await;
        let mail = sink.wait_for(2, 10).await.remove(1);
        assert_eq!(mail.to, ["ola@example.org"]);
        assert!(mail.subject().unwrap().contains("Tilskudd til «Friskliv» – søk nå"));
        let text = mail.text().unwrap();
        assert!(text.contains(&format!("{}/notices/{}", app.base, notice["slug"].as_str().unwrap())), "{text}");
        let unsubscribe = mail.header("List-Unsubscribe").expect("List-Unsubscribe");
        let url = unsubscribe.trim().trim_start_matches('<').trim_end_matches('>').to_owned();
        assert!(url.starts_with(&format!("{}/subscriptions/unsubscribe?token=", app.base)), "{url}");
        assert_eq!(mail.header("List-Unsubscribe-Post").unwrap().trim(), "List-Unsubscribe=One-Click");
        link(&app, &mail, "/subscriptions/manage?token=");

        // What a mail program sends for RFC 8058's one click.
        let clicked = app.client.post(&url).form(&[("List-Unsubscribe", "One-Click")]).send().await.unwrap();
        assert_eq!(clicked.status(), 200);
        let counts = stats(&app, &admin).await;
        assert_eq!((counts["confirmed"].as_i64(), counts["pending"].as_i64()), (Some(0), Some(0)), "the subscription and its address are gone");

        app.create_notice(&admin, &grant_doc("Et tilskudd etter oppsigelsen")).await;
        after_grace(&app).await;
        assert_eq!(sink.messages().len(), 2, "nothing after unsubscribing");
    }

    async fn within_the_grace_period_a_correction_is_sent_corrected_and_a_withdrawal_sends_nothing(app, sink) {
        let admin = app.admin();
        confirmed(&app, &sink, json!({"email": "per@example.org", "kind": ["grant", "webinar"]})).await;
        let corrected = app.create_notice(&admin, &grant_doc("Tilskudd med skrivefeil")).await;
        let withdrawn = app.create_notice(&admin, &webinar_doc("Webinar som trekkes")).await;
        app.create_notice(&admin, &json!({"kind": "news", "title": "En nyhet utenfor filteret", "summary": "Ikke et tilskudd.", "areas": ["helsetjenester"], "state": "published"})).await;
        app.clock.advance(Duration::seconds(30));
        let id = corrected["id"].as_str().unwrap();
        let patched = app.patch_notice(&admin, id, "\"rev-1\"", &json!({"title": "Tilskudd uten skrivefeil"})).await;
        assert!(patched.status().is_success());
        let id = withdrawn["id"].as_str().unwrap();
        let gone = app.send(Method::DELETE, &format!("/api/v1/admin/notices/{id}"), &admin, None, &[]).await;
        assert!(gone.status().is_success());

        after_grace(&app).await;
        app.clock.advance(Duration::seconds(DELAY));
        mail_settled(&app).await;
        let mails = sink.messages();
        let subjects: Vec<String> = mails[1..].iter().map(|m| m.subject().unwrap()).collect();
        assert_eq!(subjects.len(), 1, "one notice mailed: {subjects:?}");
        assert!(subjects[0].contains("Tilskudd uten skrivefeil"), "sent as corrected: {subjects:?}");
    }

    async fn a_relay_that_is_down_gets_the_mail_once_it_is_back(app, sink) {
        let admin = app.admin();
        confirmed(&app, &sink, json!({"email": "liv@example.org"})).await;
        let port = sink.port();
        sink.stop().await;
        app.create_notice(&admin, &grant_doc("Tilskudd mens e-posten er nede")).await;
        until_an_attempt_failed(&app).await;

        let sink = SmtpSink::start_on(port).await;
        app.clock.advance(Duration::seconds(10));
        let mails = sink.wait_for(1, 10).await;
        assert!(mails[0].subject().unwrap().contains("Tilskudd mens e-posten er nede"));
        app.clock.advance(Duration::hours(2));
        mail_settled(&app).await;
        assert_eq!(sink.messages().len(), 1, "sent once");
    }

    async fn a_relay_that_refuses_for_its_own_reasons_is_tried_again_and_suspends_no_one(app, sink) {
        let admin = app.admin();
        confirmed(&app, &sink, json!({"email": "vent@example.org"})).await;
        sink.require_auth(true); // it answers 503 to a sender that did not log in: permanent, not the address's
        app.create_notice(&admin, &grant_doc("Tilskudd mens reléet krever innlogging")).await;
        until_an_attempt_failed(&app).await;
        let counts = stats(&app, &admin).await;
        assert_eq!((counts["confirmed"].as_i64(), counts["suspended"].as_i64()), (Some(1), Some(0)));

        sink.require_auth(false);
        app.clock.advance(Duration::seconds(10));
        let mails = sink.wait_for(2, 10).await;
        assert!(mails[1].subject().unwrap().contains("Tilskudd mens reléet krever innlogging"));
    }

    async fn a_relay_that_refuses_the_address_for_good_suspends_the_subscription(app, sink) {
        let admin = app.admin();
        confirmed(&app, &sink, json!({"email": "nei@example.org"})).await;
        sink.reject_all(550);
        app.create_notice(&admin, &grant_doc("Tilskudd til en adresse som ikke finnes")).await;
        after_grace(&app).await;
        assert_eq!(sink.refused(), 1, "{:?}", sink.messages());
        let counts = stats(&app, &admin).await;
        assert_eq!((counts["suspended"].as_i64(), counts["confirmed"].as_i64()), (Some(1), Some(0)));
        let attempts: Vec<Option<String>> = app.store().run(|c| {
            use diesel::prelude::*;
            use tavla::store::schema::delivery_attempts::dsl as a;
            Ok(a::delivery_attempts.select(a::error).load(c)?)
        }).await.unwrap();
        assert!(attempts.iter().flatten().all(|e| !e.contains("nei@example.org")), "no address recorded: {attempts:?}");

        sink.accept();
        app.create_notice(&admin, &grant_doc("Et tilskudd til, etter at adressen ble avvist")).await;
        after_grace(&app).await;
        app.clock.advance(Duration::hours(1));
        mail_settled(&app).await;
        assert_eq!(sink.messages().len(), 1, "nothing more to a suspended subscription, and no retry");
    }
}

mod limits {
    use super::*;

    #[tokio::test]
    async fn subscribe_requests_are_limited_per_client_with_retry_after() {
        let sink = SmtpSink::start().await;
        let app = spawn(TestDb::Sqlite, &sink, 3).await;
        for n in 0..3 {
            let answer = subscribe(&app, &json!({"email": format!("k{n}@example.org")})).await;
            assert_eq!(answer.status(), 202);
        }
        let refused = subscribe(&app, &json!({"email": "k9@example.org"})).await;
        assert!(refused.headers().contains_key("retry-after"));
        let problem = common::assert_problem(refused, 429, None).await;
        assert!(!problem.to_string().contains("k9@"), "{problem}");

        let bad = subscribe(&app, &json!({"email": "ikke en adresse"})).await;
        assert_eq!(
            bad.status(),
            429,
            "the limit comes before reading the document"
        );
    }

    #[tokio::test]
    async fn invalid_fields_are_named_and_nothing_is_sent() {
        let sink = SmtpSink::start().await;
        let app = spawn(TestDb::Sqlite, &sink, 30).await;
        let answer = subscribe(
            &app,
            &json!({"email": "ikke en adresse", "frequency": "hourly"}),
        )
        .await;
        let problem = common::assert_problem(answer, 422, None).await;
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["email", "frequency"]);
        mail_settled(&app).await;
        assert!(sink.messages().is_empty());
    }
}
