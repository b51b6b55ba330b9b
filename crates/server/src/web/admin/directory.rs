//! `/admin/directory`: the tenant directory's CSV files uploaded from a form (tenants,
//! and optionally subscriptions, at most [`MAX_DIRECTORY_FILE`] each). "Check" shows
//! what an import would do (tenants added, changed, unchanged; refused rows with their
//! file, line and reason) and imports nothing; "Import" imports only when no row is
//! refused. A lookup shows one tenant (by tenant ID or verified domain) with its domains
//! and subscriptions.

use super::{Feedback, MAX_DIRECTORY_FILE, answer, civil_date, require};
use crate::administration as admin;
use crate::directory::Report;
use crate::web::error::{PageError, PageResult};
use crate::web::render;
use crate::web::ui::{SignedIn, Ui};
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query};
use axum::http::HeaderMap;
use cpor_domain::values::{DomainName, Parse, TenantId};
use cpor_domain::{ErrorCode, FieldError};
use cpor_store::ImportSummary;
use serde::Deserialize;

pub struct RefusedLine {
    pub file: String,
    pub line: u64,
    pub reason: String,
}

/// What the check or the import found.
pub struct ReportView {
    pub imported: bool,
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub refused: Vec<RefusedLine>,
    pub summary: String,
}

pub struct SubscriptionLine {
    pub id: String,
    pub product: String,
    pub state: String,
    pub channel: String,
    pub starts: String,
    pub ends: String,
}

/// The tenant looked up.
pub struct TenantView {
    pub tenant_id: String,
    pub domains: Vec<String>,
    pub subscriptions: Vec<SubscriptionLine>,
}

#[derive(Template)]
#[template(path = "web/admin/directory.html")]
struct DirectoryPage<'a> {
    ui: &'a Ui,
    fb: Feedback,
    report: Option<ReportView>,
    query: String,
    tenant: Option<TenantView>,
    /// A lookup that found nothing.
    not_found: bool,
    max_mib: usize,
}

impl DirectoryPage<'_> {
    fn error(&self, at: &str) -> Option<&str> {
        self.fb.error(at)
    }
}

#[derive(Deserialize, Default)]
pub struct LookupQuery {
    #[serde(default)]
    tenant: Option<String>,
}

/// `GET /admin/directory` (`?tenant=` a tenant ID or a verified domain).
pub async fn page(SignedIn(ui, viewer): SignedIn, Query(q): Query<LookupQuery>) -> PageResult {
    require(&ui, Some(&viewer))?;
    let query = q.tenant.unwrap_or_default().trim().to_string();
    let (tenant, not_found) = if query.is_empty() {
        (None, false)
    } else {
        let t = lookup(&ui, &query).await?;
        let missing = t.is_none();
        (t, missing)
    };
    let page = DirectoryPage {
        ui: &ui,
        fb: Feedback::default(),
        report: None,
        query,
        tenant,
        not_found,
        max_mib: MAX_DIRECTORY_FILE / (1024 * 1024),
    };
    render(&page)
}

async fn lookup(ui: &Ui, query: &str) -> Result<Option<TenantView>, PageError> {
    let app = &ui.app;
    let i = &ui.i;
    let fail = |e: cpor_store::StoreError| PageError::from_api(ui, e.into());
    let id = match TenantId::parse(query) {
        Ok(id) => Some(id),
        Err(_) => match DomainName::parse(query) {
            Ok(d) => app.store.tenant_of_domain(&d).await.map_err(fail)?,
            Err(_) => None,
        },
    };
    let Some(id) = id else { return Ok(None) };
    let Some(record) = app.store.tenant(id).await.map_err(fail)? else {
        return Ok(None);
    };
    let reference = app.store.reference().await.map_err(fail)?;
    Ok(Some(TenantView {
        tenant_id: record.tenant_id.to_string(),
        domains: record.domains.iter().map(|d| d.to_unicode()).collect(),
        subscriptions: record
            .subscriptions
            .iter()
            .map(|s| SubscriptionLine {
                id: s.id.to_string(),
                product: reference
                    .catalog
                    .get(&s.product)
                    .map_or_else(|| s.product.to_string(), |p| p.name.clone()),
                state: i.code("subscription-state", s.state.as_str()),
                channel: i.code("channel", s.channel.as_str()),
                starts: civil_date(i, s.starts_on),
                ends: s
                    .ends_on
                    .map_or_else(|| i.t("no-end-date"), |d| civil_date(i, d)),
            })
            .collect(),
    }))
}

