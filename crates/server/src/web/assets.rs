//! The portal's stylesheet, compiled into the binary (no CDN, works offline) and served
//! under a name that changes with its content, so browsers may keep it for a year.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use sha2::Digest;
use std::sync::OnceLock;

const CSS: &str = include_str!("../../assets/cpor.css");

fn version() -> &'static str {
    static V: OnceLock<String> = OnceLock::new();
    V.get_or_init(|| hex_prefix(&sha2::Sha256::digest(CSS.as_bytes())))
}

fn hex_prefix(digest: &[u8]) -> String {
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// The stylesheet's address for this build.
pub fn css_url() -> String {
    format!("/assets/cpor-{}.css", version())
}

/// `GET /assets/{file}`.
pub async fn asset(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    if file == css_url().trim_start_matches("/assets/") {
        (
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            CSS,
        )
            .into_response()
    } else {
        axum::http::StatusCode::NOT_FOUND.into_response()
    }
}
