//! Creating, editing and submitting a claim; its PoE and comments.

use super::{Context, Decision, require_status};
use crate::claim::fields::field;
use crate::claim::{
    Claim, ClaimFields, ClaimPatch, Command, Completeness, EventKind, FieldChange, Status, Thread,
    validate_fields,
};
use crate::error::{DomainError, ErrorCode, FieldError};
use crate::keys::keys_of;
use crate::poe::PoeFile;
use crate::values::{CommentBody, CommentId, OrgId, PoeId};

fn organisation<'a>(ctx: &Context<'a>) -> Result<&'a crate::reference::Organisation, DomainError> {
    ctx.organisation.ok_or_else(|| {
        DomainError::not_found("organisation", "The claim's organisation does not exist.")
    })
}

pub(super) fn create(
    org_id: OrgId,
    patch: &ClaimPatch,
    ctx: &Context,
) -> Result<Decision, DomainError> {
    if ctx.actor.org() != Some(org_id) {
        return Err(DomainError::not_permitted(
            "A claim is created for the creator's own organisation.",
        ));
    }
    let org = organisation(ctx)?;
    let fields = patch.clone().into_new_fields().map_err(DomainError::new)?;
    let r = ctx.reference;
    let (fields, errors) = validate_fields(
        &fields,
        org,
        &r.catalog,
        &r.programs,
        ctx.tenant,
        Completeness::Draft,
    );
    DomainError::check(errors)?;
    Ok(Decision::one(EventKind::Created { org_id, fields }))
}

/// The changes between two versions of the fields, field by field.
fn changes(before: &ClaimFields, after: &ClaimFields) -> Vec<FieldChange> {
    before
        .to_field_values()
        .into_iter()
        .zip(after.to_field_values())
        .filter(|((_, b), (_, a))| a != b)
        .map(|((name, b), (_, a))| FieldChange {
            field: name.to_string(),
            before: b,
            after: a,
        })
        .collect()
}

/// An edit event when the fields changed.
fn edited(before: &ClaimFields, after: ClaimFields) -> Option<EventKind> {
    let changes = changes(before, &after);
    (!changes.is_empty()).then_some(EventKind::Edited {
        changes,
        fields: after,
    })
}

/// In Draft every field may change. In Submitted and Partner action required only the MPN
/// ID, the products and the contacts may (docs/product.md, lifecycle); a fixed field sent
/// with its current value is not a change and is accepted, so clients may send the whole
/// claim back.
pub(super) fn edit(
    claim: &Claim,
    patch: &ClaimPatch,
    cmd: &Command,
    ctx: &Context,
) -> Result<Decision, DomainError> {
    require_status(
        claim,
        &[
            Status::Draft,
            Status::Submitted,
            Status::PartnerActionRequired,
        ],
        cmd,
    )?;
    let merged = claim.fields.merged(patch);
    let completeness = if claim.status == Status::Draft {
        Completeness::Draft
    } else {
        let current = claim.fields.to_field_values();
        let wanted = merged.to_field_values();
        let fixed: Vec<FieldError> = current
            .iter()
            .zip(&wanted)
            .filter(|((name, b), (_, a))| a != b && !field::EDITABLE_AFTER_SUBMIT.contains(name))
            .map(|((name, _), _)| {
                FieldError::new(
                    *name,
                    ErrorCode::InvalidState,
                    format!(
                        "The {name} cannot be changed once the claim is submitted; only the MPN ID, the products and the contacts can."
                    ),
                )
            })
            .collect();
        DomainError::check(fixed)?;
        Completeness::Submit
    };
    let org = organisation(ctx)?;
    let r = ctx.reference;
    let (resolved, errors) = validate_fields(
        &merged,
        org,
        &r.catalog,
        &r.programs,
        ctx.tenant,
        completeness,
    );
    DomainError::check(errors)?;
    Ok(Decision::events(
        edited(&claim.fields, resolved).into_iter().collect(),
    ))
}

