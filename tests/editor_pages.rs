//! The editor pages without a browser: sessions, cookies, CSRF, security
//! headers; and the public board's filters.

mod common;

use common::editor::{no_redirects, sign_in, sign_out};
use common::{grant_doc, TestApp, TestDb};
use diesel::RunQueryDsl;
use reqwest::header::{LOCATION, SET_COOKIE};

on_every_backend! {
    async fn the_session_cookie_is_http_only_and_same_site_strict(app: TestApp) {
        let editor = app.editor(&["helsetjenester"]);
        let response = no_redirects().post(app.url("/admin/logg-inn")).form(&[("token", editor.as_str())]).send().await.unwrap();
        let cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
        assert!(cookie.starts_with("tavla_sesjon="));
        for part in ["HttpOnly", "SameSite=Strict", "Path=/admin"] {
            assert!(cookie.contains(part), "{part} in {cookie}");
        }
        assert!(!cookie.contains("Secure"), "plain http on loopback");
        assert!(!cookie.contains(&editor), "the cookie holds a session id, never the token");

        let bad = no_redirects().post(app.url("/admin/logg-inn")).form(&[("token", "tavla_feil")]).send().await.unwrap();
        assert_eq!(bad.status(), 401);
        assert!(bad.headers().get(SET_COOKIE).is_none());
        assert!(bad.text().await.unwrap().contains("Nøkkelen er ikke gyldig"));
        let cross_site = no_redirects()
            .post(app.url("/admin/logg-inn"))
            .header("sec-fetch-site", "cross-site")
            .form(&[("token", editor.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(cross_site.status(), 403, "no other site signs a browser in");
        assert!(cross_site.headers().get(SET_COOKIE).is_none());
        let anonymous = no_redirects().get(app.url("/admin")).send().await.unwrap();
        assert_eq!(anonymous.status(), 303);
        assert_eq!(anonymous.headers()[LOCATION], "/admin/logg-inn");
    }

    async fn forms_without_the_session_csrf_token_change_nothing(app: TestApp) {
        let editor = app.editor(&["helsetjenester"]);
        let (cookie, csrf) = sign_in(&app, &editor).await;
        let form = |token: &str| {
            vec![
                ("csrf".to_owned(), token.to_owned()),
                ("kind".to_owned(), "news".to_owned()),
                ("title".to_owned(), "Kunngjøring fra skjema".to_owned()),
                ("summary".to_owned(), "Tekst".to_owned()),
                ("areas".to_owned(), "helsetjenester".to_owned()),
                ("state".to_owned(), "published".to_owned()),
                ("action".to_owned(), "save".to_owned()),
            ]
        };
        for forged in ["", "feil"] {
            let response = no_redirects()
                .post(app.url("/admin/ny"))
                .header("cookie", &cookie)
                .form(&form(forged))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 403);
        }
        assert!(app.all_notices("&q=skjema", 100).await.is_empty());
        let response = no_redirects()
            .post(app.url("/admin/ny"))
            .header("cookie", &cookie)
            .form(&form(&csrf))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert_eq!(app.all_notices("&q=skjema", 100).await.len(), 1);

        let signed_out = sign_out(&app, &cookie, &csrf).await;
        assert_eq!(signed_out.status(), 303);
        let after = no_redirects().get(app.url("/admin")).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(after.status(), 303, "the session is gone on the server, not only in the browser");
    }

    async fn a_sign_out_that_cannot_end_the_session_says_so(app: TestApp) {
        let editor = app.editor(&["helsetjenester"]);
        let (cookie, csrf) = sign_in(&app, &editor).await;
        // The database refuses to delete sessions, as a fault would.
        let refuse = match app.db {
            TestDb::Sqlite => vec![
                "CREATE TRIGGER sessions_kept BEFORE DELETE ON sessions \
                 BEGIN SELECT RAISE(ABORT, 'kept'); END",
            ],
            TestDb::Postgres => vec![
                "CREATE FUNCTION keep_sessions() RETURNS trigger LANGUAGE plpgsql \
                 AS $$ BEGIN RAISE EXCEPTION 'kept'; END $$",
                "CREATE TRIGGER sessions_kept BEFORE DELETE ON sessions \
                 FOR EACH ROW EXECUTE FUNCTION keep_sessions()",
            ],
        };
        let store = app.store();
        let mut conn = store.conn().unwrap();
        for sql in refuse {
            diesel::sql_query(sql).execute(&mut *conn).unwrap();
        }
        let signed_out = sign_out(&app, &cookie, &csrf).await;
        assert_eq!(signed_out.status(), 503, "not a sign-out that did not happen");
        assert!(signed_out.headers().get("set-cookie").is_none(), "the cookie is kept to try again");
        let page = signed_out.text().await.unwrap();
        assert!(page.contains("Du er ikke logget ut"), "{page}");
        let still = no_redirects().get(app.url("/admin")).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(still.status(), 200, "the session still opens the pages");
    }

    async fn a_body_nested_too_deep_is_refused_in_norwegian_beside_its_field(app: TestApp) {
        let editor = app.editor(&["helsetjenester"]);
        let (cookie, csrf) = sign_in(&app, &editor).await;
        let body = "> ".repeat(100) + "x";
        for action in ["preview", "save"] {
            let response = no_redirects()
                .post(app.url("/admin/ny"))
                .header("cookie", &cookie)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("kind", "news"),
                    ("title", "Kunngjøring for dypt nøstet"),
                    ("summary", "Tekst"),
                    ("body", body.as_str()),
                    ("areas", "helsetjenester"),
                    ("state", "published"),
                    ("action", action),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 422, "{action}");
            let page = response.text().await.unwrap();
            assert!(
                page.contains("har sitater og lister inni hverandre i mer enn 16 nivåer; bruk færre nivåer"),
                "{action}: {page}"
            );
        }
        assert!(app.all_notices("&q=dypt", 100).await.is_empty());
    }

    async fn the_preview_keeps_the_forms_h1_and_puts_the_notice_below_it(app: TestApp) {
        let editor = app.editor(&["helsetjenester"]);
        let (cookie, csrf) = sign_in(&app, &editor).await;
        let response = no_redirects()
            .post(app.url("/admin/ny"))
            .header("cookie", &cookie)
            .form(&[
                ("csrf", csrf.as_str()),
                ("kind", "news"),
                ("title", "Nyhet med overskrifter"),
                ("summary", "Tekst"),
                ("body", "# Overskrift\n\nTekst.\n\n## Underoverskrift"),
                ("areas", "helsetjenester"),
                ("state", "published"),
                ("action", "preview"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let page = response.text().await.unwrap();
        assert_eq!(page.matches("<h1").count(), 1, "{page}");
        assert!(page.contains("<h1>Ny kunngjøring</h1>"), "{page}");
        let preview = page.split("class=\"preview\"").nth(1).expect("a preview");
        assert!(preview.contains("<h2>Nyhet med overskrifter</h2>"), "{preview}");
        assert!(preview.contains("<h3>Overskrift</h3>"), "{preview}");
        assert!(preview.contains("<h4>Underoverskrift</h4>"), "{preview}");
        assert!(app.all_notices("&q=overskrifter", 100).await.is_empty(), "a preview saves nothing");
    }

    async fn the_editors_list_marks_publishing_times_as_time_elements(app: TestApp) {
        let admin = app.admin();
        let mut doc = grant_doc("Tilskudd med publiseringstid");
        doc["published_at"] = serde_json::json!("2021-03-01T11:00:00Z");
        app.create_notice(&admin, &doc).await;
        let (cookie, _) = sign_in(&app, &admin).await;
        let list = no_redirects().get(app.url("/admin")).header("cookie", &cookie).send().await.unwrap();
        let list = list.text().await.unwrap();
        assert!(
            list.contains("<time datetime=\"2021-03-01T12:00:00+01:00\">01.03.2021 kl. 12:00</time>"),
            "{list}"
        );
    }

    async fn withdrawing_from_the_page_makes_the_notice_gone(app: TestApp) {
        let admin = app.admin();
        let created = app.create_notice(&admin, &grant_doc("Tilskudd som trekkes fra siden")).await;
        let (cookie, csrf) = sign_in(&app, &admin).await;
        let id = created["id"].as_str().unwrap();
        let response = no_redirects()
            .post(app.url(&format!("/admin/kunngjoringer/{id}/trekk-tilbake")))
            .header("cookie", &cookie)
            .form(&[("csrf", csrf.as_str()), ("revision", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert_eq!(app.get(&format!("/api/v1/notices/{id}")).await.status(), 410);
    }

    async fn every_page_sends_security_headers(app: TestApp) {
        for path in ["/", "/notices/tilskudd-til-hospitering", "/areas/helsetjenester", "/admin/logg-inn", "/api/v1/notices", "/feed.rss"] {
            let response = app.get(path).await;
            let headers = response.headers();
            let csp = headers["content-security-policy"].to_str().unwrap();
            assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"), "{path}: {csp}");
            assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
            assert!(headers.contains_key("referrer-policy"), "{path}");
        }
        let css = app.get("/assets/tavla.css").await;
        assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    }

    async fn the_front_page_filters_searches_and_links_the_filtered_feeds(app: TestApp) {
        // Either escape of & is the same HTML.
        let page = app.text("/?kind=grant&area=helsetjenester&q=").await.replace("&#38;", "&amp;");
        assert!(page.contains("/notices/tilskudd-til-hospitering"));
        assert!(!page.contains("/notices/legeforeningens-prioriteringsrad"), "news is filtered out");
        assert!(page.contains("href=\"/feed.rss?kind=grant&amp;area=helsetjenester\""), "subscribe links keep the filters");
        assert!(page.contains("<option value=\"grant\" selected>"));
        let search = app.text("/?q=hospitering").await;
        assert!(search.contains("Tilskudd til hospitering"));
        assert!(!search.contains("Opplæringsressurser covid 19"));
        // A wrong filter is left out and said so; the reader still gets a list.
        let invalid = app.get("/?kind=event").await;
        assert_eq!(invalid.status(), 200);
        let invalid = invalid.text().await.unwrap();
        assert!(invalid.contains("role=\"alert\">Typen ble ikke brukt: må være et av valgene."), "{invalid}");
        assert!(invalid.contains("/notices/legeforeningens-prioriteringsrad"), "the whole list");
        let first = app.text("/?limit=3").await.replace("&#38;", "&amp;");
        let next = first.split("href=\"/?").nth(1).expect("a link to more").split('"').next().unwrap().replace("&amp;", "&");
        let second = app.text(&format!("/?{next}")).await;
        assert!(second.contains("/notices/"), "the next page lists more");
    }
}

#[tokio::test]
async fn behind_https_the_session_cookie_is_secure() {
    let app = TestApp::spawn_configured(TestDb::Sqlite, |s| {
        s.base_url = Some("https://tavla.example.no".into())
    })
    .await;
    let editor = app.editor(&["helsetjenester"]);
    let response = no_redirects()
        .post(app.url("/admin/logg-inn"))
        .form(&[("token", editor.as_str())])
        .send()
        .await
        .unwrap();
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.contains("Secure"), "{cookie}");
}
