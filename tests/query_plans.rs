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

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use common::{create_postgres_database, settings};
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::sql_types::Text;
use diesel::{Connection, QueryableByName, RunQueryDsl};
use tavla::domain::{Kind, Language, Status};
use tavla::store::listing::{self, NoticeQuery, Position, Scope};
use tavla::store::{changes, notices, outbox, Backend, DbConnection, Store};
use uuid::Uuid;

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
/// index's matches and the date index's range, intersected).
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

/// How many synthetic notices a plan is made for: enough that PostgreSQL's
/// planner, which weighs its statistics, plans as it would for a real store.
const NOTICES: i64 = 30_000;

/// Notices of every kind, state and status over 30 000 hours, each in one
/// linkable area, written straight into the tables; those whose time has
/// passed marked lapsed, as the sweep does, but for a few it has not reached.
fn fill(conn: &mut DbConnection) {
    let sql = match conn {
        DbConnection::Pg(_) => format!(
            "INSERT INTO notices (id, slug, kind, state, title, summary, published_at, revision, \
               deadline, starts_at, ends_at, cancelled, created_at, updated_at, change_seq, pending_go_live) \
             SELECT md5(i::text)::uuid::text, 'plan-' || i, (ARRAY['news', 'grant', 'webinar'])[1 + i % 3], \
               CASE WHEN i % 50 = 0 THEN 'draft' ELSE 'published' END, 'Tittel ' || i, 'Sammendrag', \
               now() - make_interval(hours => i), 1, \
               CASE WHEN i % 3 = 1 THEN now() - make_interval(hours => i - 100) END, \
               CASE WHEN i % 3 = 2 THEN now() - make_interval(hours => i - 100) END, \
               CASE WHEN i % 3 = 2 THEN now() - make_interval(hours => i - 101) END, \
               i % 300 = 2, now() - make_interval(hours => i), now() - make_interval(hours => i), \
               i, false \
             FROM generate_series(1, {NOTICES}) AS i; \
             UPDATE notices SET lapsed = TRUE WHERE lapses_at <= (now() AT TIME ZONE 'UTC') \
               AND change_seq % 997 <> 0; \
             UPDATE notices SET language = 'nn' WHERE change_seq % 4 = 0; \
             INSERT INTO notice_areas (notice_id, area_slug, kind, state, published_at) \
             SELECT n.id, a.slug, n.kind, n.state, n.published_at \
             FROM notices n JOIN (SELECT slug, row_number() OVER (ORDER BY position) - 1 AS k FROM areas WHERE linkable) a \
               ON a.k = (n.change_seq % (SELECT count(*) FROM areas WHERE linkable)) \
             WHERE n.slug LIKE 'plan-%'; \
             INSERT INTO events (event_id, event_type, notice_id, revision, affects, due_at, created_at) \
             SELECT md5('event' || i)::uuid::text, 'notice.updated', md5(i::text)::uuid::text, 1, '[]', \
               now() - make_interval(mins => i), now() - make_interval(mins => i) \
             FROM generate_series(1, {NOTICES}) AS i; \
             INSERT INTO deliveries (event_id, channel, target, due_at, attempts, claim, finished_at, outcome) \
             SELECT id, 'websub', 'http://hub.invalid/', due_at, 1, \
               CASE WHEN id % 5000 <> 0 THEN event_id END, \
               CASE WHEN id % 5000 <> 0 THEN due_at END, CASE WHEN id % 5000 <> 0 THEN 'delivered' END \
             FROM events; \
             INSERT INTO deliveries (event_id, channel, target, due_at, attempts, claim, finished_at, \
               outcome, queue, event_type) \
             SELECT id, 'webhook', 'webhook-' || (id % 1000), due_at, 1, event_id, due_at, 'delivered', \
               'webhook-' || (id % 1000) || '/' || notice_id, 'notice.updated' \
             FROM events; \
             ANALYZE;"
        ),
        DbConnection::Sqlite(_) => format!(
            "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {NOTICES}) \
             INSERT INTO notices (id, slug, kind, state, title, summary, published_at, revision, \
               deadline, starts_at, ends_at, cancelled, created_at, updated_at, change_seq, pending_go_live) \
             SELECT printf('%08x-0000-4000-8000-000000000000', i), 'plan-' || i, \
               CASE i % 3 WHEN 0 THEN 'news' WHEN 1 THEN 'grant' ELSE 'webinar' END, \
               CASE WHEN i % 50 = 0 THEN 'draft' ELSE 'published' END, 'Tittel ' || i, 'Sammendrag', \
               datetime('now', '-' || i || ' hours'), 1, \
               CASE WHEN i % 3 = 1 THEN datetime('now', '-' || (i - 100) || ' hours') END, \
               CASE WHEN i % 3 = 2 THEN datetime('now', '-' || (i - 100) || ' hours') END, \
               CASE WHEN i % 3 = 2 THEN datetime('now', '-' || (i - 101) || ' hours') END, \
               i % 300 = 2, datetime('now', '-' || i || ' hours'), datetime('now', '-' || i || ' hours'), \
               i, 0 \
             FROM seq; \
             UPDATE notices SET lapsed = TRUE WHERE lapses_at <= datetime('now') \
               AND change_seq % 997 <> 0; \
             UPDATE notices SET language = 'nn' WHERE change_seq % 4 = 0; \
             INSERT INTO notice_areas (notice_id, area_slug, kind, state, published_at) \
             SELECT n.id, a.slug, n.kind, n.state, n.published_at \
             FROM notices n JOIN (SELECT slug, row_number() OVER (ORDER BY position) - 1 AS k FROM areas WHERE linkable) a \
               ON a.k = (n.change_seq % (SELECT count(*) FROM areas WHERE linkable)) \
             WHERE n.slug LIKE 'plan-%'; \
             WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {NOTICES}) \
             INSERT INTO events (event_id, event_type, notice_id, revision, affects, due_at, created_at) \
             SELECT printf('%08x-0000-4000-8000-000000000001', i), 'notice.updated', \
               printf('%08x-0000-4000-8000-000000000000', i), 1, '[]', \
               datetime('now', '-' || i || ' minutes'), datetime('now', '-' || i || ' minutes') \
             FROM seq; \
             INSERT INTO deliveries (event_id, channel, target, due_at, attempts, claim, finished_at, outcome) \
             SELECT id, 'websub', 'http://hub.invalid/', due_at, 1, \
               CASE WHEN id % 5000 <> 0 THEN event_id END, \
               CASE WHEN id % 5000 <> 0 THEN due_at END, CASE WHEN id % 5000 <> 0 THEN 'delivered' END \
             FROM events; \
             INSERT INTO deliveries (event_id, channel, target, due_at, attempts, claim, finished_at, \
               outcome, queue, event_type) \
             SELECT id, 'webhook', 'webhook-' || (id % 1000), due_at, 1, event_id, due_at, 'delivered', \
               'webhook-' || (id % 1000) || '/' || notice_id, 'notice.updated' \
             FROM events; \
             ANALYZE;"
        ),
    };
    use diesel::connection::SimpleConnection;
    conn.batch_execute(&sql).unwrap();
}

