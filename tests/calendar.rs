//! `/calendar.ics`: webinars and grant deadlines, read by an independent parser.

mod common;

use common::{grant_doc, ical_property, parse_calendar, webinar_doc, TestApp, TestDb};
use serde_json::json;

fn event_with_uid<'a>(
    calendar: &'a ical::parser::ical::component::IcalCalendar,
    uid: &str,
) -> &'a ical::parser::ical::component::IcalEvent {
    calendar
        .events
        .iter()
        .find(|e| ical_property(&e.properties, "UID").and_then(|p| p.value.as_deref()) == Some(uid))
        .unwrap_or_else(|| panic!("no event {uid}"))
}

fn value(event: &ical::parser::ical::component::IcalEvent, name: &str) -> String {
    ical_property(&event.properties, name)
        .and_then(|p| p.value.clone())
        .unwrap_or_default()
}

fn param(
    event: &ical::parser::ical::component::IcalEvent,
    name: &str,
    param: &str,
) -> Option<String> {
    ical_property(&event.properties, name)?
        .params
        .as_ref()?
        .iter()
        .find(|(k, _)| k == param)
        .map(|(_, v)| v.join(","))
}

on_every_backend! {
    async fn webinars_are_events_in_oslo_time_and_cancelled_ones_stay(app: TestApp) {
        let admin = app.admin();
        let webinar = app.create_notice(&admin, &webinar_doc("Webinar om vaksinasjon")).await;
        let id = webinar["id"].as_str().unwrap();
        let uid = format!("{id}@tavla.helsedirektoratet");
        let text = app.text("/calendar.ics").await;
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        let calendar = parse_calendar(&text);
        let timezone = calendar.timezones.first().expect("the zone the events name is declared");
        assert_eq!(value_of_tz(timezone), "Europe/Oslo");
        let event = event_with_uid(&calendar, &uid);
        assert_eq!(value(event, "SUMMARY"), "Webinar om vaksinasjon");
        let oslo_local = |field: &str| {
            chrono::DateTime::parse_from_rfc3339(webinar["webinar"][field].as_str().unwrap())
                .unwrap()
                .with_timezone(&chrono_tz::Europe::Oslo)
                .format("%Y%m%dT%H%M%S")
                .to_string()
        };
        assert_eq!(value(event, "DTSTART"), oslo_local("starts_at"));
        assert!(value(event, "DTSTART").ends_with("T100000"), "10:00 in Oslo, as posted");
        assert_eq!(param(event, "DTSTART", "TZID").as_deref(), Some("Europe/Oslo"));
        assert_eq!(value(event, "DTEND"), oslo_local("ends_at"));
        assert_eq!(value(event, "STATUS"), "CONFIRMED");
        assert_eq!(value(event, "SEQUENCE"), "1");
        assert!(!value(event, "DTSTAMP").is_empty());
        assert!(value(event, "URL").ends_with("/notices/webinar-om-vaksinasjon"));

        app.patch_notice(&admin, id, "\"rev-1\"", &json!({"title": "Webinar om vaksinasjon (ny tid)",
            "webinar": {"starts_at": "2030-03-02T13:00:00+01:00", "ends_at": "2030-03-02T14:00:00+01:00"}})).await;
        app.patch_notice(&admin, id, "\"rev-2\"", &json!({"webinar": {"cancelled": true, "cancellation_note": "Avlyst på grunn av sykdom"}})).await;
        let calendar = parse_calendar(&app.text("/calendar.ics").await);
        let event = event_with_uid(&calendar, &uid);
        assert_eq!(value(event, "STATUS"), "CANCELLED", "a cancelled webinar stays, marked cancelled");
        assert_eq!(value(event, "SEQUENCE"), "3", "SEQUENCE rises with each revision");
        assert_eq!(value(event, "DTSTART"), "20300302T130000");
        assert!(value(event, "DESCRIPTION").contains("Avlyst: Avlyst på grunn av sykdom"));
    }

    async fn grant_deadlines_are_all_day_events(app: TestApp) {
        let admin = app.admin();
        let mut doc = grant_doc("Tilskudd med frist");
        doc["grant"]["deadline"] = json!("2030-06-30T23:59:00+02:00");
        let grant = app.create_notice(&admin, &doc).await;
        let calendar = parse_calendar(&app.text("/calendar.ics?kind=grant").await);
        let event = event_with_uid(&calendar, &format!("{}-frist@tavla.helsedirektoratet", grant["id"].as_str().unwrap()));
        assert_eq!(value(event, "SUMMARY"), "Søknadsfrist: Tilskudd med frist");
        assert_eq!(value(event, "DTSTART"), "20300630");
        assert_eq!(param(event, "DTSTART", "VALUE").as_deref(), Some("DATE"));
        assert_eq!(value(event, "DTEND"), "20300701", "the end of an all-day event is the next day");
        assert!(value(event, "DESCRIPTION").contains("Søknadsfrist: 30.06.2030 kl. 23:59"));
        assert_eq!(calendar.events.len(), 1, "rolling grants and undated seed webinars have no event; kind=grant leaves webinars out");
        let news_only = parse_calendar(&app.text("/calendar.ics?kind=news").await);
        assert!(news_only.events.is_empty());
    }
}

fn value_of_tz(timezone: &ical::parser::ical::component::IcalTimeZone) -> String {
    ical_property(&timezone.properties, "TZID")
        .and_then(|p| p.value.clone())
        .unwrap_or_default()
}
