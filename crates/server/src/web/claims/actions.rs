//! What a person may do with a claim now, and the forms that do it. Whether an action is
//! offered is asked of the domain itself: `decide` is run on a probe of the command, and
//! the action is offered unless the refusal is about the role, the claim's scope or its
//! status (input errors only mean the form must be filled in). Posting runs the same
//! command, through the same runner, as the API.

use super::page::{Feedback, show};
use crate::request::run;
use crate::state::App;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Posted;
use crate::web::ui::{Viewer, see_other};
use axum::extract::Path;
use cpor_domain::claim::{
    Claim, ClaimPatch, Command, ConsentSecret, Context, DisputeInput, DisputeOutcome, Thread,
    decide,
};
use cpor_domain::reference::Reference;
use cpor_domain::values::{
    ClaimId, CommentBody, CommentId, DisputeDetails, Parse, Reason as ReasonText,
};
use cpor_domain::{Actor, ErrorClass, FieldError};
use serde::Deserialize;

/// The actions of a claim's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Edit,
    AddPoe,
    Submit,
    Resubmit,
    Withdraw,
    Delete,
    Disassociate,
    Dispute,
    Comment,
    StartReview,
    RequestInformation,
    Approve,
    Reject,
    StartDispute,
    ResolveDispute,
    Take,
    TakeOver,
}

impl Action {
    pub const ALL: [Action; 17] = [
        Action::Edit,
        Action::AddPoe,
        Action::Submit,
        Action::Resubmit,
        Action::Withdraw,
        Action::Delete,
        Action::Disassociate,
        Action::Dispute,
        Action::Comment,
        Action::StartReview,
        Action::RequestInformation,
        Action::Approve,
        Action::Reject,
        Action::StartDispute,
        Action::ResolveDispute,
        Action::Take,
        Action::TakeOver,
    ];

    fn probe(self, now: cpor_domain::jiff::Timestamp) -> Option<Command> {
        let text = |s: &str| CommentBody::parse(s).ok();
        Some(match self {
            Action::Edit => Command::Edit(ClaimPatch::default()),
            Action::AddPoe => Command::AddPoe(cpor_domain::poe::PoeFile {
                id: cpor_domain::values::PoeId::from_uuid(uuid::Uuid::nil()),
                file_name: "probe.pdf".into(),
                kind: cpor_domain::poe::PoeKind::Pdf,
                size: 1,
                sha256: String::new(),
                uploaded_at: now,
                uploaded_by: None,
            }),
            Action::Submit => Command::Submit { comment: None },
            Action::Resubmit => Command::Resubmit { comment: None },
            Action::Withdraw => Command::Withdraw { comment: None },
            Action::Delete => Command::Delete,
            Action::Disassociate => Command::Disassociate { reason: None },
            Action::Dispute => Command::OpenDispute(DisputeInput {
                program: None,
                products: None,
                details: DisputeDetails::parse("probe").ok()?,
            }),
            Action::Comment => Command::Comment {
                id: CommentId::from_uuid(uuid::Uuid::nil()),
                thread: Thread::Claim,
                body: text("probe")?,
            },
            Action::StartReview => Command::StartReview { comment: None },
            Action::RequestInformation => Command::RequestInformation {
                reasons: Vec::new(),
                comment: None,
            },
            Action::Approve => Command::Approve {
                comment: None,
                consent: ConsentSecret("probe".into()),
                confirm: true,
            },
            Action::Reject => Command::Reject {
                reasons: Vec::new(),
                comment: None,
            },
            Action::StartDispute => Command::StartDispute { comment: None },
            Action::Take => Command::Take { over: false },
            Action::TakeOver => Command::Take { over: true },
            Action::ResolveDispute => Command::ResolveDispute {
                outcome: DisputeOutcome::Denied,
                comment: None,
            },
        })
    }
}

