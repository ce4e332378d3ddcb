//! axe-core in the browser: injected into each page checked, run for the
//! rules of WCAG 2.0 and 2.1 at levels A and AA, every violation kept so that
//! one run names all the pages that fail and why. `tests/accessibility.rs`
//! includes it by path, beside `browser.rs`.

use serde::Deserialize;
use serde_json::json;

use crate::browser::Browser;
use crate::common::TestApp;

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
pub struct Audit {
    pub browser: Browser,
    axe: String,
    checked: Vec<String>,
    failures: Vec<String>,
}

impl Audit {
    pub async fn start(name: &'static str) -> Self {
        Self {
            browser: Browser::start(name).await,
            axe: axe_source(),
            checked: Vec::new(),
            failures: Vec::new(),
        }
    }

    /// Opens `path` (it must not redirect) and checks it in `lang`.
    pub async fn visit(&mut self, app: &TestApp, path: &str, lang: &str) {
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
    pub async fn check(&mut self, what: &str, lang: &str) {
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
    pub async fn finish(self) {
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
