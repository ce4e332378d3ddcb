//! iCalendar (RFC 5545): webinars as events, grant deadlines as all-day events.

use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, Component, Event, EventStatus};

use super::{description_text, FeedInfo};
use crate::domain::time::ZONE;
use crate::domain::{Details, Notice};
use crate::i18n::Lang;

/// Europe/Oslo as RFC 5545 defines zones: the EU rules in force since 1996.
const OSLO: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/Oslo\r\n\
BEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\n\
TZNAME:CEST\r\n\
DTSTART:19960331T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\n\
TZNAME:CET\r\n\
DTSTART:19961027T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// `DTSTART;TZID=Europe/Oslo:20261203T100000`.
fn oslo(event: &mut Event, key: &str, at: DateTime<Utc>) {
    let local = at.with_timezone(&ZONE).naive_local();
    event.append_property(
        icalendar::Property::new(key, local.format("%Y%m%dT%H%M%S").to_string())
            .add_parameter("TZID", "Europe/Oslo")
            .done(),
    );
}

/// The host-independent part of every UID, so they never change.
const UID_DOMAIN: &str = "tavla.helsedirektoratet";

/// A text property (SUMMARY, DESCRIPTION) in the notice's language (RFC
/// 5545's LANGUAGE parameter).
fn text(event: &mut Event, name: &str, value: &str, notice: &Notice) {
    event.append_property(
        icalendar::Property::new(name, value)
            .add_parameter("LANGUAGE", notice.language.as_str())
            .done(),
    );
}

/// Renders the calendar: one event per webinar with a time (cancelled ones
/// kept, `STATUS:CANCELLED`), and one all-day event per grant deadline.
/// `SEQUENCE` is the notice's revision, so clients take each change.
pub fn render(info: &FeedInfo, notices: &[Notice], now: DateTime<Utc>) -> String {
    // Calendar::new() would add a PRODID of its own; RFC 5545 allows one.
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .name(&info.title)
        .description(&info.description)
        .append_property(("PRODID", "-//Helsedirektoratet//Tavla//NB"))
        .append_property(("METHOD", "PUBLISH"))
        .append_property(("X-WR-TIMEZONE", "Europe/Oslo"))
        .append_property(("X-PUBLISHED-TTL", "PT1H"));
    for notice in notices {
        let mut event = Event::new();
        event
            .add_property(
                "DTSTAMP",
                notice.updated_at.format("%Y%m%dT%H%M%SZ").to_string(),
            )
            .add_property("SEQUENCE", notice.revision.to_string())
            .url(&info.item_link(notice));
        let lang = Lang::of(notice.language);
        text(
            &mut event,
            "DESCRIPTION",
            &description_text(notice, now),
            notice,
        );
        match &notice.details {
            Details::Webinar(webinar) => {
                let Some(start) = webinar.starts_at else {
                    continue;
                };
                let end = webinar.ends_at.unwrap_or(start + Duration::hours(1));
                event
                    .uid(&format!("{}@{UID_DOMAIN}", notice.id))
                    .status(if webinar.cancelled {
                        EventStatus::Cancelled
                    } else {
                        EventStatus::Confirmed
                    });
                text(&mut event, "SUMMARY", &notice.title, notice);
                oslo(&mut event, "DTSTART", start);
                oslo(&mut event, "DTEND", end);
                if let Some(registration) = webinar
                    .registration_url
                    .as_ref()
                    .filter(|_| !webinar.cancelled)
                {
                    // Calendars show the description, not extension properties.
                    let registration =
                        lang.t_with("calendar-registration", &[("url", registration.clone())]);
                    let described = format!("{}\n{registration}", description_text(notice, now));
                    text(&mut event, "DESCRIPTION", &described, notice);
                }
            }
            Details::Grant(grant) => {
                let Some(deadline) = grant.deadline else {
                    continue;
                };
                // An all-day event on the deadline's date: DTEND is the next day, exclusive.
                let day = deadline.with_timezone(&ZONE).date_naive();
                let date = |d: chrono::NaiveDate| d.format("%Y%m%d").to_string();
                event
                    .uid(&format!("{}-frist@{UID_DOMAIN}", notice.id))
                    .append_property(
                        icalendar::Property::new("DTSTART", date(day))
                            .add_parameter("VALUE", "DATE")
                            .done(),
                    )
                    .append_property(
                        icalendar::Property::new("DTEND", date(day + Duration::days(1)))
                            .add_parameter("VALUE", "DATE")
                            .done(),
                    )
                    .add_property("TRANSP", "TRANSPARENT");
                let title = lang.t_with("calendar-deadline", &[("title", notice.title.clone())]);
                text(&mut event, "SUMMARY", &title, notice);
            }
            Details::News => continue,
        }
        calendar.push(event.done());
    }
    // The library writes events; the zone they name is declared before them.
    let text = calendar.done().to_string();
    let text = match text.find("BEGIN:VEVENT") {
        Some(at) => format!("{}{OSLO}{}", &text[..at], &text[at..]),
        None => text.replace("END:VCALENDAR", &format!("{OSLO}END:VCALENDAR")),
    };
    refold(&text)
}

/// Folds every content line at 75 octets (RFC 5545 §3.1), never inside a
/// UTF-8 character: the library counts characters, and æøå are two octets.
fn refold(text: &str) -> String {
    let unfolded = text.replace("\r\n ", "");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 70 * 3);
    for line in unfolded.split_terminator("\r\n") {
        let mut width = 0;
        for ch in line.chars() {
            let size = ch.len_utf8();
            if width + size > 75 {
                out.push_str("\r\n ");
                width = 1;
            }
            out.push(ch);
            width += size;
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::refold;

    #[test]
    fn lines_fold_at_75_octets_between_characters() {
        let long = format!("DESCRIPTION:{}\r\n", "æ".repeat(60));
        let folded = refold(&long);
        assert!(
            folded.split("\r\n").all(|line| line.len() <= 75),
            "{folded}"
        );
        assert_eq!(
            folded.replace("\r\n ", ""),
            long,
            "unfolding gives the line back"
        );
        assert_eq!(refold("A:b\r\n"), "A:b\r\n");
    }
}
