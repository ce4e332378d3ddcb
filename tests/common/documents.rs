//! Documents for the admin API (a grant, a webinar, instants in Oslo) and
//! the reading of calendars, for the tests that send and read them.

use serde_json::Value;

/// `hour:minute` in Oslo, `days` from today, as the API writes instants
/// (RFC 3339 with Oslo's offset): a test never names a date that will pass.
pub fn oslo_days_ahead(days: i64, hour: u32, minute: u32) -> String {
    use chrono::TimeZone;
    let oslo = chrono_tz::Europe::Oslo;
    let date =
        (chrono::Utc::now().with_timezone(&oslo) + chrono::Duration::days(days)).date_naive();
    let local = date.and_hms_opt(hour, minute, 0).unwrap();
    oslo.from_local_datetime(&local)
        .earliest()
        .unwrap()
        .to_rfc3339()
}

/// A valid grant document for the admin API.
pub fn grant_doc(title: &str) -> Value {
    serde_json::json!({
        "kind": "grant",
        "title": title,
        "summary": "Kommunene kan søke om midler.",
        "areas": ["helsetjenester"],
        "grant": {
            "deadline": oslo_days_ahead(365, 12, 0),
            "amount_nok": 1500000,
            "applicants": ["kommuner", "fylkeskommuner"],
            "apply_url": "https://www.helsedirektoratet.no/tilskudd/test"
        }
    })
}

/// A webinar document with a time, for the admin API.
pub fn webinar_doc(title: &str) -> Value {
    serde_json::json!({
        "kind": "webinar",
        "title": title,
        "summary": "Et webinar for kommunene.",
        "areas": ["kommuneoverlege"],
        "webinar": {
            "starts_at": oslo_days_ahead(300, 10, 0),
            "ends_at": oslo_days_ahead(300, 11, 30),
            "registration_url": "https://www.helsedirektoratet.no/webinar"
        }
    })
}

/// Parses an iCalendar text with an independent parser; returns its one calendar.
pub fn parse_calendar(text: &str) -> ical::parser::ical::component::IcalCalendar {
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let calendar = calendars
        .next()
        .expect("one calendar")
        .expect("a valid calendar");
    assert!(calendars.next().is_none(), "only one calendar");
    calendar
}

/// The value of an iCalendar property, and its parameters.
pub fn ical_property<'a>(
    properties: &'a [ical::property::Property],
    name: &str,
) -> Option<&'a ical::property::Property> {
    properties.iter().find(|p| p.name == name)
}
