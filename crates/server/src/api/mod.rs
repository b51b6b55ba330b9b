//! The JSON API under `/api/v1` (SPEC §5), its OpenAPI document and served docs.

pub mod claims;
pub mod consent;
pub mod dto;
pub mod openapi;
pub mod poe;
pub mod reference;
pub mod review;
pub mod support;
pub mod threads;

use crate::state::App;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

pub use openapi::ApiDoc;

/// The API's routes. `upload_limit` bounds PoE request bodies (the policy's maximum plus
/// room for the multipart framing).
pub fn routes(upload_limit: usize) -> Router<App> {
    Router::new()
        .route("/claims", post(claims::create).get(claims::list))
        .route(
            "/claims/{id}",
            get(claims::get).patch(claims::patch).delete(claims::delete),
        )
        .route("/claims/{id}/submit", post(claims::submit))
        .route("/claims/{id}/resubmit", post(claims::resubmit))
        .route("/claims/{id}/withdraw", post(claims::withdraw))
        .route("/claims/{id}/disassociate", post(claims::disassociate))
        .route("/claims/{id}/dispute", post(claims::dispute))
        .route("/claims/{id}/dispute/start", post(claims::dispute_start))
        .route(
            "/claims/{id}/dispute/resolve",
            post(claims::dispute_resolve),
        )
        .route("/claims/{id}/review/start", post(claims::start_review))
        .route(
            "/claims/{id}/review/request-info",
            post(claims::request_info),
        )
        .route("/claims/{id}/review/approve", post(claims::approve))
        .route("/claims/{id}/review/reject", post(claims::reject))
        .route(
            "/claims/{id}/poe",
            post(poe::upload).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/claims/{id}/poe/{poe_id}",
            get(poe::download).delete(poe::remove),
        )
        .route(
            "/claims/{id}/comments",
            get(threads::list).post(threads::add),
        )
        .route("/claims/{id}/history", get(threads::history))
        .route("/review/queue", get(review::queue))
        .route("/consent/{token}", get(consent::show))
        .route("/consent/{token}/decline", post(consent::decline))
        .route("/catalog", get(reference::catalog))
        .route("/directory/lookup", get(reference::lookup))
        .route("/association-keys/check", get(reference::check_key))
}
