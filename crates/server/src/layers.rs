//! What every answer of the service goes through: a request id, a log line whose URI has
//! its secrets removed, security headers on HTML, and problem+json for every refusal,
//! including those axum itself makes (unknown routes, unreadable paths, panics).

use crate::error::{ApiError, InternalError};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cpor_domain::{ErrorCode, FieldError};

/// Path segments that follow one of these carry a secret (a consent link's token).
const SECRET_AFTER: &[&str] = &["consent"];

/// The URI as it may be logged: the secret segments are replaced, the query is dropped
/// (filters can hold personal data such as e-mail domains).
pub fn redacted(uri: &Uri) -> String {
    let mut out = String::new();
    let mut secret_next = false;
    for segment in uri.path().split('/').skip(1) {
        out.push('/');
        if secret_next {
            out.push_str("[redacted]");
        } else {
            out.push_str(segment);
        }
        secret_next = SECRET_AFTER.contains(&segment);
    }
    if uri.query().is_some() {
        out.push_str("?…");
    }
    out
}

/// One span per request, with its id and the redacted URI.
pub fn request_span(req: &Request<Body>) -> tracing::Span {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        method = %req.method(),
        uri = %redacted(req.uri()),
        request_id,
    )
}

/// Security headers on every HTML answer; consent pages (and their API) are never
/// cached, since the link's secret is in their address.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let consent = req.uri().path().starts_with("/consent/")
        || req.uri().path().starts_with("/api/v1/consent/");
    let docs = req.uri().path().starts_with("/api/docs");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    let html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        // The API docs page styles itself inline and draws data: images.
        let csp = if docs {
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"
        } else {
            "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        };
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        h.entry(header::REFERRER_POLICY)
            .or_insert(HeaderValue::from_static("same-origin"));
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if consent {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    }
    resp
}

/// Turns every refusal that is not yet problem+json (axum's own, a panic's) into one,
/// and logs internal errors once, with the request id of the span.
pub async fn problems(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let resp = next.run(req).await;
    if let Some(InternalError(chain)) = resp.extensions().get::<InternalError>() {
        tracing::error!(error = %chain, "internal error");
    }
    let status = resp.status();
    // Problems stay as they are, and so do pages: they render their own error page.
    let is_problem_or_page = resp.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes().starts_with(b"application/problem+json")
            || v.as_bytes().starts_with(b"text/html")
    });
    if status.as_u16() < 400 || is_problem_or_page {
        return resp;
    }
    let detail = body_text(resp).await;
    let error = match status {
        StatusCode::NOT_FOUND => Some(FieldError::new(
            "path",
            ErrorCode::NotFound,
            "There is nothing at this address.",
        )),
        StatusCode::METHOD_NOT_ALLOWED => Some(FieldError::new(
            "method",
            ErrorCode::NotApplicable,
            format!("This address does not take {method}."),
        )),
        StatusCode::PAYLOAD_TOO_LARGE => Some(FieldError::new(
            "body",
            ErrorCode::ValueOutOfRange,
            "The request body is too large.",
        )),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Some(FieldError::new(
            "Content-Type",
            ErrorCode::InvalidFormat,
            "This request's body is of another media type.",
        )),
        s if s.is_client_error() => Some(FieldError::new(
            "request",
            ErrorCode::InvalidFormat,
            format!("The request is malformed: {detail}"),
        )),
        _ => None,
    };
    match error {
        Some(e) => ApiError::new(status, ApiError::title_of(status), vec![e]).into_response(),
        None if status == StatusCode::SERVICE_UNAVAILABLE => {
            ApiError::unavailable().into_response()
        }
        None => {
            // A panic or a failure below the handlers: logged here, without internals in
            // the answer.
            tracing::error!(status = status.as_u16(), detail = %detail, "failure below the handlers");
            ApiError::new(status, "Internal error", Vec::new()).into_response()
        }
    }
}

/// A refusal's plain-text body, bounded, for the problem's message.
async fn body_text(resp: Response) -> String {
    let bytes = axum::body::to_bytes(resp.into_body(), 4096)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    text.chars()
        .take(200)
        .collect::<String>()
        .trim()
        .to_string()
}

/// The HTTP methods metrics label by name; any other is `other`, so invented methods
/// cannot add series.
pub fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_secrets_never_reach_the_log() {
        let uri: Uri = "/api/v1/consent/consent_abcDEF/decline?x=1"
            .parse()
            .unwrap_or_default();
        assert_eq!(redacted(&uri), "/api/v1/consent/[redacted]/decline?…");
        let uri: Uri = "/consent/consent_abcDEF".parse().unwrap_or_default();
        assert_eq!(redacted(&uri), "/consent/[redacted]");
        let uri: Uri = "/api/v1/claims".parse().unwrap_or_default();
        assert_eq!(redacted(&uri), "/api/v1/claims");
    }

    #[test]
    fn invented_methods_share_one_label() {
        let m = Method::from_bytes(b"BREW").unwrap_or(Method::GET);
        assert_eq!(method_label(&m), "other");
        assert_eq!(method_label(&Method::PATCH), "PATCH");
    }
}
