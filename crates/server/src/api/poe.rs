//! Proof-of-execution files: uploaded as multipart (field `file`), checked by content,
//! kept in the object store at [`crate::blobs::poe_path`], recorded on the claim.

use super::claims::claim_response;
use crate::auth::Principal;
use crate::blobs::poe_path;
use crate::error::{ApiError, ApiResult};
use crate::request::version::idempotency;
use crate::request::{ClaimPath, PoePath, StrictQuery, run};
use crate::state::App;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cpor_domain::claim::Command;
use cpor_domain::poe::{PoeFile, PoeKind, clean_file_name};
use cpor_domain::values::Parse;
use cpor_domain::values::PoeId;
use cpor_domain::{ErrorCode, FieldError};
use object_store::ObjectStoreExt;
use serde::Deserialize;
use sha2::Digest;

fn too_large(max: u64) -> ApiError {
    ApiError::one(
        StatusCode::PAYLOAD_TOO_LARGE,
        "file",
        ErrorCode::ValueOutOfRange,
        format!(
            "A proof-of-execution document is at most {} MiB.",
            max / (1024 * 1024)
        ),
    )
}

/// Upload a proof-of-execution document (multipart, field `file`).
#[utoipa::path(post, path = "/api/v1/claims/{id}/poe", tag = "poe",
    request_body(content = super::dto::PoeUpload, content_type = "multipart/form-data", description = "The document in the field `file`"),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry answer the first response")),
    responses((status = 200, body = super::dto::ClaimView), (status = 409, body = crate::error::Problem)))]
pub async fn upload(
    State(app): State<App>,
    who: Principal,
    ClaimPath(id): ClaimPath,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<Response> {
    let mut form = form.map_err(|_| {
        ApiError::one(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type",
            ErrorCode::InvalidFormat,
            "Send the document as multipart/form-data, in the field `file`.",
        )
    })?;
    let claim = who.visible_claim(&app, id).await?;
    let reference = app.store.reference().await?;
    let max = reference.policy.poe_max_bytes;
    let (_, file) = read_upload(&mut form, max).await?;
    let Some((name, bytes)) = file else {
        return Err(ApiError::invalid(vec![FieldError::new(
            "file",
            ErrorCode::Required,
            "Send the document in the multipart field `file`.",
        )]));
    };
    let digest = hex_digest(&bytes);
    let idem = {
        // The key binds to the file's content, not to the multipart framing.
        let path = format!("/api/v1/claims/{}/poe", claim.id);
        idempotency(
            &headers,
            &who.0.id.to_string(),
            &Method::POST,
            &path,
            format!("{name}\n{digest}").as_bytes(),
        )?
    };
    let out = add_poe(&app, &who, &claim, name, bytes, idem).await?;
    claim_response(&app, &who, StatusCode::OK, out).await
}

/// Checks a document by its content, keeps it in the object store and records it on the
/// claim; the file goes again when the command is refused (or was a retry).
pub async fn add_poe(
    app: &App,
    who: &Principal,
    claim: &cpor_domain::claim::Claim,
    name: String,
    bytes: Vec<u8>,
    idem: Option<cpor_store::Idempotency>,
) -> ApiResult<cpor_store::CommandOutcome> {
    let reference = app.store.reference().await?;
    let kind = PoeKind::check(&name, &bytes, reference.policy.poe_max_bytes)
        .map_err(|e| ApiError::invalid(vec![e]))?;
    let poe_id = PoeId::from_uuid(uuid::Uuid::now_v7());
    let digest = hex_digest(&bytes);
    let size = bytes.len() as u64;
    let path = poe_path(claim.id, poe_id);
    app.blobs
        .put(&path, bytes.into())
        .await
        .map_err(crate::blobs::error)?;
    let command = Command::AddPoe(PoeFile {
        id: poe_id,
        file_name: name,
        kind,
        size,
        sha256: digest,
        uploaded_at: app.clock.now(),
        uploaded_by: Some(who.0.id),
    });
    match run(app, who.0.actor(), claim.id, command, None, idem).await {
        Ok(out) => {
            if out.replayed {
                let _ = app.blobs.delete(&path).await;
            }
            Ok(out)
        }
        Err(e) => {
            // Nothing was recorded: the file goes too.
            let _ = app.blobs.delete(&path).await;
            Err(e)
        }
    }
}

/// The longest text field an upload form may carry beside its file.
const MAX_TEXT_FIELD: usize = 4096;

/// Reads an upload: its small text fields (in order) and the document in the field
/// `file` (its cleaned name and content), refusing a document over `max` bytes.
pub async fn read_upload(
    form: &mut Multipart,
    max: u64,
) -> ApiResult<(Vec<(String, String)>, Option<(String, Vec<u8>)>)> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(max)
        } else {
            ApiError::invalid(vec![FieldError::new(
                "file",
                ErrorCode::InvalidFormat,
                format!("The upload is not valid multipart: {e}"),
            )])
        }
    };
    let mut texts = Vec::new();
    let mut file = None;
    while let Some(mut field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" && file.is_none() {
            let file_name = clean_file_name(field.file_name().unwrap_or("document"));
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                bytes.extend_from_slice(&chunk);
                if bytes.len() as u64 > max {
                    return Err(too_large(max));
                }
            }
            file = Some((file_name, bytes));
        } else {
            let text = field.text().await.map_err(unreadable)?;
            if text.len() <= MAX_TEXT_FIELD {
                texts.push((name, text));
            }
        }
    }
    Ok((texts, file))
}

