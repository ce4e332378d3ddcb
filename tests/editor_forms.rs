//! The editor's form as assistive technology meets it, without a browser:
//! every error at once, summarised and tied to its field; a withdrawal that
//! asks first; a session that warns before it ends, can be extended, and
//! keeps what was typed when it has ended.

mod common;

use chrono::Duration;
use common::editor::{no_redirects, sign_in};
use common::{grant_doc, TestApp, TestDb};

/// The opening tag of the element with `id`.
fn tag<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!(" id=\"{id}\""))
        .unwrap_or_else(|| panic!("#{id} is on the page"));
    let tag_start = page[..start].rfind('<').unwrap();
    &page[tag_start..tag_start + page[tag_start..].find('>').unwrap() + 1]
}

/// The value of the attribute `name` on the element with `id`.
fn attribute(page: &str, id: &str, name: &str) -> Option<String> {
    let value = tag(page, id).split(&format!(" {name}=\"")).nth(1)?;
    Some(value.split('"').next()?.to_owned())
}

/// Whether the element with `id` has the attribute `name`, valued or not.
fn has_attribute(page: &str, id: &str, name: &str) -> bool {
    tag(page, id)
        .split(|c: char| c.is_whitespace() || c == '>')
        .any(|part| part == name || part.starts_with(&format!("{name}=")))
}

async fn post_new(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    no_redirects()
        .post(app.url("/admin/ny"))
        .header("cookie", cookie)
        .form(fields)
        .send()
        .await
        .unwrap()
}

