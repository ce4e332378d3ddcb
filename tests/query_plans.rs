//! Every query a public read runs is served by an index: no plan walks the
//! notices in full or sorts the whole store, on either backend.
//!
//! Each scenario runs the real store functions with the connection's
//! statements recorded, then asks the database for the plan of each one
//! (`EXPLAIN QUERY PLAN` on SQLite; on PostgreSQL `EXPLAIN` of the generic
//! plan with sequential scans priced out, so that a query no index can serve
//! still shows a `Seq Scan`). A scenario also names the index it is built
//! for, so dropping that index, or writing the query so that it can no longer
//! use it, fails here.

mod common;
#[path = "query_plans/scenarios.rs"]
mod scenarios;

use scenarios::{listing, query, scenarios, store, Scenario};

use std::sync::{Arc, Mutex};

use common::create_postgres_database;
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::sql_types::Text;
use diesel::{Connection, QueryableByName, RunQueryDsl};
use tavla::store::{Backend, DbConnection};

/// The SQL of every statement run while recording.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl Instrumentation for Recorder {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            let text = query.to_string();
            // diesel's debug form appends the binds; the plan needs the statement.
            let sql = text.split(" -- binds:").next().unwrap_or(&text).trim();
            self.0.lock().unwrap().push(sql.to_owned());
        }
    }
}

/// Runs `work` and returns the reads it ran against the notices, the
/// outbox and the sources.
fn statements(conn: &mut DbConnection, work: impl FnOnce(&mut DbConnection)) -> Vec<String> {
    recorded(conn, work)
        .into_iter()
        .filter(|sql| {
            ["notice", "deliveries", "sources"]
                .iter()
                .any(|t| sql.contains(t))
        })
        .filter(|sql| {
            let start = sql.trim_start().to_ascii_uppercase();
            start.starts_with("SELECT") || start.starts_with("UPDATE DELIVERIES")
        })
        .collect()
}

/// Runs `work` and returns every statement it ran.
fn recorded(conn: &mut DbConnection, work: impl FnOnce(&mut DbConnection)) -> Vec<String> {
    let recorder = Recorder::default();
    match conn {
        DbConnection::Sqlite(c) => c.set_instrumentation(recorder.clone()),
        DbConnection::Pg(c) => c.set_instrumentation(recorder.clone()),
    }
    work(conn);
    match conn {
        DbConnection::Sqlite(c) => c.set_instrumentation(None::<Recorder>),
        DbConnection::Pg(c) => c.set_instrumentation(None::<Recorder>),
    }
    let recorded = recorder.0.lock().unwrap().clone();
    recorded
}

#[derive(QueryableByName)]
struct SqlitePlanLine {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgPlanLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

/// The plan of `sql`, a line per step.
fn plan(conn: &mut DbConnection, sql: &str) -> Vec<String> {
    match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<SqlitePlanLine>(c)
            .unwrap_or_else(|e| panic!("EXPLAIN {sql}: {e}"))
            .into_iter()
            .map(|l| l.detail)
            .collect(),
        DbConnection::Pg(c) => {
            let params = (1..100)
                .take_while(|n| sql.contains(&format!("${n}")))
                .count();
            diesel::sql_query(format!("PREPARE planned AS {sql}"))
                .execute(c)
                .unwrap_or_else(|e| panic!("PREPARE {sql}: {e}"));
            let nulls = vec!["NULL"; params].join(", ");
            let execute = if params == 0 {
                "EXPLAIN EXECUTE planned".to_owned()
            } else {
                format!("EXPLAIN EXECUTE planned({nulls})")
            };
            let lines = diesel::sql_query(execute)
                .load::<PgPlanLine>(c)
                .unwrap_or_else(|e| panic!("EXPLAIN {sql}: {e}"));
            diesel::sql_query("DEALLOCATE planned").execute(c).unwrap();
            lines.into_iter().map(|l| l.line).collect()
        }
    }
}