pub(super) fn add_poe(
    claim: &Claim,
    file: &PoeFile,
    ctx: &Context,
) -> Result<Decision, DomainError> {
    if !claim.accepts_poe() {
        return Err(DomainError::invalid_state(format!(
            "Proof of execution can be added while the claim is draft, submitted or partner_action_required, or to an open dispute; this claim is {}.",
            claim.status
        )));
    }
    let policy = &ctx.reference.policy;
    let mut errors = Vec::new();
    if claim.poe.len() as u64 >= u64::from(policy.poe_max_count) {
        errors.push(FieldError::new(
            "file",
            ErrorCode::TooManyValues,
            format!(
                "A claim has at most {} proof-of-execution documents.",
                policy.poe_max_count
            ),
        ));
    }
    if file.size > policy.poe_max_bytes {
        errors.push(FieldError::new(
            "file",
            ErrorCode::ValueOutOfRange,
            format!(
                "A document is at most {} bytes; this one has {}.",
                policy.poe_max_bytes, file.size
            ),
        ));
    }
    if claim.poe.iter().any(|p| p.id == file.id) {
        errors.push(FieldError::new(
            "file",
            ErrorCode::Duplicate,
            "This document is already on the claim.",
        ));
    }
    DomainError::check(errors)?;
    Ok(Decision::one(EventKind::PoeAdded { poe: file.clone() }))
}

pub(super) fn remove_poe(claim: &Claim, id: PoeId, cmd: &Command) -> Result<Decision, DomainError> {
    require_status(claim, &[Status::Draft], cmd)?;
    let poe = claim
        .poe
        .iter()
        .find(|p| p.id == id)
        .ok_or_else(|| DomainError::not_found("poe", "The claim has no such document."))?;
    Ok(Decision::one(EventKind::PoeRemoved {
        poe_id: id,
        file_name: poe.file_name.clone(),
    }))
}

pub(super) fn comment(
    claim: &Claim,
    id: CommentId,
    thread: Thread,
    body: &CommentBody,
) -> Result<Decision, DomainError> {
    if thread == Thread::Dispute && claim.disputes.is_empty() {
        return Err(DomainError::one(
            "thread",
            ErrorCode::InvalidState,
            "The claim has no dispute to comment on.",
        ));
    }
    Ok(Decision::one(EventKind::CommentAdded {
        comment_id: id,
        thread,
        body: body.clone(),
    }))
}

pub(super) fn delete(claim: &Claim, cmd: &Command) -> Result<Decision, DomainError> {
    require_status(claim, &[Status::Draft], cmd)?;
    Ok(Decision::one(EventKind::Deleted))
}

/// Everything a claim needs to go (back) to review: complete fields, valid against the
/// directory now, at least one PoE, and no key the organisation already holds through
/// another claim. Returns the edit that subscription auto-selection makes, if any.
pub(super) fn check_submittable(
    claim: &Claim,
    ctx: &Context,
) -> Result<Option<EventKind>, DomainError> {
    let org = super::draft::organisation(ctx)?;
    let r = ctx.reference;
    let (resolved, mut errors) = validate_fields(
        &claim.fields,
        org,
        &r.catalog,
        &r.programs,
        ctx.tenant,
        Completeness::Submit,
    );
    if claim.poe.is_empty() {
        errors.push(FieldError::new(
            "poe",
            ErrorCode::NotEnoughValues,
            "Upload at least one proof-of-execution document, such as a statement of work signed by the customer.",
        ));
    }
    for key in keys_of(&resolved, &r.programs) {
        let own = ctx
            .holders
            .iter()
            .find(|h| h.key == key && h.org_id == claim.org_id && h.claim_id != claim.id);
        if let Some(h) = own {
            let index = resolved
                .products
                .iter()
                .position(|l| match &key.subject {
                    crate::keys::KeySubject::Workload(p) => &l.product == p,
                    crate::keys::KeySubject::Subscription(s) => {
                        l.subscription_id.as_ref() == Some(s)
                    }
                })
                .unwrap_or(0);
            errors.push(FieldError::new(
                format!("products[{index}]"),
                ErrorCode::AlreadyHeld,
                format!(
                    "Your organisation already holds this association ({}) through claim {}.",
                    key.program, h.claim_id
                ),
            ));
        }
    }
    DomainError::check(errors)?;
    Ok(edited(&claim.fields, resolved))
}

pub(super) fn submit(
    claim: &Claim,
    comment: &Option<CommentBody>,
    cmd: &Command,
    ctx: &Context,
) -> Result<Decision, DomainError> {
    require_status(claim, &[Status::Draft], cmd)?;
    let mut events: Vec<EventKind> = check_submittable(claim, ctx)?.into_iter().collect();
    let r = ctx.reference;
    events.push(EventKind::Submitted {
        review_pickup_due: r
            .calendar
            .add_business_days(ctx.now, r.policy.review_pickup_days),
        comment: comment.clone(),
    });
    Ok(Decision::events(events))
}
