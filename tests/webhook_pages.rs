//! The admins' webhook pages without a browser: adding a webhook through the
//! form (its secret shown once), every mistake at once in Norwegian,
//! disabling, enabling, a new secret, deleting after a question, deliveries
//! listed and sent again to a real receiver on loopback; editors refused;
//! the pages in nynorsk.

mod common;

use common::editor::{no_redirects, sign_in};
use common::receiver::Receiver;
use common::{grant_doc, TestApp, TestDb};
use reqwest::header::{CACHE_CONTROL, LOCATION};
use reqwest::Method;
use serde_json::{json, Value};

/// A signed-in browser without one: its session cookie and CSRF token.
struct Signed {
    cookie: String,
    csrf: String,
}

impl Signed {
    async fn new(app: &TestApp, token: &str) -> Self {
        let (cookie, csrf) = sign_in(app, token).await;
        Self { cookie, csrf }
    }

    /// The same session, with nynorsk chosen.
    fn in_nynorsk(&self) -> Self {
        Self {
            cookie: format!("{}; tavla_sprak=nn", self.cookie),
            csrf: self.csrf.clone(),
        }
    }

    async fn get(&self, app: &TestApp, path: &str) -> reqwest::Response {
        no_redirects()
            .get(app.url(path))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap()
    }

