//! An in-memory world for the domain's tests: organisations, a tenant directory, key
//! holders and claims, with the same "all or nothing" write of every change that the
//! store does, and assertions of the invariants on every write.
#![allow(dead_code, clippy::unwrap_used)]

use cpor_domain::claim::{Claim, ClaimInput, Command, ConsentSecret, Context, Event, Timer};
use cpor_domain::execute::{Change, execute};
use cpor_domain::jiff::civil::date;
use cpor_domain::jiff::{Span, Timestamp};
use cpor_domain::keys::KeyHolder;
use cpor_domain::poe::{PoeFile, PoeKind};
use cpor_domain::reference::{
    Catalog, Channel, Location, Organisation, Policy, ProductId, ProgramMap, Reference,
    Subscription, SubscriptionState, TenantRecord,
};
use cpor_domain::values::{
    ClaimId, DomainName, MpnId, OrgId, OrganisationName, Parse, PoeId, SubscriptionId, TenantId,
    UserId,
};
use cpor_domain::{Actor, DomainError, Role};
use std::collections::BTreeMap;
use uuid::Uuid;

pub const T1: &str = "11111111-1111-4111-8111-111111111111";
pub const T2: &str = "22222222-2222-4222-8222-222222222222";
/// Dynamics 365 Sales, active, volume licensing, ends 2027-06-30.
pub const S_SALES_1: &str = "a0000000-0000-4000-8000-000000000001";
/// Dynamics 365 Sales, in grace, web direct, no end.
pub const S_SALES_2: &str = "a0000000-0000-4000-8000-000000000002";
/// Power BI Pro, active, CSP.
pub const S_PBI_CSP: &str = "a0000000-0000-4000-8000-000000000003";
/// Power Apps, expired.
pub const S_APPS_EXPIRED: &str = "a0000000-0000-4000-8000-000000000004";
/// Dynamics 365 Finance, active, web direct, ends 2027-01-31.
pub const S_FINANCE: &str = "a0000000-0000-4000-8000-000000000005";
/// Power Automate, suspended.
pub const S_AUTOMATE_SUSPENDED: &str = "a0000000-0000-4000-8000-000000000006";
/// Dynamics 365 Field Service of tenant T2.
pub const S_T2_FIELD: &str = "b0000000-0000-4000-8000-000000000001";

pub const MPN_A: &str = "1234567";
pub const MPN_A2: &str = "7654321";
pub const MPN_B: &str = "2345678";

pub fn tenant(s: &str) -> TenantId {
    TenantId::parse(s).unwrap()
}
pub fn sub(s: &str) -> SubscriptionId {
    SubscriptionId::parse(s).unwrap()
}
pub fn product(s: &str) -> ProductId {
    ProductId::parse(s).unwrap()
}
pub fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn subscription(
    id: &str,
    p: &str,
    state: SubscriptionState,
    channel: Channel,
    ends: Option<(i16, i8, i8)>,
) -> Subscription {
    Subscription {
        id: sub(id),
        product: product(p),
        state,
        channel,
        starts_on: date(2025, 1, 1),
        ends_on: ends.map(|(y, m, d)| date(y, m, d)),
    }
}

pub fn directory() -> Vec<TenantRecord> {
    use Channel::*;
    use SubscriptionState::*;
    vec![
        TenantRecord {
            tenant_id: tenant(T1),
            domains: vec![
                DomainName::parse("contoso.onmicrosoft.com").unwrap(),
                DomainName::parse("contoso.com").unwrap(),
            ],
            subscriptions: vec![
                subscription(
                    S_SALES_1,
                    "dynamics_365_sales",
                    Active,
                    VolumeLicensing,
                    Some((2027, 6, 30)),
                ),
                subscription(S_SALES_2, "dynamics_365_sales", Grace, WebDirect, None),
                subscription(S_PBI_CSP, "power_bi_pro", Active, Csp, None),
                subscription(
                    S_APPS_EXPIRED,
                    "power_apps",
                    Expired,
                    WebDirect,
                    Some((2026, 1, 31)),
                ),
                subscription(
                    S_FINANCE,
                    "dynamics_365_finance",
                    Active,
                    WebDirect,
                    Some((2027, 1, 31)),
                ),
                subscription(
                    S_AUTOMATE_SUSPENDED,
                    "power_automate",
                    Suspended,
                    VolumeLicensing,
                    None,
                ),
            ],
        },
        TenantRecord {
            tenant_id: tenant(T2),
            domains: vec![DomainName::parse("fabrikam.com").unwrap()],
            subscriptions: vec![subscription(
                S_T2_FIELD,
                "dynamics_365_field_service",
                Active,
                VolumeLicensing,
                None,
            )],
        },
    ]
}