fn hex_digest(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Download a proof-of-execution document.
#[utoipa::path(get, path = "/api/v1/claims/{id}/poe/{poe_id}", tag = "poe",
    responses((status = 200, description = "The document, in its own media type", content_type = "application/octet-stream", body = Vec<u8>)))]
pub async fn download(
    State(app): State<App>,
    who: Principal,
    path: PoePath,
) -> ApiResult<Response> {
    let claim = who.visible_claim(&app, path.claim).await?;
    let poe = claim
        .poe
        .iter()
        .find(|p| p.id == path.poe)
        .ok_or_else(|| ApiError::not_found("poe"))?;
    let data = crate::blobs::stream(app.blobs.as_ref(), &poe_path(claim.id, poe.id)).await?;
    let disposition = format!(
        "attachment; filename=\"{}\"",
        poe.file_name.replace(['"', '\\'], "_")
    );
    Ok((
        [
            (header::CONTENT_TYPE, poe.kind.media_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        data,
    )
        .into_response())
}

/// Remove a proof-of-execution document from a draft.
#[utoipa::path(delete, path = "/api/v1/claims/{id}/poe/{poe_id}", tag = "poe",
    responses((status = 200, body = super::dto::ClaimView), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn remove(State(app): State<App>, who: Principal, path: PoePath) -> ApiResult<Response> {
    let out = run(
        &app,
        who.0.actor(),
        path.claim,
        Command::RemovePoe(path.poe),
        None,
        None,
    )
    .await?;
    // The file goes by the job the command queued with the record's removal.
    claim_response(&app, &who, StatusCode::OK, out).await
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TemplateParams {
    /// docx (the default) or pdf.
    format: Option<String>,
}

/// The "Download template" document: a statement of work acknowledgement prefilled
/// from the claim, for the customer to sign, in the caller's language.
#[utoipa::path(get, path = "/api/v1/claims/{id}/poe-template", tag = "poe", params(TemplateParams),
    responses((status = 200, description = "The DOCX or PDF document", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, body = crate::error::Problem)))]
pub async fn template(
    State(app): State<App>,
    who: Principal,
    ClaimPath(id): ClaimPath,
    StrictQuery(p): StrictQuery<TemplateParams>,
) -> ApiResult<Response> {
    use crate::template::{Format, download, render};
    let format = match p.format.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        None => Format::Docx,
        Some(f) => Format::parse_field("format", f).map_err(|e| ApiError::invalid(vec![e]))?,
    };
    let claim = who.visible_claim(&app, id).await?;
    let chosen = app.store.account(who.0.id).await?.and_then(|a| a.language);
    let chosen = match chosen {
        Some(l) => Some(l),
        None => app.store.organisation_language(claim.org_id).await?,
    };
    let lang = chosen
        .as_deref()
        .and_then(crate::web::i18n::Lang::parse)
        .unwrap_or_default();
    let zone = app.store.reference().await?.calendar.time_zone().clone();
    let words = crate::web::i18n::I18n::new(lang, zone);
    let (bytes, name) = render(&app, &claim, &words, format).await?;
    Ok(download(bytes, &name, format))
}

/// A document's pre-flight findings.
#[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema, Debug)]
pub struct FindingsView {
    pub poe_id: String,
    pub file_name: String,
    /// pending (not read yet), read, not_text, encrypted, empty or unreadable.
    pub readability: String,
    /// Dates found (YYYY-MM-DD), the latest first.
    pub dates: Vec<String>,
    /// One date within the 12 months before the upload.
    pub recent_date: bool,
    /// The claimed products and subscriptions it names.
    pub names: Vec<String>,
    pub names_customer: bool,
    pub names_partner: bool,
    pub signature: bool,
    /// Operators only: the reasons the findings suggest.
    pub suggests: Vec<String>,
}

/// What each of the claim's documents shows of what a reviewer checks (findings never
/// decide).
#[utoipa::path(get, path = "/api/v1/claims/{id}/findings", tag = "poe",
    responses((status = 200, body = super::dto::ListView<FindingsView>), (status = 404, body = crate::error::Problem)))]
pub async fn findings(
    State(app): State<App>,
    who: Principal,
    ClaimPath(id): ClaimPath,
) -> ApiResult<axum::Json<super::dto::ListView<FindingsView>>> {
    let claim = who.visible_claim(&app, id).await?;
    let found: std::collections::HashMap<_, _> =
        app.store.findings(id).await?.into_iter().collect();
    let operator = who.side() == cpor_domain::Side::Operator;
    let items = claim
        .poe
        .iter()
        .map(|p| {
            let f = found.get(&p.id);
            FindingsView {
                poe_id: p.id.to_string(),
                file_name: p.file_name.clone(),
                readability: f.map_or("pending", |f| f.readability.as_str()).to_string(),
                dates: f
                    .map(|f| f.dates.iter().map(ToString::to_string).collect())
                    .unwrap_or_default(),
                recent_date: f.is_some_and(|f| f.recent_date),
                names: f.map(|f| f.names.clone()).unwrap_or_default(),
                names_customer: f.is_some_and(|f| f.names_customer),
                names_partner: f.is_some_and(|f| f.names_partner),
                signature: f.is_some_and(|f| f.signature),
                suggests: match f {
                    Some(f) if operator => f.suggests().iter().map(|r| r.to_string()).collect(),
                    _ => Vec::new(),
                },
            }
        })
        .collect();
    Ok(axum::Json(super::dto::ListView {
        items,
        next_cursor: None,
    }))
}
