//! Headless Chromium driven over WebDriver (chromedriver), for the test files
//! that use a real browser. They include it by path
//! (`#[path = "common/browser.rs"] mod browser;`) beside `mod common;`, so the
//! test binaries that drive no browser neither build nor warn about it.

// Each test file uses only some of these helpers.
#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::common::{free_port, TestApp};

/// chromedriver on a free port, with one headless Chromium session.
/// WebDriver's key codes.
pub const TAB: &str = "\u{E004}";
pub const ENTER: &str = "\u{E007}";
pub const SPACE: &str = " ";

pub struct Browser {
    pub client: Client,
    driver: Child,
    /// Names this test's screenshots.
    name: &'static str,
}

impl Browser {
    pub async fn start(name: &'static str) -> Self {
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
        // chromedriver takes a moment to listen: ask again until it answers.
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

    /// Opens `path` on `app`.
    pub async fn goto(&self, app: &TestApp, path: &str) {
        self.client
            .goto(&app.url(path))
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    }

    /// Saves the page as target/tmp/screenshots/{name}-{step}.png.
    pub async fn screenshot(&self, step: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{}-{step}.png", self.name)), png).unwrap();
    }

    /// The first element matching `css`, once it has appeared (a form's
    /// answer may still be loading).
    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
    }

    /// The text of the first element matching `css`, once it has appeared.
    pub async fn text(&self, css: &str) -> String {
        for _ in 0..50 {
            // The page may be replaced between finding and reading; then look again.
            if let Ok(text) = self.wait_for(css).await.text().await {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} kept going stale");
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let field = self.client.find(Locator::Css(css)).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    /// Sets an input's value directly, as a date picker would.
    pub async fn set(&self, id: &str, value: &str) {
        self.client
            .execute(
                "document.getElementById(arguments[0]).value = arguments[1];",
                vec![json!(id), json!(value)],
            )
            .await
            .unwrap();
    }

    pub async fn click(&self, css: &str) {
        self.wait_for(css).await.click().await.unwrap();
    }

    /// Signs in at /admin with the token `secret`; the editor pages speak
    /// bokmål until the editor chooses otherwise.
    pub async fn sign_in(&self, app: &TestApp, secret: &str) {
        self.goto(app, "/admin").await;
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

    /// Whether the focused element matches `css`.
    pub async fn focused(&self, css: &str) -> bool {
        self.client
            .execute(
                "return document.activeElement !== null && document.activeElement.matches(arguments[0]);",
                vec![json!(css)],
            )
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }

    /// Waits for the page that is loading to put the focus on `css`.
    pub async fn wait_for_focus(&self, css: &str) {
        crate::common::eventually(
            10,
            || format!("the focus on {css}"),
            || async { self.focused(css).await.then_some(()) },
        )
        .await;
    }

    /// Types `keys` (text, or WebDriver key codes) into the focused element,
    /// as a keyboard would.
    pub async fn keys(&self, keys: &str) {
        self.client
            .active_element()
            .await
            .unwrap()
            .send_keys(keys)
            .await
            .unwrap();
    }

    /// Presses Tab until the focus is on `css`, as a keyboard user would;
    /// fails if 80 presses do not get there.
    pub async fn tab_to(&self, css: &str) {
        for _ in 0..80 {
            if self.focused(css).await {
                return;
            }
            self.keys(TAB).await;
        }
        panic!("Tab never reached {css}");
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
