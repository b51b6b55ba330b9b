//! `/admin`: the business calendar's holidays, the policy (every setting, each refusal
//! beside its field) and the catalog (add, rename, the Dynamics 365 flag, retire and
//! restore), with links to the other administration pages.

use super::{Feedback, answer, civil_date, dom_id, is_form_refusal, require};
use crate::administration::{self as admin, PolicyChange, ProductChange};
use crate::web::error::{PageError, PageResult};
use crate::web::form::{NoFields, Posted};
use crate::web::render;
use crate::web::ui::{SignedIn, Ui, see_other};
use askama::Template;
use axum::extract::{Path, Query};
use cpor_domain::reference::SolutionArea;
use cpor_domain::{ErrorCode, FieldError};
use serde::Deserialize;

pub struct HolidayLine {
    pub date: String,
    pub words: String,
    pub name: String,
}

pub struct PolicyField {
    pub name: &'static str,
    pub id: String,
    pub label: String,
    pub hint: String,
    pub value: String,
    pub error: Option<String>,
}

pub struct ProductLine {
    pub id: String,
    pub name: String,
    pub area: String,
    pub dynamics: bool,
    pub retired: bool,
    /// The name sent in a refused rename.
    pub sent_name: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "web/admin/home.html")]
struct HomePage<'a> {
    ui: &'a Ui,
    fb: Feedback,
    holidays: Vec<HolidayLine>,
    policy: Vec<PolicyField>,
    products: Vec<ProductLine>,
    areas: Vec<(&'static str, String)>,
}

impl HomePage<'_> {
    fn error(&self, at: &str) -> Option<&str> {
        self.fb.error(at)
    }

    fn sent(&self, at: &str) -> &str {
        self.fb.sent(at).unwrap_or("")
    }
}

/// The policy's settings in the page's order.
const POLICY_FIELDS: [&str; 10] = [
    "review_pickup_days",
    "review_decision_days",
    "partner_response_days",
    "consent_window_days",
    "dispute_window_days",
    "dispute_resolution_days",
    "poe_max_bytes",
    "poe_max_count",
    "time_zone",
    "support_email",
];

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    pub notice: Option<String>,
}

/// `GET /admin`.
pub async fn page(SignedIn(ui, viewer): SignedIn, Query(q): Query<NoticeQuery>) -> PageResult {
    require(&ui, Some(&viewer))?;
    let fb = Feedback::notice(&ui.i, q.notice.as_deref());
    show(&ui, fb).await
}

async fn show(ui: &Ui, fb: Feedback) -> PageResult {
    let app = &ui.app;
    let i = &ui.i;
    let fail = |e| PageError::from_api(ui, e);
    let holidays = admin::holidays(app)
        .await
        .map_err(fail)?
        .into_iter()
        .map(|(d, name)| HolidayLine {
            date: d.to_string(),
            words: civil_date(i, d),
            name: name.unwrap_or_default(),
        })
        .collect();
    let p = admin::policy(app).await.map_err(fail)?;
    let current = |name: &str| -> String {
        match name {
            "review_pickup_days" => p.review_pickup_days.to_string(),
            "review_decision_days" => p.review_decision_days.to_string(),
            "partner_response_days" => p.partner_response_days.to_string(),
            "consent_window_days" => p.consent_window_days.to_string(),
            "dispute_window_days" => p.dispute_window_days.to_string(),
            "dispute_resolution_days" => p.dispute_resolution_days.to_string(),
            "poe_max_bytes" => p.poe_max_bytes.to_string(),
            "poe_max_count" => p.poe_max_count.to_string(),
            "support_email" => p.support_email.clone().unwrap_or_default(),
            _ => p.time_zone.clone(),
        }
    };
    let policy = POLICY_FIELDS
        .iter()
        .map(|name| {
            let at = format!("policy.{name}");
            PolicyField {
                name,
                id: dom_id(&at),
                label: i.code("policy", name),
                hint: i.code("policy-hint", name),
                value: fb
                    .sent(&at)
                    .map(str::to_string)
                    .unwrap_or_else(|| current(name)),
                error: fb.error(&at).map(str::to_string),
            }
        })
        .collect();
    let products = admin::products(app)
        .await
        .map_err(fail)?
        .into_iter()
        .map(|pr| {
            let at = format!("product:{}.name", pr.id);
            ProductLine {
                sent_name: fb.sent(&at).unwrap_or(&pr.name).to_string(),
                error: fb.error(&at).map(str::to_string),
                id: pr.id.to_string(),
                name: pr.name,
                area: i.code("solution-area", pr.solution_area.as_str()),
                dynamics: pr.dynamics_365,
                retired: pr.retired,
            }
        })
        .collect();
    let failed = fb.failed();
    let page = HomePage {
        ui,
        fb,
        holidays,
        policy,
        products,
        areas: SolutionArea::ALL
            .iter()
            .map(|a| (a.as_str(), i.code("solution-area", a.as_str())))
            .collect(),
    };
    answer(render(&page)?, failed)
}

