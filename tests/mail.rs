//! E-mail subscriptions end to end, on both backends, against a real SMTP
//! server on loopback: one confirmation per subscribe, confirmed only by
//! the page's POST; a notice's e-mail after its grace period, corrected or
//! not at all, with RFC 8058's one-click unsubscribe; filters; a relay
//! that is down, or refuses the address for good; the per-client limit.

mod common;

use chrono::Duration;
use common::smtp::{Mail, SmtpSink};
use common::{eventually, grant_doc, webinar_doc, TestApp, TestDb};
use reqwest::Method;
use serde_json::{json, Value};
use tavla::config::MailSettings;

/// The grace period the tests run with (the default).
const DELAY: i64 = 120;

async fn spawn(db: TestDb, sink: &SmtpSink, subscribe_limit: u32) -> TestApp {
    let url = sink.url();
    TestApp::spawn_configured(db, move |s| {
        s.mail = Some(MailSettings {
            smtp_url: url,
            from: "Tavla <tavla@tavla.example>".into(),
            delay: Duration::seconds(DELAY),
            digest_time: chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
            rate: 1000,
            subscribe_limit,
        });
    })
    .await
}

/// Runs each test on SQLite and PostgreSQL with an SMTP sink and an app
/// that sends to it.
macro_rules! with_mail {
    ($( async fn $name:ident($app:ident, $sink:ident) $body:block )*) => {
        mod sqlite {
            use super::*;
            $( #[tokio::test]
            async fn $name() {
                let $sink = SmtpSink::start().await;
                let $app = spawn(TestDb::Sqlite, &$sink, 30).await;
                $body
            } )*
        }
        mod postgres {
            use super::*;
            $( #[tokio::test]
            async fn $name() {
                let $sink = SmtpSink::start().await;
                let $app = spawn(TestDb::Postgres, &$sink, 30).await;
                $body
            } )*
        }
    };
}

async fn subscribe(app: &TestApp, doc: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/subscriptions"))
        .json(doc)
        .send()
        .await
        .unwrap()
}

/// The link in a mail's text to `path` (after the base, and `/nn` for
/// nynorsk).
fn link(app: &TestApp, mail: &Mail, path: &str) -> String {
    let text = mail.text().expect("a text part");
    let start = format!("{}{path}", app.base);
    let nynorsk = format!("{}/nn{path}", app.base);
    text.split_whitespace()
        .find(|word| word.starts_with(&start) || word.starts_with(&nynorsk))
        .unwrap_or_else(|| panic!("no {path} link in {text}"))
        .to_owned()
}

fn token_of(url: &str) -> String {
    url.split_once("token=").expect("a token").1.to_owned()
}

async fn stats(app: &TestApp, admin: &str) -> Value {
    let answer = app
        .send(
            Method::GET,
            "/api/v1/admin/subscriptions/stats",
            admin,
            None,
            &[],
        )
        .await;
    assert_eq!(answer.status(), 200);
    answer.json().await.unwrap()
}

/// Subscribes, confirms through the e-mail's link, and returns the
/// confirmation e-mail.
async fn confirmed(app: &TestApp, sink: &SmtpSink, doc: Value) -> Mail {
    let before = sink.messages().len();
    assert_eq!(subscribe(app, &doc).await.status(), 202);
    let mail = sink.wait_for(before + 1, 10).await.pop().unwrap();
    let url = link(app, &mail, "/subscriptions/confirm?token=");
    let confirmed = app
        .client
        .post(app.url("/subscriptions/confirm"))
        .form(&[("token", token_of(&url))])
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);
    mail
}

