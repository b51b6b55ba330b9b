//! Pages that cannot be shown: not found (also another organisation's claim), not
//! permitted, a refused form token, or a failure. Rendered in the visitor's language,
//! never with internals.

use super::ui::Ui;
use crate::error::{ApiError, InternalError};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Template)]
#[template(path = "web/error.html")]
struct ErrorPage<'a> {
    ui: &'a Ui,
    heading: String,
    text: String,
}

/// Why a page is not shown: the page that says so (boxed: results stay small).
pub struct PageError {
    page: Box<Response>,
}

impl PageError {
    /// The page of `status` with the messages `words` (heading, text).
    fn render(
        ui: &Ui,
        status: StatusCode,
        words: (&str, &str),
        internal: Option<String>,
    ) -> PageError {
        let page = ErrorPage {
            ui,
            heading: ui.t(words.0),
            text: ui.t(words.1),
        };
        let mut page = match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => (status, format!("{status}: {e}")).into_response(),
        };
        if let Some(chain) = internal {
            page.extensions_mut().insert(InternalError(chain));
        }
        PageError {
            page: Box::new(page),
        }
    }

    pub fn not_found(ui: &Ui) -> PageError {
        PageError::render(
            ui,
            StatusCode::NOT_FOUND,
            ("page-not-found-heading", "page-not-found-text"),
            None,
        )
    }

    pub fn forbidden(ui: &Ui) -> PageError {
        PageError::render(
            ui,
            StatusCode::FORBIDDEN,
            ("page-forbidden-heading", "page-forbidden-text"),
            None,
        )
    }

    /// A form without this page's token, or sent from another site.
    pub fn bad_form(ui: &Ui) -> PageError {
        PageError::render(
            ui,
            StatusCode::FORBIDDEN,
            ("page-bad-form-heading", "page-bad-form-text"),
            None,
        )
    }

    /// What an API refusal means for a page that has no form to show it on.
    pub fn from_api(ui: &Ui, e: ApiError) -> PageError {
        match e.status.as_u16() {
            404 => PageError::not_found(ui),
            401 | 403 => PageError::forbidden(ui),
            409 | 412 | 422 => PageError::render(
                ui,
                e.status,
                ("page-conflict-heading", "page-conflict-text"),
                None,
            ),
            503 => PageError::render(
                ui,
                e.status,
                ("page-unavailable-heading", "page-unavailable-text"),
                None,
            ),
            _ => PageError::render(
                ui,
                e.status,
                ("page-failed-heading", "page-failed-text"),
                e.internal_chain(),
            ),
        }
    }

    pub fn status(&self) -> StatusCode {
        self.page.status()
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        *self.page
    }
}

pub type PageResult = Result<Response, PageError>;
