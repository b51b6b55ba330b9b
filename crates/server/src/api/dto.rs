//! The API's resources as JSON, with their OpenAPI schemas. Built from the domain's
//! types; the domain itself knows nothing of HTTP.

use cpor_domain::claim::{Claim, Event};
use cpor_domain::jiff::Timestamp;
use cpor_domain::reference::Reference;
use cpor_domain::{Actor, Side};
use cpor_store::Comment;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn ts(t: Timestamp) -> String {
    t.to_string()
}

fn ots(t: Option<Timestamp>) -> Option<String> {
    t.map(ts)
}

#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq)]
pub struct ProductLineView {
    pub product: String,
    pub subscription_id: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq)]
pub struct ContactView {
    pub name: String,
    pub title: String,
    pub email: String,
    /// The customer contact's language for the consent e-mail and page: en, fr, pt-BR or
    /// sv. Left out (or blank), the partner's language is used. Refused
    /// (`not_applicable`) on the technical contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = names::contact_language)]
    pub language: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq)]
pub struct PartnerContactView {
    pub name: String,
    pub email: String,
}

/// The three revenue-association fields.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq)]
pub struct RevenueView {
    pub solution_seller_name: String,
    pub customer_name: String,
    pub isv_product_name: String,
}

#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq)]
pub struct DeadlinesView {
    pub review_pickup_due: Option<String>,
    pub review_decision_due: Option<String>,
    pub partner_response_due: Option<String>,
    pub consent_window_end: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq)]
pub struct PoeView {
    pub id: String,
    pub file_name: String,
    pub kind: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
    pub uploaded_at: String,
}

#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq)]
pub struct DisputeView {
    pub status: String,
    pub mpn_id: String,
    pub program: String,
    pub products: Vec<String>,
    pub tenant_id: String,
    pub details: String,
    pub poe: Vec<String>,
    pub opened_at: String,
    pub due: String,
    pub resolved_at: Option<String>,
    pub resolution_comment: Option<String>,
}

/// A claim.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq)]
pub struct ClaimView {
    pub id: String,
    pub name: String,
    pub mpn_id: String,
    pub tenant_id: String,
    pub domain: String,
    pub solution_area: String,
    pub activity: String,
    /// The incentive programs the claim counts for.
    pub programs: Vec<String>,
    pub products: Vec<ProductLineView>,
    pub customer_contact: Option<ContactView>,
    pub technical_contact: Option<ContactView>,
    pub partner_contact: Option<PartnerContactView>,
    pub revenue: Option<RevenueView>,
    /// draft, submitted, under_review, partner_action_required, approved, rejected.
    pub status: String,
    /// consent_pending, active, expired, ended; null unless approved.
    pub phase: Option<String>,
    pub reasons: Vec<String>,
    pub deadlines: DeadlinesView,
    pub poe: Vec<PoeView>,
    /// The latest dispute, if any.
    pub dispute: Option<DisputeView>,
    /// When an active Business Applications association expires.
    pub association_expires_at: Option<String>,
    /// The claim that won arbitration over this one: shown to the operator only.
    pub superseded_by: Option<String>,
    /// The reviewer working on the claim: shown to the operator only.
    pub reviewer: Option<String>,
    /// The claim's `ETag`: moves only with changes a client edits or acts on.
    pub version: u64,
    pub created_at: String,
    pub updated_at: String,
}

