//! WCAG 2.1 A and AA in a real browser: axe-core (from npm, pinned in
//! package-lock.json) is injected into each page of the site and the editor
//! pages, in bokmål and in nynorsk, and must find nothing. axe tests what a
//! machine can; the rest is for people (see the accessibility statement).

mod common;

#[path = "common/browser.rs"]
mod browser;

use browser::Browser;
use common::{grant_doc, webinar_doc, TestApp, TestDb};
use fantoccini::Locator;
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

/// The rules axe runs: those of WCAG 2.0 and 2.1, levels A and AA.
const WCAG_21_AA: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// axe's script, installed by `npm ci` (scripts/test does it when missing).
fn axe_source() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/node_modules/axe-core/axe.min.js"
    );
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!("{path}: {e}; install axe-core with `npm ci` (scripts/test does it)")
    })
}

/// Runs axe on the page; answers the page's `lang` and what axe found.
const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] })
  .then(results => done({
    lang: document.documentElement.lang,
    violations: results.violations.map(v => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      help_url: v.helpUrl,
      nodes: v.nodes.map(n => ({
        // A selector inside a frame or shadow root is a list of selectors.
        target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t),
        html: n.html,
        summary: n.failureSummary || '',
      })),
    })),
  }))
  .catch(e => done({ error: String(e) }));
"#;

#[derive(Deserialize)]
struct AxeAnswer {
    error: Option<String>,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    violations: Vec<Violation>,
}

#[derive(Deserialize)]
struct Violation {
    id: String,
    impact: Option<String>,
    help: String,
    help_url: String,
    nodes: Vec<ViolatingNode>,
}

#[derive(Deserialize)]
struct ViolatingNode {
    target: Vec<String>,
    html: String,
    summary: String,
}

/// Checks page after page, keeping every violation, so that one run names
/// all the pages that fail and why.
struct Audit {
    browser: Browser,
    axe: String,
    checked: Vec<String>,
    failures: Vec<String>,
}

impl Audit {
    async fn start(name: &'static str) -> Self {
        Self {
            browser: Browser::start(name).await,
            axe: axe_source(),
            checked: Vec::new(),
            failures: Vec::new(),
        }
    }

    /// Opens `path` (it must not redirect) and checks it in `lang`.
    async fn visit(&mut self, app: &TestApp, path: &str, lang: &str) {
        self.browser.goto(app, path).await;
        let url = self.browser.client.current_url().await.unwrap();
        let here = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        assert_eq!(here, path, "{path} was answered from elsewhere");
        self.check(path, lang).await;
    }

    /// Runs axe on the page shown now, `what` naming it in the report; the
    /// page must be in `lang`, so that both written standards are checked.
    async fn check(&mut self, what: &str, lang: &str) {
        let client = &self.browser.client;
        // Each page loaded is a new document: axe is injected again.
        client.execute(&self.axe, Vec::new()).await.unwrap();
        let answer = client
            .execute_async(RUN_AXE, vec![json!(WCAG_21_AA)])
            .await
            .unwrap_or_else(|e| panic!("axe on {what}: {e}"));
        let answer: AxeAnswer = serde_json::from_value(answer).unwrap();
        if let Some(error) = answer.error {
            panic!("axe failed on {what}: {error}");
        }
        let url = client.current_url().await.unwrap();
        assert_eq!(answer.lang, lang, "the language of {what} ({url})");
        self.checked.push(format!("{what} ({lang})"));
        if !answer.violations.is_empty() {
            self.failures.push(describe(
                &format!("{what} ({lang}, {url})"),
                &answer.violations,
            ));
        }
    }

    /// Fails naming every violation found, page by page.
    async fn finish(self) {
        self.browser.close().await;
        assert!(
            self.failures.is_empty(),
            "axe-core found WCAG 2.1 AA violations on {} of {} pages:\n\n{}",
            self.failures.len(),
            self.checked.len(),
            self.failures.join("\n")
        );
    }
}

