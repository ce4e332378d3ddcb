//! The pages in a real browser: headless Chromium driven over WebDriver
//! (chromedriver). Each test saves a screenshot under target/tmp/screenshots/.

mod common;

#[path = "common/browser.rs"]
mod browser;

use browser::Browser;
use common::{webinar_doc, TestApp, TestDb};
use fantoccini::Locator;
use serde_json::json;

on_every_backend! {
    async fn an_editor_creates_a_grant_fixes_a_bad_deadline_and_sees_it_published(app: TestApp) {
        let browser = Browser::start(if app.db == TestDb::Sqlite { "grant-sqlite" } else { "grant-postgres" }).await;
        let editor = app.editor(&["helsetjenester"]);
        browser.sign_in(&app, &editor).await;
        browser.click("a.button[href='/admin/ny']").await;
        browser.client.find(Locator::Css("#kind")).await.unwrap().select_by_value("grant").await.unwrap();
        browser.fill("#title", "Tilskudd til lokale helsetiltak").await;
        browser.fill("#summary", "Kommunene kan søke om midler til lokale tiltak.").await;
        browser.click("input[name=areas][value=helsetjenester]").await;
        browser.set("grant-deadline", "1850-01-01T12:00").await;
        browser.fill("#grant-applicants", "kommuner, fylkeskommuner").await;
        browser.click("button[value=save]").await;

        let error = browser.text("#grant-deadline-feil").await;
        assert!(error.contains("mellom år 1900 og 9000"), "the bad deadline is named beside its field, in Norwegian: {error}");
        let kept = browser.client.find(Locator::Css("#title")).await.unwrap().prop("value").await.unwrap();
        assert_eq!(kept.as_deref(), Some("Tilskudd til lokale helsetiltak"), "the form keeps what was typed");
        browser.screenshot("field-error").await;
        assert!(app.all_notices("&q=helsetiltak", 100).await.is_empty(), "nothing was saved");

        browser.set("grant-deadline", "2031-03-01T12:00").await;
        browser.click("button[value=preview]").await;
        let preview = browser.text("section.preview").await;
        assert!(preview.contains("Søknadsfrist: 01.03.2031 kl. 12:00"), "{preview}");
        browser.screenshot("preview").await;
        browser.click("button[value=save]").await;
        assert!(browser.text(".notice-box.ok").await.contains("Lagret"));

        browser.client.goto(&app.url("/")).await.unwrap();
        let front = browser.text("main").await;
        assert!(front.contains("Tilskudd til lokale helsetiltak"));
        browser.screenshot("front-page").await;
        let rss = app.text("/feed.rss").await;
        assert!(rss.contains("Tilskudd til lokale helsetiltak"));
        assert!(rss.contains("Søknadsfrist: 01.03.2031 kl. 12:00"));
        browser.close().await;
    }

    async fn an_editor_cancels_a_webinar_and_the_page_says_avlyst(app: TestApp) {
        let browser = Browser::start(if app.db == TestDb::Sqlite { "webinar-sqlite" } else { "webinar-postgres" }).await;
        let admin = app.admin();
        let mut doc = webinar_doc("Webinar om legemiddelberedskap");
        doc["areas"] = json!(["helsetjenester"]);
        let webinar = app.create_notice(&admin, &doc).await;
        let editor = app.editor(&["helsetjenester"]);
        browser.sign_in(&app, &editor).await;
        browser.client.goto(&app.url(&format!("/admin/kunngjoringer/{}", webinar["id"].as_str().unwrap()))).await.unwrap();
        browser.click("#webinar-cancelled").await;
        browser.fill("#webinar-note", "Flyttes til våren").await;
        browser.click("button[value=save]").await;
        assert!(browser.text(".notice-box.ok").await.contains("Lagret"));
        browser.screenshot("cancelled-form").await;

        browser.client.goto(&app.url(&format!("/notices/{}", webinar["slug"].as_str().unwrap()))).await.unwrap();
        let page = browser.text("main").await;
        assert!(page.contains("Avlyst"), "{page}");
        assert!(page.contains("Flyttes til våren"));
        browser.screenshot("public-page").await;
        assert_eq!(app.json(&format!("/api/v1/notices/{}", webinar["id"].as_str().unwrap())).await["status"], "cancelled");
        browser.close().await;
    }

    async fn an_editor_sees_only_its_areas_and_signs_out(app: TestApp) {
        let browser = Browser::start(if app.db == TestDb::Sqlite { "areas-sqlite" } else { "areas-postgres" }).await;
        let editor = app.editor(&["barnevern-og-familievern"]);
        browser.sign_in(&app, &editor).await;
        let list = browser.text("main").await;
        assert!(!list.contains("Webinar for helsestasjon- og skolehelse"), "a notice also in helsetjenester is not this editor's");
        browser.client.goto(&app.url("/admin/ny")).await.unwrap();
        let choices = browser.client.find_all(Locator::Css("input[name=areas]")).await.unwrap();
        assert_eq!(choices.len(), 1, "only its own area can be chosen");
        browser.screenshot("new-form").await;
        browser.client.goto(&app.url("/admin")).await.unwrap();
        browser.click("form[action='/admin/logg-ut'] button").await;
        browser.client.goto(&app.url("/admin")).await.unwrap();
        assert!(browser.client.current_url().await.unwrap().path().ends_with("/admin/logg-inn"), "signed out");
        browser.close().await;
    }
}
