//! Association keys (docs/product.md, association keys): what one partner at a time may
//! hold. Derived from a claim, one per program and per workload (OSU Microsoft 365) or
//! subscription (the others), so that the store can enforce "one holder per key" with a
//! unique index on [`AssociationKey::as_string`].

use crate::claim::ClaimFields;
use crate::reference::{ProductId, Program, ProgramMap};
use crate::values::{ClaimId, OrgId, SubscriptionId, TenantId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a key names in the tenant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum KeySubject {
    Workload(ProductId),
    Subscription(SubscriptionId),
}

/// (tenant, workload or subscription, program).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AssociationKey {
    pub tenant_id: TenantId,
    pub subject: KeySubject,
    pub program: Program,
}

impl AssociationKey {
    /// The canonical text form, unique per key: `tenant/workload:teams/osu_m365` or
    /// `tenant/subscription:<guid>/osa_sell`.
    pub fn as_string(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for AssociationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.subject {
            KeySubject::Workload(p) => {
                write!(f, "{}/workload:{}/{}", self.tenant_id, p, self.program)
            }
            KeySubject::Subscription(s) => {
                write!(f, "{}/subscription:{}/{}", self.tenant_id, s, self.program)
            }
        }
    }
}

/// Who holds a key now: the claim whose association is consent pending or active.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyHolder {
    pub key: AssociationKey,
    pub claim_id: ClaimId,
    pub org_id: OrgId,
}

/// The keys a claim's fields name. A Business Applications product line without a
/// subscription names no key (it cannot be submitted like that).
pub fn keys_of(fields: &ClaimFields, programs: &ProgramMap) -> Vec<AssociationKey> {
    let Some(progs) = programs.programs(fields.solution_area, fields.activity) else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    for program in progs {
        for line in &fields.products {
            let subject = if program.keyed_by_workload() {
                Some(KeySubject::Workload(line.product.clone()))
            } else {
                line.subscription_id.map(KeySubject::Subscription)
            };
            if let Some(subject) = subject {
                keys.push(AssociationKey {
                    tenant_id: fields.tenant_id,
                    subject,
                    program: *program,
                });
            }
        }
    }
    keys.sort();
    keys.dedup();
    keys
}