/// Runs a change for a posted form: the page again with the refusal beside its fields,
/// or on to `done`.
async fn after<T>(
    ui: &Ui,
    result: Result<T, crate::error::ApiError>,
    scope: &str,
    sent: &[(&str, &str)],
    done: &str,
) -> PageResult {
    match result {
        Ok(_) => Ok(see_other(done)),
        Err(e) if is_form_refusal(&e) => {
            let fb = Feedback::refused(&ui.i, scope, &e.errors).with_sent(scope, sent);
            show(ui, fb).await
        }
        Err(e) => Err(PageError::from_api(ui, e)),
    }
}

#[derive(Deserialize)]
pub struct HolidayForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    name: String,
}

/// `POST /admin/holidays`: adds a holiday (a date already a holiday stays one).
pub async fn add_holiday(posted: Posted<HolidayForm>) -> PageResult {
    let ui = &posted.ui;
    require(ui, ui.viewer.as_ref())?;
    let f = &posted.form;
    let result = admin::add_holiday(&ui.app, &f.date, Some(&f.name)).await;
    let sent = [("date", f.date.as_str()), ("name", f.name.as_str())];
    after(
        ui,
        result,
        "holiday",
        &sent,
        "/admin?notice=holiday_added#holidays",
    )
    .await
}

/// `POST /admin/holidays/{date}/remove`.
pub async fn remove_holiday(Path(date): Path<String>, posted: Posted<NoFields>) -> PageResult {
    let ui = &posted.ui;
    require(ui, ui.viewer.as_ref())?;
    let result = admin::remove_holiday(&ui.app, &date).await;
    after(
        ui,
        result,
        "holiday",
        &[],
        "/admin?notice=holiday_removed#holidays",
    )
    .await
}

#[derive(Deserialize)]
pub struct PolicyForm {
    #[serde(default)]
    review_pickup_days: String,
    #[serde(default)]
    review_decision_days: String,
    #[serde(default)]
    partner_response_days: String,
    #[serde(default)]
    consent_window_days: String,
    #[serde(default)]
    dispute_window_days: String,
    #[serde(default)]
    dispute_resolution_days: String,
    #[serde(default)]
    poe_max_bytes: String,
    #[serde(default)]
    poe_max_count: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    support_email: String,
}

