//! E-mail that the clock brings, on both backends against a real SMTP
//! server on loopback: daily digests at their hour (none when empty),
//! reminders once, the word of a cancelled webinar; and DKIM signatures an
//! independent verifier accepts.

mod common;

use chrono::Duration;
use common::mail::*;
use common::smtp::SmtpSink;
use common::{eventually, grant_doc, webinar_doc, TestApp, TestDb};
use reqwest::Method;
use serde_json::{json, Value};
use tavla::config::MailSettings;

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

        async fn a_grant_published_within_a_week_of_its_deadline_is_reminded_of_after_the_grace_period(app, sink) {
            let admin = app.admin();
            confirmed(&app, &sink, json!({"email": "snart@example.org", "kind": ["grant"], "reminders": true})).await;
            app.create_notice(&admin, &due_ahead(&app, "grant", "Tilskudd med frist om tre dager", Duration::days(3))).await;
            app.clock.advance(Duration::seconds(2));
            mail_settled(&app).await;
            assert_eq!(sink.messages().len(), 1, "nothing within the grace period, the reminder neither");
            app.clock.advance(Duration::seconds(DELAY));
            let mails = sink.wait_for(3, 10).await;
            mail_settled(&app).await;
            assert_eq!(sink.messages().len(), 3, "the notice and its reminder, once each");
            assert!(mails[1..].iter().all(|m| m.subject().unwrap().contains("Tilskudd med frist om tre dager")));
        }

        async fn a_subscriber_who_joins_after_a_grant_was_published_is_reminded_of_it(app, sink) {
            let admin = app.admin();
            app.create_notice(&admin, &due_ahead(&app, "grant", "Tilskudd fra før abonnementet", Duration::days(10))).await;
            app.create_notice(&admin, &due_ahead(&app, "webinar", "Webinar utenfor filteret", Duration::days(10))).await;
            after_grace(&app).await;
            confirmed(&app, &sink, json!({"email": "sen@example.org", "kind": ["grant"], "reminders": true})).await;
            app.clock.advance(Duration::days(3) + Duration::minutes(5));
            let reminder = sink.wait_for(2, 10).await.remove(1);
            assert!(reminder.subject().unwrap().contains("Tilskudd fra før abonnementet"));
            app.clock.advance(Duration::days(1));
            mail_settled(&app).await;
            assert_eq!(sink.messages().len(), 2, "once, and nothing outside the filter");
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
            mail_settled(&app).await;
            assert_eq!(sink.messages().len(), 3, "not within the grace period");
            app.clock.advance(Duration::seconds(DELAY));
            let told = sink.wait_for(4, 10).await.remove(3);
            assert!(told.subject().unwrap().contains("Webinar om tre dager"));
        assert!(told.text().unwrap().contains("Flyttes til våren."), "the note");
            mail_settled(&app).await;
            assert_eq!(sink.messages().len(), 4);
        }
    }
}

/// DKIM: with a key configured, every message is signed so that an
/// independent verifier (dkimpy) accepts it, one-click unsubscribe's headers
/// included, and rejects it once altered.
mod dkim {
    use std::path::Path;
    use std::process::Command;

    use super::*;

    const VERIFY: &str = r#"
import sys
import dkim
message = open(sys.argv[1], "rb").read()
record = open(sys.argv[2], "rb").read()
def lookup(name, timeout=5):
    return record if name.rstrip(b".") == b"tavla._domainkey.tavla.example" else None
print("pass" if dkim.verify(message, dnsfunc=lookup) else "fail")
"#;

    fn run(command: &mut Command) -> String {
        let out = command.output().expect("the command runs");
        assert!(
            out.status.success(),
            "{command:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// What dkimpy says of a raw message: "pass" or "fail".
    fn verify(dir: &Path, raw: &[u8], record: &str) -> String {
        let (message, dns) = (dir.join("message.eml"), dir.join("record.txt"));
        std::fs::write(&message, raw).unwrap();
        std::fs::write(&dns, record).unwrap();
        let deps = Path::new(env!("CARGO_MANIFEST_DIR")).join(".python-deps");
        let out = Command::new("python3")
            .args(["-c", VERIFY])
            .arg(&message)
            .arg(&dns)
            .env("PYTHONPATH", deps)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "dkimpy (scripts/test installs it): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    #[tokio::test]
    async fn every_message_is_signed_so_that_an_independent_verifier_accepts_it() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("dkim.pem");
        run(Command::new("openssl")
            .args(["genrsa", "-traditional", "-out"])
            .arg(&key)
            .arg("2048"));
        let public = run(Command::new("openssl")
            .args(["rsa", "-pubout", "-in"])
            .arg(&key));
        let der: String = public.lines().filter(|l| !l.starts_with("-----")).collect();
        let record = format!("v=DKIM1; k=rsa; p={der}");

        let sink = SmtpSink::start().await;
        let (url, pem) = (sink.url(), std::fs::read_to_string(&key).unwrap());
        let app = TestApp::spawn_configured(TestDb::Sqlite, move |s| {
            s.mail = Some(MailSettings {
                smtp_url: url,
                from: "Tavla <tavla@tavla.example>".into(),
                delay: Duration::seconds(DELAY),
                digest_time: chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
                rate: 1000,
                subscribe_limit: 30,
                dkim: Some(tavla::config::Dkim {
                    selector: "tavla".into(),
                    domain: "tavla.example".into(),
                    key: pem,
                    algorithm: tavla::config::DkimAlgorithm::Rsa,
                }),
            });
        })
        .await;
        let admin = app.admin();
        confirmed(&app, &sink, json!({"email": "signert@example.org"})).await;
        app.create_notice(&admin, &grant_doc("Tilskudd i en signert e-post – «æøå»"))
            .await;
        after_grace(&app).await;
        let mails = sink.wait_for(2, 10).await;

        for mail in &mails {
            assert_eq!(
                verify(dir.path(), &mail.raw, &record),
                "pass",
                "{:?}",
                mail.subject()
            );
        }
        let signature = mails[1]
            .header("DKIM-Signature")
            .unwrap()
            .replace([' ', '\r', '\n', '\t'], "");
        assert!(
            signature.contains("d=tavla.example") && signature.contains("s=tavla"),
            "{signature}"
        );
        assert!(
            signature.contains("list-unsubscribe:list-unsubscribe-post"),
            "RFC 8058 asks for both: {signature}"
        );

        let raw = String::from_utf8(mails[1].raw.clone()).unwrap();
        let altered = raw.replacen("Tilskudd", "Tilskott", 1);
        assert_ne!(altered, raw);
        assert_eq!(
            verify(dir.path(), altered.as_bytes(), &record),
            "fail",
            "an altered message fails"
        );
    }
}
