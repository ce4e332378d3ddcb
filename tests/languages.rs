//! The pages in bokmål and in nynorsk: each page in both, with `lang`, a
//! switch and `hreflang` alternates; no English for a reader; a page's
//! address never fails it, while the API and the feeds stay strict.

mod common;

use common::{issue_token, TestApp, TestDb};
use reqwest::header::{LOCATION, SET_COOKIE};

async fn page(app: &TestApp, path: &str, status: u16) -> String {
    let response = app
        .client
        .get(app.url(path))
        .header("accept", "text/html")
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), status, "GET {path}");
    response.text().await.unwrap()
}

/// Words a page in either written standard never shows.
fn assert_no_english(path: &str, page: &str) {
    for english in [
        "unknown parameter",
        "is not one of",
        "at most",
        "Not found",
        "must be",
        "Search",
    ] {
        assert!(!page.contains(english), "{path}: «{english}»");
    }
}

on_every_backend! {
    async fn every_public_page_is_in_bokmål_and_in_nynorsk(app: TestApp) {
        let slug = "tilskudd-til-hospitering";
        for (nb_path, nn_path) in [
            ("/".to_owned(), "/nn/".to_owned()),
            (format!("/notices/{slug}"), format!("/nn/notices/{slug}")),
            ("/areas/helsetjenester".to_owned(), "/nn/areas/helsetjenester".to_owned()),
            ("/tilgjengelighet".to_owned(), "/nn/tilgjengelighet".to_owned()),
        ] {
            let nb = page(&app, &nb_path, 200).await;
            let nn = page(&app, &nn_path, 200).await;
            assert!(nb.contains("<html lang=\"nb\">"), "{nb_path}");
            assert!(nn.contains("<html lang=\"nn\">"), "{nn_path}");
            for (html, path) in [(&nb, &nb_path), (&nn, &nn_path)] {
                assert!(html.contains(&format!("hreflang=\"nb\" href=\"{nb_path}\"")), "{path}");
                assert!(html.contains(&format!("hreflang=\"nn\" href=\"{nn_path}\"")), "{path}");
                assert_no_english(path, html);
            }
            assert!(nb.contains(&format!("href=\"{nn_path}\" hreflang=\"nn\" lang=\"nn\">På nynorsk")), "{nb_path}");
            assert!(nn.contains(&format!("href=\"{nb_path}\" hreflang=\"nb\" lang=\"nb\">På bokmål")), "{nn_path}");
            assert_ne!(nb, nn);
            assert!(nb.contains("<a href=\"/tilgjengelighet\">Tilgjengelighetserklæring</a>"), "{nb_path}");
            assert!(nn.contains("<a href=\"/nn/tilgjengelighet\">Tilgjengelegheitserklæring</a>"), "{nn_path}");
        }
        let nn = page(&app, "/nn/", 200).await;
        assert!(nn.contains("Kunngjeringar frå Helsedirektoratet"));
        assert!(nn.contains("Alle typar"));
        assert!(nn.contains(&format!("href=\"/nn/notices/{slug}\"")), "links stay in nynorsk");
        let notice = page(&app, &format!("/nn/notices/{slug}"), 200).await;
        assert!(notice.contains("Tilskot · Publisert"), "{notice}");
        assert!(notice.contains("Søknadsfrist"));
        assert!(page(&app, "/nn/areas/helsetjenester", 200).await.contains("<h2>Kunngjeringar</h2>"));
        let bokmål = page(&app, &format!("/notices/{slug}"), 200).await;
        assert!(bokmål.contains("Tilskudd · Publisert"));
    }

    async fn pages_that_are_not_there_say_so_in_the_pages_language(app: TestApp) {
        let nb = page(&app, "/notices/finnes-ikke", 404).await;
        assert!(nb.contains("Fant ikke siden") && nb.contains("lang=\"nb\""));
        let nn = page(&app, "/nn/notices/finnes-ikke", 404).await;
        assert!(nn.contains("Fann ikkje sida") && nn.contains("lang=\"nn\""), "{nn}");
        let nn = page(&app, "/nn/finst/ikkje", 404).await;
        assert!(nn.contains("Fann ikkje sida"), "{nn}");
        let moved = app.client.get(app.url("/nn")).send().await.unwrap();
        assert_eq!(moved.url().path(), "/nn/", "/nn leads to the nynorsk front page");
    }

    async fn a_newsletters_tracking_parameters_open_the_page_as_without_them(app: TestApp) {
        let plain = page(&app, "/?kind=grant", 200).await;
        let tracked = page(&app, "/?kind=grant&utm_source=nyhetsbrev&utm_medium=e-post&fbclid=x", 200).await;
        let list = |html: &str| html.split("<ul class=\"notices\">").nth(1).unwrap().to_owned();
        assert_eq!(list(&plain), list(&tracked));
        assert!(!tracked.contains("role=\"alert\""), "nothing to tell the reader");
        for strict in ["/api/v1/notices?utm_source=nyhetsbrev", "/feed.rss?utm_source=nyhetsbrev"] {
            assert_eq!(app.get(strict).await.status(), 400, "{strict}: the API and feeds stay strict");
        }
    }
}

