//! Reading a notice's long text quickly. Diesel checks SQLite's text as
//! UTF-8 twice for every value it reads as a `String`, with the standard
//! library's byte-at-a-time check: about 1.4 µs for each notice of a
//! search's page at a million (perf), where the bodies of the matches make
//! an answer of 35 kB. The title, summary and body are read here as bytes
//! (which Diesel hands over from a copy SQLite makes, still cheaper than the
//! second check) and checked once, with SIMD (`simdutf8`); text that is not
//! UTF-8 is left to Diesel's own reading, which refuses it.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;

use super::quick_read::read_quickly_on_sqlite;

/// The text of a `TEXT` column; the field reads it with
/// `#[diesel(deserialize_as = StoredText)]`.
#[derive(FromSqlRow)]
pub(in crate::store) struct StoredText(String);

/// The same for a nullable column: `#[diesel(deserialize_as = MaybeText)]`.
#[derive(FromSqlRow)]
pub(in crate::store) struct MaybeText(Option<String>);

impl FromSql<Text, Sqlite> for StoredText {
    fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        if let Ok(text) = simdutf8::basic::from_utf8(value.read_blob()) {
            return Ok(StoredText(text.to_owned()));
        }
        <String as FromSql<Text, Sqlite>>::from_sql(value).map(StoredText)
    }
}

read_quickly_on_sqlite!(StoredText, MaybeText, Text, String);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::DbConnection;
    use diesel::prelude::*;
    use diesel::sql_types::Nullable;

    #[derive(QueryableByName)]
    struct Read {
        #[diesel(sql_type = Text, deserialize_as = StoredText)]
        text: String,
        #[diesel(sql_type = Nullable<Text>, deserialize_as = MaybeText)]
        maybe: Option<String>,
    }

    /// The same columns as Diesel reads them.
    #[derive(QueryableByName)]
    struct Diesel {
        #[diesel(sql_type = Text)]
        text: String,
        #[diesel(sql_type = Nullable<Text>)]
        maybe: Option<String>,
    }

    fn connection() -> DbConnection {
        DbConnection::Sqlite(SqliteConnection::establish(":memory:").unwrap())
    }

    fn read(sql: &str) -> QueryResult<Read> {
        diesel::sql_query(sql).get_result(&mut connection())
    }

    #[test]
    fn stored_text_reads_as_written() {
        let found =
            read("SELECT 'Søk om «tilskudd» – før fristen' AS text, NULL AS maybe").unwrap();
        assert_eq!(found.text, "Søk om «tilskudd» – før fristen");
        assert_eq!(found.maybe, None);
        let found = read("SELECT '' AS text, 'æøå' AS maybe").unwrap();
        assert_eq!(found.text, "");
        assert_eq!(found.maybe.as_deref(), Some("æøå"));
    }

    /// Bytes that are not UTF-8 are refused, as Diesel refuses them, in
    /// either column: never read as something else.
    #[test]
    fn text_that_is_not_utf8_is_refused_as_diesel_refuses_it() {
        for sql in [
            "SELECT CAST(x'c3b8ff41' AS TEXT) AS text, NULL AS maybe",
            "SELECT 'ø' AS text, CAST(x'41ff' AS TEXT) AS maybe",
        ] {
            let diesel = diesel::sql_query(sql)
                .get_result::<Diesel>(&mut connection())
                .map(|d| (d.text, d.maybe));
            assert!(diesel.is_err(), "{sql}: {diesel:?}");
            assert!(read(sql).is_err(), "{sql}");
        }
    }
}
