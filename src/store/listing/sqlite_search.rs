//! Searches on SQLite, newest first from the FTS index.

use super::*;
use crate::store::search::{first_rowid_at, last_rowid_at, second_of};

/// The most matches read at once.
const MAX_BATCH: i64 = 1_000;

/// A search on SQLite: the matches' `search_rowid`s from the FTS index,
/// newest first and a batch at a time, each batch's notices read by them and
/// kept if the other filters hold, until the page is full. A page costs the
/// notices it reads, not the store nor the number of matches.
///
/// `search_rowid`s order matches by the second they were published in; within a
/// second, the exact order (instant, then id) is settled here, so reading
/// goes on until it has passed the second of the page's last notice.
pub(super) fn sqlite_search(
    conn: &mut DbConnection,
    query: &NoticeQuery,
    now: DateTime<Utc>,
    expression: &str,
) -> StoreResult<Vec<Notice>> {
    if expression.is_empty() {
        return Err(StoreError::NothingToSearch);
    }
    let public = matches!(query.scope, Scope::Public);
    let mut high = upper_bound(query, public.then_some(now.naive_utc())).map(|upper| match upper {
        Upper::Through(at) | Upper::Before(at) => last_rowid_at(at),
    });
    let low = query.from.map(|from| first_rowid_at(from.naive_utc()));
    let want = query.limit.max(0) as usize;
    if want == 0 {
        return Ok(Vec::new());
    }
    // The first batch is a page and one more, which is most often of an
    // older second and so settles the page; when the other filters leave
    // matches out, each next batch is larger.
    let mut batch = query.limit + 1;
    // The other filters, the cursor and the bounds, as exact conditions on
    // the notices a batch finds; only the best `limit` of a batch can be on
    // the page, as every later batch is older.
    let rest = NoticeQuery {
        text: None,
        ..query.clone()
    };
    let mut found: Vec<Notice> = Vec::new();
    // Whether the page is full of notices newer than the second of `rowid`,
    // so that neither it nor any older match can be on it.
    let settled_before = |found: &[Notice], rowid: i64| {
        found
            .get(want.saturating_sub(1))
            .is_some_and(|notice| notice.published_at.timestamp() > second_of(rowid))
    };
    loop {
        let mut rowids = search::sqlite_matches(conn, expression, low, high, batch)?;
        let Some(&last) = rowids.last() else {
            break;
        };
        let full = rowids.len() as i64 == batch;
        // A full batch's oldest match is most often there only to show that
        // the page ends before it: its row is read only if the others leave
        // the page unsettled.
        let held = if full && rowids.len() > 1 {
            rowids.pop()
        } else {
            None
        };
        let mut read = |found: &mut Vec<Notice>, rowids: Vec<i64>| -> StoreResult<()> {
            found.extend(scan(conn, &rest, now, Among::SearchRowids(rowids))?);
            found.sort_by(list_order);
            found.truncate(want);
            Ok(())
        };
        read(&mut found, rowids)?;
        if let Some(held) = held.filter(|&held| !settled_before(&found, held)) {
            read(&mut found, vec![held])?;
        }
        if settled_before(&found, last) || !full {
            break;
        }
        high = Some(last - 1);
        batch = (batch * 4).min(MAX_BATCH);
    }
    Ok(found)
}
