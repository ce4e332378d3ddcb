//! Unit tests of how the store opens its connections.

use super::*;
use diesel::sql_types::BigInt;
use diesel::{QueryableByName, RunQueryDsl};

/// No page is read through a map, whatever default the SQLite a build
/// links was compiled with (`SQLITE_DEFAULT_MMAP_SIZE`).
#[test]
fn a_sqlite_connection_reads_the_file_without_a_map() {
    #[derive(QueryableByName)]
    struct Mapped {
        #[diesel(sql_type = BigInt)]
        mmap_size: i64,
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tavla.db").to_string_lossy().into_owned();
    let manager = Manager {
        backend: Backend::Sqlite(path),
        statement_timeout: Duration::from_secs(10),
    };
    let DbConnection::Sqlite(mut conn) = manager.connect().unwrap() else {
        unreachable!("a SQLite backend opens SQLite")
    };
    let mapped: Mapped = diesel::sql_query("PRAGMA mmap_size")
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(mapped.mmap_size, 0, "no page read through a map");
}

/// The bundled SQLite is built as `.cargo/config.toml` says: each
/// connection with a page cache of its own (no memory management, which
/// puts every connection's pages behind one lock) and no lock around each
/// call (multi-thread mode).
#[test]
fn sqlite_takes_no_process_wide_lock_to_read_a_page() {
    #[derive(QueryableByName)]
    struct CompileOption {
        #[diesel(sql_type = diesel::sql_types::Text)]
        compile_options: String,
    }
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let options: Vec<String> = diesel::sql_query("PRAGMA compile_options")
        .load::<CompileOption>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|o| o.compile_options)
        .collect();
    assert!(
        !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
        "page caches shared behind one lock: {options:?}"
    );
    assert!(
        options.iter().any(|o| o == "THREADSAFE=2"),
        "not multi-thread mode: {options:?}"
    );
    assert!(
        options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
        "memory statistics on: {options:?}"
    );
}
