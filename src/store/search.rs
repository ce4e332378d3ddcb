//! Full-text search, the one place where the backends need their own SQL:
//! PostgreSQL's `norwegian` text search over a GIN index, SQLite's FTS5.

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Double, Integer, Text, Timestamp};

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

/// A search for every word of the user's query. Both backends match notices
/// containing every word; operators are not interpreted. PostgreSQL also stems
/// words and ignores stop words; SQLite matches each word as a prefix.
///
/// Relevance, higher first, is 4 for a word in the title, 2 in the summary
/// and 1 in the body, added on SQLite (`sqlite_matches`); PostgreSQL's
/// `ts_rank_cd` weighs the same columns A, B and C. Either depends on the
/// notice alone, never on the others, so cursors over a search stay valid
/// while notices are added.
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
}

/// PostgreSQL's search as conditions of a query over `notices`, served by the
/// GIN index; the matches are then ranked.
pub struct PgSearch(String);

impl PgSearch {
    pub fn new(query: &str) -> Self {
        Self(query.to_owned())
    }

    /// Whether any word is left to search for: PostgreSQL drops stop words
    /// ("og", "i", "til"), so a query of nothing else finds nothing.
    pub fn has_words(&self, conn: &mut DbConnection) -> StoreResult<bool> {
        #[derive(QueryableByName)]
        struct Nodes {
            #[diesel(sql_type = Integer)]
            nodes: i32,
        }
        let found: Nodes =
            diesel::sql_query("SELECT numnode(plainto_tsquery('norwegian', $1)) AS nodes")
                .bind::<Text, _>(&self.0)
                .get_result(conn)?;
        Ok(found.nodes > 0)
    }

    /// Whether a notice matches.
    pub fn matches(&self) -> Expr<Bool> {
        Box::new(
            sql::<Bool>("notices.search @@ plainto_tsquery('norwegian', ")
                .bind::<Text, _>(self.0.clone())
                .sql(")"),
        )
    }

    /// Relevance, higher first; title counts most, then summary, then body.
    pub fn rank(&self) -> Expr<Double> {
        Box::new(
            sql::<Double>("ts_rank_cd(notices.search, plainto_tsquery('norwegian', ")
                .bind::<Text, _>(self.0.clone())
                .sql("))::float8"),
        )
    }
}

/// A notice that matches a SQLite search, with what orders it in the list.
#[derive(Debug, Clone, QueryableByName)]
pub struct Match {
    #[diesel(sql_type = Text)]
    pub notice_id: String,
    #[diesel(sql_type = Timestamp)]
    pub published_at: NaiveDateTime,
    #[diesel(sql_type = Double)]
    pub rank: f64,
}

/// SQLite: the matches of `words` in list order (relevance, then newest, then
/// id), after `after` and within `from..upper`, `limit` of them, from the FTS
/// index alone. Relevance is 4 for a word in the title, 2 in the summary and
/// 1 in the body, added: a column's `bm25` weighted by that column alone is
/// below zero exactly when one of the words is in it. It depends on the
/// notice alone, so cursors stay valid while notices are added.
pub fn sqlite_matches(
    conn: &mut DbConnection,
    words: &[String],
    after: Option<(f64, NaiveDateTime, String)>,
    from: Option<NaiveDateTime>,
    upper: Option<(NaiveDateTime, bool)>,
    limit: i64,
) -> StoreResult<Vec<Match>> {
    let mut sql = String::from(
        "SELECT notice_id, published_at, rank FROM (\
           SELECT notice_id, published_at, \
             (CASE WHEN bm25(notices_fts, 0, 0, 1, 0, 0) < 0 THEN 4.0 ELSE 0.0 END \
            + CASE WHEN bm25(notices_fts, 0, 0, 0, 1, 0) < 0 THEN 2.0 ELSE 0.0 END \
            + CASE WHEN bm25(notices_fts, 0, 0, 0, 0, 1) < 0 THEN 1.0 ELSE 0.0 END) AS rank \
           FROM notices_fts WHERE notices_fts MATCH ?) WHERE 1 = 1",
    );
    if after.is_some() {
        sql.push_str(
            " AND (rank < ? OR (rank = ? AND (published_at < ? \
               OR (published_at = ? AND notice_id < ?))))",
        );
    }
    if from.is_some() {
        sql.push_str(" AND published_at >= ?");
    }
    match upper {
        Some((_, true)) => sql.push_str(" AND published_at <= ?"),
        Some((_, false)) => sql.push_str(" AND published_at < ?"),
        None => {}
    }
    sql.push_str(" ORDER BY rank DESC, published_at DESC, notice_id DESC LIMIT ?");
    let mut query = diesel::sql_query(sql)
        .into_boxed::<diesel::sqlite::Sqlite>()
        .bind::<Text, _>(words.join(" AND "));
    if let Some((rank, at, id)) = after {
        query = query
            .bind::<Double, _>(rank)
            .bind::<Double, _>(rank)
            .bind::<Timestamp, _>(at)
            .bind::<Timestamp, _>(at)
            .bind::<Text, _>(id);
    }
    if let Some(from) = from {
        query = query.bind::<Timestamp, _>(from);
    }
    if let Some((upper, _)) = upper {
        query = query.bind::<Timestamp, _>(upper);
    }
    let query = query.bind::<BigInt, _>(limit);
    match conn {
        DbConnection::Sqlite(c) => Ok(query.load(c)?),
        DbConnection::Pg(_) => Err(super::StoreError::Corrupt(
            "an FTS5 search asked of PostgreSQL".into(),
        )),
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
