//! Full-text search, the one place where the backends need their own SQL:
//! PostgreSQL's `norwegian` text search over a GIN index, SQLite's FTS5.

use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::sql_types::{Bool, Double, Text};

use super::schema::notices;
use super::{DbConnection, MultiBackend};

type Expr<T> = Box<dyn BoxableExpression<notices::table, MultiBackend, SqlType = T>>;

/// The words of a query: runs of letters and digits, as both backends tokenise.
pub fn words(query: &str) -> Vec<&str> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// A search for every word of the user's query, on the connection's backend.
pub enum Search {
    /// The query as typed, for `websearch_to_tsquery` (quotes, `or` and `-` work).
    Postgres(String),
    /// An FTS5 query: every word, each also matching as a prefix.
    Sqlite(String),
}

impl Search {
    pub fn new(conn: &DbConnection, query: &str) -> Self {
        match conn {
            DbConnection::Pg(_) => Search::Postgres(query.to_owned()),
            DbConnection::Sqlite(_) => Search::Sqlite(
                words(query)
                    .iter()
                    .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        }
    }

    /// Whether a notice matches.
    pub fn matches(&self) -> Expr<Bool> {
        match self {
            Search::Postgres(q) => Box::new(
                sql::<Bool>("notices.search @@ websearch_to_tsquery('norwegian', ")
                    .bind::<Text, _>(q.clone())
                    .sql(")"),
            ),
            Search::Sqlite(q) => Box::new(
                sql::<Bool>(
                    "notices.id IN (SELECT notice_id FROM notices_fts WHERE notices_fts MATCH ",
                )
                .bind::<Text, _>(q.clone())
                .sql(")"),
            ),
        }
    }

    /// Relevance: higher is better. Title counts most, then summary, then body.
    pub fn rank(&self) -> Expr<Double> {
        match self {
            Search::Postgres(q) => Box::new(
                sql::<Double>("ts_rank_cd(notices.search, websearch_to_tsquery('norwegian', ")
                    .bind::<Text, _>(q.clone())
                    .sql("))::float8"),
            ),
            Search::Sqlite(q) => Box::new(
                sql::<Double>(
                    "coalesce((SELECT -bm25(notices_fts, 0.0, 10.0, 4.0, 1.0) FROM notices_fts \
                     WHERE notices_fts MATCH ",
                )
                .bind::<Text, _>(q.clone())
                .sql(" AND notices_fts.notice_id = notices.id), 0.0)"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn words_are_letters_and_digits_in_any_script() {
        assert_eq!(
            words("Øve på «TISK» – covid-19!"),
            ["Øve", "på", "TISK", "covid", "19"]
        );
        assert!(words(" -- !! ").is_empty());
    }
}
