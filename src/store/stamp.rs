//! Reading a stored instant quickly. Diesel reads SQLite's `TIMESTAMP` text
//! with `NaiveDateTime::parse_from_str`, which parses its format string
//! anew for every value, up to six a notice: 18 µs of a search's page of 20
//! notices (perf, at a million). Even given its format as items made once,
//! chrono's general parser spent about 540 instructions on each (2 % of
//! that page's, callgrind). The one format Diesel writes is read here digit
//! by digit; text in any other format falls back to Diesel's own reading.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::sql_types::Timestamp;
use diesel::sqlite::Sqlite;

use super::quick_read::read_quickly_on_sqlite;

/// An instant of a `TIMESTAMP` column; the field reads it with
/// `#[diesel(deserialize_as = Stamp)]`.
#[derive(FromSqlRow)]
pub(in crate::store) struct Stamp(NaiveDateTime);

/// The same for a nullable column: `#[diesel(deserialize_as = MaybeStamp)]`.
#[derive(FromSqlRow)]
pub(in crate::store) struct MaybeStamp(Option<NaiveDateTime>);

/// The text Diesel writes for a `NaiveDateTime` on SQLite, `%F %T%.f`, such
/// as `2026-03-01 09:30:00` or `2026-03-01 09:30:00.25` (one to nine digits
/// of a second); `None` for anything else, or a date or time that does not
/// exist.
fn parse_stored(text: &str) -> Option<NaiveDateTime> {
    let bytes = text.as_bytes();
    let (whole, fraction) = bytes.split_at_checked(19)?;
    let number = |at: usize, len: usize| digits(&whole[at..at + len]);
    let separators = [(4, b'-'), (7, b'-'), (10, b' '), (13, b':'), (16, b':')];
    if separators.iter().any(|&(at, b)| whole[at] != b) {
        return None;
    }
    let nanos = match fraction {
        [] => 0,
        [b'.', decimals @ ..] if (1..=9).contains(&decimals.len()) => {
            digits(decimals)? * 10u32.pow(9 - decimals.len() as u32)
        }
        _ => return None,
    };
    NaiveDate::from_ymd_opt(number(0, 4)? as i32, number(5, 2)?, number(8, 2)?)?.and_hms_nano_opt(
        number(11, 2)?,
        number(14, 2)?,
        number(17, 2)?,
        nanos,
    )
}

/// The number ASCII digits write, at most nine of them; `None` if any byte
/// is not a digit.
fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

impl FromSql<Timestamp, Sqlite> for Stamp {
    fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        if let Some(at) = parse_stored(value.read_text()) {
            return Ok(Stamp(at));
        }
        <NaiveDateTime as FromSql<Timestamp, Sqlite>>::from_sql(value).map(Stamp)
    }
}

read_quickly_on_sqlite!(Stamp, MaybeStamp, Timestamp, NaiveDateTime);

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use diesel::sql_types::Nullable;

    #[test]
    fn the_stored_text_reads_as_chrono_reads_it() {
        let at = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        for (text, want) in [
            ("2026-03-01 09:30:00", at.and_hms_opt(9, 30, 0)),
            (
                "2026-03-01 09:30:00.25",
                at.and_hms_milli_opt(9, 30, 0, 250),
            ),
            (
                "2026-03-01 23:59:59.123456789",
                at.and_hms_nano_opt(23, 59, 59, 123_456_789),
            ),
        ] {
            assert_eq!(parse_stored(text), want, "{text}");
            assert_eq!(
                parse_stored(text),
                NaiveDateTime::parse_from_str(text, "%F %T%.f").ok()
            );
        }
    }

    #[test]
    fn other_text_is_left_to_diesel() {
        for text in [
            "2026-03-01T09:30:00",
            "2026-03-01 09:30",
            "2026-03-01 09:30:00+01:00",
            "2461000.5",
            "2026-02-30 09:30:00",
            "2026-03-01 24:00:00",
            "2026-03-01 09:30:00.",
            "2026-03-01 09:30:00.1234567890",
            "2026-03-01 09:30:0x",
            "2026-03-01 09:30:00 ",
            "+026-03-01 09:30:00",
            "2026-03-01 09:30:00.+5",
            "2026-03-01 09:30:00.٣",
        ] {
            assert_eq!(parse_stored(text), None, "{text}");
        }
    }

    /// Through a connection, as a row reads them: the stored text, text in
    /// another format SQLite or an older writer may have left, and NULL.
    #[test]
    fn a_column_reads_any_format_diesel_reads() {
        use diesel::dsl::sql;
        use diesel::{Connection, RunQueryDsl};

        let mut conn = crate::store::DbConnection::establish(":memory:").unwrap();
        let at = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        for (text, want) in [
            (
                "'2026-03-01 09:30:00.5'",
                at.and_hms_milli_opt(9, 30, 0, 500),
            ),
            ("'2026-03-01T09:30:00'", at.and_hms_opt(9, 30, 0)),
            ("'2026-03-01 09:30'", at.and_hms_opt(9, 30, 0)),
        ] {
            let read: Stamp = diesel::select(sql::<Timestamp>(text))
                .get_result(&mut conn)
                .unwrap();
            assert_eq!(Some(read.0), want, "{text}");
            let read: MaybeStamp = diesel::select(sql::<Nullable<Timestamp>>(text))
                .get_result(&mut conn)
                .unwrap();
            assert_eq!(read.0, want, "{text}");
        }
        let null: MaybeStamp = diesel::select(sql::<Nullable<Timestamp>>("NULL"))
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(null.0, None);
    }
}
