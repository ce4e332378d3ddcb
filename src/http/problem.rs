//! Errors as `application/problem+json` (RFC 9457).

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::store::StoreError;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// One bad field or parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field or query parameter, e.g. `limit`.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem, e.g. `/problems/invalid-parameter`.
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Every bad field or parameter, for validation problems.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("invalid query parameters")]
    InvalidParameters(Vec<FieldError>),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("gone: {0}")]
    Gone(String),
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(#[from] StoreError),
}

impl ApiError {
    pub fn parameter(field: &str, message: impl Into<String>) -> Self {
        ApiError::InvalidParameters(vec![FieldError::new(field, message)])
    }

    fn parts(&self) -> (&'static str, &'static str, String) {
        match self {
            ApiError::InvalidParameters(errors) => (
                "invalid-parameter",
                "Invalid query parameter",
                errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            ApiError::NotFound(what) => ("not-found", "Not found", what.clone()),
            ApiError::Gone(what) => ("gone", "Gone", what.clone()),
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
    problem(status, type_name, title, detail, Vec::new())
}

fn problem(
    status: StatusCode,
    type_name: &str,
    title: &str,
    detail: String,
    errors: Vec<FieldError>,
) -> HttpResponse {
    let body = Problem {
        type_uri: format!("/problems/{type_name}"),
        title: title.to_owned(),
        status: status.as_u16(),
        detail,
        errors,
    };
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, PROBLEM_JSON))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(serde_json::to_string(&body).expect("problems serialise"))
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::InvalidParameters(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Gone(_) => StatusCode::GONE,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(error = %cause, "request failed");
        }
        let (type_name, title, detail) = self.parts();
        let errors = match self {
            ApiError::InvalidParameters(errors) => errors.clone(),
            _ => Vec::new(),
        };
        problem(self.status_code(), type_name, title, detail, errors)
    }
}
