//! Reflow (WCAG 1.4.10): at 320 CSS pixels wide no page scrolls sideways.
//! The editor's list then shows each notice as a block of labelled lines, and
//! the forms' fields fit, and so do the webhook pages' long addresses and
//! tables of attempts; at a desktop's width the list is still a table.
//! In headless Chromium driven over WebDriver (chromedriver).

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{free_port, grant_doc, webinar_doc, TestApp, TestDb};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// chromedriver on a free port, with one headless Chromium session.
struct Browser {
    client: Client,
    driver: Child,
    /// Chromium's profile, removed with the browser.
    _profile: tempfile::TempDir,
}

/// chromedriver and every Chromium process it started are stopped, also when
/// a test fails: they are all in the process group chromedriver leads.
impl Drop for Browser {
    fn drop(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.driver.wait();
    }
}

impl Browser {
    async fn start() -> Self {
        // Two TLS backends meet in the test build; WebDriver here is plain HTTP anyway.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let port = free_port();
        let mut driver =
            Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
                .arg(format!("--port={port}"))
                .process_group(0)
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect(
                    "chromedriver is installed (Debian: apt-get install chromium chromium-driver)",
                );
        // It says when it listens; the rest of what it says is drained, so
        // that it never writes to a closed pipe.
        let (listening, told) = std::sync::mpsc::channel();
        let output = BufReader::new(driver.stdout.take().unwrap());
        std::thread::spawn(move || {
            for line in output.lines().map_while(Result::ok) {
                if line.contains("started successfully") {
                    let _ = listening.send(());
                }
            }
        });
        told.recv_timeout(Duration::from_secs(30))
            .expect("chromedriver started");
        let profile = tempfile::tempdir().unwrap();
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                         format!("--user-data-dir={}", profile.path().display())]
            }
        });
        let mut builder = ClientBuilder::rustls().expect("rustls");
        builder.capabilities(capabilities.as_object().unwrap().clone());
        let client = builder
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a browser session");
        Self {
            client,
            driver,
            _profile: profile,
        }
    }

    /// Makes the page `width` CSS pixels wide, whatever the window adds around it.
    async fn set_width(&self, width: i64) {
        self.client
            .set_window_size(width as u32, 900)
            .await
            .unwrap();
        let inner = self.script("return window.innerWidth").await;
        let outer = width + width - inner.as_i64().unwrap();
        self.client
            .set_window_size(outer as u32, 900)
            .await
            .unwrap();
        assert_eq!(self.script("return window.innerWidth").await, width);
    }

    async fn script(&self, js: &str) -> Value {
        self.client.execute(js, vec![]).await.unwrap()
    }

    async fn open(&self, app: &TestApp, path: &str) {
        self.client.goto(&app.url(path)).await.unwrap();
    }

    async fn sign_in(&self, app: &TestApp, secret: &str) {
        self.open(app, "/admin/logg-inn").await;
        let field = self.client.find(Locator::Css("#token")).await.unwrap();
        field.send_keys(secret).await.unwrap();
        let submit = self
            .client
            .find(Locator::Css("form button[type=submit]"))
            .await;
        submit.unwrap().click().await.unwrap();
        // Only a signed-in page has the sign-out form.
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("form[action='/admin/logg-ut']"))
            .await
            .expect("signed in");
    }

    /// How far the page reaches sideways, and what reaches beyond `width`.
    async fn overflow(&self, width: i64) -> (i64, Vec<String>) {
        let found = self
            .client
            .execute(
                "const beyond = [...document.querySelectorAll('body *')]
                   .filter(e => e.getBoundingClientRect().right > arguments[0] + 0.5)
                   .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                        + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/ +/g, '.') : '')
                        + ' → ' + Math.round(e.getBoundingClientRect().right));
                 return [document.documentElement.scrollWidth, beyond.slice(0, 12)];",
                vec![json!(width)],
            )
            .await
            .unwrap();
        let beyond = found[1].as_array().unwrap();
        (
            found[0].as_i64().unwrap(),
            beyond
                .iter()
                .map(|e| e.as_str().unwrap().to_owned())
                .collect(),
        )
    }

    /// The computed `display` of the first element matching `css`.
    async fn display(&self, css: &str) -> String {
        let js = "return getComputedStyle(document.querySelector(arguments[0])).display";
        let found = self.client.execute(js, vec![json!(css)]).await.unwrap();
        found.as_str().unwrap().to_owned()
    }

    /// Ends the session, then stops the rest (`Drop`).
    async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