/// The form's fields: its texts, and the two files (`None` when not sent or empty).
struct Upload {
    csrf: String,
    action: String,
    tenants: Option<Vec<u8>>,
    subscriptions: Option<Vec<u8>>,
    errors: Vec<FieldError>,
}

async fn read(form: &mut Multipart) -> Result<Upload, ()> {
    let mut up = Upload {
        csrf: String::new(),
        action: String::new(),
        tenants: None,
        subscriptions: None,
        errors: Vec::new(),
    };
    while let Some(mut field) = form.next_field().await.map_err(|_| ())? {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "tenants" | "subscriptions" => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|_| ())? {
                    bytes.extend_from_slice(&chunk);
                    if bytes.len() > MAX_DIRECTORY_FILE {
                        up.errors.push(FieldError::new(
                            name.clone(),
                            ErrorCode::ValueOutOfRange,
                            "too large",
                        ));
                        // The rest of the form is not read: nothing is done with it.
                        return Ok(up);
                    }
                }
                let bytes = Some(bytes).filter(|b| !b.is_empty());
                if name == "tenants" {
                    up.tenants = bytes;
                } else {
                    up.subscriptions = bytes;
                }
            }
            "_csrf" | "action" => {
                let text = field.text().await.map_err(|_| ())?;
                if text.len() <= 256 {
                    if name == "_csrf" {
                        up.csrf = text;
                    } else {
                        up.action = text;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(up)
}

/// `POST /admin/directory`: "Check" (`action=check`) or "Import" (`action=import`).
pub async fn upload(
    ui: Ui,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> PageResult {
    crate::web::form::same_origin(&ui, &headers)?;
    require(&ui, ui.viewer.as_ref())?;
    let mut form = form.map_err(|_| PageError::bad_form(&ui))?;
    let up = read(&mut form)
        .await
        .map_err(|_| PageError::bad_form(&ui))?;
    if ui.csrf.is_empty() || !ui.csrf_ok(&up.csrf) {
        return Err(PageError::bad_form(&ui));
    }
    let mut errors = up.errors;
    if errors.is_empty() && up.tenants.is_none() {
        errors.push(FieldError::new("tenants", ErrorCode::Required, "required"));
    }
    let dry_run = up.action != "import";
    let mut fb = Feedback::default();
    let mut report = None;
    if let (Some(tenants), true) = (up.tenants.as_deref(), errors.is_empty()) {
        let (r, imported) =
            admin::import_directory(&ui.app, tenants, up.subscriptions.as_deref(), dry_run)
                .await
                .map_err(|e| PageError::from_api(&ui, e))?;
        report = Some(view(&ui, &r, imported.as_ref()));
    }
    for e in &errors {
        let words = if e.code == ErrorCode::ValueOutOfRange {
            ui.i.t1(
                "admin-directory-too-large",
                "mib",
                MAX_DIRECTORY_FILE / (1024 * 1024),
            )
        } else {
            ui.i.code("error", e.code.as_str())
        };
        fb.errors.push((format!("directory.{}", e.field), words));
    }
    let failed = fb.failed() || report.as_ref().is_some_and(|r| !r.refused.is_empty());
    let page = DirectoryPage {
        ui: &ui,
        fb,
        report,
        query: String::new(),
        tenant: None,
        not_found: false,
        max_mib: MAX_DIRECTORY_FILE / (1024 * 1024),
    };
    answer(render(&page)?, failed)
}

fn view(ui: &Ui, r: &Report, imported: Option<&ImportSummary>) -> ReportView {
    let i = &ui.i;
    let summary = match imported {
        Some(s) => i.ta(
            "admin-directory-imported",
            &[
                ("tenants", s.tenants.to_string()),
                ("domains", s.domains.to_string()),
                ("subscriptions", s.subscriptions.to_string()),
            ],
        ),
        None if !r.ok() => i.t("admin-directory-refused"),
        None => i.t("admin-directory-checked"),
    };
    ReportView {
        imported: imported.is_some(),
        added: r.added.len(),
        changed: r.changed.len(),
        unchanged: r.unchanged.len(),
        refused: r
            .refused
            .iter()
            .map(|f| RefusedLine {
                file: i.code("admin-directory-file", &f.file),
                line: f.line,
                reason: f.reason.clone(),
            })
            .collect(),
        summary,
    }
}
