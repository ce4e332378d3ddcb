//! The HTML pages every feed link points to.

mod common;

use common::{grant_doc, webinar_doc, TestApp, TestDb};
use serde_json::json;

async fn html(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    assert_eq!(
        response.headers()["content-type"],
        "text/html; charset=utf-8"
    );
    response.text().await.unwrap()
}

on_every_backend! {
    async fn every_feed_link_resolves_to_its_notice_page(app: TestApp) {
        let xml = app.text("/feed.rss").await;
        let parsed = feed_rs::parser::parse(xml.as_bytes()).unwrap();
        for entry in &parsed.entries {
            let link = &entry.links[0].href;
            let path = link
                .strip_prefix(&app.base)
                .expect("links use the base URL");
            let page = html(&app, path).await;
            assert!(page.contains("<html lang=\"nb\">"));
            let page = page.replace("&#34;", "\"").replace("&quot;", "\"");
            let title = &entry.title.as_ref().unwrap().content;
            assert!(
                page.contains(&format!("<h1>{title}</h1>")),
                "{path} shows its title"
            );
        }
    }

    async fn a_notice_page_shows_date_summary_and_details(app: TestApp) {
        let page = html(&app, "/notices/iplos-kpr-opplaering").await;
        assert!(page.contains("<h1>IPLOS/KPR opplæring</h1>"));
        assert!(
            page.contains("Publisert <time datetime=\"2020-05-12T00:00:00+02:00\">12.05.2020</time>")
        );
        assert!(page.contains("IPLOS og KPR - webinar i oktober/ november er avlyst"));
        assert!(page.contains("Avlyst"));
        assert!(page.contains("href=\"/areas/pleie-og-omsorgstjenester-i-institusjon\""));
        let grant = html(&app, "/notices/tilskudd-til-hospitering").await;
        assert!(grant.contains("Søknadsfrist: løpende"));
    }

    async fn the_front_page_lists_the_latest_notices(app: TestApp) {
        let page = html(&app, "/").await;
        assert!(page.contains("<html lang=\"nb\">"));
        assert!(page.contains("rel=\"alternate\" type=\"application/rss+xml\""));
        let notices = app.all_notices("", 100).await;
        let mut last = 0;
        for notice in &notices {
            let link = format!("href=\"/notices/{}\"", notice["slug"].as_str().unwrap());
            let at = page
                .find(&link)
                .unwrap_or_else(|| panic!("{link} on the front page"));
            assert!(at > last, "newest first");
            last = at;
        }
    }

    async fn an_area_page_shows_its_description_and_notices(app: TestApp) {
        let page = html(&app, "/areas/barnevern-og-familievern").await;
        assert!(page.contains("<h1>Barnevern og familievern</h1>"));
        assert!(page.contains(
            "Denne fullmakten gir tilgang til alle tjenester knyttet til barnevern og familievern."
        ));
        assert!(page.contains("/notices/webinar-for-helsestasjon-og-skolehelse"));
        assert!(page.contains("/feed.rss?area=barnevern-og-familievern"));
        assert!(!page.contains("/notices/tilskudd-til-hospitering"));
    }

    async fn headings_nest_one_level_at_a_time(app: TestApp) {
        // On an area page the notices are under the h2 «Kunngjøringer»; on
        // the front page, right under its h1.
        let area = html(&app, "/areas/barnevern-og-familievern").await;
        assert!(area.contains("<h2>Kunngjøringer</h2>"));
        assert!(area.contains("<h3><a href=\"/notices/webinar-for-helsestasjon-og-skolehelse\">"), "{area}");
        assert!(!area.contains("<h2><a href"));
        let front = html(&app, "/").await;
        assert!(front.contains("<h2><a href=\"/notices/"));
        assert!(!front.contains("<h3>"));
    }

    async fn a_bodys_headings_start_below_the_title_so_a_page_has_one_h1(app: TestApp) {
        let mut doc = grant_doc("Tilskudd med overskrifter");
        doc["body"] = json!("# Overskrift\n\nTekst.\n\n## Underoverskrift\n\n<h1>Rå overskrift</h1>");
        let created = app.create_notice(&app.admin(), &doc).await;
        let slug = created["slug"].as_str().unwrap();
        for path in [format!("/notices/{slug}"), format!("/nn/notices/{slug}")] {
            let page = html(&app, &path).await;
            assert_eq!(page.matches("<h1").count(), 1, "{path}: {page}");
            assert!(page.contains("<h1>Tilskudd med overskrifter</h1>"), "{path}");
            assert!(page.contains("<h2>Overskrift</h2>"), "{path}: {page}");
            assert!(page.contains("<h3>Underoverskrift</h3>"), "{path}");
            assert!(page.contains("<h2>Rå overskrift</h2>"), "{path}");
        }
    }

    async fn deadlines_and_webinar_times_are_time_elements(app: TestApp) {
        use chrono::TimeZone;
        let oslo = chrono_tz::Europe::Oslo;
        // Instants some months after the app's today, at Oslo hours.
        let at = |days: i64, hour: u32, minute: u32| {
            let day = (app.clock.now() + chrono::Duration::days(days)).with_timezone(&oslo).date_naive();
            oslo.from_local_datetime(&day.and_hms_opt(hour, minute, 0).unwrap()).earliest().unwrap()
        };
        let shown = |t: chrono::DateTime<chrono_tz::Tz>| t.format("%d.%m.%Y kl. %H:%M").to_string();
        let (due, starts, ends) = (at(200, 12, 0), at(210, 10, 0), at(210, 11, 30));
        let admin = app.admin();
        let mut grant = grant_doc("Tilskudd med frist");
        grant["grant"]["deadline"] = json!(due.to_rfc3339());
        let grant = app.create_notice(&admin, &grant).await;
        let mut webinar = webinar_doc("Webinar med tidspunkt");
        webinar["webinar"]["starts_at"] = json!(starts.to_rfc3339());
        webinar["webinar"]["ends_at"] = json!(ends.to_rfc3339());
        let webinar = app.create_notice(&admin, &webinar).await;
        for (prefix, deadline, time) in [("", "Søknadsfrist", "Tidspunkt"), ("/nn", "Søknadsfrist", "Tidspunkt")] {
            let page = html(&app, &format!("{prefix}/notices/{}", grant["slug"].as_str().unwrap())).await;
            assert!(
                page.contains(&format!("<li>{deadline}: <time datetime=\"{}\">{}</time></li>", due.to_rfc3339(), shown(due))),
                "{prefix}: {page}"
            );
            let page = html(&app, &format!("{prefix}/notices/{}", webinar["slug"].as_str().unwrap())).await;
            assert!(
                page.contains(&format!(
                    "<li>{time}: <time datetime=\"{}\">{}</time>–<time datetime=\"{}\">{}</time></li>",
                    starts.to_rfc3339(),
                    shown(starts),
                    ends.to_rfc3339(),
                    ends.format("%H:%M"),
                )),
                "{prefix}: {page}"
            );
        }
        // The feeds say the same in words.
        let rss = app.text("/feed.rss").await;
        assert!(rss.contains(&format!("Søknadsfrist: {}", shown(due))));
        assert!(rss.contains(&format!("Tidspunkt: {}–{}", shown(starts), ends.format("%H:%M"))));
    }

    async fn a_bad_filter_on_the_front_page_is_left_out_and_told_in_norwegian(app: TestApp) {
        let long = "a".repeat(201);
        let page = html(&app, &format!("/?q={long}&kind=grant")).await;
        assert!(page.contains("Søket ble ikke brukt: har en ugyldig verdi."), "{page}");
        assert!(!page.contains("at most"), "no English on a page");
        assert!(page.contains("<option value=\"grant\" selected>"), "the good filter is kept");
        assert!(!page.contains(&long), "the bad one is not shown again");
        let page = html(&app, &format!("/nn/?q={long}")).await;
        assert!(page.contains("Søket vart ikkje brukt: har ein ugyldig verdi."), "{page}");
    }

    async fn the_lists_title_names_its_filters_search_page_and_errors(app: TestApp) {
        let title = |page: &str| page.split("<title>").nth(1).unwrap().split("</title>").next().unwrap().to_owned();
        for (path, nb) in [
            ("/", "Tavla – kunngjøringer fra Helsedirektoratet"),
            ("/?kind=grant&q=hospitering", "Tilskudd, søk «hospitering» – Kunngjøringer – Tavla"),
            ("/?q=hospitering&area=helsetjenester&utm_source=x", "Helsetjenester, søk «hospitering» – Kunngjøringer – Tavla"),
            ("/?language=nn&status=open", "Nynorsk, Åpen – Kunngjøringer – Tavla"),
            ("/?kind=event&q=hospitering", "Feil: Søk «hospitering» – Kunngjøringer – Tavla"),
            ("/?kind=event", "Feil: Tavla – kunngjøringer fra Helsedirektoratet"),
            ("/?q=hospitering+<b>", "Søk «hospitering &#60;b&#62;» – Kunngjøringer – Tavla"),
        ] {
            assert_eq!(title(&html(&app, path).await), nb, "{path}");
        }
        for (path, nn) in [
            ("/nn/", "Tavla – kunngjeringar frå Helsedirektoratet"),
            ("/nn/?kind=grant&q=hospitering", "Tilskot, søk «hospitering» – Kunngjeringar – Tavla"),
            ("/nn/?language=nn&status=open", "Nynorsk, Open – Kunngjeringar – Tavla"),
            ("/nn/?kind=event&q=hospitering", "Feil: Søk «hospitering» – Kunngjeringar – Tavla"),
        ] {
            assert_eq!(title(&html(&app, path).await), nn, "{path}");
        }
        if app.db == TestDb::Postgres {
            // PostgreSQL searches for no stop words, and the page says so.
            assert_eq!(title(&html(&app, "/?q=og").await), "Feil: Søk «og» – Kunngjøringer – Tavla");
        }
        // Later pages say which, and so does the same page in the other language.
        let next = |page: &str| page.replace("&amp;", "&").replace("&#38;", "&")
            .split("class=\"button secondary\" href=\"").nth(1).expect("a link to more")
            .split('"').next().unwrap().to_owned();
        for (first, second_title, third_title) in [
            ("/?kind=news&limit=1", "Nyhet, side 2 – Kunngjøringer – Tavla", "Nyhet, side 3 – Kunngjøringer – Tavla"),
            ("/nn/?kind=news&limit=1", "Nyheit, side 2 – Kunngjeringar – Tavla", "Nyheit, side 3 – Kunngjeringar – Tavla"),
        ] {
            let second = html(&app, &next(&html(&app, first).await)).await;
            assert_eq!(title(&second), second_title);
            let third = html(&app, &next(&second)).await;
            assert_eq!(title(&third), third_title);
            let in_nynorsk = third.replace("&amp;", "&").replace("&#38;", "&");
            let in_nynorsk = in_nynorsk.split("hreflang=\"nn\" href=\"").nth(1).unwrap().split('"').next().unwrap();
            assert_eq!(title(&html(&app, in_nynorsk).await), "Nyheit, side 3 – Kunngjeringar – Tavla");
        }
    }

    async fn unknown_pages_are_404(app: TestApp) {
        assert_eq!(app.get("/notices/finnes-ikke").await.status(), 404);
        assert_eq!(app.get("/areas/finnes-ikke").await.status(), 404);
        let page = app
            .client
            .get(app.url("/finnes/ikke"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 404);
        assert!(page.text().await.unwrap().contains("lang=\"nb\""));
    }
}