#[tokio::test]
async fn an_editor_chooses_nynorsk_and_keeps_it() {
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let sign_in = client.get(app.url("/admin/logg-inn")).send().await.unwrap();
    let sign_in = sign_in.text().await.unwrap();
    assert!(sign_in.contains("<html lang=\"nb\">") && sign_in.contains("Tilgangsnøkkel"));
    assert!(
        sign_in.contains("href=\"/tilgjengelighet\""),
        "the editor pages link the statement too"
    );
    let switch = sign_in
        .split("class=\"languages\"")
        .nth(1)
        .and_then(|rest| rest.split("href=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    let chosen = client.get(app.url(&switch)).send().await.unwrap();
    assert_eq!(chosen.status(), 303);
    assert_eq!(chosen.headers()[LOCATION], "/admin/logg-inn");
    assert!(chosen.headers()[SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("tavla_sprak=nn"));
    let token = issue_token(&app, "admin", &[]);
    let signed_in = client
        .post(app.url("/admin/logg-inn"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    let text = |path: &'static str| {
        let request = client.get(app.url(path));
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let list = text("/admin").await;
    assert!(list.contains("<html lang=\"nn\">"), "{list}");
    assert!(list.contains("Ny kunngjering") && list.contains("Innlogga som"));
    assert!(list.contains("<caption>Kunngjeringane du kan redigere, nyaste først</caption>"));
    assert!(
        list.contains("<a href=\"/admin\" aria-current=\"page\"><strong>Alle</strong></a>"),
        "the filter shown is marked current: {list}"
    );
    let form = text("/admin/ny").await;
    assert!(
        form.contains("Samandrag") && form.contains("Kven kan søkje"),
        "{form}"
    );
    // The switch leads back to an editor page only.
    let away = client
        .get(app.url("/admin/sprak/nb?tilbake=https://example.com/"))
        .send()
        .await
        .unwrap();
    assert_eq!(away.headers()[LOCATION], "/admin");
}

/// A notice's own language, beside the pages'.
mod notice_language {
    use super::*;

    on_every_backend! {
        async fn a_notice_has_a_language_that_lists_and_feeds_filter_and_mark(app: TestApp) {
            let admin = app.admin();
            let mut doc = common::grant_doc("Tilskot til vaksinasjon i kommunane");
            doc["language"] = serde_json::json!("nn");
            let created = app.create_notice(&admin, &doc).await;
            assert_eq!(created["language"], "nn");
            let seed = app.json("/api/v1/notices/tilskudd-til-hospitering").await;
            assert_eq!(seed["language"], "nb", "the seed notices are in bokmål");

            let nynorsk = app.all_notices("&language=nn", 100).await;
            assert_eq!(nynorsk.len(), 1);
            assert_eq!(nynorsk[0]["title"], "Tilskot til vaksinasjon i kommunane");
            let bokmål = app.all_notices("&language=nb&kind=grant", 100).await;
            assert!(!bokmål.is_empty() && bokmål.iter().all(|n| n["language"] == "nb"));
            let both = app.all_notices("&language=nb&language=nn", 100).await;
            assert_eq!(both.len(), app.all_notices("", 100).await.len());
            common::assert_problem(app.get("/api/v1/notices?language=de").await, 400, Some("language")).await;
            let mut german = common::grant_doc("Zuschuss");
            german["language"] = serde_json::json!("de");
            common::assert_problem(app.post_notice(&admin, &german).await, 422, Some("language")).await;

            let atom = app.text("/feed.atom?language=nn").await;
            assert!(atom.contains("xml:lang=\"nn\""), "{atom}");
            assert!(atom.contains("Tavla – kunngjeringar frå Helsedirektoratet"), "a nynorsk feed speaks nynorsk");
            assert!(atom.contains("<title xml:lang=\"nn\">Tilskot til vaksinasjon i kommunane</title>"), "{atom}");
            let all = app.text("/feed.atom").await;
            assert!(all.contains("<title xml:lang=\"nn\">Tilskot til vaksinasjon i kommunane</title>"));
            assert!(all.contains("<title xml:lang=\"nb\">Tilskudd til hospitering</title>"));
            let json = app.json("/feed.json?language=nn").await;
            assert_eq!(json["language"], "nn");
            assert_eq!(json["items"][0]["language"], "nn");
            assert!(json["items"][0]["content_text"].as_str().unwrap().contains("Kven kan søkje"), "{json}");
            assert!(app.text("/feed.rss?language=nn").await.contains("<language>nn</language>"));
            app.create_notice(&admin, &common::grant_doc("Tilskudd på bokmål"))
            .await;
        let calendar = app.text("/calendar.ics").await.replace("\r\n ", "");
        assert!(calendar.contains("SUMMARY;LANGUAGE=nb:Søknadsfrist: Tilskudd på bokmål"));
            assert!(calendar.contains("SUMMARY;LANGUAGE=nn:Søknadsfrist: Tilskot til vaksinasjon i kommunane"), "{calendar}");
            assert!(calendar.contains("DESCRIPTION;LANGUAGE=nn:"), "{calendar}");
            let slug = created["slug"].as_str().unwrap();
            let page = app.text(&format!("/notices/{slug}")).await;
            assert!(page.contains("<html lang=\"nb\">") && page.contains("<article lang=\"nn\">"), "{page}");
        }
    }
}