/// A store with the seeds and `NOTICES` more, on `backend`.
fn store(backend: &Backend) -> Store {
    tavla::prepare_store(&settings(backend)).unwrap();
    let store = Store::connect(backend, &Default::default()).unwrap();
    fill(&mut store.conn().unwrap());
    store
}

fn query(configure: impl FnOnce(&mut NoticeQuery)) -> NoticeQuery {
    let mut query = NoticeQuery {
        scope: Scope::Public,
        limit: 21,
        ..Default::default()
    };
    configure(&mut query);
    query
}

fn areas(slugs: &[&str]) -> Vec<String> {
    slugs.iter().map(|s| s.to_string()).collect()
}

/// An instant in the middle of the seeds, for cursors and date filters.
fn some_instant() -> DateTime<Utc> {
    Utc::now() - Duration::days(2000)
}

fn cursor() -> Option<Position> {
    Some(Position {
        published_at: some_instant(),
        id: Uuid::new_v4(),
    })
}

type Scenario = (
    &'static str,
    &'static [&'static str],
    Box<dyn Fn(&mut DbConnection)>,
);

fn listing(query: NoticeQuery) -> Box<dyn Fn(&mut DbConnection)> {
    Box::new(move |conn| {
        listing::list(conn, &query, Utc::now()).unwrap();
    })
}

