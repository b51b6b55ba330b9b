//! The earnings/eligibility lookup: a partner's admins (and the program admin) look a
//! subscription ID or a tenant ID up and see the associations it has, one row per key,
//! with the program, the phase and the dates the association counted from and until.
//! Page and API run this one function.

use crate::auth::Principal;
use crate::error::ApiResult;
use crate::state::App;
use cpor_domain::claim::{Claim, EventKind, Phase, Status};
use cpor_domain::jiff::Timestamp;
use cpor_domain::keys::{AssociationKey, KeySubject};
use cpor_domain::values::{Parse, SubscriptionId, TenantId};
use cpor_domain::{ErrorCode, FieldError, Role};
use cpor_store::ClaimQuery;

/// One key of an association, as the lookup shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EligibilityRow {
    pub claim: Claim,
    pub key: AssociationKey,
    /// consent_pending, active, expired or ended; `ended` too for a key another claim won.
    pub phase: Phase,
    /// When the association became official (the consent window passed).
    pub effective_from: Option<Timestamp>,
    /// When it stopped counting for this key (ended, expired, or the key moved on).
    pub effective_to: Option<Timestamp>,
}

/// What to look up: one of the two.
pub enum Lookup {
    Subscription(SubscriptionId),
    Tenant(TenantId),
}

impl Lookup {
    /// From the request's parameters; the field errors when neither or both are given or
    /// one is malformed.
    pub fn parse(
        subscription_id: Option<&str>,
        tenant_id: Option<&str>,
    ) -> Result<Lookup, Vec<FieldError>> {
        let given = |v: Option<&str>| {
            v.map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        match (given(subscription_id), given(tenant_id)) {
            (Some(s), None) => SubscriptionId::parse_field("subscription_id", &s)
                .map(Lookup::Subscription)
                .map_err(|e| vec![e]),
            (None, Some(t)) => TenantId::parse_field("tenant_id", &t)
                .map(Lookup::Tenant)
                .map_err(|e| vec![e]),
            (None, None) => Err(vec![FieldError::new(
                "subscription_id",
                ErrorCode::Required,
                "Give a subscription_id or a tenant_id.",
            )]),
            (Some(_), Some(_)) => Err(vec![FieldError::new(
                "tenant_id",
                ErrorCode::TooManyValues,
                "Give a subscription_id or a tenant_id, not both.",
            )]),
        }
    }
}

/// Who may look up: a partner's global, incentives and billing admins (their own
/// organisation) and the program admin (every organisation).
pub fn may_look_up(who: &Principal) -> ApiResult<()> {
    who.require(
        &[
            Role::GlobalAdmin,
            Role::IncentivesAdmin,
            Role::BillingAdmin,
            Role::ProgramAdmin,
        ],
        "look associations up",
    )
}

/// The associations the caller may see for `lookup`, one row per key, newest claim first.
pub async fn look_up(
    app: &App,
    who: &Principal,
    lookup: &Lookup,
) -> ApiResult<Vec<EligibilityRow>> {
    may_look_up(who)?;
    let reference = app.store.reference().await?;
    let query = ClaimQuery {
        org_id: who.claim_scope(),
        status: Some(Status::Approved),
        tenant_id: match lookup {
            Lookup::Tenant(t) => Some(*t),
            Lookup::Subscription(_) => None,
        },
        q: match lookup {
            Lookup::Subscription(s) => Some(s.to_string()),
            Lookup::Tenant(_) => None,
        },
        limit: crate::request::page::MAX_LIMIT,
        ..Default::default()
    };
    let claims = app.store.claims(&query).await?;
    let mut rows = Vec::new();
    for claim in claims.items {
        let history = app.store.history(claim.id, 0, 10_000).await?;
        let mut effective_from = None;
        let mut ended_at = None;
        let mut lost_at: Vec<(AssociationKey, Timestamp)> = Vec::new();
        for e in &history {
            match &e.kind {
                EventKind::ConsentWindowPassed { .. } => effective_from = Some(e.at),
                EventKind::Superseded { keys, last, .. } => {
                    lost_at.extend(keys.iter().map(|k| (k.clone(), e.at)));
                    if *last {
                        ended_at = Some(e.at);
                    }
                }
                EventKind::AssociationExpired
                | EventKind::Disassociated { .. }
                | EventKind::CustomerDeclined { .. } => ended_at = Some(e.at),
                _ => {}
            }
        }
        let Some(phase) = claim.phase else { continue };
        for key in claim.keys(&reference.programs) {
            if let Lookup::Subscription(s) = lookup
                && key.subject != KeySubject::Subscription(*s)
            {
                continue;
            }
            let lost = lost_at.iter().find(|(k, _)| *k == key).map(|(_, t)| *t);
            rows.push(EligibilityRow {
                phase: if lost.is_some() { Phase::Ended } else { phase },
                effective_from,
                effective_to: lost.or(ended_at),
                key,
                claim: claim.clone(),
            });
        }
    }
    Ok(rows)
}
