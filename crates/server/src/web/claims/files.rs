//! Adding and removing a claim's documents from its pages. The upload is a multipart form
//! whose `_csrf` field comes before the file; the document goes through the same checks
//! (by content, size and count) and the same command as the API's upload.

use super::page::{Feedback, show};
use crate::api::poe::{add_poe, read_upload};
use crate::request::run;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Posted;
use crate::web::ui::{SignedIn, Ui, see_other};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path};
use axum::http::HeaderMap;
use cpor_domain::claim::Command;
use cpor_domain::values::{ClaimId, PoeId};
use cpor_domain::{ErrorCode, FieldError};

/// `POST /claims/{id}/files`: a document from the claim's page or the claim form.
pub async fn upload(
    ui: Ui,
    Path(id): Path<String>,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> PageResult {
    crate::web::form::same_origin(&ui, &headers)?;
    let Some(viewer) = ui.viewer.clone() else {
        return Err(PageError::forbidden(&ui));
    };
    let id: ClaimId = id.parse().map_err(|_| PageError::not_found(&ui))?;
    let mut form = form.map_err(|_| PageError::bad_form(&ui))?;
    let app = ui.app.clone();
    let max = app
        .store
        .reference()
        .await
        .map_err(|e| PageError::from_api(&ui, e.into()))?
        .policy
        .poe_max_bytes;
    let (texts, file) = match read_upload(&mut form, max).await {
        Ok(r) => r,
        Err(e) if e.status.is_client_error() => {
            return show(&ui, &viewer, id, Feedback::errors(e.errors)).await;
        }
        Err(e) => return Err(PageError::from_api(&ui, e)),
    };
    let text = |name: &str| {
        texts
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if !ui.csrf_ok(text("_csrf").unwrap_or("")) {
        return Err(PageError::bad_form(&ui));
    }
    // Back to the page the form was on: the claim's page or a step of the claim form.
    let back = text("back")
        .filter(|b| b.starts_with(&format!("/claims/{id}")))
        .unwrap_or("")
        .to_string();
    let back = if back.is_empty() {
        format!("/claims/{id}")
    } else {
        back
    };
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        let e = FieldError::new("file", ErrorCode::Required, "required");
        return show(&ui, &viewer, id, Feedback::errors(vec![e])).await;
    };
    let who = viewer.principal();
    let claim = who
        .visible_claim(&app, id)
        .await
        .map_err(|e| PageError::from_api(&ui, e))?;
    match add_poe(&app, &who, &claim, name, bytes, None).await {
        Ok(_) => {
            let sep = if back.contains('?') { '&' } else { '?' };
            Ok(see_other(&format!("{back}{sep}notice=poe_added")))
        }
        Err(e) if e.status.is_client_error() && e.status.as_u16() != 404 => {
            show(&ui, &viewer, id, Feedback::errors(e.errors)).await
        }
        Err(e) => Err(PageError::from_api(&ui, e)),
    }
}

/// `POST /claims/{id}/files/{poe}/remove`: a draft's document (its file goes by a job
/// queued with the removal).
pub async fn remove(
    Path((id, poe)): Path<(String, String)>,
    posted: Posted<crate::web::form::NoFields>,
) -> PageResult {
    let ui = &posted.ui;
    let Some(viewer) = ui.viewer.clone() else {
        return Err(PageError::forbidden(ui));
    };
    let (Ok(id), Ok(poe)) = (id.parse::<ClaimId>(), poe.parse::<PoeId>()) else {
        return Err(PageError::not_found(ui));
    };
    match run(
        &ui.app,
        viewer.user.actor(),
        id,
        Command::RemovePoe(poe),
        None,
        None,
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("/claims/{id}?notice=poe_removed"))),
        Err(e) if matches!(e.status.as_u16(), 409 | 422) => {
            show(ui, &viewer, id, Feedback::errors(e.errors)).await
        }
        Err(e) => Err(PageError::from_api(ui, e)),
    }
}

#[derive(serde::Deserialize)]
pub struct TemplateQuery {
    #[serde(default)]
    format: Option<String>,
}

/// `GET /claims/{id}/poe-template?format=docx|pdf`: the "Download template" document, in
/// the viewer's language.
pub async fn template(
    SignedIn(ui, viewer): SignedIn,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<TemplateQuery>,
) -> PageResult {
    use crate::template::{Format, download, render};
    use cpor_domain::values::Parse;
    let format = match q.format.as_deref() {
        None | Some("") => Format::Docx,
        Some(f) => Format::parse(f).map_err(|_| PageError::not_found(&ui))?,
    };
    let id = id.parse().map_err(|_| PageError::not_found(&ui))?;
    let claim = viewer
        .principal()
        .visible_claim(&ui.app, id)
        .await
        .map_err(|e| PageError::from_api(&ui, e))?;
    let (bytes, name) = render(&ui.app, &claim, &ui.i, format)
        .await
        .map_err(|e| PageError::from_api(&ui, e))?;
    Ok(download(bytes, &name, format))
}