/// What no plan of a hot read may do: walk a notices table in full, or sort
/// rows that an index could have given in order. A sort is allowed after
/// lookups by id (a page's rows, a bounded set of candidates) or for a search
/// on PostgreSQL, which sorts the matches of one window of time (the GIN
/// index's matches and the date index's range, intersected); never of
/// FTS5's matches.
fn check(conn: &DbConnection, scenario: &str, sql: &str, lines: &[String]) -> Vec<String> {
    let shown = || format!("{scenario}: {sql}\n  {}", lines.join("\n  "));
    let mut problems = Vec::new();
    let by_id = lines.iter().any(|l| {
        l.contains("(id=?)")
            || l.contains("(notice_id=?)")
            || l.contains("(id = ANY")
            || l.contains("(notice_id = ANY")
            || l.contains("Index Cond: (id = ")
            || l.contains("Index Cond: (notice_id = ")
    });
    let search = sql.contains("MATCH") || sql.contains("@@");
    // A query of a few known ids must look them up, not walk an index past
    // every other notice filtering for them.
    let of_ids = sql.contains("`notices`.`id` IN (") || sql.contains("\"notices\".\"id\" = ANY(");
    for line in lines {
        let line = line.trim();
        match conn {
            DbConnection::Sqlite(_) => {
                for table in [
                    "notices",
                    "notice_areas",
                    "deliveries",
                    "events",
                    "search_terms",
                ] {
                    let scan = format!("SCAN {table}");
                    // Walking an index in order is fine when nothing filters
                    // the walk and a limit stops it (the first row of an order).
                    let stops_at_once = line.contains(" INDEX ")
                        && sql.contains(" LIMIT ")
                        && !sql.contains(" WHERE ");
                    if (line == scan || line.starts_with(&format!("{scan} "))) && !stops_at_once {
                        problems.push(format!("a full walk of {table}:\n{}", shown()));
                    }
                }
                if of_ids && line.starts_with("SEARCH notices ") && !line.contains("(id=?)") {
                    problems.push(format!("ids not looked up:\n{}", shown()));
                }
                if sql.contains("search_rowid IN (")
                    && line.starts_with("SEARCH notices ")
                    && !line.contains("(search_rowid=?)")
                {
                    problems.push(format!("a search's matches not looked up:\n{}", shown()));
                }
                if line.contains("USE TEMP B-TREE FOR") && !(by_id || search) {
                    problems.push(format!("a sort of every match:\n{}", shown()));
                }
                // FTS5 gives its matches in the order of its rowids, which is
                // the list's: a sort of them would read every match first.
                if line.contains("USE TEMP B-TREE FOR") && sql.contains(" MATCH ") {
                    problems.push(format!("full-text matches sorted:\n{}", shown()));
                }
            }
            DbConnection::Pg(_) => {
                if ["notices", "notice_areas", "deliveries", "events"]
                    .iter()
                    .any(|table| {
                        line.contains(&format!("Seq Scan on {table} "))
                            || line.ends_with(&format!("Seq Scan on {table}"))
                    })
                {
                    problems.push(format!("a sequential scan:\n{}", shown()));
                }
                if of_ids
                    && line.contains(" on notices ")
                    && line.contains("Scan using")
                    && !line.contains("notices_pkey")
                {
                    problems.push(format!("ids not looked up:\n{}", shown()));
                }
                if line.contains("Sort") && !line.contains("Sort Key") && !(by_id || search) {
                    problems.push(format!("a sort of every match:\n{}", shown()));
                }
            }
        }
    }
    problems
}

/// What is wrong with the plans of `scenarios` on `conn`; empty when all is well.
fn violations(conn: &mut DbConnection, scenarios: Vec<Scenario>) -> Vec<String> {
    // A table of this size could be read whole as cheaply as through an
    // index; the plans are of a table too large for that.
    violations_planned(conn, scenarios, "off")
}