on_every_backend! {
    async fn a_form_with_several_errors_shows_them_all_at_once_summarised_and_tied_to_their_fields(app: TestApp) {
        let editor = app.editor(&["helsetjenester"]);
        let (cookie, csrf) = sign_in(&app, &editor).await;
        // A garbled amount once hid every other error until the next save.
        let response = post_new(&app, &cookie, &[
            ("csrf", csrf.as_str()),
            ("kind", "grant"),
            ("title", ""),
            ("summary", "Kommunene kan søke om snøbrøytingsmidler."),
            ("source_url", "ikke en adresse"),
            ("grant.amount_nok", "mange kroner"),
            ("state", "published"),
            ("action", "save"),
        ]).await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        let summary = page.split("id=\"feil\"").nth(1).expect("an error summary").split("</div>").next().unwrap();
        let links: Vec<&str> = summary.split("<a href=\"#").skip(1).map(|l| l.split('"').next().unwrap()).collect();
        assert_eq!(links, ["title", "source_url", "areas", "grant-amount"], "every error, in the form's order: {summary}");
        assert!(summary.contains("Tittel: "), "each names its field: {summary}");
        assert!(summary.contains("(4)"), "{summary}");
        for id in links {
            assert_eq!(attribute(&page, id, "aria-invalid").as_deref(), Some("true"), "{id}");
            let described = attribute(&page, id, "aria-describedby").unwrap_or_default();
            assert!(described.split(' ').any(|d| d == format!("{id}-feil")), "{id}: {described}");
            assert!(page.contains(&format!("id=\"{id}-feil\"")), "{id}'s error is on the page");
        }
        assert_eq!(attribute(&page, "title", "aria-describedby").as_deref(), Some("title-hint title-feil"), "its hint too");
        assert_eq!(attribute(&page, "summary", "aria-describedby").as_deref(), Some("summary-hint"), "a valid field keeps its hint");
        assert!(attribute(&page, "summary", "aria-invalid").is_none());
        assert!(attribute(&page, "published_at", "aria-describedby").is_some_and(|d| d == "published_at-hint"));
        assert!(page.contains("<title>Feil: Ny kunngjøring – Tavla</title>"), "the title says the form has errors");
        assert!(has_attribute(&page, "feil", "data-focus"), "the summary takes the focus");
        assert!(app.all_notices("&q=snøbrøytingsmidler", 100).await.is_empty(), "nothing was saved");
    }

    async fn required_fields_are_marked_as_such(app: TestApp) {
        let editor = app.editor(&["helsetjenester"]);
        let (cookie, _) = sign_in(&app, &editor).await;
        let page = no_redirects().get(app.url("/admin/ny")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
        for id in ["title", "summary", "webinar-starts"] {
            assert!(has_attribute(&page, id, "required"), "{id}");
            let label = page.split(&format!("<label for=\"{id}\">")).nth(1).unwrap().split("</label>").next().unwrap();
            assert!(label.contains("(må fylles ut)"), "{id}: {label}");
        }
        let source = page.split("<label for=\"source_url\">").nth(1).unwrap().split("</label>").next().unwrap();
        assert!(!source.contains("må fylles ut"), "an optional field is not marked: {source}");
        assert!(!has_attribute(&page, "source_url", "required"));
        assert!(page.contains("(velg minst ett)"), "the areas say one is needed");
        let nynorsk = no_redirects()
            .get(app.url("/admin/ny"))
            .header("cookie", format!("{cookie}; tavla_sprak=nn"))
            .send().await.unwrap().text().await.unwrap();
        assert!(nynorsk.contains("(må fyllast ut)"), "{nynorsk}");
    }

    async fn withdrawing_asks_first_and_the_edit_page_only_links_to_the_question(app: TestApp) {
        let admin = app.admin();
        let created = app.create_notice(&admin, &grant_doc("Tilskudd som skal trekkes")).await;
        let id = created["id"].as_str().unwrap();
        let (cookie, csrf) = sign_in(&app, &admin).await;
        let client = no_redirects();
        let edit = client.get(app.url(&format!("/admin/kunngjoringer/{id}"))).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
        let confirm_url = format!("/admin/kunngjoringer/{id}/trekk-tilbake");
        assert!(edit.contains(&format!("<a class=\"button danger\" href=\"{confirm_url}\">")), "a link to the question");
        assert!(!edit.contains(&format!("action=\"{confirm_url}\"")), "no button that withdraws at once");
        let question = client.get(app.url(&confirm_url)).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(question.status(), 200);
        let question = question.text().await.unwrap();
        assert!(question.contains("<h1>Trekke tilbake «Tilskudd som skal trekkes»?</h1>"), "{question}");
        assert!(question.contains(&format!("href=\"/admin/kunngjoringer/{id}\">Nei, gå tilbake til skjemaet</a>")));
        assert_eq!(app.get(&format!("/api/v1/notices/{id}")).await.status(), 200, "asking changes nothing");
        let done = client
            .post(app.url(&confirm_url))
            .header("cookie", &cookie)
            .form(&[("csrf", csrf.as_str()), ("revision", "1")])
            .send().await.unwrap();
        assert_eq!(done.status(), 303);
        assert_eq!(app.get(&format!("/api/v1/notices/{id}")).await.status(), 410);
        let list = client.get(app.url("/admin?ferdig=trukket")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
        assert!(list.contains("role=\"status\" tabindex=\"-1\" id=\"melding\" data-focus>Kunngjøringen er trukket tilbake."), "the list says so where focus lands");
    }

    async fn a_session_warns_before_it_ends_and_can_be_extended_from_the_page(app: TestApp) {
        let editor = app.editor(&["helsetjenester"]);
        let (cookie, csrf) = sign_in(&app, &editor).await;
        let client = no_redirects();
        app.clock.advance(Duration::hours(8) - Duration::minutes(4));
        let page = client.get(app.url("/admin/ny")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
        let left: i64 = attribute(&page, "okt", "data-seconds-left").unwrap().parse().unwrap();
        assert!((230..=240).contains(&left), "the page knows the session's end: {left}");
        let warning = attribute(&page, "okt", "data-warning").unwrap();
        assert!(warning.starts_with("Økta di går ut kl. "), "{warning}");

        let extended = client.post(app.url("/admin/okt")).header("cookie", &cookie).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(extended.status(), 200);
        assert!(extended.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=28800"), "the cookie lasts as long");
        let answer: serde_json::Value = extended.json().await.unwrap();
        let left = answer["seconds_left"].as_i64().unwrap();
        assert!((8 * 3600 - 10..=8 * 3600).contains(&left), "a full lifetime again: {left}");
        assert!(answer["message"].as_str().unwrap().starts_with("Økta er forlenget til kl. "));
        assert!(answer["warning"].as_str().unwrap().starts_with("Økta di går ut kl. "));

        app.clock.advance(Duration::hours(1));
        let later = client.get(app.url("/admin/ny")).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(later.status(), 200, "the extended session outlives its first end");
        let forged = client.post(app.url("/admin/okt")).header("cookie", &cookie).form(&[("csrf", "feil")]).send().await.unwrap();
        assert_eq!(forged.status(), 403, "only the page's own form extends it");
    }

    async fn what_was_typed_when_the_session_ended_comes_back_after_signing_in_again(app: TestApp) {
        let editor = app.editor(&["helsetjenester"]);
        let (cookie, csrf) = sign_in(&app, &editor).await;
        app.clock.advance(Duration::hours(9));
        let typed = [
            ("csrf", csrf.as_str()),
            ("kind", "news"),
            ("title", "Ny rettleiar – «rask» å lese"),
            ("summary", "Æ, ø og å & annet.\nTo linjer."),
            ("areas", "helsetjenester"),
            ("state", "published"),
            ("action", "save"),
        ];
        let ended = post_new(&app, &cookie, &typed).await;
        assert_eq!(ended.status(), 401);
        let sign_in_page = ended.text().await.unwrap();
        assert!(sign_in_page.contains("Det du skrev, er tatt vare på"), "{sign_in_page}");
        assert!(app.all_notices("&q=rettleiar", 100).await.is_empty(), "nothing was saved");

        let hidden = |name: &str| -> String {
            let value = sign_in_page.split(&format!("name=\"{name}\" value=\"")).nth(1).unwrap().split('"').next().unwrap();
            html_unescape(value)
        };
        let again = no_redirects()
            .post(app.url("/admin/logg-inn"))
            .form(&[("token", editor.as_str()), ("utkast_til", &hidden("utkast_til")), ("utkast", &hidden("utkast"))])
            .send().await.unwrap();
        assert_eq!(again.status(), 200, "the form itself, not the list");
        assert!(again.headers().contains_key("set-cookie"), "signed in");
        let form = again.text().await.unwrap();
        assert!(form.contains("value=\"Ny rettleiar – «rask» å lese\""), "{form}");
        assert!(form.contains(">Æ, ø og å &#38; annet.\nTo linjer.</textarea>") || form.contains(">Æ, ø og å &amp; annet.\nTo linjer.</textarea>"), "{form}");
        assert!(form.contains("ingenting er lagret ennå"), "it says nothing is saved yet");
        assert!(!form.contains(&format!("value=\"{csrf}\"")), "the new session's CSRF token, not the old");
        assert!(app.all_notices("&q=rettleiar", 100).await.is_empty(), "still nothing saved");
    }
}

/// Undoes askama's escaping of an attribute value.
fn html_unescape(value: &str) -> String {
    value
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&lt;", "<")
        .replace("&#62;", ">")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}