pub fn org_a() -> Organisation {
    Organisation {
        id: OrgId::from_uuid(Uuid::from_u128(0xA)),
        name: OrganisationName::parse("Contoso Partners").unwrap(),
        locations: vec![
            Location {
                mpn_id: MpnId::parse(MPN_A).unwrap(),
                name: Some("Lisbon".into()),
            },
            Location {
                mpn_id: MpnId::parse(MPN_A2).unwrap(),
                name: Some("Paris".into()),
            },
        ],
    }
}

pub fn org_b() -> Organisation {
    Organisation {
        id: OrgId::from_uuid(Uuid::from_u128(0xB)),
        name: OrganisationName::parse("Fabrikam Advisors").unwrap(),
        locations: vec![Location {
            mpn_id: MpnId::parse(MPN_B).unwrap(),
            name: None,
        }],
    }
}

/// A user of `org` (or the operator when `None`) with `role`.
pub fn user(role: Role, org: Option<&Organisation>) -> Actor {
    let n = Role::ALL.iter().position(|r| *r == role).unwrap() as u128;
    let o = org.map_or(0, |o| o.id.as_uuid().as_u128());
    Actor::User {
        id: UserId::from_uuid(Uuid::from_u128(0x1000 + o * 16 + n)),
        org: org.map(|o| o.id),
        role,
        name: format!(
            "{role} of {}",
            org.map_or("the operator".to_string(), |o| o.name.to_string())
        ),
    }
}

pub fn admin_a() -> Actor {
    user(Role::IncentivesAdmin, Some(&org_a()))
}
pub fn admin_b() -> Actor {
    user(Role::IncentivesAdmin, Some(&org_b()))
}
pub fn reviewer() -> Actor {
    user(Role::Reviewer, None)
}
pub fn support() -> Actor {
    user(Role::SupportAgent, None)
}

/// A complete Microsoft 365 claim body for tenant T1.
pub fn m365_input(name: &str, mpn: &str, workloads: &[&str]) -> ClaimInput {
    serde_json::from_value(serde_json::json!({
        "name": name,
        "mpn_id": mpn,
        "tenant_id": T1,
        "domain": "contoso.com",
        "solution_area": "microsoft_365",
        "activity": "usage",
        "products": workloads.iter().map(|w| serde_json::json!({"product": w})).collect::<Vec<_>>(),
        "customer_contact": {"name": "Ana Silva", "title": "CIO", "email": "ana@contoso.com"},
        "partner_contact": {"name": "Bo Berg", "email": "bo@partner.example"},
    }))
    .unwrap()
}

/// A complete Business Applications claim body for tenant T1.
pub fn bizapps_input(
    name: &str,
    mpn: &str,
    activity: &str,
    lines: serde_json::Value,
) -> ClaimInput {
    serde_json::from_value(serde_json::json!({
        "name": name,
        "mpn_id": mpn,
        "tenant_id": T1,
        "domain": "contoso.onmicrosoft.com",
        "solution_area": "business_applications",
        "activity": activity,
        "products": lines,
        "customer_contact": {"name": "Ana Silva", "title": "CIO", "email": "ana@contoso.com"},
        "technical_contact": {"name": "Tom Tech", "title": "Architect", "email": "tom@contoso.com"},
        "partner_contact": {"name": "Bo Berg", "email": "bo@partner.example"},
    }))
    .unwrap()
}

pub fn poe_file(n: u128, at: Timestamp) -> PoeFile {
    PoeFile {
        id: PoeId::from_uuid(Uuid::from_u128(0x9000 + n)),
        file_name: format!("sow-{n}.pdf"),
        kind: PoeKind::Pdf,
        size: 1000,
        sha256: "00".repeat(32),
        uploaded_at: at,
        uploaded_by: None,
    }
}