/// The actions `actor` may take on `claim` now.
pub fn available(
    claim: &Claim,
    actor: &Actor,
    reference: &Reference,
    now: cpor_domain::jiff::Timestamp,
) -> Vec<Action> {
    let ctx = Context {
        now,
        actor,
        reference,
        organisation: None,
        tenant: None,
        holders: &[],
    };
    let mut actions: Vec<Action> = Action::ALL
        .into_iter()
        .filter(|a| {
            a.probe(now)
                .is_some_and(|cmd| match decide(Some(claim), &cmd, &ctx) {
                    Ok(_) => true,
                    Err(e) => e.class() == ErrorClass::Invalid,
                })
        })
        .collect();
    // Taking over is offered only when another reviewer has the claim.
    if actions.contains(&Action::Take) {
        actions.retain(|a| *a != Action::TakeOver);
    }
    actions
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    comment: String,
}

#[derive(Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
pub struct DisputeForm {
    #[serde(default)]
    details: String,
}

/// Runs `command` for the viewer; on a refusal, the claim's page again with the errors.
async fn act(
    app: &App,
    posted_ui: &crate::web::ui::Ui,
    viewer: &Viewer,
    id: ClaimId,
    command: Command,
    done: &str,
) -> PageResult {
    match run(app, viewer.user.actor(), id, command, None, None).await {
        Ok(out) if out.claim.is_none() => Ok(see_other("/claims?notice=deleted")),
        Ok(_) => Ok(see_other(&format!("/claims/{id}?notice={done}"))),
        Err(e) if matches!(e.status.as_u16(), 409 | 422) => {
            show(posted_ui, viewer, id, Feedback::errors(e.errors)).await
        }
        Err(e) => Err(PageError::from_api(posted_ui, e)),
    }
}

fn signed_in(posted_ui: &crate::web::ui::Ui) -> Result<Viewer, PageError> {
    posted_ui
        .viewer
        .clone()
        .ok_or_else(|| PageError::forbidden(posted_ui))
}

fn claim_id(ui: &crate::web::ui::Ui, raw: &str) -> Result<ClaimId, PageError> {
    raw.parse().map_err(|_| PageError::not_found(ui))
}

fn optional_comment(raw: &str) -> Result<Option<CommentBody>, Vec<FieldError>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    CommentBody::parse_field("comment", raw)
        .map(Some)
        .map_err(|e| vec![e])
}

/// `POST /claims/{id}/{action}` for the actions whose form is at most a comment or a
/// reason.
pub async fn post(
    Path((id, action)): Path<(String, String)>,
    posted: Posted<CommentForm>,
) -> PageResult {
    let ui = &posted.ui;
    let viewer = signed_in(ui)?;
    let id = claim_id(ui, &id)?;
    let app = ui.app.clone();
    let comment = match optional_comment(&posted.form.comment) {
        Ok(c) => c,
        Err(errors) => return show(ui, &viewer, id, Feedback::errors(errors)).await,
    };
    let command = match action.as_str() {
        "submit" => Command::Submit { comment },
        "resubmit" => Command::Resubmit { comment },
        "withdraw" => Command::Withdraw { comment },
        "delete" => Command::Delete,
        "comment" => match comment {
            Some(body) => Command::Comment {
                id: CommentId::from_uuid(uuid::Uuid::now_v7()),
                thread: match posted.all("thread").first().map(String::as_str) {
                    Some("dispute") => Thread::Dispute,
                    _ => Thread::Claim,
                },
                body,
            },
            None => {
                return show(
                    ui,
                    &viewer,
                    id,
                    Feedback::errors(vec![FieldError::new(
                        "comment",
                        cpor_domain::ErrorCode::Required,
                        "required",
                    )]),
                )
                .await;
            }
        },
        _ => return Err(PageError::not_found(ui)),
    };
    act(&app, ui, &viewer, id, command, &action).await
}

/// `POST /claims/{id}/disassociate`: a reason is required.
pub async fn disassociate(Path(id): Path<String>, posted: Posted<ReasonForm>) -> PageResult {
    let ui = &posted.ui;
    let viewer = signed_in(ui)?;
    let id = claim_id(ui, &id)?;
    let reason = match posted.form.reason.trim() {
        "" => None,
        r => match ReasonText::parse(r) {
            Ok(r) => Some(r),
            Err(e) => return show(ui, &viewer, id, Feedback::errors(vec![e])).await,
        },
    };
    act(
        &ui.app.clone(),
        ui,
        &viewer,
        id,
        Command::Disassociate { reason },
        "disassociate",
    )
    .await
}

