//! Who acts (docs/product.md, actors): users of a partner organisation or of the operator,
//! the customer through their link, and the system (timers and deliveries).

use crate::string_enum;
use crate::values::{OrgId, UserId};
use serde::{Deserialize, Serialize};

string_enum!(
    /// The roles of docs/product.md, actors.
    Role, "role", "role" {
        GlobalAdmin = "global_admin",
        IncentivesAdmin = "incentives_admin",
        IncentivesUser = "incentives_user",
        BillingAdmin = "billing_admin",
        Reviewer = "reviewer",
        SupportAgent = "support_agent",
        ProgramAdmin = "program_admin",
    }
);

string_enum!(
    /// Which side an actor is on; the history shows it with every event.
    Side, "side", "side" {
        Partner = "partner",
        Operator = "operator",
        Customer = "customer",
        System = "system",
    }
);

impl Role {
    pub fn side(self) -> Side {
        match self {
            Role::GlobalAdmin
            | Role::IncentivesAdmin
            | Role::IncentivesUser
            | Role::BillingAdmin => Side::Partner,
            Role::Reviewer | Role::SupportAgent | Role::ProgramAdmin => Side::Operator,
        }
    }

    /// Creates, edits, submits and withdraws claims; opens disputes (global admins may do
    /// everything their organisation's roles may).
    pub fn manages_claims(self) -> bool {
        matches!(self, Role::GlobalAdmin | Role::IncentivesAdmin)
    }
}

/// Who runs a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Actor {
    /// A signed-in user. Partner users have an organisation; operator users have none.
    User {
        id: UserId,
        org: Option<OrgId>,
        role: Role,
        name: String,
    },
    /// The customer, through the link of the consent e-mail.
    Customer,
    /// The system: a deadline passing, an e-mail delivered.
    System,
}

impl Actor {
    pub fn side(&self) -> Side {
        match self {
            Actor::User { role, .. } => role.side(),
            Actor::Customer => Side::Customer,
            Actor::System => Side::System,
        }
    }

    pub fn role(&self) -> Option<Role> {
        match self {
            Actor::User { role, .. } => Some(*role),
            _ => None,
        }
    }

    pub fn org(&self) -> Option<OrgId> {
        match self {
            Actor::User { org, .. } => *org,
            _ => None,
        }
    }

    pub fn user_id(&self) -> Option<UserId> {
        match self {
            Actor::User { id, .. } => Some(*id),
            _ => None,
        }
    }

    /// A short label for logs and the history: the user's name, "customer" or "system".
    pub fn label(&self) -> &str {
        match self {
            Actor::User { name, .. } => name,
            Actor::Customer => "customer",
            Actor::System => "system",
        }
    }
}
