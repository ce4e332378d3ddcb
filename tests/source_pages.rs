//! The admins' page of sources (`/admin/kilder`) without a browser: each
//! source and its last fetch in words, in bokmål and nynorsk, «Hent nå»,
//! and an imported notice's edit page naming its feed.

mod common;

use common::sources::*;
use common::upstream::{rss, Upstream};
use common::{TestApp, TestDb};
use serde_json::json;

/// The admins' page of sources, in both written standards: what each
/// imports as and how its last fetch went, in words; «Hent nå» fetches; an
/// imported notice's edit page says where it came from; editors refused.
#[tokio::test]
async fn the_sources_page_shows_each_source_and_fetches_now() {
    use common::editor::{no_redirects, sign_in};
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let upstream = Upstream::start().await;
    let at = days_ago(&app, 1);
    let link = "https://oppstroms.example.no/s-1";
    upstream.serve(
        rss(&[("s-1", "Tilskudd fra kilden", "Kort", link, &at)]),
        "application/rss+xml",
    );
    let admin = app.admin();
    let good = register_fetched(&app, &admin, grants_source(&upstream)).await;
    upstream.answer_once(404, &[]);
    let broken = json!({"url": format!("{}/mangler", upstream.base), "kind": "news", "areas": ["helsetjenester"]});
    register_fetched(&app, &admin, broken).await;
    let (cookie, csrf) = sign_in(&app, &admin).await;
    let page = |cookie: String| {
        let url = app.url("/admin/kilder");
        async move {
            let response = no_redirects()
                .get(url)
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
            response.text().await.unwrap()
        }
    };
    let bokmål = page(cookie.clone()).await;
    for said in [
        "Kilder",
        "Tilskudd i Helsetjenester, som utkast, på bokmål",
        "hentes hver time",
        "Hentet",
        "Serveren svarte med en feil (HTTP 404); 1 feil på rad",
        "Hent nå",
    ] {
        assert!(bokmål.contains(said), "{said:?} in {bokmål}");
    }
    let nynorsk = page(format!("{cookie}; tavla_sprak=nn")).await;
    for said in [
        "Kjelder",
        "blir henta kvar time",
        "Serveren svarte med ein feil (HTTP 404); 1 feil på rad",
        "Hent no",
    ] {
        assert!(nynorsk.contains(said), "{said:?} in {nynorsk}");
    }
    for english in ["imported", "not-modified", "http-status", "draft"] {
        assert!(!bokmål.contains(&format!(">{english}")), "{english} shown");
    }
    // «Hent nå»: the upstream changed, and the page says what came of it.
    upstream.serve(
        rss(&[
            ("s-1", "Tilskudd fra kilden", "Kort", link, &at),
            ("s-2", "Enda et tilskudd", "Kort", link, &at),
        ]),
        "application/rss+xml",
    );
    let id = good["id"].as_str().unwrap();
    let fetched = no_redirects()
        .post(app.url(&format!("/admin/kilder/{id}/hent")))
        .header("cookie", &cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(fetched.status(), 303);
    let to = fetched.headers()["location"].to_str().unwrap().to_owned();
    let response = no_redirects()
        .get(app.url(&to))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let after = response.text().await.unwrap();
    assert!(
        after.contains("Hentet. Nye kunngjøringer: 1. Oppdaterte: 0."),
        "{after}"
    );
    // A fetch that fails says so, and why, in words.
    upstream.answer_once(503, &[]);
    let failed = no_redirects()
        .post(app.url(&format!("/admin/kilder/{id}/hent")))
        .header("cookie", &cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let to = failed.headers()["location"].to_str().unwrap().to_owned();
    let after = no_redirects()
        .get(app.url(&to))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        after.contains("Hentingen mislyktes: serveren svarte med en feil."),
        "{after}"
    );
    let forged = no_redirects()
        .post(app.url(&format!("/admin/kilder/{id}/hent")))
        .header("cookie", &cookie)
        .form(&[("csrf", "feil")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    // An imported notice's edit page names the feed.
    let notice = imported_notice(&app, &admin, link).await;
    let edit = no_redirects()
        .get(app.url(&format!(
            "/admin/kunngjoringer/{}",
            notice["id"].as_str().unwrap()
        )))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        edit.contains(&format!("Importert fra {}", upstream.feed_url())),
        "{edit}"
    );
    // Editors are refused.
    let editor = app.editor(&["helsetjenester"]);
    let (cookie, _) = sign_in(&app, &editor).await;
    let refused = no_redirects()
        .get(app.url("/admin/kilder"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}
