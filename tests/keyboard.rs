//! The editor's work with the keyboard alone, in a real browser: sign in,
//! create a notice past several field errors, withdraw it after the
//! question, switch language. And what the pages' script does: only the
//! chosen kind's fields, the session's warning and its extension.

mod common;

#[path = "common/browser.rs"]
mod browser;

use browser::{Browser, ENTER, SPACE};
use chrono::Duration;
use common::TestApp;
use common::TestDb;

/// Ctrl+A: selects what a field holds, so that typing replaces it.
const SELECT_ALL: &str = "\u{E009}a\u{E009}";

#[tokio::test]
async fn an_editor_signs_in_creates_past_errors_withdraws_and_switches_language_by_keyboard() {
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let browser = Browser::start("keyboard").await;
    let editor = app.editor(&["helsetjenester"]);

    browser.goto(&app, "/admin/logg-inn").await;
    browser.tab_to("#token").await;
    browser.keys(&editor).await;
    browser.keys(ENTER).await;
    browser.wait_for("form[action='/admin/logg-ut']").await;
    assert_eq!(browser.text("h1").await, "Kunngjøringer");

    browser.tab_to("a.button[href='/admin/ny']").await;
    browser.keys(ENTER).await;
    browser.wait_for("#kind").await;
    assert!(
        !browser
            .wait_for("fieldset[data-kind=webinar]")
            .await
            .is_displayed()
            .await
            .unwrap(),
        "a grant's form hides the webinar's fields"
    );
    browser.tab_to("#summary").await;
    browser
        .keys("Kommunene kan søke om midler til tastaturvennlige tiltak.")
        .await;
    browser.tab_to("#grant-amount").await;
    browser.keys("mange kroner").await;
    browser.tab_to("button[value=save]").await;
    browser.keys(ENTER).await;

    browser.wait_for_focus("#feil").await;
    let summary = browser.text("#feil").await;
    for error in ["Tittel:", "Områder:", "Beløp i kroner (valgfritt):"] {
        assert!(summary.contains(error), "every error at once: {summary}");
    }
    browser.screenshot("error-summary").await;
    browser.keys(browser::TAB).await;
    assert!(
        browser.focused("#feil a[href='#title']").await,
        "the summary's first link is next"
    );
    browser.keys(ENTER).await;
    browser.wait_for_focus("#title").await;
    browser.keys("Tilskudd til tastaturvennlige tiltak").await;
    browser.tab_to("#areas").await;
    browser.keys(SPACE).await;
    browser.tab_to("#grant-amount").await;
    browser.keys(SELECT_ALL).await;
    browser.keys("250 000").await;
    browser.tab_to("button[value=save]").await;
    browser.keys(ENTER).await;
    browser.wait_for_focus("#melding").await;
    assert_eq!(
        browser.text("#melding").await,
        "Lagret.",
        "the save is said where the focus is"
    );
    let saved = app.all_notices("&q=tastaturvennlige", 100).await;
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0]["grant"]["amount_nok"], 250_000);

    browser.tab_to("a.button.danger").await;
    browser.keys(ENTER).await;
    browser.wait_for("button.danger").await;
    assert!(browser
        .text("h1")
        .await
        .starts_with("Trekke tilbake «Tilskudd til tastaturvennlige tiltak»"));
    assert_eq!(
        app.all_notices("&q=tastaturvennlige", 100).await.len(),
        1,
        "the question withdraws nothing"
    );
    browser.tab_to("button.danger").await;
    browser.keys(ENTER).await;
    browser.wait_for_focus("#melding").await;
    assert_eq!(
        browser.text("#melding").await,
        "Kunngjøringen er trukket tilbake."
    );
    assert!(app.all_notices("&q=tastaturvennlige", 100).await.is_empty());

    browser.tab_to("nav.languages a").await;
    browser.keys(ENTER).await;
    browser.wait_for("html[lang=nn]").await;
    assert_eq!(browser.text("h1").await, "Kunngjeringar");
    browser.screenshot("nynorsk").await;
    browser.close().await;
}

#[tokio::test]
async fn the_page_warns_before_the_session_ends_and_extends_it_without_leaving_the_form() {
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let browser = Browser::start("session").await;
    let editor = app.editor(&["helsetjenester"]);
    browser.sign_in(&app, &editor).await;
    browser.goto(&app, "/admin/ny").await;
    assert!(
        !browser.wait_for("#okt").await.is_displayed().await.unwrap(),
        "no warning while hours are left"
    );

    app.clock.advance(Duration::hours(8) - Duration::minutes(3));
    browser.goto(&app, "/admin/ny").await;
    browser.tab_to("#title").await;
    browser.keys("Skrevet like før økta går ut").await;
    let warning = browser.text("#okt [data-message]").await;
    assert!(warning.starts_with("Økta di går ut kl. "), "{warning}");
    browser.tab_to("#okt button").await;
    browser.keys(ENTER).await;
    common::eventually(
        10,
        || "the extension".into(),
        || async {
            let said = browser.text("#okt [data-message]").await;
            said.starts_with("Økta er forlenget til kl. ").then_some(())
        },
    )
    .await;
    assert_eq!(
        browser
            .client
            .find(fantoccini::Locator::Css("#title"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Skrevet like før økta går ut"),
        "the form was not left"
    );
    app.clock.advance(Duration::hours(1));
    browser.goto(&app, "/admin").await;
    assert_eq!(
        browser.text("h1").await,
        "Kunngjøringer",
        "still signed in after the first end"
    );
    browser.close().await;
}
