//! JSON request bodies: the right media type (415), within the size limit (413), a JSON
//! object (422), and every type error or unknown field named by its path (422).

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use cpor_domain::{ErrorCode, FieldError};
use serde::de::DeserializeOwned;

/// The largest JSON body accepted (PoE uploads have their own, larger limit).
pub const MAX_JSON_BYTES: usize = 256 * 1024;

/// A parsed JSON body and its bytes (idempotency keys bind to the bytes). An empty body
/// stands for `{}`, so commands without fields need no body at all.
pub struct JsonBody<T> {
    pub value: T,
    pub raw: Bytes,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(is_json_media_type);
        let raw = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                ApiError::invalid(vec![FieldError::new(
                    "body",
                    ErrorCode::InvalidFormat,
                    "The body could not be read.",
                )])
            }
        })?;
        if raw.len() > MAX_JSON_BYTES {
            return Err(too_large());
        }
        let blank = raw.iter().all(u8::is_ascii_whitespace);
        if !blank && !is_json {
            return Err(ApiError::one(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Content-Type",
                ErrorCode::InvalidFormat,
                "Send the body as JSON with Content-Type: application/json.",
            ));
        }
        let value = parse_json(if blank { b"{}" } else { &raw })?;
        Ok(JsonBody { value, raw })
    }
}

/// `application/json` or any `application/…+json`, with or without parameters.
fn is_json_media_type(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or("").trim();
    let essence = essence.to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn too_large() -> ApiError {
    ApiError::one(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body",
        ErrorCode::ValueOutOfRange,
        format!("A JSON body is at most {} KiB.", MAX_JSON_BYTES / 1024),
    )
}

/// Parses a JSON object into `T`. Type errors and unknown fields name the field's path.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    // serde reads a struct from an array too; a request body is an object or nothing.
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return Err(ApiError::invalid(vec![FieldError::new(
            "body",
            ErrorCode::InvalidFormat,
            "The body is a JSON object.",
        )]));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        a: Option<String>,
    }

    #[test]
    fn a_body_is_an_object_never_an_array() {
        let e = parse_json::<Body>(b"[\"x\"]").err().map(|e| e.errors);
        assert_eq!(e.map(|v| v[0].field.clone()), Some("body".to_string()));
        assert!(parse_json::<Body>(b" {\"a\": \"x\"}").is_ok());
    }

    #[test]
    fn json_media_types_are_recognised_with_parameters() {
        assert!(is_json_media_type("application/json; charset=utf-8"));
        assert!(is_json_media_type("Application/Merge-Patch+JSON"));
        assert!(!is_json_media_type("text/plain"));
        assert!(!is_json_media_type("application/x-www-form-urlencoded"));
    }
}
