//! The JSON API under `/api/v1` (docs/product.md, interfaces), its OpenAPI document and
//! served docs.

pub mod admin;
pub mod associations;
pub mod claims;
pub mod consent;
pub mod dto;
pub mod handoff;
pub mod jobs;
pub mod openapi;
pub mod poe;
pub mod reference;
pub mod review;
pub mod support;
pub mod threads;
pub mod webhooks;

use crate::state::App;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use openapi::ApiDoc;

/// The API's routes and the OpenAPI document that describes them, both built from each
/// handler's `#[utoipa::path]`, so a route is declared once. `upload_limit` bounds PoE
/// request bodies (the policy's maximum plus room for the multipart framing).
pub fn routes(upload_limit: usize) -> (Router<App>, utoipa::openapi::OpenApi) {
    let (schemas, paths, upload) = routes!(poe::upload);
    let upload = (
        schemas,
        paths,
        upload.layer(DefaultBodyLimit::max(upload_limit)),
    );
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(claims::create, claims::list))
        .routes(routes!(claims::get, claims::patch, claims::delete))
        .routes(routes!(claims::submit))
        .routes(routes!(claims::resubmit))
        .routes(routes!(claims::withdraw))
        .routes(routes!(claims::disassociate))
        .routes(routes!(claims::dispute))
        .routes(routes!(claims::dispute_start))
        .routes(routes!(claims::dispute_resolve))
        .routes(routes!(claims::start_review))
        .routes(routes!(claims::take))
        .routes(routes!(claims::request_info))
        .routes(routes!(claims::approve))
        .routes(routes!(claims::reject))
        .routes(upload)
        .routes(routes!(poe::download, poe::remove))
        .routes(routes!(poe::template))
        .routes(routes!(poe::findings))
        .routes(routes!(threads::list, threads::add))
        .routes(routes!(threads::history))
        .routes(routes!(review::queue))
        .routes(routes!(consent::show))
        .routes(routes!(consent::decline))
        .routes(routes!(reference::catalog))
        .routes(routes!(reference::lookup))
        .routes(routes!(reference::check_key))
        .routes(routes!(associations::lookup))
        .routes(routes!(handoff::changes))
        .routes(routes!(handoff::export))
        .routes(routes!(webhooks::list, webhooks::create))
        .routes(routes!(webhooks::show, webhooks::patch, webhooks::remove))
        .routes(routes!(webhooks::deliveries))
        .routes(routes!(webhooks::redeliver))
        .routes(routes!(jobs::list))
        .routes(routes!(jobs::requeue))
        .routes(routes!(admin::holidays, admin::add_holiday))
        .routes(routes!(admin::remove_holiday))
        .routes(routes!(admin::policy, admin::set_policy))
        .routes(routes!(admin::products))
        .routes(routes!(admin::put_product))
        .routes(routes!(admin::organisations, admin::create_organisation))
        .routes(routes!(admin::organisation, admin::patch_organisation))
        .routes(routes!(admin::add_location))
        .routes(routes!(admin::remove_location))
        .routes(routes!(admin::users, admin::invite))
        .routes(routes!(admin::patch_user))
        .routes(routes!(admin::tokens))
        .routes(routes!(admin::revoke_token))
        .routes(routes!(admin::import_directory))
        .split_for_parts();
    openapi::complete(&mut doc);
    (router, doc)
}
