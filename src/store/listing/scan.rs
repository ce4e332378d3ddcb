//! One query over `notices` in list order, and the statuses as SQL.

use diesel::dsl::sql;

use super::*;

pub(super) type Predicate =
    Box<dyn BoxableExpression<notices::table, MultiBackend, SqlType = Nullable<Bool>>>;

/// Where a status holds at `now`, as SQL, so filters and pagination agree.
/// `kind_is` compares the kind, as the query wants it compared.
fn status_predicate(
    status: Status,
    now: NaiveDateTime,
    kind_is: &dyn Fn(Kind) -> Predicate,
) -> Predicate {
    use crate::store::schema::notices::dsl::*;
    let webinar_end_passed = ends_at.le(now).or(ends_at
        .is_null()
        .and(starts_at.is_null().or(starts_at.le(now))));
    match status {
        Status::Open => Box::new(kind_is(Kind::Grant).and(deadline.is_null().or(deadline.gt(now)))),
        Status::Closed => Box::new(kind_is(Kind::Grant).and(deadline.le(now))),
        Status::Cancelled => Box::new(kind_is(Kind::Webinar).and(cancelled)),
        Status::Past => Box::new(
            kind_is(Kind::Webinar)
                .and(cancelled.eq(false))
                .and(webinar_end_passed),
        ),
        Status::Upcoming => Box::new(
            kind_is(Kind::Webinar)
                .and(cancelled.eq(false))
                .and(ends_at.gt(now).or(ends_at.is_null().and(starts_at.gt(now)))),
        ),
    }
}

/// Most candidates a sparse status is looked up by; past it the status is
/// common enough that walking the list in order finds a page sooner.
const MAX_CANDIDATES: i64 = 200;

