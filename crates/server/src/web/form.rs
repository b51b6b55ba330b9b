//! Posted forms: refused unless sent from this service's own origin with the page's CSRF
//! token (`_csrf`), so another site can neither post for a signed-in person nor sign
//! someone in to an account of its choosing.

use super::error::PageError;
use super::ui::Ui;
use crate::request::origin;
use crate::state::App;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// The largest form accepted (files go through multipart uploads instead).
const MAX_FORM_BYTES: usize = 256 * 1024;

/// Refuses a form sent from another site: the rule of every posted form, multipart
/// uploads included.
pub fn same_origin(ui: &Ui, headers: &axum::http::HeaderMap) -> Result<(), PageError> {
    let sent_from = headers
        .get(header::ORIGIN)
        .map(|o| o.to_str().unwrap_or("invalid"));
    if origin::allowed(&ui.app.public_url, sent_from) {
        Ok(())
    } else {
        Err(PageError::bad_form(ui))
    }
}

/// A form with no fields besides its token.
#[derive(serde::Deserialize, Default)]
pub struct NoFields {}

/// A checked form: its fields as `T`, and every pair as sent (for repeated fields such
/// as checkboxes).
pub struct Posted<T> {
    pub ui: Ui,
    pub form: T,
    pub pairs: Vec<(String, String)>,
}

impl<T> Posted<T> {
    /// Every value of a repeated field.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

impl<T: DeserializeOwned> FromRequest<App> for Posted<T> {
    type Rejection = Response;

    async fn from_request(req: Request, app: &App) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let ui = Ui::from_request_parts(&mut parts, app).await?;
        same_origin(&ui, &parts.headers).map_err(IntoResponse::into_response)?;
        let req = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(req, app)
            .await
            .map_err(|_| PageError::bad_form(&ui).into_response())?;
        if bytes.len() > MAX_FORM_BYTES {
            return Err(PageError::bad_form(&ui).into_response());
        }
        let pairs: Vec<(String, String)> = form_urlencoded::parse(&bytes)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let token = pairs
            .iter()
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        if ui.csrf.is_empty() || !ui.csrf_ok(token) {
            return Err(PageError::bad_form(&ui).into_response());
        }
        let form = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| PageError::bad_form(&ui).into_response())?;
        Ok(Posted { ui, form, pairs })
    }
}