/// `POST /admin/policy`: every setting at once; nothing changes while any is refused.
pub async fn set_policy(posted: Posted<PolicyForm>) -> PageResult {
    let ui = &posted.ui;
    require(ui, ui.viewer.as_ref())?;
    let f = &posted.form;
    let change = PolicyChange {
        review_pickup_days: Some(f.review_pickup_days.clone()),
        review_decision_days: Some(f.review_decision_days.clone()),
        partner_response_days: Some(f.partner_response_days.clone()),
        consent_window_days: Some(f.consent_window_days.clone()),
        dispute_window_days: Some(f.dispute_window_days.clone()),
        dispute_resolution_days: Some(f.dispute_resolution_days.clone()),
        poe_max_bytes: Some(f.poe_max_bytes.clone()),
        poe_max_count: Some(f.poe_max_count.clone()),
        time_zone: Some(f.time_zone.clone()),
        support_email: Some(f.support_email.clone()),
    };
    let result = admin::set_policy(&ui.app, &change).await;
    let sent = [
        ("review_pickup_days", f.review_pickup_days.as_str()),
        ("review_decision_days", f.review_decision_days.as_str()),
        ("partner_response_days", f.partner_response_days.as_str()),
        ("consent_window_days", f.consent_window_days.as_str()),
        ("dispute_window_days", f.dispute_window_days.as_str()),
        (
            "dispute_resolution_days",
            f.dispute_resolution_days.as_str(),
        ),
        ("poe_max_bytes", f.poe_max_bytes.as_str()),
        ("poe_max_count", f.poe_max_count.as_str()),
        ("time_zone", f.time_zone.as_str()),
        ("support_email", f.support_email.as_str()),
    ];
    after(
        ui,
        result,
        "policy",
        &sent,
        "/admin?notice=policy_saved#policy",
    )
    .await
}

#[derive(Deserialize)]
pub struct NewProductForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    solution_area: String,
    #[serde(default)]
    dynamics_365: Option<String>,
}

/// `POST /admin/products`: a new product (an id the catalog has is refused).
pub async fn add_product(posted: Posted<NewProductForm>) -> PageResult {
    let ui = &posted.ui;
    require(ui, ui.viewer.as_ref())?;
    let f = &posted.form;
    let sent = [
        ("id", f.id.as_str()),
        ("name", f.name.as_str()),
        ("solution_area", f.solution_area.as_str()),
    ];
    let known = admin::products(&ui.app)
        .await
        .map_err(|e| PageError::from_api(ui, e))?
        .iter()
        .any(|p| p.id.as_str() == f.id.trim());
    let result = if known {
        Err(crate::error::ApiError::invalid(vec![FieldError::new(
            "id",
            ErrorCode::Duplicate,
            "taken",
        )]))
    } else {
        let change = ProductChange {
            name: Some(f.name.clone()),
            solution_area: Some(f.solution_area.clone()),
            dynamics_365: Some(f.dynamics_365.as_deref() == Some("true")),
            retired: Some(false),
        };
        admin::put_product(&ui.app, f.id.trim(), &change).await
    };
    after(
        ui,
        result,
        "new-product",
        &sent,
        "/admin?notice=product_added#catalog",
    )
    .await
}

#[derive(Deserialize)]
pub struct ProductForm {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    dynamics_365: Option<String>,
    #[serde(default)]
    retired: Option<String>,
}

/// `POST /admin/products/{id}`: renames a product, sets its Dynamics 365 flag, or
/// retires or restores it (whichever the form sends).
pub async fn change_product(Path(id): Path<String>, posted: Posted<ProductForm>) -> PageResult {
    let ui = &posted.ui;
    require(ui, ui.viewer.as_ref())?;
    let f = &posted.form;
    let app = &ui.app;
    let exists = admin::products(app)
        .await
        .map_err(|e| PageError::from_api(ui, e))?
        .iter()
        .any(|p| p.id.as_str() == id);
    if !exists {
        return Err(PageError::not_found(ui));
    }
    let scope = format!("product:{id}");
    if let Some(r) = f.retired.as_deref() {
        let retired = r == "true";
        let result = admin::set_retired(app, &id, retired).await;
        let done = if retired {
            "/admin?notice=product_retired#catalog"
        } else {
            "/admin?notice=product_restored#catalog"
        };
        return after(ui, result, &scope, &[], done).await;
    }
    let change = ProductChange {
        name: f.name.clone(),
        dynamics_365: f.dynamics_365.as_deref().map(|d| d == "true"),
        ..ProductChange::default()
    };
    let result = admin::put_product(app, &id, &change).await;
    let sent = [("name", f.name.as_deref().unwrap_or(""))];
    after(
        ui,
        result,
        &scope,
        &sent,
        "/admin?notice=product_changed#catalog",
    )
    .await
}
