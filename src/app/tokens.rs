//! The token use cases: issue a token from a request document, revoke one.
//! Who may (an admin) is the face's to check; what can go wrong is typed.

use serde_json::Value;
use uuid::Uuid;

use super::App;
use crate::domain::time::whole_seconds;
use crate::domain::token::{issue as issue_token, Role};
use crate::domain::validation::{self as check, Errors};
use crate::domain::{Actor, FieldError, Invalid, Token};
use crate::store::editing::{self, EditError};
use crate::store::{tokens, StoreError};

/// Why a token use case did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The request is not a JSON object.
    #[error("the token must be a JSON object")]
    NotAnObject,
    #[error("invalid fields")]
    Invalid(Vec<FieldError>),
    #[error("no token {0:?}")]
    NotFound(String),
    /// The only active admin token, revoking itself.
    #[error("the last active admin token cannot revoke itself")]
    LastAdmin,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<EditError> for TokenError {
    fn from(e: EditError) -> Self {
        match e {
            EditError::LastAdmin => TokenError::LastAdmin,
            EditError::Store(e) => TokenError::Store(e),
            other => TokenError::Store(StoreError::Corrupt(other.to_string())),
        }
    }
}

/// Issues a token from a request document (`name`, `role`, `areas`,
/// `expires_at`), every bad field named; returns it with its secret, shown once.
pub async fn issue(app: &App, by: &Token, doc: &Value) -> Result<(Token, String), TokenError> {
    let Value::Object(fields) = &doc else {
        return Err(TokenError::NotAnObject);
    };
    let mut errors = Errors::default();
    for key in fields.keys() {
        if !["name", "role", "areas", "expires_at"].contains(&key.as_str()) {
            let allowed = "name, role, areas, expires_at".to_owned();
            errors.add(key, Invalid::UnknownField { allowed });
        }
    }
    let name = match fields.get("name") {
        Some(Value::String(name)) => name.clone(),
        _ => {
            errors.add("name", Invalid::Required);
            String::new()
        }
    };
    let role = match fields.get("role") {
        Some(Value::String(role)) => errors.check(
            "role",
            role.parse::<Role>().map_err(|_| Invalid::NotAChoice {
                choices: Role::names(),
            }),
        ),
        _ => {
            let choices = Role::names();
            errors.add("role", Invalid::RequiredChoice { choices });
            None
        }
    };
    let areas = match fields.get("areas") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Some(_) => {
            errors.add("areas", Invalid::NotAList);
            Vec::new()
        }
    };
    let expires_at = errors.check(
        "expires_at",
        check::optional_instant(fields.get("expires_at")),
    );
    let now = whole_seconds(app.clock.now());
    let issued = issue_token(
        &name,
        role.unwrap_or(Role::Editor),
        areas,
        expires_at.flatten(),
        &app.taxonomy,
        now,
    );
    let (token, secret, hash) = match (issued, role, errors.0.is_empty()) {
        (Ok(issued), Some(_), true) => issued,
        (Err(more), _, _) => {
            errors.0.extend(more);
            return Err(TokenError::Invalid(errors.0));
        }
        _ => return Err(TokenError::Invalid(errors.0)),
    };
    let actor = Actor::from(by);
    let stored = token.clone();
    app.store
        .run(move |conn| Ok(editing::create_token(conn, &stored, &hash, &actor, now)))
        .await??;
    Ok((token, secret))
}

/// Revokes a token at once; revoking a revoked token changes nothing.
pub async fn revoke(app: &App, by: &Token, id: &str) -> Result<(), TokenError> {
    let not_found = || TokenError::NotFound(id.to_owned());
    let id = Uuid::try_parse(id).map_err(|_| not_found())?;
    if app
        .store
        .run(move |conn| tokens::find(conn, id))
        .await?
        .is_none()
    {
        return Err(not_found());
    }
    let actor = Actor::from(by);
    let now = app.clock.now();
    app.store
        .run(move |conn| Ok(editing::revoke_token(conn, id, &actor, now)))
        .await??;
    Ok(())
}