/// «color-contrast [serious] Elements must meet … (help URL)», then each
/// element: its selector, its HTML and what to fix.
fn describe(page: &str, violations: &[Violation]) -> String {
    let mut text = format!("{page}:\n");
    for v in violations {
        text.push_str(&format!(
            "  {} [{}] {} ({})\n",
            v.id,
            v.impact.as_deref().unwrap_or("?"),
            v.help,
            v.help_url
        ));
        for node in &v.nodes {
            text.push_str(&format!(
                "    at {}\n      {}\n",
                node.target.join(", "),
                node.html
            ));
            for line in node.summary.lines() {
                text.push_str(&format!("      {line}\n"));
            }
        }
    }
    text
}

/// The public notices each page kind needs: a grant with every detail, an
/// upcoming webinar, news in nynorsk with a Markdown body, and a withdrawn one.
/// The seeds add a cancelled webinar, past webinars and plain news.
struct Notices {
    grant: Value,
    webinar: Value,
    news: Value,
    withdrawn: Value,
}

async fn notices(app: &TestApp) -> Notices {
    let admin = app.admin();
    let grant = app
        .create_notice(&admin, &grant_doc("Tilskudd til lokale helsetiltak"))
        .await;
    let webinar = app
        .create_notice(
            &admin,
            &webinar_doc("Webinar om legemiddelberedskap i kommunene"),
        )
        .await;
    let news = app
        .create_notice(
            &admin,
            &json!({
                "kind": "news",
                "title": "Ny rettleiar for helsestasjonane",
                "summary": "Rettleiaren samlar råd om helsestasjonar og skulehelsetenesta.",
                "language": "nn",
                "areas": ["helsetjenester", "barnevern-og-familievern"],
                "body": "## Kva er nytt\n\nRettleiaren har tre delar:\n\n\
                         1. **Helsestasjonen**\n2. *Skulehelsetenesta*\n3. Samarbeid\n\n\
                         > Tilrådingane gjeld frå 1. mars.\n\n\
                         Les meir på [helsedirektoratet.no](https://www.helsedirektoratet.no/).",
                "source_url": "https://www.helsedirektoratet.no/retningslinjer"
            }),
        )
        .await;
    let withdrawn = app
        .create_notice(&admin, &grant_doc("Tilskudd som er trukket tilbake"))
        .await;
    let id = withdrawn["id"].as_str().unwrap();
    let response = app
        .send(
            Method::DELETE,
            &format!("/api/v1/admin/notices/{id}"),
            &admin,
            None,
            &[],
        )
        .await;
    assert!(response.status().is_success(), "withdrawn");
    Notices {
        grant,
        webinar,
        news,
        withdrawn,
    }
}

/// The slug of the seed notice whose title starts with `title`.
async fn seed_slug(app: &TestApp, title: &str) -> String {
    let all = app.all_notices("", 100).await;
    let found = all
        .iter()
        .find(|n| n["title"].as_str().unwrap().starts_with(title))
        .unwrap_or_else(|| panic!("a seed notice «{title}»"));
    found["slug"].as_str().unwrap().to_owned()
}

fn slug(notice: &Value) -> &str {
    notice["slug"].as_str().unwrap()
}

#[tokio::test]
async fn every_public_page_meets_wcag_2_1_aa_in_both_written_standards() {
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let n = notices(&app).await;
    let cancelled = seed_slug(&app, "IPLOS/KPR").await;
    let past_webinar = seed_slug(&app, "Webinar for helsestasjon").await;
    let seed_grant = seed_slug(&app, "Tilskudd til hospitering").await;
    let seed_news = seed_slug(&app, "Opplæringsressurser covid 19").await;
    let missing = "/notices/finnes-ikke";
    let gone = format!("/notices/{}", slug(&n.withdrawn));
    assert_eq!(app.get(missing).await.status(), 404);
    assert_eq!(app.get(&gone).await.status(), 410);

    let mut audit = Audit::start("axe-public").await;
    for (prefix, lang) in [("", "nb"), ("/nn", "nn")] {
        let pages = [
            "/".to_owned(),
            "/?kind=grant&area=helsetjenester".to_owned(),
            "/?q=finnesikkjeingenstader".to_owned(),
            // A filter with a wrong value: left out, and said so.
            "/?kind=tilskudd".to_owned(),
            format!("/notices/{}", slug(&n.grant)),
            format!("/notices/{}", slug(&n.webinar)),
            format!("/notices/{}", slug(&n.news)),
            format!("/notices/{cancelled}"),
            format!("/notices/{past_webinar}"),
            format!("/notices/{seed_grant}"),
            format!("/notices/{seed_news}"),
            "/areas/helse-pleie-omsorg-og-vern".to_owned(),
            "/areas/helsetjenester".to_owned(),
            "/areas/kommuneoverlege".to_owned(),
            missing.to_owned(),
            gone.clone(),
            "/tilgjengelighet".to_owned(),
        ];
        for page in pages {
            audit.visit(&app, &format!("{prefix}{page}"), lang).await;
        }
    }
    // A path no route takes.
    audit.visit(&app, "/finnes/ikke", "nb").await;
    audit.finish().await;
}

