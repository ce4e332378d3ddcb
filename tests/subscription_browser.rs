//! An e-mail subscription's whole life in a real browser, in bokmål and in
//! nynorsk: subscribe on the front page with the keyboard (past a mistyped
//! address, by the error summary), confirm by the e-mail's link and the
//! page's button, open the manage link of a notice's e-mail, change the
//! subscription, and end it — the links read from the mail at an SMTP sink.

mod common;

#[path = "common/browser.rs"]
mod browser;

use browser::{Browser, ENTER, SPACE, TAB};
use chrono::Duration;
use common::mail::MAIL_DELAY;
use common::smtp::{Mail, SmtpSink};
use common::{grant_doc, TestApp, TestDb};
use reqwest::Method;
use serde_json::Value;

/// Ctrl+A: selects what a field holds, so that typing replaces it.
const SELECT_ALL: &str = "\u{E009}a\u{E009}";

/// What the pages say at each step, in one written standard.
struct Words {
    prefix: &'static str,
    lang: &'static str,
    check: &'static str,
    confirmed: &'static str,
    saved: &'static str,
    ended: &'static str,
    spent: &'static str,
}

const BOKMÅL: Words = Words {
    prefix: "",
    lang: "nb",
    check: "Sjekk e-posten din",
    confirmed: "Abonnementet er bekreftet",
    saved: "Endringene er lagret.",
    ended: "Abonnementet er sagt opp",
    spent: "Lenken virker ikke lenger",
};

const NYNORSK: Words = Words {
    prefix: "/nn",
    lang: "nn",
    check: "Sjekk e-posten din",
    confirmed: "Abonnementet er stadfesta",
    saved: "Endringane er lagra.",
    ended: "Abonnementet er sagt opp",
    spent: "Lenka verkar ikkje lenger",
};

/// The link in a mail's text that starts with `path` (after the base).
fn link(app: &TestApp, mail: &Mail, path: &str) -> String {
    let text = mail.text().expect("a text part");
    let start = format!("{}{path}", app.base);
    let found = text.split_whitespace().find(|w| w.starts_with(&start));
    found
        .unwrap_or_else(|| panic!("no {start} link in {text}"))
        .to_owned()
}

async fn stats(app: &TestApp, admin: &str) -> Value {
    let path = "/api/v1/admin/subscriptions/stats";
    let answer = app.send(Method::GET, path, admin, None, &[]).await;
    assert_eq!(answer.status(), 200);
    answer.json().await.unwrap()
}

/// Whether the input `css` is checked now.
async fn is_checked(browser: &Browser, css: &str) -> bool {
    let input = browser.wait_for(css).await;
    input.prop("checked").await.unwrap().as_deref() == Some("true")
}

