//! The `sessions` table: editors signed in through the browser.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::sessions;
use super::{DbConnection, StoreResult};

/// How long a browser session lasts.
pub const LIFETIME: Duration = Duration::hours(8);

pub struct Session {
    pub token_id: Uuid,
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
}

pub fn create(
    conn: &mut DbConnection,
    id_hash: &str,
    token_id: Uuid,
    csrf: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now.naive_utc())))
        .execute(conn)?;
    diesel::insert_into(sessions::table)
        .values((
            sessions::id_hash.eq(id_hash),
            sessions::token_id.eq(token_id.to_string()),
            sessions::csrf.eq(csrf),
            sessions::created_at.eq(now.naive_utc()),
            sessions::expires_at.eq((now + LIFETIME).naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// A session that has not expired.
pub fn find(
    conn: &mut DbConnection,
    id_hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<Session>> {
    let found: Option<(String, String, chrono::NaiveDateTime)> = sessions::table
        .find(id_hash)
        .filter(sessions::expires_at.gt(now.naive_utc()))
        .select((sessions::token_id, sessions::csrf, sessions::expires_at))
        .first(conn)
        .optional()?;
    Ok(found.and_then(|(token_id, csrf, expires_at)| {
        Some(Session {
            token_id: Uuid::parse_str(&token_id).ok()?,
            csrf,
            expires_at: expires_at.and_utc(),
        })
    }))
}

/// Gives a session that has not expired a full lifetime from `now`; returns
/// its new end, or `None` if it had already ended.
pub fn extend(
    conn: &mut DbConnection,
    id_hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<DateTime<Utc>>> {
    let until = now + LIFETIME;
    let extended = diesel::update(
        sessions::table
            .find(id_hash)
            .filter(sessions::expires_at.gt(now.naive_utc())),
    )
    .set(sessions::expires_at.eq(until.naive_utc()))
    .execute(conn)?;
    Ok((extended == 1).then_some(until))
}

pub fn delete(conn: &mut DbConnection, id_hash: &str) -> StoreResult<()> {
    diesel::delete(sessions::table.find(id_hash)).execute(conn)?;
    Ok(())
}
