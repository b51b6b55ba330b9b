//! Proof-of-execution files: uploaded as multipart (field `file`), checked by content,
//! kept in the object store under `poe/<claim>/<poe>`, recorded on the claim.

use super::claims::claim_response;
use super::support::{idempotency, parse_claim_id, run, visible_claim};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::state::App;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cpor_domain::claim::Command;
use cpor_domain::poe::{PoeFile, PoeKind, clean_file_name};
use cpor_domain::values::PoeId;
use cpor_domain::{ErrorCode, FieldError};
use object_store::ObjectStoreExt;
use object_store::path::Path as BlobPath;
use sha2::Digest;

fn blob_path(claim: &str, poe: &PoeId) -> BlobPath {
    BlobPath::from(format!("poe/{claim}/{poe}"))
}

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
    request_body(content_type = "multipart/form-data", description = "The document in the field `file`"),
    responses((status = 200, body = super::dto::ClaimView), (status = 413, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn upload(
    State(app): State<App>,
    who: Principal,
    Path(id): Path<String>,
    headers: HeaderMap,
    mut form: Multipart,
) -> ApiResult<Response> {
    let claim = visible_claim(&app, &who, &id).await?;
    let reference = app.store.reference().await?;
    let max = reference.policy.poe_max_bytes;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(mut field) = form.next_field().await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(max)
        } else {
            ApiError::invalid(vec![FieldError::new(
                "file",
                ErrorCode::InvalidFormat,
                format!("The upload is not valid multipart: {e}"),
            )])
        }
    })? {
        if field.name() != Some("file") {
            continue;
        }
        let name = clean_file_name(field.file_name().unwrap_or("document"));
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large(max)
            } else {
                ApiError::invalid(vec![FieldError::new(
                    "file",
                    ErrorCode::InvalidFormat,
                    e.to_string(),
                )])
            }
        })? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() as u64 > max {
                return Err(too_large(max));
            }
        }
        file = Some((name, bytes));
        break;
    }
    let Some((name, bytes)) = file else {
        return Err(ApiError::invalid(vec![FieldError::new(
            "file",
            ErrorCode::Required,
            "Send the document in the multipart field `file`.",
        )]));
    };
    let kind = PoeKind::check(&name, &bytes, max).map_err(|e| ApiError::invalid(vec![e]))?;
    let poe_id = PoeId::from_uuid(uuid::Uuid::now_v7());
    let digest = hex_digest(&bytes);
    let idem = {
        // The key binds to the file's content, not to the multipart framing.
        let path = format!("/api/v1/claims/{id}/poe");
        idempotency(
            &headers,
            &who.0.id.to_string(),
            &Method::POST,
            &path,
            format!("{name}\n{digest}").as_bytes(),
        )?
    };
    let size = bytes.len() as u64;
    let path = blob_path(&id, &poe_id);
    app.blobs
        .put(&path, bytes.into())
        .await
        .map_err(ApiError::internal)?;
    let command = Command::AddPoe(PoeFile {
        id: poe_id,
        file_name: name,
        kind,
        size,
        sha256: digest,
        uploaded_at: app.clock.now(),
        uploaded_by: Some(who.0.id),
    });
    match run(&app, who.0.actor(), claim.id, command, None, idem).await {
        Ok(out) => {
            if out.replayed {
                let _ = app.blobs.delete(&path).await;
            }
            claim_response(&app, StatusCode::OK, out).await
        }
        Err(e) => {
            // Nothing was recorded: the file goes too.
            let _ = app.blobs.delete(&path).await;
            Err(e)
        }
    }
}

fn hex_digest(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Download a proof-of-execution document.
#[utoipa::path(get, path = "/api/v1/claims/{id}/poe/{poe_id}", tag = "poe",
    responses((status = 200, description = "The document"), (status = 404, body = crate::error::Problem)))]
pub async fn download(
    State(app): State<App>,
    who: Principal,
    Path((id, poe_id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let claim = visible_claim(&app, &who, &id).await?;
    let poe = claim
        .poe
        .iter()
        .find(|p| p.id.to_string() == poe_id)
        .ok_or_else(|| ApiError::not_found("poe"))?;
    let data = app
        .blobs
        .get(&blob_path(&claim.id.to_string(), &poe.id))
        .await
        .map_err(|e| match e {
            object_store::Error::NotFound { .. } => ApiError::not_found("poe"),
            other => ApiError::internal(other),
        })?
        .bytes()
        .await
        .map_err(ApiError::internal)?;
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
        Body::from(data),
    )
        .into_response())
}

/// Remove a proof-of-execution document from a draft.
#[utoipa::path(delete, path = "/api/v1/claims/{id}/poe/{poe_id}", tag = "poe",
    responses((status = 200, body = super::dto::ClaimView), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn remove(
    State(app): State<App>,
    who: Principal,
    Path((id, poe_id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let claim_id = parse_claim_id(&id)?;
    let poe: PoeId = poe_id.parse().map_err(|_| ApiError::not_found("poe"))?;
    let out = run(
        &app,
        who.0.actor(),
        claim_id,
        Command::RemovePoe(poe),
        None,
        None,
    )
    .await?;
    // The file goes by the job the command queued with the record's removal.
    claim_response(&app, StatusCode::OK, out).await
}