impl ClaimView {
    /// The claim as a user on `side` sees it (other organisations' claim ids are the
    /// operator's only).
    pub fn of(c: &Claim, reference: &Reference, side: Side) -> ClaimView {
        let c = &c.view_for(side);
        let f = &c.fields;
        let contact = |x: &Option<cpor_domain::claim::Contact>| {
            x.as_ref().map(|c| ContactView {
                name: c.name.to_string(),
                title: c.title.to_string(),
                email: c.email.to_string(),
                language: c.language.map(|l| l.to_string()),
            })
        };
        ClaimView {
            id: c.id.to_string(),
            name: f.name.to_string(),
            mpn_id: f.mpn_id.to_string(),
            tenant_id: f.tenant_id.to_string(),
            domain: f.domain.to_string(),
            solution_area: f.solution_area.to_string(),
            activity: f.activity.to_string(),
            programs: c
                .programs(&reference.programs)
                .iter()
                .map(|p| p.to_string())
                .collect(),
            products: f
                .products
                .iter()
                .map(|l| ProductLineView {
                    product: l.product.to_string(),
                    subscription_id: l.subscription_id.map(|s| s.to_string()),
                })
                .collect(),
            customer_contact: contact(&f.customer_contact),
            technical_contact: contact(&f.technical_contact),
            partner_contact: f.partner_contact.as_ref().map(|p| PartnerContactView {
                name: p.name.to_string(),
                email: p.email.to_string(),
            }),
            revenue: f.revenue.as_ref().map(|r| RevenueView {
                solution_seller_name: r.solution_seller_name.to_string(),
                customer_name: r.customer_name.to_string(),
                isv_product_name: r.isv_product_name.to_string(),
            }),
            status: c.status.to_string(),
            phase: c.phase.map(|p| p.to_string()),
            reasons: c.reasons.iter().map(|r| r.to_string()).collect(),
            deadlines: DeadlinesView {
                review_pickup_due: ots(c.deadlines.review_pickup_due),
                review_decision_due: ots(c.deadlines.review_decision_due),
                partner_response_due: ots(c.deadlines.partner_response_due),
                consent_window_end: ots(c.deadlines.consent_window_end),
            },
            poe: c
                .poe
                .iter()
                .map(|p| PoeView {
                    id: p.id.to_string(),
                    file_name: p.file_name.clone(),
                    kind: p.kind.to_string(),
                    media_type: p.kind.media_type().to_string(),
                    size: p.size,
                    sha256: p.sha256.clone(),
                    uploaded_at: ts(p.uploaded_at),
                })
                .collect(),
            dispute: c.disputes.last().map(|d| DisputeView {
                status: d.status.to_string(),
                mpn_id: d.mpn_id.to_string(),
                program: d.program.to_string(),
                products: d.products.iter().map(|p| p.to_string()).collect(),
                tenant_id: d.tenant_id.to_string(),
                details: d.details.to_string(),
                poe: d.poe.iter().map(|p| p.to_string()).collect(),
                opened_at: ts(d.opened_at),
                due: ts(d.due),
                resolved_at: ots(d.resolved_at),
                resolution_comment: d.resolution_comment.as_ref().map(|c| c.to_string()),
            }),
            association_expires_at: ots(c.association_expires_at),
            superseded_by: c.superseded_by.map(|s| s.to_string()),
            reviewer: c.reviewer.as_ref().map(|r| r.name.clone()),
            version: c.etag,
            created_at: ts(c.created_at),
            updated_at: ts(c.updated_at),
        }
    }
}

/// A page of a list.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct ListView<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// Who did something, as the history shows it.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq)]
pub struct ActorView {
    /// user, customer or system.
    pub kind: String,
    pub user_id: Option<String>,
    pub name: String,
    pub role: Option<String>,
}

impl ActorView {
    pub fn of(a: &Actor) -> ActorView {
        match a {
            Actor::User { id, role, name, .. } => ActorView {
                kind: "user".into(),
                user_id: Some(id.to_string()),
                name: name.clone(),
                role: Some(role.to_string()),
            },
            Actor::Customer => ActorView {
                kind: "customer".into(),
                user_id: None,
                name: "Customer".into(),
                role: None,
            },
            Actor::System => ActorView {
                kind: "system".into(),
                user_id: None,
                name: "System".into(),
                role: None,
            },
        }
    }
}

/// An event of a claim's history.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct EventView {
    pub seq: u64,
    pub at: String,
    pub actor: ActorView,
    /// partner, operator, customer or system.
    pub side: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// What happened: before and after values for edits, reasons and comments for
    /// decisions, and so on.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

