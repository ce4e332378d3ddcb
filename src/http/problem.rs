//! Errors as `application/problem+json` (RFC 9457).

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::store::StoreError;

pub const PROBLEM_JSON: &str = "application/problem+json";

pub use crate::domain::FieldError;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem, e.g. `/problems/invalid-parameter`.
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The bad fields or parameters, for validation problems: at most
    /// `MAX_ERRORS` of them, the rest counted in `more_errors`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// How many more errors there were than `errors` lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub more_errors: Option<usize>,
    /// The request's id, as in its `X-Request-Id` header and the access
    /// log: what to quote when reporting the problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// The most errors one answer lists: a body with thousands of bad fields
/// gets a short answer.
pub const MAX_ERRORS: usize = 50;

/// `field: message; …` for the first `MAX_ERRORS` errors, and how many more.
fn summary(errors: &[FieldError]) -> String {
    let mut text = errors
        .iter()
        .take(MAX_ERRORS)
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ");
    if errors.len() > MAX_ERRORS {
        text.push_str(&format!("; and {} more", errors.len() - MAX_ERRORS));
    }
    text
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("invalid query parameters")]
    InvalidParameters(Vec<FieldError>),
    /// 400: the body is not JSON, or a header is malformed.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 401, with `WWW-Authenticate: Bearer`.
    #[error("unauthorized: {detail}")]
    Unauthorized { detail: String, invalid_token: bool },
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("payload too large")]
    PayloadTooLarge(usize),
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    /// 412: `If-Match` names a revision that is no longer current.
    #[error("precondition failed: {0}")]
    PreconditionFailed(String),
    /// 422: fields of the body are invalid.
    #[error("invalid fields")]
    InvalidFields(Vec<FieldError>),
    /// 422 for a problem that is not one field's.
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    /// 428: a write that needs `If-Match` came without it.
    #[error("precondition required: {0}")]
    PreconditionRequired(String),
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("not found: {0}")]
    NotFound(String),
    #[error("gone: {0}")]
    Gone(String),
    /// 409: the request conflicts with the state of what it names.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(StoreError),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NothingToSearch => ApiError::parameter(
                "q",
                "has only words the search ignores (such as og, i, til); add a more specific word",
            ),
            StoreError::Pool(cause) => {
                tracing::error!(error = %cause, "no database connection");
                ApiError::Unavailable("the database does not answer; try again shortly".into())
            }
            // Another write held the database longer than a writer waits: the
            // client's request was fine and nothing of it was kept.
            StoreError::Query(diesel::result::Error::DatabaseError(_, info))
                if info.message().contains("database is locked") =>
            {
                tracing::warn!("a write waited too long for another to finish");
                ApiError::Unavailable("the database is busy; try again shortly".into())
            }
            other => ApiError::Internal(other),
        }
    }
}

impl From<crate::store::editing::EditError> for ApiError {
    fn from(e: crate::store::editing::EditError) -> Self {
        use crate::store::editing::EditError;
        match e {
            EditError::Stale => ApiError::PreconditionFailed(
                "the notice was changed by someone else meanwhile; GET it, reapply your change and send it with the new ETag".into(),
            ),
            EditError::KeyReused => ApiError::Unprocessable(
                "this Idempotency-Key was already used with a different request body; use a new key for a new request".into(),
            ),
            EditError::LastAdmin => ApiError::Conflict(
                "this is the only active admin token: create another admin token before revoking this one".into(),
            ),
            EditError::Store(e) => e.into(),
        }
    }
}

impl From<crate::app::query::InvalidParameters> for ApiError {
    fn from(invalid: crate::app::query::InvalidParameters) -> Self {
        ApiError::InvalidParameters(invalid.0)
    }
}

impl ApiError {
    pub fn parameter(field: &str, message: impl Into<String>) -> Self {
        ApiError::InvalidParameters(vec![FieldError::new(
            field,
            crate::domain::Invalid::Parameter(message.into()),
        )])
    }

