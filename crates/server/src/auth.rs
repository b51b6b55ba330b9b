//! Authentication by bearer API token, and the visibility rule: a partner user sees only
//! their organisation's claims; operator users see all. Every list and every read of a
//! claim asks [`Principal::claim_scope`], the one place that rule is written.

use crate::error::{ApiError, ApiResult};
use crate::state::App;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::Engine;
use cpor_domain::claim::{Claim, hash_secret};
use cpor_domain::values::{ClaimId, OrgId};
use cpor_domain::{Role, Side};
use cpor_store::{TokenScope, User};

/// The signed-in user of a request, and the scope of the token they came with (none for
/// a whole-role token or a web session).
#[derive(Debug, Clone)]
pub struct Principal(pub User, pub Option<TokenScope>);

impl Principal {
    pub fn side(&self) -> Side {
        self.0.role.side()
    }

    /// The organisation whose claims this user may see; `None` for every organisation.
    /// A partner user without an organisation sees nothing (an impossible id).
    pub fn claim_scope(&self) -> Option<OrgId> {
        match self.side() {
            Side::Partner => Some(
                self.0
                    .org_id
                    .unwrap_or_else(|| OrgId::from_uuid(uuid::Uuid::nil())),
            ),
            _ => None,
        }
    }

    /// Whether this user may see the claim at all (otherwise: 404).
    pub fn can_see(&self, claim: &Claim) -> bool {
        self.claim_scope().is_none_or(|org| org == claim.org_id)
    }

    /// The claim, if this user may see it; otherwise not found, as if it did not exist.
    pub async fn visible_claim(&self, app: &App, id: ClaimId) -> ApiResult<Claim> {
        match app.store.claim(id).await? {
            Some(c) if self.can_see(&c) => Ok(c),
            _ => Err(ApiError::not_found("claim")),
        }
    }

    /// Refuses unless the user has one of `roles`.
    pub fn require(&self, roles: &[Role], what: &str) -> ApiResult<()> {
        if roles.contains(&self.0.role) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "A user with the {} role cannot {what}.",
                self.0.role
            )))
        }
    }
}

impl FromRequestParts<App> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(ApiError::unauthorized)?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(ApiError::unauthorized)?;
        let (user, scope) = app
            .store
            .token_user(&hash_secret(token), app.clock.now())
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        if scope == Some(TokenScope::EligibilityRead) && !reads_eligibility(parts) {
            return Err(ApiError::forbidden(
                "This token has the eligibility:read scope: it reads /api/v1/associations/ and nothing else.",
            ));
        }
        Ok(Principal(user, scope))
    }
}

/// What an `eligibility:read` token may do: read the hand-off and the lookup.
fn reads_eligibility(parts: &Parts) -> bool {
    parts.method == axum::http::Method::GET && parts.uri.path().starts_with("/api/v1/associations/")
}

/// A new secret token: 256 random bits, URL-safe, with a prefix that says what it is.
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    format!(
        "{prefix}_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}