impl EventView {
    /// The event as a user on `side` sees it.
    pub fn of(e: &Event, side: Side) -> EventView {
        let e = &e.view_for(side);
        EventView {
            seq: e.seq,
            at: ts(e.at),
            actor: ActorView::of(&e.actor),
            side: e.side().to_string(),
            kind: e.kind.type_name().to_string(),
            details: e.kind.public_details(),
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct CommentView {
    pub id: String,
    /// claim or dispute.
    pub thread: String,
    pub at: String,
    pub author: ActorView,
    pub side: String,
    pub body: String,
}

impl CommentView {
    pub fn of(c: &Comment) -> CommentView {
        CommentView {
            id: c.id.to_string(),
            thread: c.thread.to_string(),
            at: ts(c.at),
            author: ActorView::of(&c.author),
            side: c.author.side().to_string(),
            body: c.body.to_string(),
        }
    }
}

// ----- request bodies (schemas; the handlers parse them with field-level errors) -------

mod names {
    //! The enumerations of request fields, from the domain's own lists.
    use super::super::openapi::{many_of, one_of};
    use cpor_domain::claim::{ContactLanguage, DisputeOutcome, Phase, Reason, Status, Thread};
    use cpor_domain::reference::{Activity, SolutionArea};
    use utoipa::openapi::schema::Schema;

    pub fn solution_area() -> Schema {
        one_of(
            SolutionArea::ALL.iter().map(|a| a.as_str()),
            "microsoft_365",
        )
    }
    pub fn activity() -> Schema {
        one_of(Activity::ALL.iter().map(|a| a.as_str()), "usage")
    }
    pub fn reasons() -> Schema {
        many_of(Reason::ALL.iter().map(|r| r.as_str()), "missing_poe")
    }
    pub fn outcome() -> Schema {
        one_of(DisputeOutcome::ALL.iter().map(|o| o.as_str()), "upheld")
    }
    pub fn thread() -> Schema {
        one_of(Thread::ALL.iter().map(|t| t.as_str()), "claim")
    }
    pub fn status() -> Schema {
        one_of(Status::ALL.iter().map(|s| s.as_str()), "submitted")
    }
    pub fn phase() -> Schema {
        one_of(Phase::ALL.iter().map(|p| p.as_str()), "active")
    }
    pub fn contact_language() -> Schema {
        one_of(ContactLanguage::ALL.iter().map(|l| l.as_str()), "fr")
    }
}
pub(crate) use names::solution_area as solution_area_schema;
pub use names::{phase as phase_schema, status as status_schema};

/// A new claim. The first six fields are required; the rest may follow in later updates
/// before the claim is submitted.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct NewClaimBody {
    /// 1 to 100 characters.
    #[schema(example = "Contoso Teams rollout")]
    pub name: String,
    /// One of the organisation's partner locations: 6 to 10 digits.
    #[schema(example = "1234567")]
    pub mpn_id: String,
    /// The customer's tenant (directory) ID.
    #[schema(example = "6f1c1c3e-3f4b-4b8e-9a53-6c8c1d2b7a10")]
    pub tenant_id: String,
    /// A verified domain of that tenant.
    #[schema(example = "contoso.com")]
    pub domain: String,
    #[schema(schema_with = names::solution_area)]
    pub solution_area: String,
    /// Microsoft 365: usage. Business Applications: pre_sales, usage, pre_sales_and_usage
    /// or revenue_association.
    #[schema(schema_with = names::activity)]
    pub activity: String,
    /// Catalog products of the solution area, no repeats; Business Applications lines
    /// name their subscription.
    pub products: Option<Vec<ProductLineView>>,
    pub customer_contact: Option<ContactView>,
    /// Required when any product is a Dynamics 365 product.
    pub technical_contact: Option<ContactView>,
    pub partner_contact: Option<PartnerContactView>,
    /// revenue_association only.
    pub revenue: Option<RevenueView>,
}

/// A claim's fields, for creating (the first six required) or a partial update (each
/// field left out is unchanged, null clears it).
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct ClaimBody {
    pub name: Option<String>,
    pub mpn_id: Option<String>,
    pub tenant_id: Option<String>,
    pub domain: Option<String>,
    #[schema(schema_with = names::solution_area)]
    pub solution_area: Option<String>,
    #[schema(schema_with = names::activity)]
    pub activity: Option<String>,
    pub products: Option<Vec<ProductLineView>>,
    pub customer_contact: Option<ContactView>,
    pub technical_contact: Option<ContactView>,
    pub partner_contact: Option<PartnerContactView>,
    pub revenue: Option<RevenueView>,
}

/// An optional comment with a transition.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct CommentBody {
    #[serde(default)]
    pub comment: Option<String>,
}

/// Taking a claim for review.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct TakeBody {
    /// Take it over from another reviewer who has it.
    #[serde(default)]
    pub over: bool,
}

/// An approval. When another partner holds some of the claim's keys, the approval is an
/// arbitration: it must say `confirm: true` (the refusal names what the other partner
/// would lose), and the contested keys move to this claim.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ApproveBody {
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub confirm: bool,
}

/// Reasons and a comment: a request for information or a rejection.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ReasonsBody {
    /// Partner action required: missing_poe, missing_customer_signature,
    /// missing_or_old_dates, missing_partner_solution, missing_products. Rejected:
    /// insufficient_poe, missing_customer_consent_on_poe, missing_products,
    /// poe_not_available, association_conflict.
    #[serde(default)]
    #[schema(schema_with = names::reasons)]
    pub reasons: Vec<String>,
    #[serde(default)]
    pub comment: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct DisassociateBody {
    #[serde(default)]
    pub reason: Option<String>,
}

/// A PoE upload: one document in the multipart field `file`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PoeUpload {
    /// PDF, DOCX, XLSX, PPTX, PNG, JPEG, EML or MSG, checked by content.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    #[serde(default)]
    pub body: Option<String>,
    /// claim (default) or dispute.
    #[serde(default)]
    #[schema(schema_with = names::thread)]
    pub thread: Option<String>,
}

/// A dispute of a rejection. Program and products default to the claim's.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct DisputeBody {
    #[serde(default)]
    pub program: Option<String>,
    #[serde(default)]
    pub products: Option<Vec<String>>,
    #[serde(default)]
    pub details: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ResolveBody {
    /// upheld or denied.
    #[serde(default)]
    #[schema(schema_with = names::outcome)]
    pub outcome: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
}
