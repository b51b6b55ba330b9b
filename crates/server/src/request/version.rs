//! Versions and retries: a claim's `ETag`, the `If-Match` a change is based on, and the
//! `Idempotency-Key` that makes a retried create answer the first response.

use crate::error::{ApiError, ApiResult};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use cpor_domain::claim::hash_secret;
use cpor_domain::{ErrorCode, FieldError};
use cpor_store::Idempotency;

/// The longest idempotency key accepted.
pub const MAX_IDEMPOTENCY_KEY: usize = 200;

/// The `Idempotency-Key` of a request, scoped to its caller and bound to its method,
/// path and body.
pub fn idempotency(
    headers: &HeaderMap,
    scope: &str,
    method: &Method,
    path: &str,
    body: &[u8],
) -> ApiResult<Option<Idempotency>> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = v
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= MAX_IDEMPOTENCY_KEY)
        .ok_or_else(|| {
            ApiError::invalid(vec![FieldError::new(
                "Idempotency-Key",
                ErrorCode::InvalidFormat,
                format!(
                    "The Idempotency-Key header is 1 to {MAX_IDEMPOTENCY_KEY} visible characters."
                ),
            )])
        })?;
    let mut material = format!("{method} {path}\n").into_bytes();
    material.extend_from_slice(body);
    Ok(Some(Idempotency {
        scope: scope.to_string(),
        key: key.to_string(),
        request_hash: hash_secret(&String::from_utf8_lossy(&material)),
    }))
}

/// The version an `If-Match` header names (`"3"`, `W/"3"` or `3`).
pub fn if_match(headers: &HeaderMap) -> ApiResult<Option<u64>> {
    let Some(v) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let s = v.to_str().unwrap_or("").trim();
    let s = s.strip_prefix("W/").unwrap_or(s).trim_matches('"');
    s.parse::<u64>().map(Some).map_err(|_| {
        ApiError::invalid(vec![FieldError::new(
            "If-Match",
            ErrorCode::InvalidFormat,
            "If-Match takes the claim's ETag, such as \"3\".",
        )])
    })
}

/// `If-Match` where a change must name the version it is based on (428 without it).
pub fn required_if_match(headers: &HeaderMap) -> ApiResult<u64> {
    if_match(headers)?.ok_or_else(|| {
        ApiError::one(
            StatusCode::PRECONDITION_REQUIRED,
            "If-Match",
            ErrorCode::Required,
            "Send If-Match with the ETag of the claim you changed, so no one else's change is overwritten.",
        )
    })
}

pub fn etag(version: u64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}
