//! Full-text search, the one place where the backends need their own SQL:
//! PostgreSQL's `norwegian` text search over a GIN index, SQLite's FTS5.

use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Double, Integer, Text};

use super::schema::notices;
use super::{DbConnection, MultiBackend, StoreResult};

type Expr<T> = Box<dyn BoxableExpression<notices::table, MultiBackend, SqlType = T>>;

/// The words of a query: runs of letters and digits, as both backends tokenise.
pub fn words(query: &str) -> Vec<&str> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// A search for every word of the user's query, on the connection's backend.
/// Both backends match notices containing every word; operators are not
/// interpreted. PostgreSQL also stems words and ignores stop words; SQLite
/// matches each word as a prefix.
pub enum Search {
    /// The query as typed, for `plainto_tsquery('norwegian', …)`.
    Postgres(String),
    /// The words, each an FTS5 prefix phrase.
    Sqlite(Vec<String>),
}

impl Search {
    pub fn new(conn: &DbConnection, query: &str) -> Self {
        match conn {
            DbConnection::Pg(_) => Search::Postgres(query.to_owned()),
            DbConnection::Sqlite(_) => Search::Sqlite(
                words(query)
                    .iter()
                    .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
                    .collect(),
            ),
        }
    }

    /// Whether any word is left to search for: PostgreSQL drops stop words
    /// ("og", "i", "til"), so a query of nothing else finds nothing.
    pub fn has_words(&self, conn: &mut DbConnection) -> StoreResult<bool> {
        match self {
            Search::Sqlite(words) => Ok(!words.is_empty()),
            Search::Postgres(q) => {
                #[derive(QueryableByName)]
                struct Nodes {
                    #[diesel(sql_type = Integer)]
                    nodes: i32,
                }
                let found: Nodes =
                    diesel::sql_query("SELECT numnode(plainto_tsquery('norwegian', $1)) AS nodes")
                        .bind::<Text, _>(q)
                        .get_result(conn)?;
                Ok(found.nodes > 0)
            }
        }
    }

    /// Whether a notice matches.
    pub fn matches(&self) -> Expr<Bool> {
        match self {
            Search::Postgres(q) => Box::new(
                sql::<Bool>("notices.search @@ plainto_tsquery('norwegian', ")
                    .bind::<Text, _>(q.clone())
                    .sql(")"),
            ),
            Search::Sqlite(words) => Box::new(
                sql::<Bool>(
                    "notices.id IN (SELECT notice_id FROM notices_fts WHERE notices_fts MATCH ",
                )
                .bind::<Text, _>(words.join(" AND "))
                .sql(")"),
            ),
        }
    }

    /// Relevance, higher first; title counts most, then summary, then body.
    /// It depends on the notice alone, never on the others, so cursors over
    /// a search stay valid while notices are added.
    pub fn rank(&self) -> Expr<Double> {
        match self {
            Search::Postgres(q) => Box::new(
                sql::<Double>("ts_rank_cd(notices.search, plainto_tsquery('norwegian', ")
                    .bind::<Text, _>(q.clone())
                    .sql("))::float8"),
            ),
            Search::Sqlite(words) => {
                // 4 for a word in the title, 2 in the summary, 1 in the body.
                let any = words.join(" OR ");
                let column = |name: &str| format!("{{{name}}} : ({any})");
                let in_column = " THEN 1 ELSE 0 END";
                let hit = "(CASE WHEN notices.id IN (SELECT notice_id FROM notices_fts WHERE notices_fts MATCH ";
                Box::new(
                    sql::<Double>(&format!("(4.0 * {hit}"))
                        .bind::<Text, _>(column("title"))
                        .sql(&format!("){in_column}) + 2.0 * {hit}"))
                        .bind::<Text, _>(column("summary"))
                        .sql(&format!("){in_column}) + 1.0 * {hit}"))
                        .bind::<Text, _>(column("body"))
                        .sql(&format!("){in_column}))")),
                )
            }
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
