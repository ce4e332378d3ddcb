//! The work of `tavla token …`, on the same storage as the server.

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::app::Clock;
use crate::domain::time::whole_seconds;
use crate::domain::token::{issue, Role};
use crate::domain::{Actor, Taxonomy, Token};
use crate::store::{areas, editing, tokens, Backend, PoolOptions, Store};

/// Connected, migrated, with the areas loaded.
pub fn open(backend: &Backend, options: &PoolOptions) -> anyhow::Result<(Store, Taxonomy)> {
    let store = Store::connect(backend, options)?;
    store
        .wait_until_reachable(options.startup_wait)
        .with_context(|| format!("cannot reach the database ({})", backend.redacted()))?;
    store.migrate()?;
    let mut conn = store.conn()?;
    areas::sync(&mut conn, &crate::seed::taxonomy())?;
    let taxonomy = Taxonomy::new(areas::all(&mut conn)?);
    Ok((store, taxonomy))
}

/// Issues a token; returns it with its secret.
pub fn create_token(
    store: &Store,
    taxonomy: &Taxonomy,
    name: &str,
    role: Role,
    areas: Vec<String>,
    expires_at: Option<DateTime<Utc>>,
) -> anyhow::Result<(Token, String)> {
    let now = whole_seconds(Clock::system().now());
    let (token, secret, hash) = match issue(name, role, areas, expires_at, taxonomy, now) {
        Ok(issued) => issued,
        Err(errors) => {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| {
                    format!(
                        "  {}: {}",
                        e.field
                            .replace("areas[", "--area[")
                            .replace("name", "--name"),
                        e.message
                    )
                })
                .collect();
            bail!("the token was not created:\n{}", lines.join("\n"));
        }
    };
    editing::create_token(
        &mut *store.conn()?,
        &token,
        &hash,
        &Actor::command_line(),
        now,
    )?;
    Ok((token, secret))
}

pub fn list_tokens(store: &Store) -> anyhow::Result<Vec<Token>> {
    Ok(tokens::list(&mut *store.conn()?)?)
}

/// Revokes a token; an error if there is none with that id.
pub fn revoke_token(store: &Store, id: &str) -> anyhow::Result<bool> {
    let id = Uuid::try_parse(id).with_context(|| format!("{id:?} is not a token id (a UUID)"))?;
    let mut conn = store.conn()?;
    if tokens::find(&mut conn, id)?.is_none() {
        bail!("there is no token {id}");
    }
    Ok(editing::revoke_token(
        &mut conn,
        id,
        &Actor::command_line(),
        Clock::system().now(),
    )?)
}
