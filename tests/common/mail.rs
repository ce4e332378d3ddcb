//! E-mail in tests: an app that sends to an SMTP sink, subscribing and
//! confirming through the e-mails' links, and waiting for the outbox's
//! e-mail to settle.

use chrono::Duration;
use serde_json::Value;

use reqwest::Method;

use super::smtp::{Mail, SmtpSink};
use super::{eventually, TestApp, TestDb};

/// The grace period before a notice's e-mail, as `spawn_with_mail` sets it
/// (the default).
pub const MAIL_DELAY: i64 = 120;
/// The grace period the tests run with.
pub const DELAY: i64 = MAIL_DELAY;

impl TestApp {
    /// As `spawn`, with e-mail sent to `smtp_url` (an SMTP sink's) after
    /// the default grace period, `MAIL_DELAY`, and at most `subscribe_limit`
    /// subscribe requests a minute per client.
    pub async fn spawn_with_mail(db: TestDb, smtp_url: String, subscribe_limit: u32) -> Self {
        Self::spawn_configured(db, move |s| {
            s.mail = Some(tavla::config::MailSettings {
                smtp_url,
                from: "Tavla <tavla@tavla.example>".into(),
                delay: chrono::Duration::seconds(MAIL_DELAY),
                digest_time: chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
                rate: 1000,
                subscribe_limit,
                dkim: None,
            });
        })
        .await
    }
}

pub async fn spawn(db: TestDb, sink: &SmtpSink, subscribe_limit: u32) -> TestApp {
    TestApp::spawn_with_mail(db, sink.url(), subscribe_limit).await
}

/// Runs each test on SQLite and PostgreSQL with an SMTP sink and an app
/// that sends to it.
#[macro_export]
macro_rules! with_mail {
    ($( async fn $name:ident($app:ident, $sink:ident) $body:block )*) => {
        mod sqlite {
            use super::*;
            $( #[tokio::test]
            async fn $name() {
                let $sink = $crate::common::smtp::SmtpSink::start().await;
                let $app = $crate::common::mail::spawn($crate::common::TestDb::Sqlite, &$sink, 30).await;
                $body
            } )*
        }
        mod postgres {
            use super::*;
            $( #[tokio::test]
            async fn $name() {
                let $sink = $crate::common::smtp::SmtpSink::start().await;
                let $app = $crate::common::mail::spawn($crate::common::TestDb::Postgres, &$sink, 30).await;
                $body
            } )*
        }
    };
}

pub async fn subscribe(app: &TestApp, doc: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/subscriptions"))
        .json(doc)
        .send()
        .await
        .unwrap()
}

/// The link in a mail's text to `path` (after the base, and `/nn` for
/// nynorsk).
pub fn link(app: &TestApp, mail: &Mail, path: &str) -> String {
    let text = mail.text().expect("a text part");
    let start = format!("{}{path}", app.base);
    let nynorsk = format!("{}/nn{path}", app.base);
    text.split_whitespace()
        .find(|word| word.starts_with(&start) || word.starts_with(&nynorsk))
        .unwrap_or_else(|| panic!("no {path} link in {text}"))
        .to_owned()
}

pub fn token_of(url: &str) -> String {
    url.split_once("token=").expect("a token").1.to_owned()
}

pub async fn stats(app: &TestApp, admin: &str) -> Value {
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
pub async fn confirmed(app: &TestApp, sink: &SmtpSink, doc: Value) -> Mail {
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
pub async fn mail_settled(app: &TestApp) {
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
pub async fn after_grace(app: &TestApp) {
    app.clock.advance(Duration::seconds(2));
    mail_settled(app).await;
    app.clock.advance(Duration::seconds(DELAY));
    mail_settled(app).await;
}

/// Moves the clock past the grace period and waits for the worker's first
/// failed attempt at sending (the relay down, or refusing).
pub async fn until_an_attempt_failed(app: &TestApp) {
    app.clock.advance(Duration::seconds(2));
    mail_settled(app).await;
    app.clock.advance(Duration::seconds(DELAY));
    let store = app.store();
    eventually(
        10,
        || "a failed attempt".into(),
        || {
            let store = store.clone();
            async move {
                let failed: i64 = store
                    .run(|c| {
                        use diesel::prelude::*;
                        use tavla::store::schema::delivery_attempts::dsl as a;
                        Ok(a::delivery_attempts
                            .filter(a::error.is_not_null())
                            .count()
                            .get_result(c)?)
                    })
                    .await
                    .unwrap();
                (failed > 0).then_some(())
            }
        },
    )
    .await;
}