/// As `violations`, with PostgreSQL's `enable_seqscan` as given.
fn violations_planned(
    conn: &mut DbConnection,
    scenarios: Vec<Scenario>,
    seqscan: &str,
) -> Vec<String> {
    if let DbConnection::Pg(c) = conn {
        diesel::sql_query(format!("SET enable_seqscan = {seqscan}"))
            .execute(c)
            .unwrap();
        diesel::sql_query("SET plan_cache_mode = force_generic_plan")
            .execute(c)
            .unwrap();
    }
    let mut problems = Vec::new();
    for (scenario, indexes, run) in scenarios {
        let sqls = statements(conn, |conn| run(conn));
        if sqls.is_empty() {
            problems.push(format!("{scenario}: no statement recorded"));
        }
        let mut plans = Vec::new();
        for sql in &sqls {
            let lines = plan(conn, sql);
            problems.extend(check(conn, scenario, sql, &lines));
            plans.extend(lines);
        }
        for index in indexes {
            // SQLite names PostgreSQL's unique constraint index its own way.
            let index = match (&*conn, *index) {
                (DbConnection::Sqlite(_), "notices_slug_key") => "sqlite_autoindex_notices_2",
                (_, index) => index,
            };
            // "a|b": either serves; PostgreSQL weighs them by its statistics.
            let uses = |plans: &[String]| {
                index
                    .split('|')
                    .any(|one| plans.iter().any(|l| l.contains(one)))
            };
            if !uses(&plans) {
                problems.push(format!(
                    "{scenario}: no plan uses {index}:\n  {}",
                    plans.join("\n  ")
                ));
            }
        }
    }
    problems
}

fn sqlite() -> (tempfile::TempDir, Backend) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tavla.db").to_string_lossy().into_owned();
    (dir, Backend::Sqlite(path))
}

fn postgres() -> Backend {
    Backend::Postgres(create_postgres_database())
}

fn assert_every_hot_read_is_served_by_an_index(backend: Backend) {
    let store = store(&backend);
    let problems = violations(&mut store.conn().unwrap(), scenarios());
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn sqlite_every_hot_read_is_served_by_an_index() {
    let (_dir, backend) = sqlite();
    assert_every_hot_read_is_served_by_an_index(backend);
}

#[test]
fn postgres_every_hot_read_is_served_by_an_index() {
    assert_every_hot_read_is_served_by_an_index(postgres());
}

/// The check fails when an index a read is built on is gone, and when a read
/// filters in a way no index serves.
fn assert_the_check_can_fail(backend: Backend) {
    let store = store(&backend);
    let mut conn = store.conn().unwrap();
    diesel::sql_query("DROP INDEX notices_by_change")
        .execute(&mut *conn)
        .unwrap();
    let changes: Vec<Scenario> = scenarios()
        .into_iter()
        .filter(|(name, _, _)| *name == "the changes feed")
        .collect();
    let problems = violations(&mut conn, changes);
    assert!(
        problems.iter().any(|p| p.contains("notices_by_change")),
        "{problems:?}"
    );
    let unindexed: Vec<Scenario> = vec![(
        "a filter no index serves",
        &[],
        Box::new(|conn: &mut DbConnection| {
            #[derive(QueryableByName)]
            struct Found {
                #[diesel(sql_type = Text)]
                id: String,
            }
            let found: Vec<Found> = diesel::sql_query(
                "SELECT \"notices\".\"id\" AS id FROM \"notices\" WHERE lower(\"notices\".\"title\") = 'x'",
            )
            .load(conn)
            .unwrap();
            assert!(found.iter().all(|f| f.id != "x"));
        }),
    )];
    let problems = violations(&mut conn, unindexed);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("a full walk") || p.contains("a sequential scan")),
        "{problems:?}"
    );
}

/// A search on SQLite reads its page's notices once, by the FTS rowids it
/// found them by: reading them again by id would seek each one twice.
#[test]
fn sqlite_a_search_reads_its_notices_once() {
    let (_dir, backend) = sqlite();
    let store = store(&backend);
    let mut conn = store.conn().unwrap();
    let search = listing(query(|q| q.text = Some("tittel".into())));
    let sqls = statements(&mut conn, |conn| search(conn));
    let reads: Vec<&String> = sqls
        .iter()
        .filter(|sql| sql.contains("FROM `notices`"))
        .collect();
    assert!(
        matches!(reads.as_slice(), [read] if read.contains("search_rowid IN (")),
        "{reads:#?}"
    );
}