/// The world: reference data, organisations, directory, claims with their event logs,
/// the key registry, pending timers and the outbox.
#[derive(Clone, Debug)]
pub struct World {
    pub now: Timestamp,
    pub reference: Reference,
    pub orgs: Vec<Organisation>,
    pub directory: Vec<TenantRecord>,
    pub claims: BTreeMap<ClaimId, Claim>,
    pub events: BTreeMap<ClaimId, Vec<Event>>,
    /// key string -> holder.
    pub keys: BTreeMap<String, KeyHolder>,
    pub timers: BTreeMap<ClaimId, Vec<Timer>>,
    pub outbox: Vec<cpor_domain::claim::Notification>,
    next_id: u128,
}

impl World {
    /// A world on Monday 2 November 2026, 10:00 UTC, with 26 November 2026 a holiday.
    pub fn new() -> Self {
        let reference = Reference::new(
            Catalog::default(),
            ProgramMap::default(),
            Policy::default(),
            [date(2026, 11, 26)],
        )
        .unwrap();
        World {
            now: ts("2026-11-02T10:00:00Z"),
            reference,
            orgs: vec![org_a(), org_b()],
            directory: directory(),
            claims: BTreeMap::new(),
            events: BTreeMap::new(),
            keys: BTreeMap::new(),
            timers: BTreeMap::new(),
            outbox: Vec::new(),
            next_id: 1,
        }
    }

    pub fn advance(&mut self, span: Span) {
        let utc = self.now.to_zoned(cpor_domain::jiff::tz::TimeZone::UTC);
        self.now = utc.checked_add(span).unwrap().timestamp();
    }

    pub fn new_claim_id(&mut self) -> ClaimId {
        self.next_id += 1;
        ClaimId::from_uuid(Uuid::from_u128(0xC1A1_0000 + self.next_id))
    }

    pub fn claim(&self, id: ClaimId) -> &Claim {
        &self.claims[&id]
    }

    fn holders_of(&self, tenant_id: TenantId) -> Vec<KeyHolder> {
        self.keys
            .values()
            .filter(|h| h.key.tenant_id == tenant_id)
            .cloned()
            .collect()
    }

    /// Runs a command as the store would: build the context, execute, write all or nothing.
    pub fn run(
        &mut self,
        actor: &Actor,
        target: Option<ClaimId>,
        cmd: Command,
    ) -> Result<Vec<Change>, DomainError> {
        let claim = target.and_then(|id| self.claims.get(&id).cloned());
        let org_id = match (&claim, &cmd) {
            (Some(c), _) => Some(c.org_id),
            (None, Command::Create { org_id, .. }) => Some(*org_id),
            _ => None,
        };
        let tenant_id = match &cmd {
            Command::Create { fields, .. } | Command::Edit(fields)
                if fields.tenant_id.is_some() =>
            {
                fields.tenant_id
            }
            _ => claim.as_ref().map(|c| c.fields.tenant_id),
        };
        let org = org_id.and_then(|id| self.orgs.iter().find(|o| o.id == id).cloned());
        let tenant =
            tenant_id.and_then(|t| self.directory.iter().find(|r| r.tenant_id == t).cloned());
        let holders = tenant_id.map(|t| self.holders_of(t)).unwrap_or_default();
        let others: BTreeMap<ClaimId, Claim> = holders
            .iter()
            .filter_map(|h| self.claims.get(&h.claim_id).map(|c| (c.id, c.clone())))
            .collect();
        let ctx = Context {
            now: self.now,
            actor,
            reference: &self.reference,
            organisation: org.as_ref(),
            tenant: tenant.as_ref(),
            holders: &holders,
        };
        let changes = execute(claim.as_ref(), &cmd, &ctx, &others)?;
        self.write(&changes);
        Ok(changes)
    }

