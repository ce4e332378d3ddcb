//! Instants are stored in UTC and shown in Norway's time zone.

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone, Utc};
use chrono_tz::{Europe::Oslo, Tz};

/// The zone every date in Tavla's sources and pages is read and shown in.
pub const ZONE: Tz = Oslo;

/// The years Tavla accepts in any date: wide enough for every real notice,
/// narrow enough that every format and both databases can write them.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=9000;

/// Whether `instant` lies within `YEARS`.
pub fn in_range(instant: DateTime<Utc>) -> bool {
    use chrono::Datelike;
    YEARS.contains(&instant.year())
}

/// The message for an instant outside `YEARS`.
pub fn out_of_range() -> super::invalid::Invalid {
    super::invalid::Invalid::YearsBetween {
        from: *YEARS.start(),
        to: *YEARS.end(),
    }
}

/// 00:00 in Europe/Oslo on `date`: what a date-only publication date means.
pub fn start_of_oslo_day(date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    // Norway changes clocks at 02:00/03:00, so midnight is never skipped or doubled.
    ZONE.from_local_datetime(&midnight)
        .earliest()
        .expect("midnight exists in Europe/Oslo")
        .with_timezone(&Utc)
}

/// RFC 3339 with Oslo's offset, e.g. `2020-10-27T00:00:00+01:00`.
pub fn rfc3339_oslo(instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&ZONE)
        .to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// `27.10.2020`, as the directorate writes dates.
pub fn norwegian_date(instant: DateTime<Utc>) -> String {
    instant.with_timezone(&ZONE).format("%d.%m.%Y").to_string()
}

/// `27.10.2020 kl. 13:00`.
pub fn norwegian_date_time(instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&ZONE)
        .format("%d.%m.%Y kl. %H:%M")
        .to_string()
}

/// `27.10.2020 kl. 13:00:05`: when seconds tell events apart.
pub fn norwegian_date_time_seconds(instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&ZONE)
        .format("%d.%m.%Y kl. %H:%M:%S")
        .to_string()
}

/// Microsecond precision is what both SQLite's text and PostgreSQL's timestamps keep.
pub fn truncate_to_micros(instant: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(instant.timestamp_micros()).expect("in range")
}

/// An instant without its fraction of a second: what Tavla stamps on what it
/// stores itself (publication, creation and change times), as editors read them.
pub fn whole_seconds(instant: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(instant.timestamp(), 0).expect("in range")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn midnight_in_oslo_follows_summer_time() {
        let winter = start_of_oslo_day(NaiveDate::from_ymd_opt(2020, 10, 27).unwrap());
        let summer = start_of_oslo_day(NaiveDate::from_ymd_opt(2020, 10, 20).unwrap());
        assert_eq!(rfc3339_oslo(winter), "2020-10-27T00:00:00+01:00");
        assert_eq!(rfc3339_oslo(summer), "2020-10-20T00:00:00+02:00");
        assert_eq!(winter.to_rfc3339(), "2020-10-26T23:00:00+00:00");
    }

    #[test]
    fn norwegian_dates_use_oslo_time() {
        let instant = start_of_oslo_day(NaiveDate::from_ymd_opt(2020, 4, 21).unwrap());
        assert_eq!(norwegian_date(instant), "21.04.2020");
        assert_eq!(norwegian_date_time(instant), "21.04.2020 kl. 00:00");
    }
}