/// `POST /claims/{id}/dispute`: the dispute form, prefilled from the claim (program and
/// products default to the claim's).
pub async fn dispute(Path(id): Path<String>, posted: Posted<DisputeForm>) -> PageResult {
    let ui = &posted.ui;
    let viewer = signed_in(ui)?;
    let id = claim_id(ui, &id)?;
    let details = match DisputeDetails::parse_field("details", posted.form.details.trim()) {
        Ok(d) => d,
        Err(e) => return show(ui, &viewer, id, Feedback::errors(vec![e])).await,
    };
    let products: Vec<String> = posted.all("products");
    let products = if products.is_empty() {
        None
    } else {
        let mut parsed = Vec::new();
        for (n, p) in products.iter().enumerate() {
            match cpor_domain::reference::ProductId::parse_field(&format!("products[{n}]"), p) {
                Ok(p) => parsed.push(p),
                Err(e) => return show(ui, &viewer, id, Feedback::errors(vec![e])).await,
            }
        }
        Some(parsed)
    };
    let command = Command::OpenDispute(DisputeInput {
        program: None,
        products,
        details,
    });
    act(&ui.app.clone(), ui, &viewer, id, command, "dispute").await
}

/// `POST /claims/{id}/review/{decision}`: a reviewer starts the review, asks for
/// information (reasons and a comment), approves or rejects (reasons and a comment).
pub async fn review(
    Path((id, decision)): Path<(String, String)>,
    posted: Posted<CommentForm>,
) -> PageResult {
    let ui = &posted.ui;
    let viewer = signed_in(ui)?;
    let id = claim_id(ui, &id)?;
    let comment = match optional_comment(&posted.form.comment) {
        Ok(c) => c,
        Err(errors) => return show(ui, &viewer, id, Feedback::errors(errors)).await,
    };
    let reasons = posted.all("reasons");
    let command = match decision.as_str() {
        "start" => Command::StartReview { comment },
        "request-info" => Command::RequestInformation { reasons, comment },
        "approve" => Command::Approve {
            comment,
            consent: ConsentSecret(crate::auth::new_secret("consent")),
            confirm: posted.all("confirm").iter().any(|c| c == "yes"),
        },
        "reject" => Command::Reject { reasons, comment },
        "take" => Command::Take { over: false },
        "take-over" => Command::Take { over: true },
        _ => return Err(PageError::not_found(ui)),
    };
    act(
        &ui.app.clone(),
        ui,
        &viewer,
        id,
        command,
        &decision.replace('-', "_"),
    )
    .await
}

/// `POST /claims/{id}/dispute/{step}`: support takes a dispute, or resolves it (upheld:
/// the claim is reviewed again; denied: it stays rejected).
pub async fn dispute_step(
    Path((id, step)): Path<(String, String)>,
    posted: Posted<CommentForm>,
) -> PageResult {
    let ui = &posted.ui;
    let viewer = signed_in(ui)?;
    let id = claim_id(ui, &id)?;
    let comment = match optional_comment(&posted.form.comment) {
        Ok(c) => c,
        Err(errors) => return show(ui, &viewer, id, Feedback::errors(errors)).await,
    };
    let command = match step.as_str() {
        "start" => Command::StartDispute { comment },
        "resolve" => {
            let outcome = posted.all("outcome").into_iter().next().unwrap_or_default();
            match DisputeOutcome::parse_field("outcome", &outcome) {
                Ok(outcome) => Command::ResolveDispute { outcome, comment },
                Err(e) => return show(ui, &viewer, id, Feedback::errors(vec![e])).await,
            }
        }
        _ => return Err(PageError::not_found(ui)),
    };
    act(
        &ui.app.clone(),
        ui,
        &viewer,
        id,
        command,
        &format!("dispute_{step}"),
    )
    .await
}