async fn subscribe_confirm_manage_and_unsubscribe(words: Words) {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with_mail(TestDb::Sqlite, sink.url(), 30).await;
    let admin = app.admin();
    let browser = Browser::start(if words.lang == "nb" {
        "subscription-nb"
    } else {
        "subscription-nn"
    })
    .await;
    let prefix = words.prefix;

    // From the feeds' line to the form, and a mistyped address first.
    browser.goto(&app, &format!("{prefix}/")).await;
    browser.tab_to("a[href='#e-post']").await;
    browser.keys(ENTER).await;
    browser.keys(TAB).await;
    assert!(
        browser.focused("#sub-email").await,
        "the address is the form's first field"
    );
    browser.keys("kari.example.org").await;
    browser.tab_to("#sub-kind").await;
    browser.keys(SPACE).await;
    browser
        .tab_to("form.subscription button[type=submit]")
        .await;
    browser.keys(ENTER).await;
    browser.wait_for_focus("#feil").await;
    assert!(browser.text("#feil").await.contains("E-postadresse:"));
    browser.screenshot("error-summary").await;
    browser.keys(TAB).await;
    assert!(
        browser.focused("#feil a[href='#sub-email']").await,
        "the summary's link is next"
    );
    browser.keys(ENTER).await;
    browser.wait_for_focus("#sub-email").await;
    browser.keys(SELECT_ALL).await;
    browser.keys("kari@example.org").await;
    assert!(
        is_checked(&browser, "#sub-kind").await,
        "the grant chosen is kept"
    );
    browser
        .tab_to("form.subscription button[type=submit]")
        .await;
    browser.keys(ENTER).await;
    common::eventually(
        10,
        || "the page that says to check the e-mail".into(),
        || async { (browser.text("h1").await == words.check).then_some(()) },
    )
    .await;
    browser
        .wait_for(&format!("html[lang={}]", words.lang))
        .await;

    // The confirmation e-mail's link shows a button; the button confirms.
    let mail = sink.wait_for(1, 10).await.remove(0);
    assert_eq!(mail.to, ["kari@example.org"]);
    let confirm = link(
        &app,
        &mail,
        &format!("{prefix}/subscriptions/confirm?token="),
    );
    browser.client.goto(&confirm).await.unwrap();
    assert_eq!(
        stats(&app, &admin).await["pending"],
        1,
        "the link alone confirms nothing"
    );
    browser.tab_to("main form button").await;
    browser.keys(ENTER).await;
    common::eventually(
        10,
        || "the confirmed page".into(),
        || async { (browser.text("h1").await == words.confirmed).then_some(()) },
    )
    .await;
    let counts = stats(&app, &admin).await;
    assert_eq!(counts["confirmed"], 1);
    assert_eq!(
        counts["by_language"][words.lang], 1,
        "e-mails in the page's written standard"
    );

    // A notice's e-mail carries the manage link.
    app.create_notice(&admin, &grant_doc("Tilskudd til nettleserprøven"))
        .await;
    app.clock.advance(Duration::seconds(MAIL_DELAY + 2));
    let mail = sink.wait_for(2, 10).await.remove(1);
    let manage = link(
        &app,
        &mail,
        &format!("{prefix}/subscriptions/manage?token="),
    );
    browser.client.goto(&manage).await.unwrap();
    browser
        .wait_for(&format!("html[lang={}]", words.lang))
        .await;
    assert!(is_checked(&browser, "input[name=kind][value=grant]").await);
    assert!(!is_checked(&browser, "input[name=kind][value=news]").await);
    assert!(is_checked(&browser, "input[name=frequency][value=immediate]").await);
    let language = format!("input[name=language][value={}]", words.lang);
    assert!(is_checked(&browser, &language).await);
    browser.click("input[name=frequency][value=weekly]").await;
    browser.click("input[name=kind][value=news]").await;
    browser.click("input[name=reminders]").await;
    browser.screenshot("manage").await;
    browser.click("form.subscription button[type=submit]").await;
    browser.wait_for_focus("#melding").await;
    assert_eq!(browser.text("#melding").await, words.saved);
    assert!(is_checked(&browser, "input[name=frequency][value=weekly]").await);
    assert!(is_checked(&browser, "input[name=kind][value=news]").await);
    assert!(is_checked(&browser, "input[name=reminders]").await);
    let counts = stats(&app, &admin).await;
    assert_eq!(counts["by_frequency"]["weekly"], 1, "{counts}");

    // The button that ends it.
    browser
        .tab_to("form[action*='/subscriptions/unsubscribe'] button")
        .await;
    browser.keys(ENTER).await;
    common::eventually(
        10,
        || "the page that says it ended".into(),
        || async { (browser.text("h1").await == words.ended).then_some(()) },
    )
    .await;
    let counts = stats(&app, &admin).await;
    assert_eq!(
        (counts["confirmed"].as_i64(), counts["pending"].as_i64()),
        (Some(0), Some(0))
    );
    browser.client.goto(&manage).await.unwrap();
    assert_eq!(
        browser.text("h1").await,
        words.spent,
        "the manage link is spent"
    );
    browser.close().await;
}

#[tokio::test]
async fn a_subscriber_subscribes_confirms_manages_and_unsubscribes_in_bokmål() {
    subscribe_confirm_manage_and_unsubscribe(BOKMÅL).await;
}

#[tokio::test]
async fn a_subscriber_subscribes_confirms_manages_and_unsubscribes_in_nynorsk() {
    subscribe_confirm_manage_and_unsubscribe(NYNORSK).await;
}