/// Every start writes the area taxonomy again. On SQLite an update that set
/// an area's slug, though to the same value, checked every notice tagged
/// with the area (the foreign key of `notice_areas`): at a million notices,
/// 120–165 ms of every start with the file cached and more from a cold disk,
/// growing with the store.
#[test]
fn sqlite_a_start_never_reads_the_notices_of_an_area() {
    let (_dir, backend) = sqlite();
    let store = store(&backend);
    let mut conn = store.conn().unwrap();
    let sqls = recorded(&mut conn, |conn| {
        tavla::store::areas::sync(conn, &tavla::seed::taxonomy()).unwrap()
    });
    let updates: Vec<&String> = sqls
        .iter()
        .filter(|sql| sql.trim_start().to_ascii_uppercase().starts_with("UPDATE"))
        .collect();
    assert!(!updates.is_empty(), "{sqls:#?}");
    for sql in updates {
        let lines = plan(&mut conn, sql);
        assert!(
            !lines
                .iter()
                .any(|l| l.contains("notice_areas") || l.contains("token_areas")),
            "{sql}\n  {}",
            lines.join("\n  ")
        );
    }
}

#[test]
fn sqlite_the_check_can_fail() {
    let (_dir, backend) = sqlite();
    assert_the_check_can_fail(backend);
}

#[test]
fn postgres_the_check_can_fail() {
    assert_the_check_can_fail(postgres());
}

/// The lookups of notices not yet marked lapsed, with PostgreSQL free to
/// choose a sequential scan: its statistics say a quarter of the notices are
/// unmarked and most have lapsed, not that the two hardly ever meet, so only
/// the index's order keeps it from reading the whole table.
#[test]
fn postgres_finds_unmarked_lapsed_notices_by_their_index_whatever_its_statistics() {
    let store = store(&postgres());
    let mut conn = store.conn().unwrap();
    let lapsing: Vec<Scenario> = scenarios()
        .into_iter()
        .filter(|(name, _, _)| name.contains("lapsed") || name.contains("closed"))
        .collect();
    assert_eq!(lapsing.len(), 3);
    let problems = violations_planned(&mut conn, lapsing, "on");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[derive(QueryableByName)]
struct PlanCacheMode {
    #[diesel(sql_type = Text)]
    plan_cache_mode: String,
}

fn plan_cache_mode(conn: &mut DbConnection) -> String {
    diesel::sql_query("SHOW plan_cache_mode")
        .get_result::<PlanCacheMode>(conn)
        .unwrap()
        .plan_cache_mode
}

/// Whether the statement of `sqls` containing `marker` ran planned for its
/// values: after the switch to custom plans and before the switch back.
fn planned_for_its_values(sqls: &[String], marker: &str) -> bool {
    let at = |wanted: &str| sqls.iter().position(|sql| sql.contains(wanted));
    match (
        at("force_custom_plan"),
        at(marker),
        at("force_generic_plan"),
    ) {
        (Some(custom), Some(read), Some(generic)) => custom < read && read < generic,
        _ => false,
    }
}

/// PostgreSQL plans each statement Tavla prepares once per connection (the
/// generic plans checked above), not again for every execution, which cost
/// more the larger the store. A search plans each window for its own bounds
/// and words, a sweep for old rows for its instant, and each leaves the
/// connection as it found it.
#[test]
fn postgres_plans_a_statement_once_and_a_search_window_by_window() {
    let store = store(&postgres());
    let mut conn = store.conn().unwrap();
    assert_eq!(plan_cache_mode(&mut conn), "force_generic_plan");

    let search = listing(query(|q| q.text = Some("hospitering".into())));
    let sqls = recorded(&mut conn, |conn| search(conn));
    assert!(planned_for_its_values(&sqls, "@@"), "{sqls:#?}");
    assert_eq!(plan_cache_mode(&mut conn), "force_generic_plan");

    // A sweep for the few deliveries finished before an instant, likewise.
    let sqls = recorded(&mut conn, |conn| {
        tavla::store::outbox::prune(conn, "webhook", chrono::Utc::now(), 10).unwrap();
    });
    assert!(
        planned_for_its_values(&sqls, "\"finished_at\" <"),
        "{sqls:#?}"
    );
    assert_eq!(plan_cache_mode(&mut conn), "force_generic_plan");
}
