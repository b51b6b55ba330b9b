use super::{ClaimPatch, Template, TimerKind};
use crate::poe::PoeFile;
use crate::reference::{ProductId, Program};
use crate::string_enum;
use crate::values::{
    ClaimId, CommentBody, CommentId, DisputeDetails, Email, OrgId, PoeId, Reason as ReasonText,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

string_enum!(
    /// Which comment thread: the claim's, or its open dispute's.
    Thread, "thread", "thread" {
        Claim = "claim",
        Dispute = "dispute",
    }
);

string_enum!(
    /// How support resolves a dispute.
    DisputeOutcome, "outcome", "outcome" {
        /// The claim goes back under review.
        Upheld = "upheld",
        /// The rejection stands.
        Denied = "denied",
    }
);

/// The secret of a customer's consent link, made by the caller from at least 128 random
/// bits. Only its hash is recorded; the secret itself goes into the consent e-mail.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentSecret(pub String);

impl ConsentSecret {
    pub fn hash(&self) -> String {
        hash_secret(&self.0)
    }
}

impl std::fmt::Debug for ConsentSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ConsentSecret(…)")
    }
}

/// Hex SHA-256 of a secret token: what is stored of consent links (and of API tokens).
/// A fast hash is right here because the secrets are long random values, not passwords.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A partner's dispute, parsed. Left-out program and products are prefilled from the
/// claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeInput {
    pub program: Option<Program>,
    pub products: Option<Vec<ProductId>>,
    pub details: DisputeDetails,
}

/// What an actor asks of a claim. Inputs are already parsed (see [`super::ClaimInput`]);
/// `decide` checks the rules that need the claim and the reference data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Create {
        id: ClaimId,
        org_id: OrgId,
        fields: ClaimPatch,
    },
    Edit(ClaimPatch),
    AddPoe(PoeFile),
    RemovePoe(PoeId),
    Comment {
        id: CommentId,
        thread: Thread,
        body: CommentBody,
    },
    Delete,
    Submit {
        comment: Option<CommentBody>,
    },
    StartReview {
        comment: Option<CommentBody>,
    },
    /// A reviewer takes the claim: it is theirs to work on. Taking a claim another
    /// reviewer has needs `over`, so nobody takes one over by accident.
    Take {
        over: bool,
    },
    RequestInformation {
        reasons: Vec<String>,
        comment: Option<CommentBody>,
    },
    Resubmit {
        comment: Option<CommentBody>,
    },
    Approve {
        comment: Option<CommentBody>,
        consent: ConsentSecret,
        /// The reviewer confirms that another partner loses the contested keys
        /// (arbitration); needed only when the claim's keys are held by another claim.
        confirm: bool,
    },
    Reject {
        reasons: Vec<String>,
        comment: Option<CommentBody>,
    },
    Withdraw {
        comment: Option<CommentBody>,
    },
    Disassociate {
        reason: Option<ReasonText>,
    },
    /// The customer opts out through their link (the caller found the claim by the
    /// link's hash and passes it again, so a link can only act on its own claim).
    CustomerDecline {
        token_hash: String,
    },
    OpenDispute(DisputeInput),
    /// Support takes the dispute; the comment tells the partner what happens next.
    StartDispute {
        comment: Option<CommentBody>,
    },
    ResolveDispute {
        outcome: DisputeOutcome,
        comment: Option<CommentBody>,
    },
    /// Another claim's approval ends this claim's association (arbitration, docs/product.md,
    /// association keys).
    Supersede {
        by: ClaimId,
        /// The keys that move to the winning claim; the rest stay with this claim.
        keys: Vec<crate::keys::AssociationKey>,
    },
    /// A timer of the claim is due.
    Fire(TimerKind),
    /// An e-mail about the claim was delivered.
    RecordEmail {
        template: Template,
        to: Email,
    },
    /// A queued e-mail about the claim no longer applied at its turn: dropped, not sent.
    DropEmail {
        template: Template,
        to: Email,
        why: super::DropReason,
    },
    /// The holidays or the policy changed: count the running business-day deadlines
    /// again from when they started. Changes nothing when none runs or none moves.
    Recount,
}

impl Command {
    /// The name of the command, as the API's routes and the metrics use it.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Create { .. } => "create",
            Command::Edit(_) => "edit",
            Command::AddPoe(_) => "add_poe",
            Command::RemovePoe(_) => "remove_poe",
            Command::Comment { .. } => "comment",
            Command::Delete => "delete",
            Command::Submit { .. } => "submit",
            Command::StartReview { .. } => "start_review",
            Command::Take { .. } => "take",
            Command::RequestInformation { .. } => "request_information",
            Command::Resubmit { .. } => "resubmit",
            Command::Approve { .. } => "approve",
            Command::Reject { .. } => "reject",
            Command::Withdraw { .. } => "withdraw",
            Command::Disassociate { .. } => "disassociate",
            Command::CustomerDecline { .. } => "customer_decline",
            Command::OpenDispute(_) => "open_dispute",
            Command::StartDispute { .. } => "start_dispute",
            Command::ResolveDispute { .. } => "resolve_dispute",
            Command::Supersede { .. } => "supersede",
            Command::Fire(_) => "fire_timer",
            Command::RecordEmail { .. } => "record_email",
            Command::DropEmail { .. } => "drop_email",
            Command::Recount => "recount",
        }
    }

    /// Whether the command may end other claims' associations, so the store must load
    /// the claims holding this claim's keys before deciding.
    pub fn needs_holder_claims(&self) -> bool {
        matches!(self, Command::Approve { .. })
    }
}
