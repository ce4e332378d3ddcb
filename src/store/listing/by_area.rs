//! Lists by area, through `notice_areas`.

use super::*;

/// A public list by area (and kind, dates, cursor): one range of a
/// `notice_areas` index per area and kind, newest first, merged. The first
/// `limit` of each range hold the first `limit` of the whole.
pub(super) fn by_area(
    conn: &mut DbConnection,
    query: &NoticeQuery,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Notice>> {
    use notice_areas::dsl as na;
    let now = now.naive_utc();
    let kinds: Vec<Option<Kind>> = if query.kinds.is_empty() {
        vec![None]
    } else {
        query.kinds.iter().copied().map(Some).collect()
    };
    let mut found: Vec<(NaiveDateTime, String)> = Vec::new();
    for area in &query.areas {
        for kind in &kinds {
            let mut select = notice_areas::table
                .into_boxed::<MultiBackend>()
                .filter(na::area_slug.eq(area))
                .filter(na::state.eq(State::Published.as_str()));
            if let Some(kind) = kind {
                select = select.filter(na::kind.eq(kind.as_str()));
            }
            if let Some(from) = query.from {
                select = select.filter(na::published_at.ge(from.naive_utc()));
            }
            match upper_bound(query, Some(now)) {
                Some(Upper::Through(at)) => select = select.filter(na::published_at.le(at)),
                Some(Upper::Before(at)) => select = select.filter(na::published_at.lt(at)),
                None => {}
            }
            if let Some(after) = query.after {
                let at = after.published_at.naive_utc();
                select = select.filter(
                    na::published_at
                        .lt(at)
                        .or(na::notice_id.lt(after.id.to_string())),
                );
            }
            found.extend(
                select
                    .order_by((na::published_at.desc(), na::notice_id.desc()))
                    .limit(query.limit)
                    .select((na::published_at, na::notice_id))
                    .load::<(NaiveDateTime, String)>(conn)?,
            );
        }
    }
    found.sort_unstable_by(|a, b| b.cmp(a));
    found.dedup_by(|a, b| a.1 == b.1);
    found.truncate(query.limit.max(0) as usize);
    notices_of(conn, found)
}
