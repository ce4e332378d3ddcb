//! The timeline that tells caches when a list changes by itself.

use super::*;

/// How the notices of a scope (kinds and areas, every state) stand in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Timeline {
    /// The latest instant at which anything public in the scope could have
    /// changed: a write (withdrawals included), a publication, a deadline
    /// passing, a webinar starting or ending. A safe Last-Modified.
    pub last_change: Option<DateTime<Utc>>,
    /// The next such instant that time alone brings.
    pub next_change: Option<DateTime<Utc>>,
}

/// The timeline of notices of `kinds` (any, if empty) at `now`.
///
/// Each instant is one seek in an index (the latest before `now`, the first
/// after it), never an aggregate over the store. The instants are taken over
/// every area, so they bound a filtered list's from outside: a Last-Modified
/// that is never too early and a validity that never runs too long.
pub fn timeline(
    conn: &mut DbConnection,
    kinds: &[Kind],
    now: DateTime<Utc>,
) -> StoreResult<Timeline> {
    use notices::dsl as n;
    let now = now.naive_utc();
    let has = |kind| kinds.is_empty() || kinds.contains(&kind);
    // Any write anywhere: a notice moved out of the scope changed it too, and
    // its new kind and areas no longer say so.
    let mut past: Vec<Option<NaiveDateTime>> = vec![notices::table
        .select(n::updated_at)
        .order_by(n::updated_at.desc())
        .first(conn)
        .optional()?];
    let published = || notices::table.filter(n::state.eq(State::Published.as_str()));
    past.push(
        published()
            .filter(n::published_at.le(now))
            .select(n::published_at)
            .order_by(n::published_at.desc())
            .first(conn)
            .optional()?,
    );
    let mut future: Vec<Option<NaiveDateTime>> = vec![published()
        .filter(n::published_at.gt(now))
        .select(n::published_at)
        .order_by(n::published_at.asc())
        .first(conn)
        .optional()?];
    macro_rules! instants_of {
        ($kind:expr, $column:expr) => {
            if has($kind) {
                let of_kind = || notices::table.filter(n::kind.eq($kind.as_str()));
                past.push(
                    of_kind()
                        .filter($column.le(now))
                        .select($column)
                        .order_by($column.desc())
                        .first::<Option<NaiveDateTime>>(conn)
                        .optional()?
                        .flatten(),
                );
                future.push(
                    of_kind()
                        .filter($column.gt(now))
                        .select($column)
                        .order_by($column.asc())
                        .first::<Option<NaiveDateTime>>(conn)
                        .optional()?
                        .flatten(),
                );
            }
        };
    }
    instants_of!(Kind::Grant, n::deadline);
    instants_of!(Kind::Webinar, n::starts_at);
    instants_of!(Kind::Webinar, n::ends_at);
    Ok(Timeline {
        last_change: past.into_iter().flatten().max().map(utc),
        next_change: future.into_iter().flatten().min().map(utc),
    })
}
