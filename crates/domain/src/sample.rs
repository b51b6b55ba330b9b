//! A small sample world: two partner organisations and a tenant directory, with claim
//! bodies that pass validation against them. `cpor demo` loads it, and the store's and
//! the server's tests start from it.

use crate::claim::ClaimInput;
use crate::jiff::civil::{Date, date};
use crate::reference::{
    Channel, Location, Organisation, Subscription, SubscriptionState, TenantRecord,
};
use crate::values::{DomainName, OrgId, OrganisationName, Parse, SubscriptionId, TenantId};
use uuid::Uuid;

/// Contoso (tenant with Microsoft 365 and Business Applications subscriptions).
pub const CONTOSO: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
/// Fabrikam.
pub const FABRIKAM: &str = "c4b2f7a1-3e5d-4c8a-9b21-6f0e1d2c3b4a";
/// Northwind Traders.
pub const NORTHWIND: &str = "0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b";

/// Contoso's Dynamics 365 Sales subscriptions: one active (volume licensing, ends
/// 2027-06-30), one in grace (web direct, no end).
pub const CONTOSO_SALES: &str = "5f2a1b3c-0001-4000-8000-00000000c001";
pub const CONTOSO_SALES_GRACE: &str = "5f2a1b3c-0002-4000-8000-00000000c002";
/// Contoso's Dynamics 365 Finance (active, web direct, ends 2027-01-31).
pub const CONTOSO_FINANCE: &str = "5f2a1b3c-0003-4000-8000-00000000c003";
/// Contoso's Power BI Pro, bought through CSP (cannot be claimed).
pub const CONTOSO_POWER_BI_CSP: &str = "5f2a1b3c-0004-4000-8000-00000000c004";
/// Contoso's Power Apps, expired.
pub const CONTOSO_POWER_APPS_EXPIRED: &str = "5f2a1b3c-0005-4000-8000-00000000c005";
/// Fabrikam's Dynamics 365 Customer Service (active, volume licensing, no end).
pub const FABRIKAM_SERVICE: &str = "5f2a1b3c-0006-4000-8000-00000000f006";
/// Northwind's Dynamics 365 Business Central (active, web direct, ends 2026-12-31).
pub const NORTHWIND_BC: &str = "5f2a1b3c-0007-4000-8000-00000000a007";

/// First partner organisation: Adatum Consulting, two locations.
pub const ADATUM_ORG: u128 = 0x0adb_0000_0000_4000_8000_0000_0000_0001;
pub const ADATUM_MPN: &str = "1234567";
pub const ADATUM_MPN_2: &str = "7654321";
/// Second partner organisation: Litware Advisory, one location.
pub const LITWARE_ORG: u128 = 0x0adb_0000_0000_4000_8000_0000_0000_0002;
pub const LITWARE_MPN: &str = "2345678";

fn parse<T: Parse>(s: &str) -> T {
    match T::parse(s) {
        Ok(v) => v,
        Err(e) => unreachable!("sample value {s:?} is valid: {e}"),
    }
}

fn sub(
    id: &str,
    product: &str,
    state: SubscriptionState,
    channel: Channel,
    ends_on: Option<Date>,
) -> Subscription {
    Subscription {
        id: parse::<SubscriptionId>(id),
        product: parse(product),
        state,
        channel,
        starts_on: date(2025, 7, 1),
        ends_on,
    }
}

