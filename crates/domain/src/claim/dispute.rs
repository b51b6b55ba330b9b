use crate::poe::PoeFile;
use crate::reference::{ProductId, Program};
use crate::string_enum;
use crate::values::{CommentBody, DisputeDetails, MpnId, PoeId, TenantId, UserId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

string_enum!(
    /// Where a dispute stands (docs/product.md, disputes).
    DisputeStatus, "status", "dispute status" {
        Open = "open",
        InProgress = "in_progress",
        Upheld = "upheld",
        Denied = "denied",
    }
);

impl DisputeStatus {
    pub fn is_open(self) -> bool {
        matches!(self, DisputeStatus::Open | DisputeStatus::InProgress)
    }
}

/// A partner's dispute of a rejection, handled by support agents. It carries what support
/// needs (docs/product.md, disputes), prefilled from the claim: the MPN ID, the program,
/// the product(s), the tenant, the details, and the PoE (the claim's, plus any added while
/// the dispute is open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispute {
    pub mpn_id: MpnId,
    pub program: Program,
    pub products: Vec<ProductId>,
    pub tenant_id: TenantId,
    pub details: DisputeDetails,
    pub poe: Vec<PoeId>,
    pub status: DisputeStatus,
    pub opened_at: Timestamp,
    pub opened_by: Option<UserId>,
    /// Support's SLA: 5 business days by default.
    pub due: Timestamp,
    pub sla_breached: bool,
    pub resolved_at: Option<Timestamp>,
    pub resolution_comment: Option<CommentBody>,
}

impl Dispute {
    pub(crate) fn add_poe(&mut self, poe: &PoeFile) {
        if !self.poe.contains(&poe.id) {
            self.poe.push(poe.id);
        }
    }
}