    /// A page that must answer 200; its HTML.
    async fn page(&self, app: &TestApp, path: &str) -> String {
        let response = self.get(app, path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.text().await.unwrap()
    }

    /// Posts a form with the session's CSRF token and `fields`.
    async fn post(&self, app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut form = vec![("csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        no_redirects()
            .post(app.url(path))
            .header("cookie", &self.cookie)
            .form(&form)
            .send()
            .await
            .unwrap()
    }
}

/// The `whsec_…` a page shows, if it shows one.
fn secret_in(html: &str) -> Option<String> {
    let at = html.find("whsec_")?;
    let rest = &html[at..];
    Some(rest[..rest.find('"').unwrap()].to_owned())
}

async fn api_webhooks(app: &TestApp, admin: &str) -> Vec<Value> {
    let response = app
        .send(Method::GET, "/api/v1/admin/webhooks", admin, None, &[])
        .await;
    assert_eq!(response.status(), 200);
    response.json::<Value>().await.unwrap()["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// Registers a webhook through the API; returns its id and secret.
async fn register(app: &TestApp, admin: &str, url: &str) -> (String, String) {
    let doc = json!({ "url": url });
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
    (
        body["webhook"]["id"].as_str().unwrap().to_owned(),
        body["secret"].as_str().unwrap().to_owned(),
    )
}

fn assert_no_store(response: &reqwest::Response) {
    let cache = response.headers()[CACHE_CONTROL].to_str().unwrap();
    assert!(cache.contains("no-store"), "{cache}");
}

on_every_backend! {
    async fn an_admin_adds_a_webhook_through_the_form_and_sees_its_secret_once(app: TestApp) {
        let receiver = Receiver::start().await;
        let admin = app.admin();
        let browser = Signed::new(&app, &admin).await;
        let start = browser.page(&app, "/admin").await;
        assert!(start.contains(r#"<a href="/admin/webhooker">Webhooker</a>"#), "admins have the link");
        let list = browser.page(&app, "/admin/webhooker").await;
        assert!(list.contains("Ingen webhooker ennå.") && list.contains(r#"href="/admin/webhooker/ny""#));
        let form = browser.page(&app, "/admin/webhooker/ny").await;
        for input in [r#"name="events" value="notice.published""#, r#"name="kind" value="grant""#, r#"name="area" value="helsetjenester""#] {
            assert!(form.contains(input), "{input}");
        }

        let added = browser.post(&app, "/admin/webhooker/ny", &[
            ("url", receiver.url.as_str()),
            ("description", "Intranettet"),
            ("events", "notice.published"),
            ("kind", "grant"),
            ("area", "helsetjenester"),
        ]).await;
        assert_eq!(added.status(), 200, "the answer itself shows the secret, in no redirect");
        assert!(added.headers().get(LOCATION).is_none());
        assert_no_store(&added);
        let shown = added.text().await.unwrap();
        let secret = secret_in(&shown).expect("the secret is shown");
        assert!(shown.contains(r#"role="status""#) && shown.contains("data-focus"));
        assert!(shown.contains("Webhooken er lagt til") && shown.contains("Hemmeligheten vises bare nå, aldri igjen."));

        let listed = api_webhooks(&app, &admin).await;
        assert_eq!(listed.len(), 1);
        let hook = &listed[0];
        assert_eq!(hook["url"], receiver.url.as_str());
        assert_eq!(hook["description"], "Intranettet");
        assert_eq!(hook["events"], json!(["notice.published"]));
        assert_eq!(hook["kind"], json!(["grant"]));
        assert_eq!(hook["area"], json!(["helsetjenester"]));
        let page_path = format!("/admin/webhooker/{}", hook["id"].as_str().unwrap());
        assert!(shown.contains(&format!(r#"action="{page_path}/ny-hemmelighet""#)), "the webhook's own page");

        let again = browser.page(&app, &page_path).await;
        assert!(secret_in(&again).is_none() && !again.contains(&secret), "never shown again");
        assert!(again.contains("Intranettet") && again.contains("Tilskudd") && again.contains("Helsetjenester"));
        let list = browser.page(&app, "/admin/webhooker").await;
        assert!(list.contains(&format!(r#"<a href="{page_path}">{}</a>"#, receiver.url)));
        assert!(list.contains("Intranettet") && list.contains("Aktiv") && list.contains("Typer: Tilskudd"));
        assert!(!list.contains(&secret));

        app.create_notice(&admin, &grant_doc("Tilskudd til webhooken fra skjemaet")).await;
        let got = receiver.until("the grant", |got| got.len() == 1).await;
        assert!(got[0].signed_by(&secret), "the secret shown is the one that signs");
    }

    async fn every_mistake_in_the_form_is_shown_at_once_in_norwegian(app: TestApp) {
        let admin = app.admin();
        let browser = Signed::new(&app, &admin).await;
        let long = "x".repeat(501);
        let refused = browser.post(&app, "/admin/webhooker/ny", &[
            ("url", "ftp://x"),
            ("description", &long),
            ("kind", "tilskudd"),
            ("area", "finnes-ikke"),
        ]).await;
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains("<title>Feil: Legg til webhook – Tavla</title>"), "the title says so");
        assert!(html.contains(r#"id="feil""#) && html.contains("data-focus") && html.contains("Rett opp feltene som er merket (4)."));
        for (link, said) in [
            ("#url", "Adresse: må være en adresse som begynner med http:// eller https://"),
            ("#description", "Beskrivelse (valgfri): kan ha høyst 500 tegn"),
            ("#kind", "Typer: må være et av valgene"),
            ("#area", "Områder: må være et av valgene"),
        ] {
            assert!(html.contains(&format!(r##"<a href="{link}">{said}</a>"##)), "{link}: {said}");
        }
        assert!(html.contains(r#"value="ftp://x" required autocomplete="off" spellcheck="false" aria-describedby="url-hint url-feil" aria-invalid="true""#), "kept, and described by its error");
        assert!(html.contains(r#"id="url-feil""#) && html.contains(r#"id="area-feil""#));
        assert!(!html.contains("not one of") && !html.contains("must be"), "no English");
        assert!(api_webhooks(&app, &admin).await.is_empty(), "nothing added");

        let empty = browser.post(&app, "/admin/webhooker/ny", &[("url", "  ")]).await;
        assert_eq!(empty.status(), 422);
        assert!(empty.text().await.unwrap().contains(r##"<a href="#url">Adresse: må fylles ut</a>"##));
        let forged = no_redirects().post(app.url("/admin/webhooker/ny")).header("cookie", &browser.cookie)
            .form(&[("csrf", "feil"), ("url", "https://intranett.example.no/tavla")]).send().await.unwrap();
        assert_eq!(forged.status(), 403);
        assert!(api_webhooks(&app, &admin).await.is_empty());
    }

    async fn a_webhook_is_disabled_enabled_given_a_new_secret_and_deleted_after_a_question(app: TestApp) {
        let receiver = Receiver::start().await;
        let admin = app.admin();
        let (id, old) = register(&app, &admin, &receiver.url).await;
        let page_path = format!("/admin/webhooker/{id}");
        let browser = Signed::new(&app, &admin).await;

        let disabled = browser.post(&app, &format!("{page_path}/aktiv"), &[("enabled", "false")]).await;
        assert_eq!(disabled.status(), 303);
        assert_eq!(disabled.headers()[LOCATION].to_str().unwrap(), format!("{page_path}?ferdig=deaktivert"));
        let html = browser.page(&app, &format!("{page_path}?ferdig=deaktivert")).await;
        assert!(html.contains(r#"<p class="notice-box ok" role="status" tabindex="-1" id="melding" data-focus>Webhooken er deaktivert.</p>"#));
        assert!(html.contains(r#"<dd id="tilstand">Deaktivert</dd>"#) && html.contains(r#"name="enabled" value="true""#));
        assert_eq!(api_webhooks(&app, &admin).await[0]["enabled"], false);
        app.create_notice(&admin, &grant_doc("Tilskudd mens webhooken er av")).await;
        let quiet = browser.page(&app, &page_path).await;
        assert!(quiet.contains("Ingen leveringer ennå."), "a disabled webhook is told nothing");

        let enabled = browser.post(&app, &format!("{page_path}/aktiv"), &[("enabled", "true")]).await;
        assert_eq!(enabled.headers()[LOCATION].to_str().unwrap(), format!("{page_path}?ferdig=aktivert"));
        let html = browser.page(&app, &format!("{page_path}?ferdig=aktivert")).await;
        assert!(html.contains("Webhooken er aktivert.") && html.contains(r#"<dd id="tilstand">Aktiv</dd>"#));
        assert_eq!(api_webhooks(&app, &admin).await[0]["enabled"], true);

        let forged = no_redirects().post(app.url(&format!("{page_path}/ny-hemmelighet"))).header("cookie", &browser.cookie)
            .form(&[("csrf", "feil")]).send().await.unwrap();
        assert_eq!(forged.status(), 403);
        let rotated = browser.post(&app, &format!("{page_path}/ny-hemmelighet"), &[]).await;
        assert_eq!(rotated.status(), 200);
        assert_no_store(&rotated);
        let html = rotated.text().await.unwrap();
        let new = secret_in(&html).expect("the new secret is shown");
        assert_ne!(new, old);
        assert!(html.contains("Ny hemmelighet er laget") && html.contains("Den gamle hemmeligheten signerer også i 24 timer til, fram til "));
        assert!(html.contains(&format!("/admin/sprak/nn?tilbake=%2Fadmin%2Fwebhooker%2F{id}")), "the language switch goes to the page, not to the POST's address");
        assert!(secret_in(&browser.page(&app, &page_path).await).is_none(), "shown once");
        app.create_notice(&admin, &grant_doc("Tilskudd etter ny hemmelighet")).await;
        let got = receiver.until("a delivery", |got| got.len() == 1).await;
        assert!(got[0].signed_by(&new) && got[0].signed_by(&old), "both sign for a day");

        let question = browser.page(&app, &format!("{page_path}/slett")).await;
        assert!(question.contains(&format!("<h1>Slette webhooken til {}?</h1>", receiver.url)));
        assert!(question.contains(&format!(r#"<form method="post" action="{page_path}/slett">"#)));
        assert!(question.contains(&format!(r#"<a class="button secondary" href="{page_path}">"#)), "a way back");
        assert_eq!(api_webhooks(&app, &admin).await.len(), 1, "asking deletes nothing");
        let deleted = browser.post(&app, &format!("{page_path}/slett"), &[]).await;
        assert_eq!(deleted.status(), 303);
        assert_eq!(deleted.headers()[LOCATION], "/admin/webhooker?ferdig=slettet");
        let list = browser.page(&app, "/admin/webhooker?ferdig=slettet").await;
        assert!(list.contains(r#"role="status" tabindex="-1" id="melding" data-focus>Webhooken er slettet.</p>"#));
        assert!(api_webhooks(&app, &admin).await.is_empty());
        assert_eq!(browser.get(&app, &page_path).await.status(), 404);
    }

    async fn deliveries_are_listed_newest_first_and_one_is_sent_again_with_the_same_id(app: TestApp) {
        let receiver = Receiver::start().await;
        let admin = app.admin();
        let (id, _) = register(&app, &admin, &receiver.url).await;
        let page_path = format!("/admin/webhooker/{id}");
        let browser = Signed::new(&app, &admin).await;
        let notice = app.create_notice(&admin, &grant_doc("Tilskudd som leveres to ganger")).await;
        let got = receiver.until("the publication", |got| got.len() == 1).await;
        let event = got[0].id.clone();
        let html = common::eventually(20, || "the delivery listed as delivered".into(), || async {
            let html = browser.page(&app, &page_path).await;
            html.contains("Publisert: levert").then_some(html)
        }).await;
        assert!(html.contains(&format!("<code>{event}</code>")) && html.contains("<code>notice.published</code>"));
        assert!(html.contains(&format!(r#"href="/admin/kunngjoringer/{}""#, notice["id"].as_str().unwrap())));
        assert!(html.contains("HTTP-status 204") && html.contains(" ms</td>"));
        assert!(html.contains(r#"<td data-label="Tidspunkt"><time datetime=""#), "each attempt's time");
        assert!(html.contains(" kl. "), "in Norwegian form");

        let sent = browser.post(&app, &format!("{page_path}/hendelser/{event}/send-igjen"), &[]).await;
        assert_eq!(sent.status(), 303);
        assert_eq!(sent.headers()[LOCATION].to_str().unwrap(), format!("{page_path}?ferdig=sendt"));
        let got = receiver.until("the delivery sent again", |got| got.len() == 2).await;
        assert_eq!(got[1].id, event, "the same webhook-id");
        let html = browser.page(&app, &format!("{page_path}?ferdig=sendt")).await;
        assert!(html.contains(r#"data-focus>Hendelsen sendes igjen, med samme webhook-id."#));
        assert_eq!(html.matches(&format!("<code>{event}</code>")).count(), 2, "the delivery and its redelivery");
        let missing = browser.post(&app, &format!("{page_path}/hendelser/{}/send-igjen", uuid::Uuid::new_v4()), &[]).await;
        assert_eq!(missing.status(), 404);

        for i in 0..20 {
            app.create_notice(&admin, &grant_doc(&format!("Tilskudd nummer {i} i listen"))).await;
        }
        let first = browser.page(&app, &page_path).await;
        assert_eq!(first.matches(r#"<section class="delivery""#).count(), 20, "20 a page");
        let older = first.split(r#"<a class="button secondary" href=""#).nth(1).expect("a link to older ones");
        let older = older[..older.find('"').unwrap()].to_owned();
        assert!(older.starts_with(&format!("{page_path}?eldre=")), "{older}");
        assert!(first.contains("Eldre leveringer"));
        let rest = browser.page(&app, older.split('#').next().unwrap()).await;
        assert_eq!(rest.matches(r#"<section class="delivery""#).count(), 2, "22 in all");
        assert!(rest.contains("Til de nyeste leveringene") && !rest.contains("Eldre leveringer"));
        assert!(rest.contains(&format!("<code>{event}</code>")), "the oldest last");
    }

    async fn failed_attempts_and_why_tavla_disabled_a_webhook_are_said_in_norwegian(app: TestApp) {
        let gone = Receiver::start().await;
        gone.answers.lock().unwrap().push_back(410);
        let admin = app.admin();
        let nobody = format!("http://127.0.0.1:{}/tavla", common::free_port());
        let (unreachable, _) = register(&app, &admin, &nobody).await;
        let (answered_gone, _) = register(&app, &admin, &gone.url).await;
        let browser = Signed::new(&app, &admin).await;
        app.create_notice(&admin, &grant_doc("Tilskudd som ikke kommer fram")).await;
        let html = common::eventually(20, || "the failed attempt listed".into(), || async {
            let html = browser.page(&app, &format!("/admin/webhooker/{unreachable}")).await;
            html.contains("Fikk ikke forbindelse").then_some(html)
        }).await;
        assert!(html.contains("Publisert: underveis"), "it is retried");
        assert!(!html.contains("no connection") && !html.contains("connect"), "no English");
        let html = common::eventually(20, || "the webhook disabled".into(), || async {
            let html = browser.page(&app, &format!("/admin/webhooker/{answered_gone}")).await;
            html.contains("Deaktivert av Tavla").then_some(html)
        }).await;
        assert!(html.contains(r#"<dd id="tilstand">Deaktivert av Tavla: mottakeren svarte 410 Gone (adressen finnes ikke lenger)</dd>"#));
        assert!(html.contains("HTTP-status 410") && html.contains("Publisert: ga opp"));
        assert!(!html.contains("answered"), "no English");
        let list = browser.page(&app, "/admin/webhooker").await;
        assert!(list.contains("Deaktivert av Tavla: mottakeren svarte 410 Gone"));
    }

    async fn an_editor_is_refused_every_webhook_page_and_sees_no_link(app: TestApp) {
        let admin = app.admin();
        let (id, _) = register(&app, &admin, "https://intranett.example.no/tavla").await;
        let editor = Signed::new(&app, &app.editor(&["helsetjenester"])).await;
        let start = editor.page(&app, "/admin").await;
        assert!(!start.contains("/admin/webhooker"), "no link for editors");
        let page_path = format!("/admin/webhooker/{id}");
        for path in ["/admin/webhooker".to_owned(), "/admin/webhooker/ny".to_owned(), page_path.clone(), format!("{page_path}/slett")] {
            let refused = editor.get(&app, &path).await;
            assert_eq!(refused.status(), 403, "GET {path}");
            let html = refused.text().await.unwrap();
            assert!(html.contains("Bare for administratorer"), "{path}: {html}");
        }
        let nynorsk = editor.in_nynorsk().get(&app, "/admin/webhooker").await;
        assert_eq!(nynorsk.status(), 403);
        assert!(nynorsk.text().await.unwrap().contains("Berre for administratorar"));
        for (path, fields) in [
            ("/admin/webhooker/ny".to_owned(), vec![("url", "https://annen.example.no/")]),
            (format!("{page_path}/aktiv"), vec![("enabled", "false")]),
            (format!("{page_path}/ny-hemmelighet"), vec![]),
            (format!("{page_path}/slett"), vec![]),
        ] {
            assert_eq!(editor.post(&app, &path, &fields).await.status(), 403, "POST {path}");
        }
        let after = api_webhooks(&app, &admin).await;
        assert_eq!(after.len(), 1);
        assert_eq!(after[0]["enabled"], true, "nothing changed");
        let anonymous = no_redirects().get(app.url("/admin/webhooker")).send().await.unwrap();
        assert_eq!(anonymous.status(), 303);
        assert_eq!(anonymous.headers()[LOCATION], "/admin/logg-inn");
    }

    async fn the_webhook_pages_are_in_nynorsk_when_chosen(app: TestApp) {
        let receiver = Receiver::start().await;
        let admin = app.admin();
        let browser = Signed::new(&app, &admin).await.in_nynorsk();
        let start = browser.page(&app, "/admin").await;
        assert!(start.contains(r#"<a href="/admin/webhooker">Webhookar</a>"#));
        let form = browser.page(&app, "/admin/webhooker/ny").await;
        assert!(form.contains(r#"<html lang="nn">"#) && form.contains("Hendingar") && form.contains("Skildring (valfri)"));
        let refused = browser.post(&app, "/admin/webhooker/ny", &[("url", "ftp://x")]).await;
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains("Rett opp felta som er merkte (1).") && html.contains("Adresse: må vere ei adresse som byrjar med http:// eller https://"));
        let added = browser.post(&app, "/admin/webhooker/ny", &[("url", receiver.url.as_str())]).await;
        assert_eq!(added.status(), 200);
        let html = added.text().await.unwrap();
        assert!(html.contains("Webhooken er lagd til") && html.contains("Hemmelegheita blir vist berre no, aldri igjen."));
        assert!(html.contains("Ingen leveringar enno.") && html.contains("<dd>alle</dd>"));
        let id = api_webhooks(&app, &admin).await[0]["id"].as_str().unwrap().to_owned();
        app.create_notice(&admin, &grant_doc("Tilskudd til nynorsksida")).await;
        receiver.until("the publication", |got| got.len() == 1).await;
        let html = common::eventually(20, || "the delivery listed".into(), || async {
            let html = browser.page(&app, &format!("/admin/webhooker/{id}")).await;
            html.contains("Publisert: levert").then_some(html)
        }).await;
        assert!(html.contains("Leveringar") && html.contains("Hendings-ID (webhook-id)") && html.contains("Send igjen"));
        let list = browser.page(&app, "/admin/webhooker").await;
        assert!(list.contains("Webhookane, eldste først") && list.contains("Hendingar: alle"));
    }
}
