//! The `idempotency_keys` table: the first create made with each key.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::idempotency_keys as keys;
use super::{DbConnection, StoreResult};

/// How long a key is remembered.
pub const KEPT_FOR: Duration = Duration::hours(24);

/// What a key was first used for.
pub struct Remembered {
    pub request_hash: String,
    pub notice_id: Uuid,
    pub response_body: String,
}

pub fn find(
    conn: &mut DbConnection,
    token_id: Uuid,
    key: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<Remembered>> {
    let found: Option<(String, String, String)> = keys::table
        .find((token_id.to_string(), key))
        .filter(keys::created_at.gt((now - KEPT_FOR).naive_utc()))
        .select((keys::request_hash, keys::notice_id, keys::response_body))
        .first(conn)
        .optional()?;
    Ok(found.and_then(|(request_hash, id, response_body)| {
        Uuid::parse_str(&id).ok().map(|notice_id| Remembered {
            request_hash,
            notice_id,
            response_body,
        })
    }))
}

/// Within the create's write; forgets expired keys on the way.
pub fn remember(
    conn: &mut DbConnection,
    token_id: Uuid,
    key: &str,
    request_hash: &str,
    notice_id: Uuid,
    response_body: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    diesel::delete(keys::table.filter(keys::created_at.le((now - KEPT_FOR).naive_utc())))
        .execute(conn)?;
    diesel::insert_into(keys::table)
        .values((
            keys::token_id.eq(token_id.to_string()),
            keys::idempotency_key.eq(key),
            keys::request_hash.eq(request_hash),
            keys::notice_id.eq(notice_id.to_string()),
            keys::response_body.eq(response_body),
            keys::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}
