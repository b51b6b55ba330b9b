//! The origin rule for state-changing requests a browser may send: a request that
//! carries an `Origin` other than this service's public origin is refused. Browsers name
//! the page a form or script was sent from in `Origin`; programs send none.

use crate::error::ApiError;
use crate::state::App;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

/// The public URL's origin: scheme, host and port, no path.
pub fn origin_of(public_url: &str) -> &str {
    let after_scheme = public_url.find("://").map_or(0, |i| i + 3);
    match public_url[after_scheme..].find('/') {
        Some(i) => &public_url[..after_scheme + i],
        None => public_url,
    }
}

/// Whether `origin` (the header's value, if any) may change things here.
pub fn allowed(public_url: &str, origin: Option<&str>) -> bool {
    match origin {
        None => true,
        Some(o) => o
            .trim_end_matches('/')
            .eq_ignore_ascii_case(origin_of(public_url)),
    }
}

/// Refuses the request when it comes from another origin (403).
pub struct SameOrigin;

impl FromRequestParts<App> for SameOrigin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let origin = parts
            .headers
            .get(header::ORIGIN)
            .map(|o| o.to_str().unwrap_or("invalid"));
        if allowed(&app.public_url, origin) {
            Ok(SameOrigin)
        } else {
            Err(ApiError::forbidden(
                "This request can only be sent from this service's own pages.",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_public_origin_or_none_is_allowed() {
        let url = "https://cpor.example.com/base";
        assert_eq!(origin_of(url), "https://cpor.example.com");
        assert!(allowed(url, None));
        assert!(allowed(url, Some("https://cpor.example.com")));
        assert!(!allowed(url, Some("https://evil.example")));
        assert!(!allowed(url, Some("null")));
        assert!(!allowed(
            "http://127.0.0.1:8080",
            Some("http://127.0.0.1:9090")
        ));
    }
}
