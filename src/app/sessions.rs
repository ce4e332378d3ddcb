//! Editor sessions: a token exchanged for a random session id (only its hash
//! is stored) and a CSRF token; opened again from the id, ended on sign-out.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::App;
use crate::domain::Token;
use crate::store::{sessions, tokens, StoreResult};

/// A session as its editor holds it.
#[derive(Debug, Clone)]
pub struct Opened {
    pub token: Token,
    pub csrf: String,
    /// What the store keeps of its id.
    pub id_hash: String,
    pub expires_at: DateTime<Utc>,
}

/// 32 random bytes, URL-safe: a session id or a CSRF token.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the store keeps of a session id.
pub fn hash(id: &str) -> String {
    format!("{:x}", Sha256::digest(id.as_bytes()))
}

/// Starts a session for `token`; returns its id, for the cookie.
pub async fn start(app: &App, token: &Token) -> StoreResult<String> {
    let id = random_token();
    let (id_hash, csrf, token_id) = (hash(&id), random_token(), token.id);
    let now = app.clock.now();
    app.store
        .run(move |conn| sessions::create(conn, &id_hash, token_id, &csrf, now))
        .await?;
    Ok(id)
}

/// The session with id `id`, while it and its token are both valid.
pub async fn open(app: &App, id: &str) -> StoreResult<Option<Opened>> {
    let id_hash = hash(id);
    let lookup = id_hash.clone();
    let now = app.clock.now();
    let found = app
        .store
        .run(move |conn| {
            let Some(session) = sessions::find(conn, &lookup, now)? else {
                return Ok(None);
            };
            Ok(tokens::find(conn, session.token_id)?.map(|(token, _)| (session, token)))
        })
        .await?;
    Ok(found
        .filter(|(_, token)| token.is_active(now))
        .map(|(session, token)| Opened {
            token,
            csrf: session.csrf,
            id_hash,
            expires_at: session.expires_at,
        }))
}

/// Gives the session whose id hashes to `id_hash` a full lifetime from now;
/// returns its new end, or `None` if it had already ended.
pub async fn extend(app: &App, id_hash: &str) -> StoreResult<Option<DateTime<Utc>>> {
    let id_hash = id_hash.to_owned();
    let now = app.clock.now();
    app.store
        .run(move |conn| sessions::extend(conn, &id_hash, now))
        .await
}

/// Ends the session whose id hashes to `id_hash`.
pub async fn end(app: &App, id_hash: &str) -> StoreResult<()> {
    let id_hash = id_hash.to_owned();
    app.store
        .run(move |conn| sessions::delete(conn, &id_hash))
        .await
}