/// Waits until the outbox has no e-mail left to send or spread that is
/// due now, or under way (a claim moves a delivery a lease ahead): what was
/// owed has gone out or been let go.
async fn mail_settled(app: &TestApp) {
    let store = app.store();
    eventually(
        10,
        || "the e-mail deliveries to settle".into(),
        || {
            let store = store.clone();
            // A claim made just after this look moves its delivery a lease
            // past the clock as it is then: a few seconds' margin.
            let now = app.clock.now() + tavla::app::outbox::LEASE + Duration::seconds(5);
            async move {
                let open: i64 = store
                    .run(move |c| {
                        use diesel::prelude::*;
                        use tavla::store::schema::deliveries::dsl as d;
                        Ok(d::deliveries
                            .filter(d::channel.like("mail-%"))
                            .filter(d::finished_at.is_null())
                            .filter(d::due_at.le(now.naive_utc()))
                            .count()
                            .get_result(c)?)
                    })
                    .await
                    .unwrap();
                (open == 0).then_some(())
            }
        },
    )
    .await;
}

/// Moves the clock past the grace period and lets the worker spread and
/// send what is owed.
async fn after_grace(app: &TestApp) {
    app.clock.advance(Duration::seconds(2));
    mail_settled(app).await;
    app.clock.advance(Duration::seconds(DELAY));
    mail_settled(app).await;
}

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
        app.clock.advance(Duration::seconds(2));
        mail_settled(&app).await;
        app.clock.advance(Duration::seconds(DELAY));
        let store = app.store();
        eventually(10, || "a failed attempt".into(), || {
            let store = store.clone();
            async move {
                let failed: i64 = store.run(|c| {
                    use diesel::prelude::*;
                    use tavla::store::schema::delivery_attempts::dsl as a;
                    Ok(a::delivery_attempts.filter(a::error.is_not_null()).count().get_result(c)?)
                }).await.unwrap();
                (failed > 0).then_some(())
            }
        }).await;

        let sink = SmtpSink::start_on(port).await;
        app.clock.advance(Duration::seconds(10));
        let mails = sink.wait_for(1, 10).await;
        assert!(mails[0].subject().unwrap().contains("Tilskudd mens e-posten er nede"));
        app.clock.advance(Duration::hours(2));
        mail_settled(&app).await;
        assert_eq!(sink.messages().len(), 1, "sent once");
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

/// The subscription's next digest, as the store has it.
async fn digest_due(app: &TestApp) -> chrono::DateTime<chrono::Utc> {
    let due: Vec<Option<chrono::NaiveDateTime>> = app
        .store()
        .run(|c| {
            use diesel::prelude::*;
            use tavla::store::schema::subscriptions::dsl as s;
            Ok(s::subscriptions.select(s::digest_due_at).load(c)?)
        })
        .await
        .unwrap();
    due[0].expect("a digest is scheduled").and_utc()
}

/// A document of `kind` whose deadline or start is `ahead` of the app's clock.
fn due_ahead(app: &TestApp, kind: &str, title: &str, ahead: Duration) -> Value {
    let at = app.clock.now() + ahead;
    let mut doc = match kind {
        "grant" => grant_doc(title),
        _ => webinar_doc(title),
    };
    match kind {
        "grant" => doc["grant"]["deadline"] = json!(at.to_rfc3339()),
        _ => {
            doc["webinar"]["starts_at"] = json!(at.to_rfc3339());
            doc["webinar"]["ends_at"] = json!((at + Duration::hours(1)).to_rfc3339());
        }
    }
    doc
}

/// Digests and reminders, which the clock brings.
mod by_the_clock {
    use super::*;

