//! Searches on SQLite, ranked from the FTS index.

use super::*;

/// A search on SQLite: matches in list order from the FTS index, a batch at a
/// time, each batch's notices read by id and kept if the other filters hold,
/// until the page is full. A page costs its matches' ranking and the notices
/// it reads, not the store.
pub(super) fn sqlite_search(
    conn: &mut DbConnection,
    query: &NoticeQuery,
    now: DateTime<Utc>,
    words: &[String],
) -> StoreResult<Vec<Listed>> {
    if words.is_empty() {
        return Err(StoreError::NothingToSearch);
    }
    let public = matches!(query.scope, Scope::Public);
    let upper = match upper_bound(query, public.then_some(now.naive_utc())) {
        Some(Upper::Through(at)) => Some((at, true)),
        Some(Upper::Before(at)) => Some((at, false)),
        None => None,
    };
    let mut after = query.after.map(|p| {
        (
            p.rank.unwrap_or(f64::MAX),
            p.published_at.naive_utc(),
            p.id.to_string(),
        )
    });
    let from = query.from.map(|f| f.naive_utc());
    let want = query.limit.max(0) as usize;
    let batch = (query.limit * 4).max(100);
    let rest = NoticeQuery {
        text: None,
        after: None,
        limit: batch,
        ..query.clone()
    };
    let mut found: Vec<Listed> = Vec::new();
    while found.len() < want {
        let matches = search::sqlite_matches(conn, words, after.clone(), from, upper, batch)?;
        let Some(last) = matches.last() else {
            break;
        };
        after = Some((last.rank, last.published_at, last.notice_id.clone()));
        let ids: Vec<String> = matches.iter().map(|m| m.notice_id.clone()).collect();
        let mut kept: HashMap<String, Notice> = scan(conn, &rest, now, Some(ids))?
            .into_iter()
            .map(|listed| (listed.notice.id.to_string(), listed.notice))
            .collect();
        for found_match in &matches {
            if let Some(notice) = kept.remove(&found_match.notice_id) {
                found.push(Listed {
                    notice,
                    rank: Some(found_match.rank),
                });
            }
        }
        if (matches.len() as i64) < batch {
            break;
        }
    }
    found.truncate(want);
    Ok(found)
}
