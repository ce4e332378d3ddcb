//! WCAG 2.1 A and AA in a real browser: axe-core (from npm, pinned in
//! package-lock.json) is injected into each page of the site and the editor
//! pages, in bokmål and in nynorsk, and must find nothing. axe tests what a
//! machine can; the rest is for people (see the accessibility statement).

mod common;

#[path = "common/axe.rs"]
mod axe;
#[path = "common/browser.rs"]
mod browser;

use axe::Audit;
use browser::Browser;
use common::mail::MAIL_DELAY;
use common::receiver::Receiver;
use common::{grant_doc, smtp::SmtpSink, webinar_doc, TestApp, TestDb};
use fantoccini::Locator;
use reqwest::Method;
use serde_json::{json, Value};

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

/// Registers a webhook through the admin API; returns its page.
async fn webhook(app: &TestApp, admin: &str, doc: Value) -> String {
    let response = app
        .send(
            Method::POST,
            "/api/v1/admin/webhooks",
            admin,
            Some(&doc),
            &[],
        )
        .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    format!(
        "/admin/webhooker/{}",
        body["webhook"]["id"].as_str().unwrap()
    )
}

/// The admins' webhook pages and the sources page: the list, a webhook with deliveries (a refused
/// attempt, its retry, a success), the question before deleting, the form
/// empty and with mistakes, a new webhook's secret, a new secret, and a
/// change announced.
#[tokio::test]
async fn every_webhook_page_meets_wcag_2_1_aa_in_both_written_standards() {
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let receiver = Receiver::start().await;
    receiver.answers.lock().unwrap().push_back(500);
    let admin = app.admin();
    let page = webhook(
        &app,
        &admin,
        json!({"url": receiver.url, "description": "Intranettet", "kind": ["grant"], "area": ["helsetjenester"]}),
    )
    .await;
    app.create_notice(&admin, &grant_doc("Tilskudd til webhooksidene"))
        .await;
    receiver
        .until("the first attempt", |got| got.len() == 1)
        .await;
    app.clock.advance(chrono::Duration::seconds(10));
    receiver.until("the retry", |got| got.len() == 2).await;
    webhook(
        &app,
        &admin,
        json!({"url": format!("http://127.0.0.1:{}/borte", common::free_port())}),
    )
    .await;

    // The sources page, with a source fetched and one failing.
    let upstream = common::upstream::Upstream::start().await;
    upstream.serve(common::upstream::rss(&[]), "application/rss+xml");
    let good = json!({"url": upstream.feed_url(), "kind": "grant", "areas": ["helsetjenester"]});
    common::sources::register_fetched(&app, &admin, good).await;
    upstream.answer_once(503, &[]);
    let failing = json!({"url": format!("{}/feil", upstream.base), "kind": "webinar", "areas": ["helsetjenester"], "state": "published"});
    common::sources::register_fetched(&app, &admin, failing).await;

    let mut audit = Audit::start("axe-webhooks").await;
    audit.browser.sign_in(&app, &admin).await;
    for lang in ["nb", "nn"] {
        if lang == "nn" {
            audit
                .browser
                .goto(&app, "/admin/sprak/nn?tilbake=/admin")
                .await;
        }
        audit.visit(&app, "/admin/webhooker", lang).await;
        audit.visit(&app, "/admin/kilder", lang).await;
        audit.visit(&app, &page, lang).await;
        audit.visit(&app, &format!("{page}/slett"), lang).await;
        audit.visit(&app, "/admin/webhooker/ny", lang).await;
        let browser = &audit.browser;
        browser.fill("#url", "ftp://x").await;
        browser.fill("#description", &"x".repeat(501)).await;
        browser
            .click("form[action='/admin/webhooker/ny'] button[type=submit]")
            .await;
        browser.wait_for("#url-feil").await;
        browser.wait_for("#description-feil").await;
        audit
            .check("the new-webhook form with two mistakes", lang)
            .await;
        let browser = &audit.browser;
        browser.fill("#url", &receiver.url).await;
        browser.fill("#description", "Nytt intranett").await;
        browser
            .click("input[name=events][value='notice.published']")
            .await;
        browser
            .click("form[action='/admin/webhooker/ny'] button[type=submit]")
            .await;
        browser.wait_for("#hemmelighet").await;
        audit
            .check("a new webhook's page with its secret", lang)
            .await;
        audit.browser.click("form[action$='/aktiv'] button").await;
        audit.browser.wait_for("p#melding").await;
        audit.check("a webhook's page once disabled", lang).await;
        audit.visit(&app, &page, lang).await;
        audit
            .browser
            .click("form[action$='/ny-hemmelighet'] button")
            .await;
        audit.browser.wait_for("#hemmelighet").await;
        audit
            .check("a webhook's page with a new secret", lang)
            .await;
    }
    audit.finish().await;
}

/// The path of the link to `{prefix}/subscriptions/{page}?token=…` in a mail at the sink.
async fn mailed_link(app: &TestApp, sink: &SmtpSink, prefix: &str, page: &str) -> String {
    let start = format!("{}{prefix}/subscriptions/{page}?token=", app.base);
    let find = || async {
        let texts: Vec<String> = sink.messages().iter().filter_map(|m| m.text()).collect();
        let text = texts.join(" ");
        let link = text.split_whitespace().find(|w| w.starts_with(&start))?;
        Some(link[app.base.len()..].to_owned())
    };
    common::eventually(10, || format!("a mail with {start}"), find).await
}

/// Presses `button` and waits for the next page (another heading).
async fn press(browser: &Browser, button: &str) {
    let before = browser.text("h1").await;
    browser.click(button).await;
    let next = || async { (browser.text("h1").await != before).then_some(()) };
    common::eventually(10, || format!("the page after {button}"), next).await;
}

/// The subscription pages of a server that sends e-mail: the form (on /, an area, its own page,
/// with a mistake), check your e-mail, the confirmation and its answer, manage after a save.
#[tokio::test]
async fn every_subscription_page_meets_wcag_2_1_aa_in_both_written_standards() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with_mail(TestDb::Sqlite, sink.url(), 30).await;
    let mut audit = Audit::start("axe-subscriptions").await;
    const SUBMIT: &str = "form.subscription button[type=submit]";
    for (prefix, lang) in [("", "nb"), ("/nn", "nn")] {
        for page in ["/", "/areas/helsetjenester", "/subscriptions"] {
            audit.visit(&app, &format!("{prefix}{page}"), lang).await;
        }
        audit.browser.fill("#sub-email", "ikke en adresse").await;
        audit.browser.click(SUBMIT).await;
        audit.browser.wait_for("#sub-email-feil").await;
        audit.check("the form with a mistake", lang).await;
        let email = format!("{lang}@example.org");
        audit.browser.fill("#sub-email", &email).await;
        press(&audit.browser, SUBMIT).await;
        audit.check("the check-your-mail page", lang).await;
        let page = mailed_link(&app, &sink, prefix, "confirm").await;
        audit.visit(&app, &page, lang).await;
        press(&audit.browser, "main form button").await;
        audit.check("the confirmed page", lang).await;
        let notice = grant_doc(&format!("Tilskudd til e-post på {lang}"));
        app.create_notice(&app.admin(), &notice).await;
        app.clock.advance(chrono::Duration::seconds(MAIL_DELAY + 2));
        let page = mailed_link(&app, &sink, prefix, "manage").await;
        audit.visit(&app, &page, lang).await;
        audit.browser.click(SUBMIT).await;
        audit.browser.wait_for("#melding").await;
        audit.check("the manage page after a save", lang).await;
    }
    audit.finish().await;
}
