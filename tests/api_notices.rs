//! `GET /api/v1/notices` and `/api/v1/notices/{id-or-slug}`.

mod common;

use std::collections::HashSet;

use common::{assert_problem, TestApp, TestDb};
use serde_json::Value;

fn by_title<'a>(items: &'a [Value], start: &str) -> &'a Value {
    items
        .iter()
        .find(|n| n["title"].as_str().unwrap().starts_with(start))
        .unwrap_or_else(|| panic!("no notice titled {start}"))
}

fn instant(notice: &Value) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(notice["published_at"].as_str().unwrap()).unwrap()
}

fn titles(items: &[Value]) -> Vec<&str> {
    items.iter().map(|n| n["title"].as_str().unwrap()).collect()
}

on_every_backend! {
    async fn the_ten_seed_notices_keep_their_text_dates_and_kinds(app: TestApp) {
        let items = app.all_notices("", 100).await;
        assert_eq!(items.len(), 10);
        let expected = [
            (
                "Helsedirektoratet inviterer til webinarrekken \"Øve på TISK\".",
                "2020-10-27T00:00:00+01:00",
                "webinar",
            ),
            (
                "Tilskudd til hospitering",
                "2020-10-20T00:00:00+02:00",
                "grant",
            ),
            (
                "Kompensasjon til fastleger pga korona",
                "2020-09-03T00:00:00+02:00",
                "grant",
            ),
            (
                "Tilskudd til helsefellesskap",
                "2020-06-29T00:00:00+02:00",
                "grant",
            ),
            (
                "IPLOS/KPR opplæring",
                "2020-05-12T00:00:00+02:00",
                "webinar",
            ),
            (
                "Webinar for helsestasjon- og skolehelse",
                "2020-05-04T00:00:00+02:00",
                "webinar",
            ),
            (
                "Viktig at kommunene ivaretar utviklingshemmedes behov",
                "2020-04-21T00:00:00+02:00",
                "news",
            ),
            (
                "Legeforeningens prioriteringsråd",
                "2020-04-21T00:00:00+02:00",
                "news",
            ),
            (
                "Smittevern for helsevirksomheter med én-til-én kontakt",
                "2020-04-20T00:00:00+02:00",
                "news",
            ),
            (
                "Opplæringsressurser covid 19",
                "2020-04-02T00:00:00+02:00",
                "news",
            ),
        ];
        for (title, published_at, kind) in expected {
            let notice = by_title(&items, title);
            assert_eq!(notice["title"], title);
            assert_eq!(notice["published_at"], published_at, "{title}");
            assert_eq!(notice["kind"], kind, "{title}");
            assert!(!notice["areas"].as_array().unwrap().is_empty());
        }
        let hospitering = by_title(&items, "Tilskudd til hospitering");
        assert_eq!(
            hospitering["summary"],
            "Det er nå mulig å søke Helsedirektoratet om tilskudd for å utvikle og spre gode modeller for hospitering av ansatte mellom spesialisthelsetjenesten og kommunale helse- og omsorgstjenester"
        );
        assert_eq!(hospitering["status"], "open");
        assert_eq!(hospitering["grant"]["deadline"], Value::Null);
        let tisk = by_title(&items, "Helsedirektoratet inviterer");
        assert!(tisk["summary"]
            .as_str()
            .unwrap()
            .starts_with("TISK kan erstatte mange av de inngripende tiltakene"));
        assert!(tisk["body"]
            .as_str()
            .unwrap()
            .starts_with("Gode øvelser er et viktig virkemiddel"));
        let iplos = by_title(&items, "IPLOS/KPR opplæring");
        assert_eq!(
            iplos["summary"],
            "IPLOS og KPR - webinar i oktober/ november er avlyst"
        );
        assert_eq!(iplos["status"], "cancelled");
        assert_eq!(iplos["webinar"]["cancelled"], true);
        assert_eq!(
            iplos["webinar"]["cancellation_note"],
            "webinar i oktober/ november er avlyst"
        );
        let news = by_title(&items, "Legeforeningens prioriteringsråd");
        assert_eq!(news["status"], Value::Null);
        assert!(news.get("grant").is_none() && news.get("webinar").is_none());
    }

    async fn walking_every_page_returns_each_notice_once_newest_first(app: TestApp) {
        let everything = app.all_notices("", 100).await;
        for limit in [1, 2, 3, 7] {
            let walked = app.all_notices("", limit).await;
            let ids: Vec<&str> = walked.iter().map(|n| n["id"].as_str().unwrap()).collect();
            let unique: HashSet<&str> = ids.iter().copied().collect();
            assert_eq!(ids.len(), 10, "limit {limit}");
            assert_eq!(unique.len(), 10, "limit {limit}: a notice repeated");
            assert_eq!(walked, everything, "limit {limit}: same order as one page");
        }
        // Newest first; the two notices of 21.04.2020 tie and are ordered by id, descending.
        for pair in everything.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let (ta, tb) = (instant(a), instant(b));
            assert!(
                ta > tb || (ta == tb && a["id"].as_str() > b["id"].as_str()),
                "{a} before {b}"
            );
        }
        let same_day: Vec<_> = everything
            .iter()
            .filter(|n| n["published_at"] == "2020-04-21T00:00:00+02:00")
            .collect();
        assert_eq!(same_day.len(), 2);
    }

    async fn each_filter_narrows_the_list(app: TestApp) {
        let grants = app.all_notices("&kind=grant", 2).await;
        assert_eq!(grants.len(), 3);
        assert!(grants.iter().all(|n| n["kind"] == "grant"));

        let grants_and_news = app.all_notices("&kind=grant&kind=news", 100).await;
        assert_eq!(grants_and_news.len(), 7);

        let children = app.all_notices("&area=barnevern-og-familievern", 100).await;
        assert_eq!(
            titles(&children),
            ["Webinar for helsestasjon- og skolehelse"]
        );
        let either = app
            .all_notices("&area=barnevern-og-familievern&area=kommuneoverlege", 100)
            .await;
        assert_eq!(either.len(), 3);
        assert!(either.iter().all(|n| {
            let areas = n["areas"].as_array().unwrap();
            areas.contains(&"barnevern-og-familievern".into())
                || areas.contains(&"kommuneoverlege".into())
        }));
        let parent = app
            .all_notices("&area=helse-pleie-omsorg-og-vern", 100)
            .await;
        assert_eq!(
            parent.len(),
            10,
            "the parent package covers its sub-packages"
        );

        let april_21 = app.all_notices("&from=2020-04-21&to=2020-04-21", 1).await;
        assert_eq!(april_21.len(), 2);
        let since_autumn = app.all_notices("&from=2020-09-03", 100).await;
        assert_eq!(since_autumn.len(), 3);
        let until_april = app
            .all_notices("&to=2020-04-20T00:00:00%2B02:00", 100)
            .await;
        assert_eq!(
            titles(&until_april),
            [
                "Smittevern for helsevirksomheter med én-til-én kontakt",
                "Opplæringsressurser covid 19"
            ]
        );

        let cancelled = app.all_notices("&status=cancelled", 100).await;
        assert_eq!(titles(&cancelled), ["IPLOS/KPR opplæring"]);
        let open = app.all_notices("&status=open&kind=grant", 100).await;
        assert_eq!(open.len(), 3);
        let past = app.all_notices("&status=past", 100).await;
        assert_eq!(past.len(), 2);

        let found = app.all_notices("&q=hospitering", 100).await;
        assert_eq!(titles(&found), ["Tilskudd til hospitering"]);
        let found = app
            .all_notices("&q=fysioterapeuter%20kiropraktorer", 100)
            .await;
        assert_eq!(
            titles(&found),
            ["Smittevern for helsevirksomheter med én-til-én kontakt"]
        );
    }

    async fn every_kind_of_bad_parameter_is_a_400_naming_it(app: TestApp) {
        let cases = [
            ("limit=0", "limit"),
            ("limit=101", "limit"),
            ("limit=ti", "limit"),
            ("limit=5&limit=6", "limit"),
            ("kind=event", "kind"),
            ("area=nowhere", "area"),
            ("from=2020-13-01", "from"),
            ("to=yesterday", "to"),
            ("from=2020-05-01&to=2020-04-01", "to"),
            ("status=done", "status"),
            ("kind=news&status=open", "status"),
            ("cursor=not-a-cursor", "cursor"),
            ("cursor=", "cursor"),
            ("q=", "q"),
            ("q=%20%20", "q"),
            ("sort=title", "sort"),
        ];
        for (query, field) in cases {
            let response = app.get(&format!("/api/v1/notices?{query}")).await;
            assert_problem(response, 400, Some(field)).await;
        }
        let body = assert_problem(
            app.get("/api/v1/notices?limit=0&kind=x").await,
            400,
            Some("limit"),
        )
        .await;
        assert_eq!(
            body["errors"].as_array().unwrap().len(),
            2,
            "every bad parameter at once"
        );
    }

    async fn one_notice_by_id_or_slug_and_unknown_ones_are_404(app: TestApp) {
        let items = app.all_notices("", 100).await;
        for notice in &items {
            let by_id = app
                .json(&format!(
                    "/api/v1/notices/{}",
                    notice["id"].as_str().unwrap()
                ))
                .await;
            let by_slug = app
                .json(&format!(
                    "/api/v1/notices/{}",
                    notice["slug"].as_str().unwrap()
                ))
                .await;
            assert_eq!(&by_id, notice);
            assert_eq!(by_slug, by_id);
        }
        assert_problem(app.get("/api/v1/notices/finnes-ikke").await, 404, None).await;
        assert_problem(
            app.get("/api/v1/notices/00000000-0000-4000-8000-000000000000")
                .await,
            404,
            None,
        )
        .await;
    }

    async fn the_areas_are_the_access_packages(app: TestApp) {
        let areas = app.json("/api/v1/areas").await;
        let items = areas["items"].as_array().unwrap();
        assert_eq!(items.len(), 7);
        assert_eq!(items[0]["name"], "Helse, pleie, omsorg og vern");
        assert_eq!(items[0]["linkable"], false);
        assert_eq!(items[0]["parent"], Value::Null);
        let kommuneoverlege = items
            .iter()
            .find(|a| a["slug"] == "kommuneoverlege")
            .unwrap();
        assert_eq!(kommuneoverlege["description"], Value::Null);
        assert_eq!(kommuneoverlege["parent"], "helse-pleie-omsorg-og-vern");
        assert_eq!(kommuneoverlege["er_roles"][0], "DAGL");
        let institusjon = items
            .iter()
            .find(|a| a["slug"] == "pleie-og-omsorgstjenester-i-institusjon")
            .unwrap();
        assert!(institusjon["description"]
            .as_str()
            .unwrap()
            .contains("pleie og omsorgstilbud i institursjon"));
    }
}
