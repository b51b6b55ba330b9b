//! Ids in the path, parsed once: a malformed id names nothing, so it is a 404, and past
//! this point only canonical typed ids exist (storage paths are built from them).

use crate::error::ApiError;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use cpor_domain::values::{ClaimId, PoeId};
use std::collections::HashMap;

async fn params<S: Send + Sync>(parts: &mut Parts, state: &S) -> HashMap<String, String> {
    Path::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .map(|Path(p)| p)
        .unwrap_or_default()
}

/// `{id}`: a claim id.
#[derive(Debug, Clone, Copy)]
pub struct ClaimPath(pub ClaimId);

impl<S: Send + Sync> FromRequestParts<S> for ClaimPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let p = params(parts, state).await;
        p.get("id")
            .and_then(|id| id.parse().ok())
            .map(ClaimPath)
            .ok_or_else(|| ApiError::not_found("claim"))
    }
}

/// `{id}/poe/{poe_id}`: a claim and one of its documents.
#[derive(Debug, Clone, Copy)]
pub struct PoePath {
    pub claim: ClaimId,
    pub poe: PoeId,
}

impl<S: Send + Sync> FromRequestParts<S> for PoePath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let p = params(parts, state).await;
        let claim = p
            .get("id")
            .and_then(|id| id.parse().ok())
            .ok_or_else(|| ApiError::not_found("claim"))?;
        let poe = p
            .get("poe_id")
            .and_then(|id| id.parse().ok())
            .ok_or_else(|| ApiError::not_found("poe"))?;
        Ok(PoePath { claim, poe })
    }
}
