//! The portal's cookies: the session, the language of a visitor who is not signed in,
//! and the CSRF token of forms sent before signing in. All are HttpOnly; the session
//! cookie takes the `__Host-` prefix and `Secure` when the service is reached over https.

use axum::http::{HeaderMap, HeaderValue, header};

pub const LANG: &str = "cpor-lang";
pub const ANON_CSRF: &str = "cpor-csrf";

/// The session cookie's name for a service at `public_url`.
pub fn session_name(public_url: &str) -> &'static str {
    if secure(public_url) {
        "__Host-cpor-session"
    } else {
        "cpor-session"
    }
}

fn secure(public_url: &str) -> bool {
    public_url.starts_with("https://")
}

/// The value of cookie `name` in a request.
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value; `max_age` in seconds, 0 to remove the cookie.
pub fn set(
    public_url: &str,
    name: &str,
    value: &str,
    max_age: i64,
    same_site: &str,
) -> HeaderValue {
    let secure = if secure(public_url) { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite={same_site}; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_host_bound_and_secure_over_https() {
        assert_eq!(
            session_name("https://claims.example"),
            "__Host-cpor-session"
        );
        assert_eq!(session_name("http://127.0.0.1:8080"), "cpor-session");
        let c = set(
            "https://claims.example",
            "__Host-cpor-session",
            "x",
            60,
            "Lax",
        );
        let c = c.to_str().unwrap_or("");
        assert!(c.contains("HttpOnly") && c.contains("Secure") && c.contains("SameSite=Lax"));
        assert!(c.contains("Path=/"));
    }

    #[test]
    fn cookies_are_read_by_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; cpor-lang=fr; b=2"),
        );
        assert_eq!(get(&h, LANG), Some("fr"));
        assert_eq!(get(&h, "c"), None);
    }
}