#[tokio::test]
async fn at_320_css_pixels_no_page_scrolls_sideways() {
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let admin = app.admin();
    // Beside the seed notices: a long title of long Norwegian words, a
    // scheduled notice, a cancelled webinar with its badge, and a draft.
    let mut long = grant_doc(
        "Tilskuddsordning for kompetanseheving i kommunehelsetjenesten og spesialisthelsetjenesten",
    );
    long["summary"] = json!("Helsefellesskapenes samhandlingsprosjekter og legemiddelberedskapen.");
    let long = app.create_notice(&admin, &long).await;
    let mut scheduled = grant_doc("Planlagt tilskudd til folkehelsearbeid");
    scheduled["published_at"] = json!(common::oslo_days_ahead(30, 9, 0));
    app.create_notice(&admin, &scheduled).await;
    let mut cancelled = webinar_doc("Webinar om legemiddelberedskap");
    cancelled["webinar"]["cancelled"] = json!(true);
    app.create_notice(&admin, &cancelled).await;
    let mut draft = grant_doc("Utkast til tilskudd");
    draft["state"] = json!("draft");
    app.create_notice(&admin, &draft).await;
    // A webhook to a long address no one answers, with a failed attempt.
    let hook = json!({
        "url": format!("http://127.0.0.1:{}/mottak/kunngjoringer/helsedirektoratet/intranettet/tavla", free_port()),
        "description": "Samhandlingsprosjektenes kommunehelsetjenestemottaker",
    });
    let registered = app
        .send(
            reqwest::Method::POST,
            "/api/v1/admin/webhooks",
            &admin,
            Some(&hook),
            &[],
        )
        .await;
    assert_eq!(registered.status(), 201);
    let hook_id = registered.json::<Value>().await.unwrap()["webhook"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.create_notice(
        &admin,
        &grant_doc("Tilskudd til en mottaker som ikke svarer"),
    )
    .await;
    let deliveries = format!("/api/v1/admin/webhooks/{hook_id}/deliveries");
    common::eventually(
        20,
        || "the webhook's failed attempt".into(),
        || async {
            let page: Value = app
                .send(reqwest::Method::GET, &deliveries, &admin, None, &[])
                .await
                .json()
                .await
                .unwrap();
            (!page["items"][0]["attempts"].as_array()?.is_empty()).then_some(())
        },
    )
    .await;

    let browser = Browser::start().await;
    browser.sign_in(&app, &admin).await;
    browser.set_width(320).await;
    let long_id = long["id"].as_str().unwrap();
    let long_page = format!("/notices/{}", long["slug"].as_str().unwrap());
    for path in [
        "/admin",
        "/admin?state=draft",
        "/admin/ny",
        "/admin/ny?type=webinar",
        &format!("/admin/kunngjoringer/{long_id}"),
        "/admin/webhooker",
        "/admin/webhooker/ny",
        &format!("/admin/webhooker/{hook_id}"),
        &format!("/admin/webhooker/{hook_id}/slett"),
        "/",
        "/nn/",
        &long_page,
        "/areas/helsetjenester",
        "/tilgjengelighet",
    ] {
        browser.open(&app, path).await;
        let (scroll_width, beyond) = browser.overflow(320).await;
        assert!(
            scroll_width <= 320,
            "{path} is {scroll_width} px wide at 320: {beyond:#?}"
        );
    }
    // Nor does the list at any width between the phone's and the desktop's,
    // as a block of lines or as a table.
    for width in [400, 480, 560, 640, 720, 800] {
        browser.set_width(width).await;
        browser.open(&app, "/admin").await;
        let (scroll_width, beyond) = browser.overflow(width).await;
        assert!(
            scroll_width <= width,
            "/admin is {scroll_width} px wide at {width}: {beyond:#?}"
        );
    }
    browser.set_width(320).await;
    // Each notice of the list is a block, each line labelled with its column.
    browser.open(&app, "/admin").await;
    assert_eq!(browser.display("tbody tr").await, "block");
    let labels = browser
        .script(
            "return [...document.querySelector('tbody tr').cells]
               .map(c => getComputedStyle(c, '::before').content)",
        )
        .await;
    assert_eq!(
        labels,
        json!([
            "\"Tittel: \"",
            "\"Type: \"",
            "\"Tilstand: \"",
            "\"Publisering: \""
        ]),
        "every line says which column it is"
    );

    // A form that failed, with its messages beside the fields, fits too.
    browser.open(&app, "/admin/ny").await;
    browser
        .client
        .find(Locator::Css("button[value=save]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#feil"))
        .await
        .expect("the form's errors");
    let (scroll_width, beyond) = browser.overflow(320).await;
    assert!(
        scroll_width <= 320,
        "the failed form is {scroll_width} px wide: {beyond:#?}"
    );

    // At a desktop's width the list is a table, as screen readers expect.
    browser.set_width(1100).await;
    browser.open(&app, "/admin").await;
    assert_eq!(browser.display("tbody tr").await, "table-row");
    assert_eq!(browser.display("tbody td").await, "table-cell");
    assert_eq!(browser.display("thead").await, "table-header-group");
    browser.close().await;
}
