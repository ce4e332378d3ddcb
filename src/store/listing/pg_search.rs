//! Searches on PostgreSQL, newest first, a window of time at a time.

use chrono::Duration;

use super::*;

/// The first window a search looks in, back from its upper bound; each next
/// one, just older, is this many times longer.
const FIRST_WINDOW_DAYS: i64 = 30;
const WINDOW_GROWTH: i32 = 4;

/// A search on PostgreSQL: windows of publication time, newest first, until
/// the page is full or the oldest notice is passed. In each window the GIN
/// index's matches and the date index's range are intersected as bitmaps,
/// and only notices in both are read and sorted, so a page costs about the
/// notices published while its matches were, not every match in the store.
/// (Walking the list in order and testing each notice, or ranking every
/// match, both cost more the larger the store.)
///
/// Each window is planned for its own bounds and words: a generic plan, made
/// for no window in particular, would walk the window in date order and test
/// every notice in it.
pub(super) fn pg_search(
    conn: &mut DbConnection,
    query: &NoticeQuery,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Notice>> {
    crate::store::with_custom_plans(conn, |conn| search_in_windows(conn, query, now))
}

fn search_in_windows(
    conn: &mut DbConnection,
    query: &NoticeQuery,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Notice>> {
    use notices::dsl as n;
    if let Some(text) = &query.text {
        if !PgSearch::new(text).has_words(conn)? {
            return Err(StoreError::NothingToSearch);
        }
    }
    let want = query.limit.max(0) as usize;
    let public = matches!(query.scope, Scope::Public);
    let newest = match upper_bound(query, public.then_some(now.naive_utc())) {
        Some(Upper::Through(at) | Upper::Before(at)) => Some(at),
        None => notices::table
            .select(diesel::dsl::max(n::published_at))
            .first::<Option<NaiveDateTime>>(conn)?,
    };
    let oldest = notices::table
        .select(diesel::dsl::min(n::published_at))
        .first::<Option<NaiveDateTime>>(conn)?;
    let (Some(newest), Some(oldest)) = (newest, oldest) else {
        return Ok(Vec::new());
    };
    let floor = query
        .from
        .map(|f| f.naive_utc())
        .unwrap_or(oldest)
        .max(oldest);
    let mut found: Vec<Notice> = Vec::new();
    let mut window = query.clone();
    let mut span = Duration::days(FIRST_WINDOW_DAYS);
    let mut high = newest;
    while found.len() < want {
        let low = high
            .checked_sub_signed(span)
            .map_or(floor, |low| low.max(floor));
        window.from = Some(utc(low));
        window.limit = (want - found.len()) as i64;
        found.extend(scan(conn, &window, now, Among::All)?);
        if low <= floor {
            break;
        }
        // The next window ends where this one began.
        window.until = Some(utc(low));
        high = low;
        span = span * WINDOW_GROWTH;
    }
    Ok(found)
}
