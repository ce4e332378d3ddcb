//! The pages in a real browser: headless Chromium driven over WebDriver
//! (chromedriver). Each test saves a screenshot under target/tmp/screenshots/.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{free_port, webinar_doc, TestApp, TestDb};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// chromedriver on a free port, with one headless Chromium session.
struct Browser {
    client: Client,
    driver: Child,
    name: &'static str,
}

impl Browser {
    async fn start(name: &'static str) -> Self {
        // Two TLS backends meet in the test build; WebDriver here is plain HTTP anyway.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let port = free_port();
        let driver =
            Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect(
                    "chromedriver is installed (Debian: apt-get install chromium chromium-driver)",
                );
        let profile = tempfile::tempdir().unwrap().keep();
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-quic", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--window-size=1100,1400",
                         format!("--user-data-dir={}", profile.display())]
            }
        });
        let mut last_error = None;
        for _ in 0..50 {
            let mut builder = ClientBuilder::rustls().expect("rustls");
            builder.capabilities(capabilities.as_object().unwrap().clone());
            match builder.connect(&format!("http://127.0.0.1:{port}")).await {
                Ok(client) => {
                    return Self {
                        client,
                        driver,
                        name,
                    }
                }
                Err(e) => last_error = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no browser session: {last_error:?}");
    }

    async fn screenshot(&self, step: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{}-{step}.png", self.name)), png).unwrap();
    }

    /// The text of the first element matching `css`, waiting for it to appear
    /// (a form's answer may still be loading).
    /// The first element matching `css`, once it has appeared.
    async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
    }

    async fn text(&self, css: &str) -> String {
        for _ in 0..50 {
            // The page may be replaced between finding and reading; then look again.
            if let Ok(text) = self.wait_for(css).await.text().await {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} kept going stale");
    }

    async fn fill(&self, css: &str, value: &str) {
        let field = self.client.find(Locator::Css(css)).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    /// Sets an input's value directly, as a date picker would.
    async fn set(&self, id: &str, value: &str) {
        self.client
            .execute(
                "document.getElementById(arguments[0]).value = arguments[1];",
                vec![json!(id), json!(value)],
            )
            .await
            .unwrap();
    }

    async fn click(&self, css: &str) {
        self.wait_for(css).await.click().await.unwrap();
    }

    async fn sign_in(&self, app: &TestApp, secret: &str) {
        self.client.goto(&app.url("/admin")).await.unwrap();
        assert!(self
            .client
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/admin/logg-inn"));
        self.fill("#token", secret).await;
        self.click("form button[type=submit]").await;
        // Only a signed-in page has the sign-out form.
        self.text("form[action='/admin/logg-ut'] button").await;
        assert_eq!(self.text("h1").await, "Kunngjøringer");
    }

    async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

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
