//! `/api/v1/admin/tokens`: admins issue, list and revoke tokens.

use actix_web::http::header;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::Caller;
use super::body::{self, JSON};
use crate::app::tokens::{self, TokenError};
use crate::domain::time::rfc3339_oslo;
use crate::domain::token::Role;
use crate::domain::Token;
use crate::http::problem::{ApiError, Problem};
use crate::http::AppState;
use crate::store::tokens as stored_tokens;
use chrono::{DateTime, Utc};

/// A token, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    #[schema(value_type = String, example = "editor")]
    pub role: Role,
    /// The access packages an editor holds (a package covers its sub-packages).
    pub areas: Vec<String>,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
    /// Neither expired nor revoked.
    pub active: bool,
}

impl TokenView {
    pub fn new(token: &Token, now: DateTime<Utc>) -> Self {
        Self {
            id: token.id.to_string(),
            name: token.name.clone(),
            role: token.role,
            areas: token.areas.clone(),
            created_at: rfc3339_oslo(token.created_at),
            expires_at: token.expires_at.map(rfc3339_oslo),
            revoked_at: token.revoked_at.map(rfc3339_oslo),
            active: token.is_active(now),
        }
    }
}

/// What an admin sends to issue a token.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TokenRequest {
    /// Who or what holds it, 1–100 characters.
    #[schema(example = "Redaksjonen, tilskudd")]
    name: String,
    #[schema(value_type = String, example = "editor")]
    role: Role,
    /// For an editor: at least one delegable area slug. For an admin: none.
    areas: Option<Vec<String>>,
    /// RFC 3339, in the future; `null` for no expiry.
    expires_at: Option<String>,
}

/// A new token and its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedToken {
    pub token: TokenView,
    /// Send as `Authorization: Bearer <secret>`. It is stored only as a hash and cannot be shown again.
    pub secret: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenList {
    pub items: Vec<TokenView>,
}

/// Issues a token: `{"name": "…", "role": "editor", "areas": ["helsetjenester"], "expires_at": null}`.
/// Only delegable packages can be granted. Admin only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body(content = TokenRequest, content_type = "application/json"),
    responses(
        (status = 201, body = IssuedToken),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/admin/tokens")]
pub async fn create(
    caller: Caller,
    state: web::Data<AppState>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let doc = body::json(&request, payload, &[JSON]).await?;
    let (token, secret) = tokens::issue(&state.app, &caller.0, &doc).await?;
    let now = state.app.clock.now();
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/admin/tokens/{}", token.id),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(IssuedToken {
            token: TokenView::new(&token, now),
            secret,
        }))
}

/// Every token, newest first, without secrets. Admin only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, body = TokenList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/admin/tokens")]
pub async fn list(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let found = state.app.store.run(stored_tokens::list).await?;
    let now = state.app.clock.now();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(TokenList {
            items: found.iter().map(|t| TokenView::new(t, now)).collect(),
        }))
}

/// Revokes a token at once. Admin only. Revoking a revoked token changes
/// nothing. An admin token cannot revoke itself while it is the only active
/// admin token (409): no one could then create tokens but at the server.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The only active admin token, revoking itself", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/api/v1/admin/tokens/{id}")]
pub async fn revoke(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    tokens::revoke(&state.app, &caller.0, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

impl From<TokenError> for ApiError {
    fn from(e: TokenError) -> Self {
        match e {
            TokenError::NotAnObject => ApiError::Unprocessable(e.to_string()),
            TokenError::Invalid(errors) => ApiError::InvalidFields(errors),
            TokenError::NotFound(id) => ApiError::NotFound(format!("no token {id:?}")),
            TokenError::LastAdmin => crate::store::editing::EditError::LastAdmin.into(),
            TokenError::Store(e) => e.into(),
        }
    }
}