/// The sample tenant directory.
pub fn tenants() -> Vec<TenantRecord> {
    use Channel::*;
    use SubscriptionState::*;
    let domains = |ds: &[&str]| ds.iter().map(|d| parse::<DomainName>(d)).collect();
    vec![
        TenantRecord {
            tenant_id: parse::<TenantId>(CONTOSO),
            domains: domains(&["contoso.onmicrosoft.com", "contoso.com"]),
            subscriptions: vec![
                sub(
                    CONTOSO_SALES,
                    "dynamics_365_sales",
                    Active,
                    VolumeLicensing,
                    Some(date(2027, 6, 30)),
                ),
                sub(
                    CONTOSO_SALES_GRACE,
                    "dynamics_365_sales",
                    Grace,
                    WebDirect,
                    None,
                ),
                sub(
                    CONTOSO_FINANCE,
                    "dynamics_365_finance",
                    Active,
                    WebDirect,
                    Some(date(2027, 1, 31)),
                ),
                sub(CONTOSO_POWER_BI_CSP, "power_bi_pro", Active, Csp, None),
                sub(
                    CONTOSO_POWER_APPS_EXPIRED,
                    "power_apps",
                    Expired,
                    WebDirect,
                    Some(date(2026, 3, 31)),
                ),
            ],
        },
        TenantRecord {
            tenant_id: parse::<TenantId>(FABRIKAM),
            domains: domains(&["fabrikam.onmicrosoft.com", "fabrikam.com"]),
            subscriptions: vec![sub(
                FABRIKAM_SERVICE,
                "dynamics_365_customer_service",
                Active,
                VolumeLicensing,
                None,
            )],
        },
        TenantRecord {
            tenant_id: parse::<TenantId>(NORTHWIND),
            domains: domains(&["northwindtraders.onmicrosoft.com", "northwindtraders.com"]),
            subscriptions: vec![sub(
                NORTHWIND_BC,
                "dynamics_365_business_central",
                Active,
                WebDirect,
                Some(date(2026, 12, 31)),
            )],
        },
    ]
}

pub fn adatum() -> Organisation {
    Organisation {
        id: OrgId::from_uuid(Uuid::from_u128(ADATUM_ORG)),
        name: parse::<OrganisationName>("Adatum Consulting"),
        locations: vec![
            Location {
                mpn_id: parse(ADATUM_MPN),
                name: Some("Lisbon".into()),
            },
            Location {
                mpn_id: parse(ADATUM_MPN_2),
                name: Some("Stockholm".into()),
            },
        ],
    }
}

pub fn litware() -> Organisation {
    Organisation {
        id: OrgId::from_uuid(Uuid::from_u128(LITWARE_ORG)),
        name: parse::<OrganisationName>("Litware Advisory"),
        locations: vec![Location {
            mpn_id: parse(LITWARE_MPN),
            name: Some("São Paulo".into()),
        }],
    }
}

fn input(v: serde_json::Value) -> ClaimInput {
    match serde_json::from_value(v) {
        Ok(i) => i,
        Err(e) => unreachable!("sample claim body is valid: {e}"),
    }
}

/// A complete Microsoft 365 usage claim on Contoso's workloads.
pub fn m365_claim(name: &str, mpn_id: &str, workloads: &[&str]) -> ClaimInput {
    input(serde_json::json!({
        "name": name,
        "mpn_id": mpn_id,
        "tenant_id": CONTOSO,
        "domain": "contoso.com",
        "solution_area": "microsoft_365",
        "activity": "usage",
        "products": workloads.iter().map(|w| serde_json::json!({"product": w})).collect::<Vec<_>>(),
        "customer_contact": {"name": "Ana Silva", "title": "CIO", "email": "ana.silva@contoso.com"},
        "partner_contact": {"name": "Bo Berg", "email": "bo.berg@partner.example"},
    }))
}

/// A complete Business Applications claim on one subscription of a tenant.
pub fn bizapps_claim(
    name: &str,
    mpn_id: &str,
    tenant: &str,
    domain: &str,
    activity: &str,
    product: &str,
    subscription: &str,
) -> ClaimInput {
    let mut v = serde_json::json!({
        "name": name,
        "mpn_id": mpn_id,
        "tenant_id": tenant,
        "domain": domain,
        "solution_area": "business_applications",
        "activity": activity,
        "products": [{"product": product, "subscription_id": subscription}],
        "customer_contact": {"name": "Ana Silva", "title": "CIO", "email": "ana.silva@contoso.com"},
        "technical_contact": {"name": "Tom Tech", "title": "Solution architect", "email": "tom.tech@contoso.com"},
        "partner_contact": {"name": "Bo Berg", "email": "bo.berg@partner.example"},
    });
    if activity == "revenue_association" {
        v["revenue"] = serde_json::json!({
            "solution_seller_name": "Sam Seller",
            "customer_name": "Contoso Ltd",
            "isv_product_name": "Contoso Field Tools",
        });
    }
    input(v)
}