/// The ids of notices that may have one of `statuses` at `now`, when every one
/// of them is rare (open grants, upcoming webinars: their instant is ahead),
/// found through the deadline and time indexes. `None`: walk the list instead.
fn sparse_candidates(
    conn: &mut DbConnection,
    statuses: &[Status],
    now: NaiveDateTime,
) -> StoreResult<Option<Vec<String>>> {
    use notices::dsl as n;
    if statuses.is_empty()
        || !statuses
            .iter()
            .all(|s| matches!(s, Status::Open | Status::Upcoming))
    {
        return Ok(None);
    }
    // A grant is open with its deadline ahead or none; a webinar is still
    // ahead with its start or (if it has none) its end ahead.
    let ways = |status: &Status| -> [(Kind, Predicate); 2] {
        match status {
            Status::Open => [
                (Kind::Grant, Box::new(n::deadline.gt(now).nullable())),
                (Kind::Grant, Box::new(n::deadline.is_null().nullable())),
            ],
            _ => [
                (Kind::Webinar, Box::new(n::starts_at.gt(now).nullable())),
                (Kind::Webinar, Box::new(n::ends_at.gt(now).nullable())),
            ],
        }
    };
    // First counted from the indexes alone (kind and the instant are all
    // they hold), then, when few, looked up.
    let mut counted = 0;
    for (kind, way) in statuses.iter().flat_map(ways) {
        counted += notices::table
            .into_boxed::<MultiBackend>()
            .filter(n::kind.eq(kind.as_str()))
            .filter(way)
            .select(n::kind)
            .limit(MAX_CANDIDATES + 1 - counted)
            .load::<String>(conn)?
            .len() as i64;
        if counted > MAX_CANDIDATES {
            return Ok(None);
        }
    }
    let mut ids: Vec<String> = Vec::new();
    for (kind, way) in statuses.iter().flat_map(ways) {
        ids.extend(
            notices::table
                .into_boxed::<MultiBackend>()
                .filter(n::kind.eq(kind.as_str()))
                .filter(way)
                .select(n::id)
                .load::<String>(conn)?,
        );
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(Some(ids))
}

/// A notice's place in list order: its instant and id.
pub(super) type Key = (NaiveDateTime, String);

/// What a scan reads: the page's notices, or only their keys.
enum Scanned {
    Notices(Vec<Notice>),
    Keys(Vec<Key>),
}

/// Which notices a scan looks among, besides the query's filters.
pub(super) enum Among {
    /// Every notice.
    All,
    /// Those whose SQLite FTS rows these are (a batch of a search's matches).
    SearchRowids(Vec<i64>),
    /// These few.
    Ids(Vec<String>),
    /// Those the sweep has marked lapsed (see `lapsed`).
    Lapsed,
}

/// One query over `notices`, in list order.
///
/// A search in `query` is PostgreSQL's, one window of `pg_search`, which has
/// checked that it has words; SQLite's comes as `Among::SearchRowids`.
pub(super) fn scan(
    conn: &mut DbConnection,
    query: &NoticeQuery,
    now: DateTime<Utc>,
    among: Among,
) -> StoreResult<Vec<Notice>> {
    match scan_with(conn, query, now, among, false)? {
        Scanned::Notices(notices) => Ok(notices),
        Scanned::Keys(keys) => notices_of(conn, keys),
    }
}

/// As `scan`, the keys alone, from the index: for lists merged from several
/// scans, which read only the rows of the merged page.
pub(super) fn scan_keys(
    conn: &mut DbConnection,
    query: &NoticeQuery,
    now: DateTime<Utc>,
    among: Among,
) -> StoreResult<Vec<Key>> {
    match scan_with(conn, query, now, among, true)? {
        Scanned::Keys(keys) => Ok(keys),
        Scanned::Notices(notices) => Ok(notices
            .into_iter()
            .map(|n| (n.published_at.naive_utc(), n.id.to_string()))
            .collect()),
    }
}

/// The notices of `keys`, in that order, with their areas.
pub(super) fn notices_of(conn: &mut DbConnection, keys: Vec<Key>) -> StoreResult<Vec<Notice>> {
    let ids: Vec<String> = keys.into_iter().map(|(_, id)| id).collect();
    let rows = rows_in_order(conn, &ids)?;
    with_areas(conn, rows)
}

fn scan_with(
    conn: &mut DbConnection,
    query: &NoticeQuery,
    now: DateTime<Utc>,
    among: Among,
    keys_only: bool,
) -> StoreResult<Scanned> {
    use notices::dsl as n;
    let now = now.naive_utc();
    let search = query.text.as_deref().map(PgSearch::new);
    let mut select = notices::table.into_boxed::<MultiBackend>();
    let candidates = match (&query.scope, &search, &among) {
        (Scope::Public, None, Among::All) => sparse_candidates(conn, &query.statuses, now)?,
        _ => None,
    };
    // Whether the list is of a few known ids, which then lead the query: the
    // other columns are then compared as text (`kind || ''`), which no index
    // serves, so that no planner walks an index past every other notice.
    let by_ids = candidates.is_some() || matches!(among, Among::SearchRowids(_) | Among::Ids(_));
    let searched = match &among {
        Among::SearchRowids(rowids) => Some(rowids.len()),
        _ => None,
    };
    match among {
        Among::All => {}
        Among::SearchRowids(rowids) => {
            // SQLite's own column, which the schema shared with PostgreSQL
            // leaves out; the numbers come from the FTS index, not from a client.
            let listed: Vec<String> = rowids.iter().map(i64::to_string).collect();
            select = select.filter(sql::<Bool>(&format!(
                "notices.search_rowid IN ({})",
                listed.join(", ")
            )));
        }
        Among::Ids(ids) => select = select.filter(n::id.eq_any(ids)),
        Among::Lapsed => select = select.filter(n::lapsed.eq(true)),
    }
    if let Some(ids) = candidates {
        select = select.filter(n::id.eq_any(ids));
    }
    let kind_is = |kind: Kind| -> Predicate {
        match by_ids {
            true => Box::new(n::kind.concat("").eq(kind.as_str()).nullable()),
            false => Box::new(n::kind.eq(kind.as_str()).nullable()),
        }
    };
    match &query.scope {
        Scope::Public if by_ids => {
            select = select.filter(n::state.concat("").eq(State::Published.as_str()));
        }
        Scope::Public => {
            select = select.filter(n::state.eq(State::Published.as_str()));
        }
        Scope::Admin { states, within } => {
            if !states.is_empty() {
                select = select.filter(n::state.eq_any(states.iter().map(|s| s.as_str())));
            }
            if let Some(within) = within {
                let outside = notice_areas::table
                    .filter(notice_areas::notice_id.eq(n::id))
                    .filter(notice_areas::area_slug.ne_all(within.clone()));
                select = select.filter(not(exists(outside)));
            }
        }
    }
    // One kind as an equality, which an index gives in order; `= ANY(…)` it cannot.
    match query.kinds.as_slice() {
        [] => {}
        [kind] => select = select.filter(kind_is(*kind)),
        kinds => select = select.filter(n::kind.eq_any(kinds.iter().map(|k| k.as_str()))),
    }
    // One language as an equality, which its index gives in order.
    match query.languages.as_slice() {
        [] => {}
        [language] if by_ids => {
            select = select.filter(n::language.concat("").eq(language.as_str()));
        }
        [language] => select = select.filter(n::language.eq(language.as_str())),
        languages => {
            select = select.filter(n::language.eq_any(languages.iter().map(|l| l.as_str())))
        }
    }
    if !query.areas.is_empty() {
        let tagged = notice_areas::table
            .filter(notice_areas::notice_id.eq(n::id))
            .filter(notice_areas::area_slug.eq_any(query.areas.clone()));
        select = select.filter(exists(tagged));
    }
    if let Some(search) = &search {
        select = select.filter(search.matches());
    }
    if let Some(from) = query.from {
        select = select.filter(n::published_at.ge(from.naive_utc()));
    }
    let public = matches!(query.scope, Scope::Public);
    match upper_bound(query, public.then_some(now)) {
        Some(Upper::Through(at)) => select = select.filter(n::published_at.le(at)),
        Some(Upper::Before(at)) => select = select.filter(n::published_at.lt(at)),
        None => {}
    }
    if let Some((first, rest)) = query.statuses.split_first() {
        let any = rest
            .iter()
            .fold(status_predicate(*first, now, &kind_is), |acc, s| {
                Box::new(acc.or(status_predicate(*s, now, &kind_is)))
            });
        select = select.filter(any);
    }
    if let Some(after) = query.after {
        let at = after.published_at.naive_utc();
        // The range's bound is `upper_bound`; this settles ties at its instant.
        select = select.filter(n::published_at.lt(at).or(n::id.lt(after.id.to_string())));
    }
    if by_ids && search.is_none() {
        // Without an order to keep, nothing tempts the planner to walk an
        // index in list order past every other notice instead of looking up
        // the few ids; the page is put in order here.
        let limit = query.limit.max(0) as usize;
        if let (Some(matches), false) = (searched, keys_only) {
            // A search's matches are each reached through `search_rowid`,
            // row and all: keeping the rows costs less than finding each
            // again by id (a second seek per notice, in another index).
            // Collected into room for every match at once: a row is half a
            // kilobyte, and a vector grown by doubling copies a page's rows
            // again and again (perf: 1.6 % of a search's page of 20).
            let mut rows: Vec<NoticeRow> = Vec::with_capacity(matches);
            for row in select.select(NoticeRow::as_select()).load_iter(conn)? {
                rows.push(row?);
            }
            rows.sort_unstable_by(|a, b| b.list_key().cmp(&a.list_key()));
            rows.truncate(limit);
            return Ok(Scanned::Notices(with_areas(conn, rows)?));
        }
        let mut keys: Vec<Key> = select.select((n::published_at, n::id)).load(conn)?;
        keys.sort_unstable_by(|a, b| b.cmp(a));
        keys.truncate(limit);
        return Ok(Scanned::Keys(keys));
    }
    let select = select
        .order_by(n::published_at.desc())
        .then_order_by(n::id.desc())
        .limit(query.limit);
    // A walk that tests each notice's status reads keys from the index that
    // holds what a status depends on, then only the page's rows.
    if keys_only || (!query.statuses.is_empty() && search.is_none()) {
        return Ok(Scanned::Keys(
            select.select((n::published_at, n::id)).load(conn)?,
        ));
    }
    let rows = select.select(NoticeRow::as_select()).load(conn)?;
    Ok(Scanned::Notices(with_areas(conn, rows)?))
}