/// Each hot read, and the indexes it is built on.
fn scenarios() -> Vec<Scenario> {
    vec![
        (
            "the public list",
            &["notices_newest_first"],
            listing(query(|_| {})),
        ),
        (
            "the next page",
            &["notices_newest_first"],
            listing(query(|q| q.after = cursor())),
        ),
        (
            "one kind",
            &["notices_by_kind_in_order|notices_newest_first"],
            listing(query(|q| q.kinds = vec![Kind::Webinar])),
        ),
        (
            "two kinds",
            &["notices_by_kind_in_order|notices_newest_first"],
            listing(query(|q| q.kinds = vec![Kind::Grant, Kind::News])),
        ),
        (
            "one area",
            &["notice_areas_in_order"],
            listing(query(|q| q.areas = areas(&["barnevern-og-familievern"]))),
        ),
        (
            "an area and its sub-packages, next page",
            &["notice_areas_in_order"],
            listing(query(|q| {
                q.areas = areas(&["helsetjenester", "kommuneoverlege"]);
                q.after = cursor();
            })),
        ),
        (
            "an area and a kind",
            &["notice_areas_by_kind_in_order"],
            listing(query(|q| {
                q.areas = areas(&["barnevern-og-familievern"]);
                q.kinds = vec![Kind::Webinar];
            })),
        ),
        (
            "dates",
            &["notices_newest_first"],
            listing(query(|q| {
                q.from = Some(some_instant() - Duration::days(30));
                q.until = Some(some_instant());
            })),
        ),
        (
            "one language",
            &["notices_by_language_in_order"],
            listing(query(|q| q.languages = vec![Language::Nn])),
        ),
        (
            "a language in an area",
            &["notices_by_language_in_order|notice_areas_in_order|notices_newest_first"],
            listing(query(|q| {
                q.languages = vec![Language::Nn];
                q.areas = areas(&["helsetjenester"]);
            })),
        ),
        (
            "open grants",
            &["notices_by_deadline"],
            listing(query(|q| q.statuses = vec![Status::Open])),
        ),
        (
            "upcoming webinars",
            &["notices_by_start", "notices_by_end"],
            listing(query(|q| q.statuses = vec![Status::Upcoming])),
        ),
        (
            "closed grants",
            &["notices_lapsed_in_order", "notices_lapsing"],
            listing(query(|q| q.statuses = vec![Status::Closed])),
        ),
        (
            "past webinars and closed grants, next page",
            &["notices_lapsed_in_order", "notices_lapsing"],
            listing(query(|q| {
                q.statuses = vec![Status::Past, Status::Closed];
                q.after = cursor();
            })),
        ),
        (
            "the sweep of lapsed notices",
            &["notices_lapsing"],
            Box::new(|conn| {
                listing::sweep(conn, Utc::now(), 1_000).unwrap();
            }),
        ),
        (
            "cancelled webinars in an area",
            &["notices_by_kind_in_order|notices_newest_first"],
            listing(query(|q| {
                q.statuses = vec![Status::Cancelled];
                q.areas = areas(&["helsetjenester"]);
            })),
        ),
        (
            "a search",
            // SQLite: the FTS rows' notices by their rowid; PostgreSQL: the
            // GIN index and the date index, a window of time at a time (its
            // generic plan, for no window in particular, walks the window).
            &["notices_by_search_rowid|notices_search|notices_newest_first"],
            listing(query(|q| q.text = Some("hospitering".into()))),
        ),
        (
            "the timeline of a feed",
            &[
                "notices_by_update",
                "notices_newest_first",
                "notices_by_deadline",
                "notices_by_start",
                "notices_by_end",
            ],
            Box::new(|conn| {
                listing::timeline(conn, &[], Utc::now()).unwrap();
            }),
        ),
        (
            "the changes feed",
            &["notices_by_change"],
            Box::new(|conn| {
                changes::changed_since(conn, (3, Uuid::nil()), 101).unwrap();
            }),
        ),
        (
            "the outbox worker's poll and claim",
            // The queue check reads unfinished deliveries only, through
            // deliveries_queued or deliveries_due (both partial indexes of
            // them), as PostgreSQL's statistics choose; never the table.
            &["deliveries_due"],
            Box::new(|conn| {
                let claimed = outbox::claim(
                    conn,
                    &["go-live", "websub", "webhook"],
                    &["a-busy-webhook".to_owned()],
                    Utc::now(),
                    Duration::seconds(60),
                    16,
                )
                .unwrap();
                assert!(
                    !claimed.is_empty(),
                    "the plan is of a claim that takes some"
                );
            }),
        ),
        (
            "the outbox's backlog, for the metrics",
            &["deliveries_pending"],
            Box::new(|conn| {
                outbox::backlog(conn, &["go-live", "webhook", "mail"], Utc::now()).unwrap();
            }),
        ),
        (
            "a webhook's deliveries, newest first",
            &["deliveries_by_target"],
            Box::new(|conn| {
                tavla::store::webhooks::deliveries(conn, Uuid::new_v4(), Some(1_000), 21).unwrap();
            }),
        ),
        (
            "old webhook deliveries pruned",
            &["deliveries_finished"],
            Box::new(|conn| {
                tavla::store::webhooks::prune(conn, Utc::now() - Duration::days(30), 1_000)
                    .unwrap();
            }),
        ),
        (
            "due sources scheduled",
            &["sources_due"],
            Box::new(|conn| {
                tavla::store::sources::schedule_due(conn, Utc::now(), 100).unwrap();
            }),
        ),
        (
            "the sources, oldest first",
            &["sources_in_order"],
            Box::new(|conn| {
                tavla::store::sources::list(conn).unwrap();
            }),
        ),
        (
            "the feed an imported notice came from",
            &["imports_by_notice"],
            Box::new(|conn| {
                tavla::store::sources::imported_from(conn, Uuid::new_v4()).unwrap();
            }),
        ),
        (
            "old fetches pruned",
            &["deliveries_finished"],
            Box::new(|conn| {
                tavla::store::sources::prune(conn, Utc::now() - Duration::days(7), 100).unwrap();
            }),
        ),
        (
            "one notice",
            &[],
            Box::new(|conn| {
                notices::find(conn, "tilskudd-til-hospitering").unwrap();
                notices::find(conn, &Uuid::new_v4().to_string()).unwrap();
            }),
        ),
        (
            "a free slug",
            &["notices_slug_key"],
            Box::new(|conn| {
                notices::free_slug(conn, "tilskudd-til-hospitering", Uuid::new_v4()).unwrap();
            }),
        ),
        (
            "a start",
            &[],
            Box::new(|conn| {
                notices::any(conn).unwrap();
            }),
        ),
    ]
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
