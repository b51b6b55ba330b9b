use super::ProductId;
use crate::string_enum;
use crate::values::{DomainName, SubscriptionId, TenantId};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

string_enum!(
    /// A subscription's state in the customer's tenant.
    SubscriptionState, "state", "subscription state" {
        Active = "active",
        Grace = "grace",
        Expired = "expired",
        Suspended = "suspended",
    }
);

string_enum!(
    /// How the customer bought the subscription. CSP subscriptions cannot be claimed: the
    /// CSP partner is already the partner of record (docs/product.md, the claim).
    Channel, "channel", "channel" {
        VolumeLicensing = "volume_licensing",
        WebDirect = "web_direct",
        Csp = "csp",
    }
);

/// A subscription in a customer tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: SubscriptionId,
    pub product: ProductId,
    pub state: SubscriptionState,
    pub channel: Channel,
    pub starts_on: Date,
    /// The last day of the subscription; `None` when it has no end date.
    pub ends_on: Option<Date>,
}

impl Subscription {
    /// Active or in grace: a subscription a partner can still claim (docs/product.md, the claim).
    pub fn is_claimable_state(&self) -> bool {
        matches!(
            self.state,
            SubscriptionState::Active | SubscriptionState::Grace
        )
    }
}

/// What the tenant directory knows of one tenant: its verified domains and its
/// subscriptions. The store loads the record of the tenant a command is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantRecord {
    pub tenant_id: TenantId,
    pub domains: Vec<DomainName>,
    pub subscriptions: Vec<Subscription>,
}

impl TenantRecord {
    pub fn has_domain(&self, domain: &DomainName) -> bool {
        self.domains.contains(domain)
    }

    pub fn subscription(&self, id: &SubscriptionId) -> Option<&Subscription> {
        self.subscriptions.iter().find(|s| &s.id == id)
    }

    pub fn subscriptions_of<'a>(
        &'a self,
        product: &'a ProductId,
    ) -> impl Iterator<Item = &'a Subscription> {
        self.subscriptions
            .iter()
            .filter(move |s| &s.product == product)
    }
}
