//! The store the plan tests plan on, and the hot reads they check, each
//! with the indexes it is built on.

use chrono::{DateTime, Duration, Utc};
use tavla::domain::{Kind, Language, Status};
use tavla::store::listing::{self, NoticeQuery, Position, Scope};
use tavla::store::{changes, notices, outbox, Backend, DbConnection, Store};

use super::common::settings;
use uuid::Uuid;

/// How many synthetic notices a plan is made for: enough that PostgreSQL's
/// planner, which weighs its statistics, plans as it would for a real store.
const NOTICES: i64 = 30_000;

/// Both backends' next steps, in SQL they share: every fourth notice in
/// nynorsk, and each notice linked to one linkable area in turn.
const LANGUAGES_AND_AREAS: &str = "UPDATE notices SET language = 'nn' WHERE change_seq % 4 = 0; \
    INSERT INTO notice_areas (notice_id, area_slug, kind, state, published_at) \
    SELECT n.id, a.slug, n.kind, n.state, n.published_at \
    FROM notices n JOIN (SELECT slug, row_number() OVER (ORDER BY position) - 1 AS k FROM areas WHERE linkable) a \
      ON a.k = (n.change_seq % (SELECT count(*) FROM areas WHERE linkable)) \
    WHERE n.slug LIKE 'plan-%';";

/// A delivery of every event to a WebSub hub, all done but one in 5 000, and
/// to one of 1 000 webhooks, all done; then fresh statistics.
const DELIVERIES: &str = "INSERT INTO deliveries (event_id, channel, target, due_at, attempts, claim, finished_at, outcome) \
    SELECT id, 'websub', 'http://hub.invalid/', due_at, 1, \
      CASE WHEN id % 5000 <> 0 THEN event_id END, \
      CASE WHEN id % 5000 <> 0 THEN due_at END, CASE WHEN id % 5000 <> 0 THEN 'delivered' END \
    FROM events; \
    INSERT INTO deliveries (event_id, channel, target, due_at, attempts, claim, finished_at, \
      outcome, queue, event_type) \
    SELECT id, 'webhook', 'webhook-' || (id % 1000), due_at, 1, event_id, due_at, 'delivered', \
      'webhook-' || (id % 1000) || '/' || notice_id, 'notice.updated' \
    FROM events; \
    ANALYZE;";

/// Notices of every kind, state and status over 30 000 hours, each in one
/// linkable area, written straight into the tables; those whose time has
/// passed marked lapsed, as the sweep does, but for a few it has not reached.
pub fn fill(conn: &mut DbConnection) {
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
             {LANGUAGES_AND_AREAS} \
             INSERT INTO events (event_id, event_type, notice_id, revision, affects, due_at, created_at) \
             SELECT md5('event' || i)::uuid::text, 'notice.updated', md5(i::text)::uuid::text, 1, '[]', \
               now() - make_interval(mins => i), now() - make_interval(mins => i) \
             FROM generate_series(1, {NOTICES}) AS i; \
             {DELIVERIES}"
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
             {LANGUAGES_AND_AREAS} \
             WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {NOTICES}) \
             INSERT INTO events (event_id, event_type, notice_id, revision, affects, due_at, created_at) \
             SELECT printf('%08x-0000-4000-8000-000000000001', i), 'notice.updated', \
               printf('%08x-0000-4000-8000-000000000000', i), 1, '[]', \
               datetime('now', '-' || i || ' minutes'), datetime('now', '-' || i || ' minutes') \
             FROM seq; \
             {DELIVERIES}"
        ),
    };
    use diesel::connection::SimpleConnection;
    conn.batch_execute(&sql).unwrap();
}

/// A store with the seeds and `NOTICES` more, on `backend`.
pub fn store(backend: &Backend) -> Store {
    tavla::prepare_store(&settings(backend)).unwrap();
    let store = Store::connect(backend, &Default::default()).unwrap();
    fill(&mut store.conn().unwrap());
    store
}

pub fn query(configure: impl FnOnce(&mut NoticeQuery)) -> NoticeQuery {
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

pub type Scenario = (
    &'static str,
    &'static [&'static str],
    Box<dyn Fn(&mut DbConnection)>,
);

pub fn listing(query: NoticeQuery) -> Box<dyn Fn(&mut DbConnection)> {
    Box::new(move |conn| {
        listing::list(conn, &query, Utc::now()).unwrap();
    })
}

/// Each hot read, and the indexes it is built on.
pub fn scenarios() -> Vec<Scenario> {
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
            // Unfinished deliveries only, through deliveries_pending or
            // deliveries_due (both partial indexes of them), as PostgreSQL's
            // statistics of a near-empty table choose: a scrape costs the
            // backlog, never the deliveries kept.
            &["deliveries_pending|deliveries_due"],
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
