//! Full-text search, the one place where the backends need their own SQL:
//! PostgreSQL's `norwegian` text search over a GIN index, SQLite's FTS5.

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Text};

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
/// words and ignores stop words; SQLite matches each word of three letters
/// or more as a prefix, and shorter ones whole. A
/// search is a filter like the others: its matches come in the list's order,
/// newest first, which an index gives on both backends, so a page costs the
/// same however many notices match.
pub enum Search {
    /// PostgreSQL's, through `PgSearch` on the query as typed.
    Postgres,
    /// An FTS5 query: each word, as the terms that begin with it.
    Sqlite(String),
}

/// Most terms a word's prefix is expanded into; a prefix shared by more is
/// searched as FTS5's prefix query. At a million notices FTS5 reads about
/// 250 terms' lists in 20 ms, where one prefix query over as many merges
/// every match first, in seconds.
const MAX_EXPANSION: i64 = 256;

/// Words shorter than this (in characters) are matched whole: "i" or "og"
/// as a prefix is in nearly every notice, and says nothing.
const MIN_PREFIX: usize = 3;

impl Search {
    pub fn new(conn: &mut DbConnection, query: &str) -> StoreResult<Self> {
        if let DbConnection::Pg(_) = conn {
            return Ok(Search::Postgres);
        }
        let mut clauses = Vec::new();
        for word in words(query) {
            clauses.push(sqlite_word(conn, word)?);
        }
        Ok(Search::Sqlite(clauses.join(" AND ")))
    }
}

/// One word as an FTS5 clause: the indexed terms that begin with it, joined
/// by OR, which FTS5 reads lazily in rowid order (see the migration
/// `search_terms`); or, when none is found (a word FTS5 folds otherwise than
/// Rust's lowercase) or very many, the word as FTS5's prefix query. A short
/// word is the whole word alone.
fn sqlite_word(conn: &mut DbConnection, word: &str) -> StoreResult<String> {
    #[derive(QueryableByName)]
    struct Term {
        #[diesel(sql_type = Text)]
        term: String,
    }
    let phrase = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    if word.chars().count() < MIN_PREFIX {
        return Ok(phrase(word));
    }
    let prefix = word.to_lowercase();
    let terms: Vec<Term> = diesel::sql_query(
        "SELECT term FROM search_terms WHERE term >= ? AND term < ? ORDER BY term LIMIT ?",
    )
    .bind::<Text, _>(&prefix)
    .bind::<Text, _>(format!("{prefix}\u{10FFFF}"))
    .bind::<BigInt, _>(MAX_EXPANSION + 1)
    .load(conn)?;
    if terms.is_empty() || terms.len() as i64 > MAX_EXPANSION {
        return Ok(format!("{}*", phrase(word)));
    }
    let terms: Vec<String> = terms.iter().map(|t| phrase(&t.term)).collect();
    Ok(format!("({})", terms.join(" OR ")))
}

/// PostgreSQL's search as a condition of a query over `notices`, served by
/// the GIN index (with the date index, a window of time at a time).
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
}

/// SQLite: a notice's `notices.search_rowid` follows publication order: the
/// second of its `published_at` (Unix time, rounded down) shifted left by
/// this many bits, plus a slot within that second (see the migration
/// `search_in_order`). Its row in `notices_fts` has the rowid
/// `-search_rowid`, so that newest first is the order FTS5 reads fastest
/// (the migration `search_forwards`).
pub const SLOT_BITS: u32 = 20;

/// The second of `published_at` that a `search_rowid` stands for.
pub fn second_of(search_rowid: i64) -> i64 {
    search_rowid >> SLOT_BITS
}

/// The first `search_rowid` of the second of `at`.
pub fn first_rowid_at(at: NaiveDateTime) -> i64 {
    at.and_utc().timestamp() << SLOT_BITS
}

/// The last `search_rowid` of the second of `at`.
pub fn last_rowid_at(at: NaiveDateTime) -> i64 {
    ((at.and_utc().timestamp() + 1) << SLOT_BITS) - 1
}

/// SQLite: the `search_rowid`s of notices that match `expression` (a
/// `Search::Sqlite`), newest first, within `low..=high`, at most `limit` of
/// them. FTS5 reads the terms' matches forwards, in the order of its rowids
/// (each the negated `search_rowid`), and stops after `limit`; no match is
/// ranked.
pub fn sqlite_matches(
    conn: &mut DbConnection,
    expression: &str,
    low: Option<i64>,
    high: Option<i64>,
    limit: i64,
) -> StoreResult<Vec<i64>> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = BigInt)]
        search_rowid: i64,
    }
    // Ordered by the FTS rowid itself, which FTS5 gives as it reads; never by
    // the negation, which it would have to sort every match for.
    let mut sql = String::from(
        "SELECT -notices_fts.rowid AS search_rowid FROM notices_fts WHERE notices_fts MATCH ?",
    );
    // search_rowid <= high, so the FTS rowid >= -high, and the other way.
    let bounds = [high.map(|high| -high), low.map(|low| -low)];
    if bounds[0].is_some() {
        sql.push_str(" AND notices_fts.rowid >= ?");
    }
    if bounds[1].is_some() {
        sql.push_str(" AND notices_fts.rowid <= ?");
    }
    sql.push_str(" ORDER BY notices_fts.rowid LIMIT ?");
    let mut query = diesel::sql_query(sql)
        .into_boxed::<diesel::sqlite::Sqlite>()
        .bind::<Text, _>(expression);
    for bound in bounds.into_iter().flatten() {
        query = query.bind::<BigInt, _>(bound);
    }
    let query = query.bind::<BigInt, _>(limit);
    let found: Vec<Found> = match conn {
        DbConnection::Sqlite(c) => query.load(c)?,
        DbConnection::Pg(_) => return Err(not_here()),
    };
    Ok(found.into_iter().map(|f| f.search_rowid).collect())
}

fn not_here() -> super::StoreError {
    super::StoreError::Corrupt("an FTS5 search asked of PostgreSQL".into())
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