/// Sends the new-notice form with several mistakes (no title, no area, bad
/// addresses, a garbled amount), and checks the form with all of them shown.
async fn submit_with_mistakes(audit: &mut Audit, lang: &str) {
    let browser = &audit.browser;
    browser
        .client
        .find(Locator::Css("#kind"))
        .await
        .unwrap()
        .select_by_value("grant")
        .await
        .unwrap();
    browser.fill("#summary", "Kommunene kan søke.").await;
    browser.fill("#source_url", "helsedirektoratet").await;
    browser.fill("#grant-apply", "ikke en adresse").await;
    browser.fill("#grant-amount", "mange kroner").await;
    browser.click("button[value=save]").await;
    for error in [
        "#feil",
        "#title-feil",
        "#areas-feil",
        "#grant-apply-feil",
        "#grant-amount-feil",
    ] {
        browser.wait_for(error).await;
    }
    audit
        .check(
            "the new-notice form after a submit with five mistakes",
            lang,
        )
        .await;
}

/// Fills the new-notice form rightly and asks for a preview.
async fn preview(browser: &Browser) {
    browser
        .fill("#title", "Tilskudd til lokale helsetiltak")
        .await;
    browser
        .fill("#summary", "Kommunene kan søke om midler.")
        .await;
    browser
        .fill("#body", "## Hvem kan søke\n\n- kommuner\n- fylkeskommuner")
        .await;
    browser
        .click("input[name=areas][value=helsetjenester]")
        .await;
    browser.click("button[value=preview]").await;
    browser.wait_for("section.preview").await;
}

#[tokio::test]
async fn every_editor_page_meets_wcag_2_1_aa_in_both_written_standards() {
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let admin = app.admin();
    let grant = app
        .create_notice(&admin, &grant_doc("Tilskudd til lokale helsetiltak"))
        .await;
    let webinar = app
        .create_notice(&admin, &webinar_doc("Webinar om legemiddelberedskap"))
        .await;
    let edit_grant = format!("/admin/kunngjoringer/{}", grant["id"].as_str().unwrap());
    let edit_webinar = format!("/admin/kunngjoringer/{}", webinar["id"].as_str().unwrap());

    let mut audit = Audit::start("axe-editor").await;
    audit.visit(&app, "/admin/logg-inn", "nb").await;
    audit.browser.fill("#token", "feil-nøkkel").await;
    audit.browser.click("form button[type=submit]").await;
    audit.browser.wait_for("#innlogging-feil").await;
    audit
        .check("the sign-in page with a wrong token", "nb")
        .await;
    audit.browser.sign_in(&app, &admin).await;

    for lang in ["nb", "nn"] {
        if lang == "nn" {
            audit
                .browser
                .goto(&app, "/admin/sprak/nn?tilbake=/admin")
                .await;
        }
        audit.visit(&app, "/admin", lang).await;
        audit.visit(&app, "/admin/ny", lang).await;
        submit_with_mistakes(&mut audit, lang).await;
        audit.visit(&app, "/admin/ny", lang).await;
        preview(&audit.browser).await;
        audit
            .check("the new-notice form with a preview", lang)
            .await;
        audit.visit(&app, &edit_grant, lang).await;
        audit.visit(&app, &edit_webinar, lang).await;
        audit.browser.click("button[value=save]").await;
        audit.browser.wait_for(".notice-box.ok").await;
        audit.check("the edit form after a save", lang).await;
    }
    audit
        .browser
        .click("form[action='/admin/logg-ut'] button")
        .await;
    audit.visit(&app, "/admin/logg-inn", "nn").await;
    audit.finish().await;
}
