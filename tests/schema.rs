//! Both backends' migrations build the same tables and columns.

mod common;

use std::collections::BTreeMap;

use common::{create_postgres_database, settings};
use diesel::sql_types::{Bool, Text};
use diesel::{QueryableByName, RunQueryDsl};
use tavla::store::{Backend, DbConnection, Store};

#[derive(QueryableByName, Debug)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
}

/// Every table and column (generated ones too) but each backend's own
/// machinery: diesel's migration table; SQLite's FTS5 index tables, the
/// notices' rowid in them, and the words of the index with the scratch table
/// they are found by; and PostgreSQL's generated `search` column, which are
/// the two halves of full-text search.
fn columns(backend: Backend) -> BTreeMap<(String, String), bool> {
    tavla::prepare_store(&settings(&backend)).unwrap();
    let store = Store::connect(&backend, &Default::default()).unwrap();
    let mut conn = store.conn().unwrap();
    let rows: Vec<Column> = match &mut *conn {
        DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name, \
             (p.\"notnull\" = 0 AND p.pk = 0) AS nullable \
             FROM sqlite_master m, pragma_table_xinfo(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
             AND m.name NOT LIKE 'notices_fts%' AND m.name <> '__diesel_schema_migrations' \
             AND m.name NOT LIKE 'search_scratch%' AND m.name <> 'search_terms' \
             AND NOT (m.name = 'notices' AND p.name = 'search_rowid')",
        )
        .load(c)
        .unwrap(),
        DbConnection::Pg(c) => diesel::sql_query(
            "SELECT table_name::text, column_name::text, (is_nullable = 'YES') AS nullable \
             FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations' \
             AND column_name <> 'search'",
        )
        .load(c)
        .unwrap(),
    };
    rows.into_iter()
        .map(|c| ((c.table_name, c.column_name), c.nullable))
        .collect()
}

#[test]
fn sqlite_and_postgres_have_the_same_tables_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = columns(Backend::Sqlite(
        dir.path().join("t.db").to_string_lossy().into_owned(),
    ));
    let postgres = columns(Backend::Postgres(create_postgres_database()));
    let tables: std::collections::BTreeSet<&str> = sqlite.keys().map(|(t, _)| t.as_str()).collect();
    for table in [
        "areas",
        "notices",
        "notice_areas",
        "content_version",
        "tokens",
        "audit_log",
    ] {
        assert!(tables.contains(table), "{table} in {tables:?}");
    }
    assert_eq!(sqlite, postgres);
}