    /// Writes changes as one transaction: releases before takes, and a take of a key
    /// held by another claim is a broken invariant.
    fn write(&mut self, changes: &[Change]) {
        for ch in changes {
            for k in &ch.keys_released {
                let h = self.keys.remove(&k.as_string());
                assert_eq!(
                    h.map(|h| h.claim_id),
                    Some(ch.claim_id),
                    "released a key the claim did not hold"
                );
            }
        }
        for ch in changes {
            for e in &ch.events {
                for due in e.kind.started_deadlines() {
                    assert!(
                        due > e.at,
                        "{} started a deadline {due} not after {}",
                        e.kind.type_name(),
                        e.at
                    );
                }
            }
            for k in &ch.keys_taken {
                let after = ch.after.as_ref().unwrap();
                let prev = self.keys.insert(
                    k.as_string(),
                    KeyHolder {
                        key: k.clone(),
                        claim_id: ch.claim_id,
                        org_id: after.org_id,
                    },
                );
                assert!(
                    prev.is_none(),
                    "two holders of {k}: {prev:?} and {}",
                    ch.claim_id
                );
            }
            match &ch.after {
                Some(c) => {
                    self.claims.insert(ch.claim_id, c.clone());
                    self.events
                        .entry(ch.claim_id)
                        .or_default()
                        .extend(ch.events.iter().cloned());
                }
                None => {
                    self.claims.remove(&ch.claim_id);
                    self.events.remove(&ch.claim_id);
                    self.timers.remove(&ch.claim_id);
                }
            }
            if let Some(t) = &ch.timers {
                self.timers.insert(ch.claim_id, t.clone());
            }
            self.outbox.extend(ch.notifications.iter().cloned());
        }
    }

    /// Fires every due timer, in due order, as the job worker would; returns how many ran.
    pub fn fire_due(&mut self) -> usize {
        let mut fired = 0;
        loop {
            let next = self
                .timers
                .iter()
                .flat_map(|(id, ts)| ts.iter().map(move |t| (t.due, *id, t.kind)))
                .filter(|(due, _, _)| *due <= self.now)
                .min();
            let Some((_, id, kind)) = next else {
                return fired;
            };
            // A refused firing (the claim moved on) must still retire the timer.
            let before = self.timers.get(&id).cloned();
            let r = self.run(&Actor::System, Some(id), Command::Fire(kind));
            if (r.is_err() || self.timers.get(&id) == before.as_ref())
                && let Some(ts) = self.timers.get_mut(&id)
            {
                ts.retain(|t| t.kind != kind);
            }
            fired += 1;
        }
    }

    // ----- short-hands for the lifecycle -------------------------------------------------

    pub fn create(&mut self, actor: &Actor, input: ClaimInput) -> Result<ClaimId, DomainError> {
        let id = self.new_claim_id();
        let org_id = actor.org().unwrap_or_else(|| org_a().id);
        let fields = input.parse().map_err(DomainError::new)?;
        self.run(actor, None, Command::Create { id, org_id, fields })?;
        Ok(id)
    }

    pub fn add_poe(&mut self, actor: &Actor, id: ClaimId) -> Result<(), DomainError> {
        self.next_id += 1;
        let f = poe_file(self.next_id, self.now);
        self.run(actor, Some(id), Command::AddPoe(f)).map(|_| ())
    }

    pub fn ok(&mut self, actor: &Actor, id: ClaimId, cmd: Command) {
        let name = cmd.name();
        if let Err(e) = self.run(actor, Some(id), cmd) {
            panic!("{name} refused: {e}");
        }
    }

    /// A submitted claim of org A (or `actor`'s org) from `input`.
    pub fn submitted(&mut self, actor: &Actor, input: ClaimInput) -> ClaimId {
        let id = self.create(actor, input).expect("create");
        self.add_poe(actor, id).expect("poe");
        self.ok(actor, id, Command::Submit { comment: None });
        id
    }

    pub fn under_review(&mut self, actor: &Actor, input: ClaimInput) -> ClaimId {
        let id = self.submitted(actor, input);
        self.ok(&reviewer(), id, Command::StartReview { comment: None });
        id
    }

    pub fn approved(&mut self, actor: &Actor, input: ClaimInput) -> ClaimId {
        let id = self.under_review(actor, input);
        self.ok(&reviewer(), id, approve());
        id
    }
}

pub fn approve() -> Command {
    Command::Approve {
        comment: None,
        consent: ConsentSecret("s3cret-link-token".into()),
        // Arbitration cases confirm what the other partner loses; a test of the
        // confirmation itself builds its own command.
        confirm: true,
    }
}

pub fn comment(s: &str) -> Option<cpor_domain::values::CommentBody> {
    Some(cpor_domain::values::CommentBody::parse(s).unwrap())
}

pub fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}
