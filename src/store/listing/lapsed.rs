//! Lists of notices whose time has passed: closed grants, past webinars.
//!
//! Such notices are most of a large store, but walked newest first they come
//! after every notice whose time is still ahead (grants open for months,
//! webinars weeks away), which a walk would test and skip one by one. So a
//! sweep marks each notice `lapsed` once its instant (`lapses_at`: a grant's
//! deadline, a webinar's end or start) has passed, and these lists walk the
//! marked notices in their own index, in list order. The notices whose
//! instant has passed but which the sweep has not reached yet are few and
//! found through `lapses_at`'s index. The mark only chooses where to look:
//! every notice found is still tested against its status at the list's
//! instant, so a late sweep, a clock set back or a deadline moved later never
//! changes an answer.

use super::*;

/// Most notices whose instant has passed unmarked that are looked up by id;
/// past it (the sweep is far behind) the list walks every notice as before.
const MAX_UNMARKED: i64 = 200;

/// Whether every status asked for is one that a notice reaches when its time
/// passes, and stays in.
pub(super) fn only_lapsed(statuses: &[Status]) -> bool {
    !statuses.is_empty()
        && statuses
            .iter()
            .all(|s| matches!(s, Status::Closed | Status::Past))
}

/// A public list by closed and past statuses (`only_lapsed`), at `now`.
pub(super) fn lapsed_list(
    conn: &mut DbConnection,
    query: &NoticeQuery,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Notice>> {
    let unmarked = unmarked(conn, now, MAX_UNMARKED + 1)?;
    if unmarked.len() as i64 > MAX_UNMARKED {
        return scan(conn, query, now, Among::All);
    }
    // One walk per status (each of one kind, which its index gives in
    // order), merged by key; then the page's rows.
    let mut keys = Vec::new();
    for status in &query.statuses {
        let one = NoticeQuery {
            statuses: vec![*status],
            ..query.clone()
        };
        keys.extend(scan_keys(conn, &one, now, Among::Lapsed)?);
    }
    if !unmarked.is_empty() {
        keys.extend(scan_keys(conn, query, now, Among::Ids(unmarked))?);
    }
    keys.sort_unstable_by(|a, b| b.cmp(a));
    keys.dedup();
    keys.truncate(query.limit.max(0) as usize);
    notices_of(conn, keys)
}

/// Up to `limit` notices whose instant has passed at `now` and which are not
/// marked yet, through `notices_lapsing`. In the index's order: PostgreSQL's
/// statistics cannot know that hardly any unmarked notice has lapsed (most
/// unmarked ones are news, with no instant, or still ahead), and without an
/// order to keep it would read the whole table for them.
fn unmarked(conn: &mut DbConnection, now: DateTime<Utc>, limit: i64) -> StoreResult<Vec<String>> {
    use notices::dsl as n;
    Ok(notices::table
        .filter(n::lapsed.eq(false))
        .filter(n::lapses_at.le(now.naive_utc()))
        .order_by(n::lapses_at)
        .select(n::id)
        .limit(limit)
        .load(conn)?)
}

/// Marks up to `batch` notices whose instant has passed at `now` as lapsed;
/// returns how many. Not a change of content: no version, no event, nothing
/// a reader sees; run by the outbox worker between deliveries.
pub fn sweep(conn: &mut DbConnection, now: DateTime<Utc>, batch: i64) -> StoreResult<usize> {
    use notices::dsl as n;
    // Looked up first, without the write lock, which an idle sweep never takes.
    let due = unmarked(conn, now, batch)?;
    if due.is_empty() {
        return Ok(0);
    }
    Ok(diesel::update(
        notices::table
            .filter(n::id.eq_any(due))
            .filter(n::lapsed.eq(false)),
    )
    .set(n::lapsed.eq(true))
    .execute(conn)?)
}
