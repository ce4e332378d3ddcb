//! Keeping the subscriptions small: unconfirmed and suspended ones
//! forgotten with their addresses, old link tokens forgotten; and the
//! counts admins see.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::delete;
use crate::domain::subscription::SubscriptionState;
use crate::store::schema::{subscription_tokens, subscriptions};
use crate::store::{with_custom_plans, DbConnection, StoreResult};

/// Deletes subscriptions left unconfirmed since before `before`, at most
/// `batch`; returns how many.
pub fn forget_unconfirmed(
    conn: &mut DbConnection,
    before: DateTime<Utc>,
    batch: i64,
) -> StoreResult<usize> {
    let old: Vec<String> = with_custom_plans(conn, |conn| {
        Ok(subscriptions::table
            .filter(subscriptions::state.eq(SubscriptionState::Pending.as_str()))
            .filter(subscriptions::created_at.lt(before.naive_utc()))
            .select(subscriptions::id)
            .limit(batch)
            .load(conn)?)
    })?;
    delete_all(conn, &old)
}

/// Deletes subscriptions suspended (their address refused by the relay)
/// since before `before`, with their addresses, at most `batch`.
pub fn forget_suspended(
    conn: &mut DbConnection,
    before: DateTime<Utc>,
    batch: i64,
) -> StoreResult<usize> {
    let old: Vec<String> = with_custom_plans(conn, |conn| {
        Ok(subscriptions::table
            .filter(subscriptions::state.eq(SubscriptionState::Suspended.as_str()))
            .filter(subscriptions::updated_at.lt(before.naive_utc()))
            .select(subscriptions::id)
            .limit(batch)
            .load(conn)?)
    })?;
    delete_all(conn, &old)
}

/// Deletes the subscriptions `ids` with their addresses; returns how many.
fn delete_all(conn: &mut DbConnection, ids: &[String]) -> StoreResult<usize> {
    let mut forgotten = 0;
    for id in ids.iter().filter_map(|id| Uuid::try_parse(id).ok()) {
        forgotten += usize::from(delete(conn, id)?);
    }
    Ok(forgotten)
}

/// Forgets the tokens of links minted before `before`, at most `batch`
/// (every e-mail mints its own); returns how many. Those links then lead to
/// the page that says a link no longer works; newer e-mails carry newer ones.
pub fn forget_old_tokens(
    conn: &mut DbConnection,
    before: DateTime<Utc>,
    batch: i64,
) -> StoreResult<usize> {
    let old: Vec<String> = with_custom_plans(conn, |conn| {
        Ok(subscription_tokens::table
            .filter(subscription_tokens::created_at.lt(before.naive_utc()))
            .select(subscription_tokens::token_hash)
            .limit(batch)
            .load(conn)?)
    })?;
    if old.is_empty() {
        return Ok(0);
    }
    Ok(diesel::delete(
        subscription_tokens::table.filter(subscription_tokens::token_hash.eq_any(&old)),
    )
    .execute(conn)?)
}

/// Counts by state, frequency and language, for admins: never an address.
pub fn stats(conn: &mut DbConnection) -> StoreResult<Vec<(String, String, String, i64)>> {
    Ok(subscriptions::table
        .group_by((
            subscriptions::state,
            subscriptions::frequency,
            subscriptions::language,
        ))
        .select((
            subscriptions::state,
            subscriptions::frequency,
            subscriptions::language,
            diesel::dsl::count_star(),
        ))
        .load(conn)?)
}
