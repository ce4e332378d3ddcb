//! The `tokens` and `token_areas` tables.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{token_areas, tokens};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::token::SecretHash;
use crate::domain::{Role, Token};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = tokens)]
struct TokenRow {
    id: String,
    name: String,
    role: String,
    secret_hash: String,
    created_at: NaiveDateTime,
    expires_at: Option<NaiveDateTime>,
    revoked_at: Option<NaiveDateTime>,
}

impl TokenRow {
    fn into_token(self, areas: Vec<String>) -> StoreResult<(Token, SecretHash)> {
        let corrupt = |e: String| StoreError::Corrupt(format!("token {}: {e}", self.id));
        let token = Token {
            id: Uuid::parse_str(&self.id).map_err(|e| corrupt(e.to_string()))?,
            name: self.name,
            role: self.role.parse::<Role>().map_err(corrupt)?,
            areas,
            created_at: self.created_at.and_utc(),
            expires_at: self.expires_at.map(|t| t.and_utc()),
            revoked_at: self.revoked_at.map(|t| t.and_utc()),
        };
        Ok((token, SecretHash(self.secret_hash)))
    }
}

/// Within the caller's write.
pub fn insert(conn: &mut DbConnection, token: &Token, hash: &SecretHash) -> StoreResult<()> {
    diesel::insert_into(tokens::table)
        .values(TokenRow {
            id: token.id.to_string(),
            name: token.name.clone(),
            role: token.role.as_str().to_owned(),
            secret_hash: hash.0.clone(),
            created_at: token.created_at.naive_utc(),
            expires_at: token.expires_at.map(|t| t.naive_utc()),
            revoked_at: None,
        })
        .execute(conn)?;
    for area in &token.areas {
        diesel::insert_into(token_areas::table)
            .values((
                token_areas::token_id.eq(token.id.to_string()),
                token_areas::area_slug.eq(area),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn areas_of(conn: &mut DbConnection, id: &str) -> StoreResult<Vec<String>> {
    Ok(token_areas::table
        .filter(token_areas::token_id.eq(id))
        .order(token_areas::area_slug)
        .select(token_areas::area_slug)
        .load(conn)?)
}

/// A token and its stored hash, active or not.
pub fn find(conn: &mut DbConnection, id: Uuid) -> StoreResult<Option<(Token, SecretHash)>> {
    let row = tokens::table
        .find(id.to_string())
        .select(TokenRow::as_select())
        .first(conn)
        .optional()?;
    match row {
        Some(row) => {
            let areas = areas_of(conn, &row.id)?;
            row.into_token(areas).map(Some)
        }
        None => Ok(None),
    }
}

/// Every token, newest first.
pub fn list(conn: &mut DbConnection) -> StoreResult<Vec<Token>> {
    let rows = tokens::table
        .order((tokens::created_at.desc(), tokens::id))
        .select(TokenRow::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            let areas = areas_of(conn, &row.id)?;
            Ok(row.into_token(areas)?.0)
        })
        .collect()
}

/// How many admin tokens other than `id` are active at `now`.
pub fn active_admins_besides(
    conn: &mut DbConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let now = now.naive_utc();
    Ok(tokens::table
        .filter(tokens::role.eq(Role::Admin.as_str()))
        .filter(tokens::revoked_at.is_null())
        .filter(tokens::expires_at.is_null().or(tokens::expires_at.gt(now)))
        .filter(tokens::id.ne(id.to_string()))
        .count()
        .get_result(conn)?)
}

/// Marks the token revoked; false if it does not exist or already was.
pub fn revoke(conn: &mut DbConnection, id: Uuid, at: DateTime<Utc>) -> StoreResult<bool> {
    let changed = diesel::update(
        tokens::table
            .find(id.to_string())
            .filter(tokens::revoked_at.is_null()),
    )
    .set(tokens::revoked_at.eq(Some(at.naive_utc())))
    .execute(conn)?;
    Ok(changed == 1)
}
