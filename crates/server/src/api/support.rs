//! What the handlers share: JSON bodies parsed with field-level errors, idempotency
//! keys, versions (`ETag` / `If-Match`), and running a command.

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::metrics;
use crate::state::App;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use cpor_domain::claim::{Claim, Command, hash_secret};
use cpor_domain::values::ClaimId;
use cpor_domain::{Actor, ErrorCode, FieldError};
use cpor_store::{CommandOutcome, CommandRequest, Idempotency, StoreError};
use serde::de::DeserializeOwned;

/// Parses a JSON body; an empty body is `{}`. Type errors and unknown fields name the
/// field.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> ApiResult<T> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let msg = inner.to_string();
        let (field, code, message) = if let Some(name) = msg
            .strip_prefix("unknown field `")
            .and_then(|r| r.split('`').next())
        {
            // The path already ends in the unknown field's name.
            let field = if path == "." {
                name.to_string()
            } else {
                path.clone()
            };
            (
                field,
                ErrorCode::NotApplicable,
                format!("{name} is not a field of this request."),
            )
        } else if inner.is_syntax() || inner.is_eof() {
            (
                "body".to_string(),
                ErrorCode::InvalidFormat,
                format!("The body is not valid JSON: {msg}"),
            )
        } else {
            let field = if path == "." {
                "body".to_string()
            } else {
                path
            };
            let clean = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            (
                field,
                ErrorCode::InvalidFormat,
                format!("Wrong type: {clean}."),
            )
        };
        ApiError::invalid(vec![FieldError::new(field, code, message)])
    })
}

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
        .filter(|k| !k.is_empty() && k.len() <= 200)
        .ok_or_else(|| {
            ApiError::invalid(vec![FieldError::new(
                "Idempotency-Key",
                ErrorCode::InvalidFormat,
                "The Idempotency-Key header is 1 to 200 visible characters.",
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

pub fn etag(version: u64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// Runs a command for an API caller and counts it.
pub async fn run(
    app: &App,
    actor: Actor,
    claim_id: ClaimId,
    command: Command,
    expected_version: Option<u64>,
    idempotency: Option<Idempotency>,
) -> ApiResult<CommandOutcome> {
    let name = command.name();
    let mut req = CommandRequest::new(claim_id, command, actor, app.clock.now());
    req.expected_version = expected_version;
    req.idempotency = idempotency;
    match app.store.execute(req).await {
        Ok(o) => {
            metrics::command(name, if o.replayed { "replayed" } else { "ok" });
            Ok(o)
        }
        Err(e) => {
            metrics::command(
                name,
                match &e {
                    StoreError::Domain(_) => "refused",
                    StoreError::VersionMismatch { .. } | StoreError::IdempotencyMismatch => {
                        "conflict"
                    }
                    _ => "failed",
                },
            );
            Err(e.into())
        }
    }
}

/// The claim, if the caller may see it; otherwise not found.
pub async fn visible_claim(app: &App, who: &Principal, id: &str) -> ApiResult<Claim> {
    let id = parse_claim_id(id)?;
    match app.store.claim(id).await? {
        Some(c) if who.can_see(&c) => Ok(c),
        _ => Err(ApiError::not_found("claim")),
    }
}

pub fn parse_claim_id(id: &str) -> ApiResult<ClaimId> {
    id.parse().map_err(|_| ApiError::not_found("claim"))
}

/// A required field of a body: left out is the same as empty, which the value's own
/// parser refuses with `required`.
pub fn required<T: cpor_domain::values::Parse>(
    field: &str,
    raw: &Option<String>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    T::parse_field(field, raw.as_deref().unwrap_or(""))
        .map_err(|e| errors.push(e))
        .ok()
}