    with_mail! {
        async fn a_daily_digest_lists_what_entered_the_set_at_its_hour_and_none_goes_out_empty(app, sink) {
            let admin = app.admin();
            confirmed(&app, &sink, json!({"email": "dag@example.org", "frequency": "daily", "kind": ["grant"], "language": "nn"})).await;
            let first = digest_due(&app).await;
            let oslo = first.with_timezone(&chrono_tz::Europe::Oslo);
            assert_eq!(oslo.format("%H:%M").to_string(), "07:00", "at TAVLA_DIGEST_TIME in Oslo");
            assert!(first > app.clock.now() && first <= app.clock.now() + Duration::days(1));

            app.create_notice(&admin, &grant_doc("Tilskot som kjem med i samandraget")).await;
            app.create_notice(&admin, &webinar_doc("Webinar utanfor filteret")).await;
            let withdrawn = app.create_notice(&admin, &grant_doc("Tilskot som blir trekt før samandraget")).await;
            let id = withdrawn["id"].as_str().unwrap();
            assert!(app.send(Method::DELETE, &format!("/api/v1/admin/notices/{id}"), &admin, None, &[]).await.status().is_success());
            after_grace(&app).await;
            assert_eq!(sink.messages().len(), 1, "a daily subscriber gets no e-mail per notice");

            app.clock.set(first + Duration::seconds(1));
            let digest = sink.wait_for(2, 10).await.remove(1);
            let text = digest.text().unwrap();
            assert!(text.contains("Tilskot som kjem med i samandraget"), "{text}");
            assert!(!text.contains("Webinar utanfor filteret") && !text.contains("trekt før"), "{text}");
            assert!(digest.header("List-Unsubscribe").is_some());
            mail_settled(&app).await;

            let second = digest_due(&app).await;
            assert_eq!(second - first, Duration::days(1), "the next day, same hour");
            app.clock.set(second + Duration::seconds(1));
            eventually(10, || "the next digest to be scheduled".into(), || {
                let app = &app;
                async move { (digest_due(app).await > second).then_some(()) }
            }).await;
            mail_settled(&app).await;
            assert_eq!(sink.messages().len(), 2, "no digest when nothing entered the set");
        }

        async fn a_grant_is_reminded_of_once_a_week_before_its_deadline(app, sink) {
            let admin = app.admin();
            confirmed(&app, &sink, json!({"email": "frist@example.org", "kind": ["grant"], "reminders": true})).await;
            let grant = app.create_notice(&admin, &due_ahead(&app, "grant", "Tilskudd med frist om ti dager", Duration::days(10))).await;
            after_grace(&app).await;
            assert_eq!(sink.messages().len(), 2, "the notice itself");

            app.clock.advance(Duration::days(3) - Duration::minutes(5));
            mail_settled(&app).await;
            assert_eq!(sink.messages().len(), 2, "not before a week is left");
            app.clock.advance(Duration::minutes(10));
            let reminder = sink.wait_for(3, 10).await.remove(2);
            assert!(reminder.subject().unwrap().contains("Tilskudd med frist om ti dager"));
            assert!(reminder.header("List-Unsubscribe-Post").is_some());

            // A correction now owes a reminder again at once; it was sent.
            let id = grant["id"].as_str().unwrap();
            assert!(app.patch_notice(&admin, id, "\"rev-1\"", &json!({"summary": "Rettet sammendrag."})).await.status().is_success());
            app.clock.advance(Duration::seconds(2));
            mail_settled(&app).await;
            app.clock.advance(Duration::days(2));
            mail_settled(&app).await;
            assert_eq!(sink.messages().len(), 3, "reminded once");
        }

        async fn a_webinar_reminded_of_and_then_cancelled_is_told(app, sink) {
            let admin = app.admin();
            confirmed(&app, &sink, json!({"email": "webinar@example.org", "kind": ["webinar"], "reminders": true})).await;
            let webinar = app.create_notice(&admin, &due_ahead(&app, "webinar", "Webinar om tre dager", Duration::days(3))).await;
            after_grace(&app).await;
            app.clock.advance(Duration::days(2));
            let reminder = sink.wait_for(3, 10).await.remove(2);
            assert!(reminder.subject().unwrap().contains("Webinar om tre dager"));

            let id = webinar["id"].as_str().unwrap();
            let cancelled = app.patch_notice(&admin, id, "\"rev-1\"", &json!({"webinar": {"cancelled": true, "cancellation_note": "Flyttes til våren."}})).await;
            assert!(cancelled.status().is_success());
            app.clock.advance(Duration::seconds(2));
            let told = sink.wait_for(4, 10).await.remove(3);
            assert!(told.subject().unwrap().contains("Webinar om tre dager"));
        assert!(told.text().unwrap().contains("Flyttes til våren."), "the note");
            mail_settled(&app).await;
            assert_eq!(sink.messages().len(), 4);
        }
    }
}
