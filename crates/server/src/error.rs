//! API errors as RFC 9457 problem+json with field-level detail (docs/product.md, bad
//! input and failure).
//!
//! Rule: refusals by the rules keep their field errors and get the status of their class
//! (422 invalid input, 409 state or conflict, 403 role, 404 not found or not yours);
//! unexpected failures keep their chain, which the response layer
//! ([`crate::layers::problems`]) logs once with the request id, and are answered as a
//! plain 500 without internals; an unreachable database is a 503 of its own type.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cpor_domain::{DomainError, ErrorClass, ErrorCode, FieldError};
use cpor_store::StoreError;
use serde::Serialize;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub title: &'static str,
    pub errors: Vec<FieldError>,
    /// An internal failure's chain, for the log only.
    internal: Option<String>,
}

/// Set on a 500 answer's extensions: the failure's chain, logged by the response layer.
#[derive(Debug, Clone)]
pub struct InternalError(pub String);

#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub errors: Vec<ProblemField>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, title: &'static str, errors: Vec<FieldError>) -> Self {
        ApiError {
            status,
            title,
            errors,
            internal: None,
        }
    }

    pub fn title_of(status: StatusCode) -> &'static str {
        match status {
            StatusCode::UNAUTHORIZED => "Not signed in",
            StatusCode::FORBIDDEN => "Not permitted",
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::METHOD_NOT_ALLOWED => "Method not allowed",
            StatusCode::CONFLICT => "Conflict",
            StatusCode::PRECONDITION_FAILED => "Stale version",
            StatusCode::PRECONDITION_REQUIRED => "Version required",
            StatusCode::PAYLOAD_TOO_LARGE => "Too large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "Unsupported media type",
            StatusCode::SERVICE_UNAVAILABLE => "Unavailable",
            _ => "Invalid request",
        }
    }

    pub fn one(
        status: StatusCode,
        field: &str,
        code: ErrorCode,
        message: impl Into<String>,
    ) -> Self {
        ApiError::new(
            status,
            ApiError::title_of(status),
            vec![FieldError::new(field, code, message)],
        )
    }

    pub fn invalid(errors: Vec<FieldError>) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid request", errors)
    }

    pub fn unauthorized() -> Self {
        ApiError::one(
            StatusCode::UNAUTHORIZED,
            "Authorization",
            ErrorCode::Required,
            "Send a valid API token: Authorization: Bearer <token>.",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::one(
            StatusCode::FORBIDDEN,
            "role",
            ErrorCode::NotPermitted,
            message,
        )
    }

    pub fn not_found(field: &str) -> Self {
        ApiError::one(
            StatusCode::NOT_FOUND,
            field,
            ErrorCode::NotFound,
            format!("No such {field}."),
        )
    }

    /// An unexpected failure described by a message.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        ApiError {
            internal: Some(e.to_string()),
            ..ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal error",
                Vec::new(),
            )
        }
    }

    /// An internal failure's chain, to be logged by the response layer.
    pub fn internal_chain(&self) -> Option<String> {
        self.internal.clone()
    }

    /// An unexpected failure, with every cause in its chain.
    pub fn internal_error(e: &(dyn std::error::Error + 'static)) -> Self {
        let mut chain = e.to_string();
        let mut source = e.source();
        while let Some(s) = source {
            // Many errors already end with their cause's text: say it once.
            let text = s.to_string();
            if !chain.ends_with(&text) {
                chain.push_str(": ");
                chain.push_str(&text);
            }
            source = s.source();
        }
        ApiError::internal(chain)
    }

    /// The file store cannot be reached (or refused): nothing changed, try again shortly.
    pub fn store_unavailable() -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Unavailable",
            vec![FieldError::new(
                "file",
                ErrorCode::Conflict,
                "The service cannot reach its file store; nothing was changed, try again shortly.",
            )],
        )
    }

    /// The database cannot be reached: try again shortly.
    pub fn unavailable() -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Unavailable",
            vec![FieldError::new(
                "database",
                ErrorCode::Conflict,
                "The service cannot reach its database; try again shortly.",
            )],
        )
    }

    fn kind(&self) -> &'static str {
        match self.status.as_u16() {
            400 | 422 => "urn:cpor:problem:invalid-input",
            401 => "urn:cpor:problem:unauthenticated",
            403 => "urn:cpor:problem:not-permitted",
            404 => "urn:cpor:problem:not-found",
            409 => "urn:cpor:problem:conflict",
            412 | 428 => "urn:cpor:problem:version",
            413 => "urn:cpor:problem:too-large",
            503 => "urn:cpor:problem:unavailable",
            _ => "urn:cpor:problem:internal",
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        let (status, title) = match e.class() {
            ErrorClass::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, "Invalid request"),
            ErrorClass::Conflict => (StatusCode::CONFLICT, "Not allowed now"),
            ErrorClass::NotPermitted => (StatusCode::FORBIDDEN, "Not permitted"),
            ErrorClass::NotFound => (StatusCode::NOT_FOUND, "Not found"),
        };
        ApiError::new(status, title, e.errors)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Domain(d) => d.into(),
            StoreError::VersionMismatch { current } => ApiError::one(
                StatusCode::PRECONDITION_FAILED,
                "If-Match",
                ErrorCode::Conflict,
                format!(
                    "The claim changed since you read it: it is now at version {current}. Reload it and apply your change again."
                ),
            ),
            StoreError::IdempotencyMismatch => ApiError::one(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Idempotency-Key",
                ErrorCode::Conflict,
                "This Idempotency-Key was already used with a different request.",
            ),
            StoreError::Duplicate { field, value } => ApiError::one(
                StatusCode::CONFLICT,
                field,
                ErrorCode::Duplicate,
                format!("{value} is already taken."),
            ),
            StoreError::NotFound(what) => ApiError::not_found(what),
            e @ StoreError::Unavailable { .. } => {
                tracing::warn!(error = %e, "database unavailable");
                ApiError::unavailable()
            }
            e @ StoreError::Internal { .. } => ApiError::internal_error(&e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let detail = match self.errors.as_slice() {
            [] => "Something went wrong on our side; it has been logged.".to_string(),
            [one] => one.message.clone(),
            many => format!("{} problems; see errors.", many.len()),
        };
        let body = Problem {
            kind: self.kind().to_string(),
            title: self.title.to_string(),
            status: self.status.as_u16(),
            detail,
            errors: self
                .errors
                .into_iter()
                .map(|e| ProblemField {
                    field: e.field,
                    code: e.code.as_str().to_string(),
                    message: e.message,
                })
                .collect(),
        };
        let mut resp = (self.status, axum::Json(body)).into_response();
        if let Some(chain) = self.internal {
            resp.extensions_mut().insert(InternalError(chain));
        }
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"cpor\""),
            );
        }
        resp
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