    fn parts(&self) -> (&'static str, &'static str, String) {
        match self {
            ApiError::InvalidParameters(errors) => (
                "invalid-parameter",
                "Invalid query parameter",
                summary(errors),
            ),
            ApiError::BadRequest(what) => ("bad-request", "Bad request", what.clone()),
            ApiError::Unauthorized { detail, .. } => {
                ("unauthorized", "Unauthorized", detail.clone())
            }
            ApiError::Forbidden(what) => ("forbidden", "Forbidden", what.clone()),
            ApiError::PayloadTooLarge(limit) => (
                "payload-too-large",
                "Payload too large",
                format!("the body may be at most {limit} bytes"),
            ),
            ApiError::UnsupportedMediaType(what) => (
                "unsupported-media-type",
                "Unsupported media type",
                what.clone(),
            ),
            ApiError::PreconditionFailed(what) => {
                ("precondition-failed", "Precondition failed", what.clone())
            }
            ApiError::InvalidFields(errors) => {
                ("validation-failed", "Invalid fields", summary(errors))
            }
            ApiError::Unprocessable(what) => {
                ("unprocessable", "Unprocessable request", what.clone())
            }
            ApiError::PreconditionRequired(what) => (
                "precondition-required",
                "Precondition required",
                what.clone(),
            ),
            ApiError::TooManyRequests { retry_after_secs } => (
                "too-many-requests",
                "Too many requests",
                format!(
                    "too many failed sign-ins from this address; try again in {retry_after_secs} s"
                ),
            ),
            ApiError::NotFound(what) => ("not-found", "Not found", what.clone()),
            ApiError::Gone(what) => ("gone", "Gone", what.clone()),
            ApiError::Conflict(what) => ("conflict", "Conflict", what.clone()),
            ApiError::Unavailable(what) => ("unavailable", "Service unavailable", what.clone()),
            ApiError::Internal(_) => (
                "internal",
                "Internal server error",
                "The server failed to answer; the fault is logged.".into(),
            ),
        }
    }
}

/// A problem response outside the `ApiError` paths (unknown routes, methods).
pub fn problem_response(
    status: StatusCode,
    type_name: &str,
    title: &str,
    detail: String,
) -> HttpResponse {
    problem(status, type_name, title, detail, &[])
}

fn problem(
    status: StatusCode,
    type_name: &str,
    title: &str,
    detail: String,
    errors: &[FieldError],
) -> HttpResponse {
    let more_errors = errors.len().checked_sub(MAX_ERRORS).filter(|n| *n > 0);
    let body = Problem {
        type_uri: format!("/problems/{type_name}"),
        title: title.to_owned(),
        status: status.as_u16(),
        detail,
        errors: errors.iter().take(MAX_ERRORS).cloned().collect(),
        more_errors,
        request_id: super::request_id::current(),
    };
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, PROBLEM_JSON))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(serde_json::to_string(&body).expect("problems serialise"))
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::InvalidParameters(_) | ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::InvalidFields(_) | ApiError::Unprocessable(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::PreconditionRequired(_) => StatusCode::PRECONDITION_REQUIRED,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Gone(_) => StatusCode::GONE,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(error = %cause, "request failed");
        }
        let (type_name, title, detail) = self.parts();
        let errors: &[FieldError] = match self {
            ApiError::InvalidParameters(errors) | ApiError::InvalidFields(errors) => errors,
            _ => &[],
        };
        let mut response = problem(self.status_code(), type_name, title, detail, errors);
        let headers = response.headers_mut();
        match self {
            ApiError::Unauthorized { invalid_token, .. } => {
                let challenge = if *invalid_token {
                    "Bearer realm=\"tavla\", error=\"invalid_token\""
                } else {
                    "Bearer realm=\"tavla\""
                };
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    header::HeaderValue::from_static(challenge),
                );
            }
            ApiError::TooManyRequests { retry_after_secs } => {
                headers.insert(header::RETRY_AFTER, (*retry_after_secs).into());
            }
            ApiError::Unavailable(_) => {
                headers.insert(header::RETRY_AFTER, 5.into());
            }
            _ => {}
        }
        response
    }
}
