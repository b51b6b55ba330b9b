//! "New customer association": the claim form in steps, as the partner program describes
//! it. The first step creates a draft; every later step saves into it ("Save draft"
//! stays, "Next" goes on), so a draft can be left and resumed. The same steps edit a
//! submitted claim, where only the MPN ID, the products and the contacts may change.
//! Every refusal is the domain's, shown beside its field in the person's language.

use super::page::{ErrorLine, error_lines};
use crate::request::run;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Posted;
use crate::web::i18n::I18n;
use crate::web::render;
use crate::web::ui::{SignedIn, Ui, Viewer, see_other};
use askama::Template;
use axum::extract::{Path, Query};
use cpor_domain::FieldError;
use cpor_domain::claim::{
    Claim, ClaimInput, Command, ContactInput, Patch, ProductLineInput, RevenueInput, Status,
};
use cpor_domain::keys::keys_of;
use cpor_domain::reference::{Activity, Reference, SolutionArea};
use cpor_domain::values::{ClaimId, DomainName, Parse};
use serde::Deserialize;

/// The steps, in order.
pub const STEPS: [&str; 5] = ["customer", "products", "contacts", "documents", "review"];

pub struct StepLink {
    pub href: Option<String>,
    pub label: String,
    pub current: bool,
}

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct SubscriptionOpt {
    pub id: String,
    pub label: String,
    pub selected: bool,
    /// Why it cannot be claimed, if it cannot.
    pub not_claimable: Option<String>,
}

pub struct ProductOpt {
    pub id: String,
    pub name: String,
    pub checked: bool,
    pub dynamics: bool,
    pub subscriptions: Vec<SubscriptionOpt>,
}

/// The values a step's form shows (what was sent, or what the claim holds).
#[derive(Deserialize, Default, Clone)]
pub struct Values {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub mpn_id: String,
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub tenant_id: String,
    #[serde(default)]
    pub solution_area: String,
    #[serde(default)]
    pub activity: String,
    #[serde(default)]
    pub customer_name: String,
    #[serde(default)]
    pub customer_title: String,
    #[serde(default)]
    pub customer_email: String,
    /// `en`, `fr`, `pt-BR`, `sv`, or empty for the partner's language.
    #[serde(default)]
    pub customer_language: String,
    #[serde(default)]
    pub technical_name: String,
    #[serde(default)]
    pub technical_title: String,
    #[serde(default)]
    pub technical_email: String,
    #[serde(default)]
    pub partner_name: String,
    #[serde(default)]
    pub partner_email: String,
    #[serde(default)]
    pub solution_seller_name: String,
    #[serde(default)]
    pub customer_name_rev: String,
    #[serde(default)]
    pub isv_product_name: String,
    /// Which button: `save`, `next` or `lookup`.
    #[serde(default)]
    pub go: String,
}

impl Values {
    fn of(c: &Claim) -> Values {
        let f = &c.fields;
        let contact = |x: &Option<cpor_domain::claim::Contact>| {
            x.as_ref()
                .map_or((String::new(), String::new(), String::new()), |c| {
                    (c.name.to_string(), c.title.to_string(), c.email.to_string())
                })
        };
        let (customer_name, customer_title, customer_email) = contact(&f.customer_contact);
        let customer_language = f
            .customer_contact
            .as_ref()
            .and_then(|c| c.language)
            .map(|l| l.to_string())
            .unwrap_or_default();
        let (technical_name, technical_title, technical_email) = contact(&f.technical_contact);
        let (partner_name, partner_email) = f
            .partner_contact
            .as_ref()
            .map_or((String::new(), String::new()), |p| {
                (p.name.to_string(), p.email.to_string())
            });
        let (solution_seller_name, customer_name_rev, isv_product_name) =
            f.revenue.as_ref().map_or(Default::default(), |r| {
                (
                    r.solution_seller_name.to_string(),
                    r.customer_name.to_string(),
                    r.isv_product_name.to_string(),
                )
            });
        Values {
            name: f.name.to_string(),
            mpn_id: f.mpn_id.to_string(),
            domain: f.domain.to_unicode(),
            tenant_id: f.tenant_id.to_string(),
            solution_area: f.solution_area.to_string(),
            activity: f.activity.to_string(),
            customer_name,
            customer_title,
            customer_email,
            customer_language,
            technical_name,
            technical_title,
            technical_email,
            partner_name,
            partner_email,
            solution_seller_name,
            customer_name_rev,
            isv_product_name,
            go: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "web/claims/wizard.html")]
struct StepPage<'a> {
    ui: &'a Ui,
    step: &'static str,
    steps: Vec<StepLink>,
    action: String,
    claim_id: Option<String>,
    /// Draft: every field may change; otherwise only MPN ID, products and contacts.
    draft: bool,
    v: Values,
    errors: Vec<ErrorLine>,
    field_errors: Vec<(String, String)>,
    notice: Option<String>,
    locations: Vec<Opt>,
    areas: Vec<Opt>,
    activities: Vec<Opt>,
    products: Vec<ProductOpt>,
    is_bizapps: bool,
    is_revenue: bool,
    /// Each document's name and its findings in words.
    poe: Vec<(String, Vec<String>)>,
    /// What no document shows yet ("no date found in any document").
    gaps: Vec<String>,
    poe_rule: String,
    summary: Vec<(String, String)>,
    held: Vec<String>,
}

impl StepPage<'_> {
    /// The refusal of a field, in words.
    fn error_of(&self, field: &str) -> Option<&str> {
        self.field_errors
            .iter()
            .find(|(f, _)| {
                f == field
                    || f.starts_with(&format!("{field}."))
                    || f.starts_with(&format!("{field}["))
            })
            .map(|(_, m)| m.as_str())
    }
}

#[derive(Deserialize, Default)]
pub struct StepQuery {
    #[serde(default)]
    notice: Option<String>,
}

fn may_claim(v: &Viewer) -> bool {
    v.user.org_id.is_some()
        && matches!(
            v.user.role,
            cpor_domain::Role::GlobalAdmin | cpor_domain::Role::IncentivesAdmin
        )
}

/// `GET /claims/new`: the first step of a new claim.
pub async fn new(SignedIn(ui, viewer): SignedIn) -> PageResult {
    if !may_claim(&viewer) {
        return Err(PageError::forbidden(&ui));
    }
    step_page(
        &ui,
        &viewer,
        None,
        "customer",
        Values::default(),
        Vec::new(),
        None,
    )
    .await
}

/// `GET /claims/{id}/edit` and `GET /claims/{id}/edit/{step}`.
pub async fn edit(
    SignedIn(ui, viewer): SignedIn,
    Path(p): Path<Vec<(String, String)>>,
    Query(q): Query<StepQuery>,
) -> PageResult {
    let id = p
        .iter()
        .find(|(k, _)| k == "id")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let step = p
        .iter()
        .find(|(k, _)| k == "step")
        .map_or("customer", |(_, v)| v.as_str());
    let Some(step) = STEPS.iter().find(|s| **s == step).copied() else {
        return Err(PageError::not_found(&ui));
    };
    let id: ClaimId = id.parse().map_err(|_| PageError::not_found(&ui))?;
    let claim = viewer
        .principal()
        .visible_claim(&ui.app, id)
        .await
        .map_err(|e| PageError::from_api(&ui, e))?;
    let notice = q
        .notice
        .filter(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(|n| ui.i.code("notice", &n));
    step_page(
        &ui,
        &viewer,
        Some(&claim),
        step,
        Values::of(&claim),
        Vec::new(),
        notice,
    )
    .await
}

/// `POST /claims/new`: creates the draft from the first step.
pub async fn create(posted: Posted<Values>) -> PageResult {
    let Posted { ui, form, .. } = posted;
    let Some(viewer) = ui.viewer.clone() else {
        return Err(PageError::forbidden(&ui));
    };
    let Some(org_id) = viewer.user.org_id.filter(|_| may_claim(&viewer)) else {
        return Err(PageError::forbidden(&ui));
    };
    if form.go == "lookup" {
        return lookup(&ui, &viewer, None, form).await;
    }
    let input = ClaimInput {
        name: given(&form.name),
        mpn_id: given(&form.mpn_id),
        tenant_id: given(&form.tenant_id),
        domain: given(&form.domain),
        solution_area: given(&form.solution_area),
        activity: given(&form.activity),
        ..ClaimInput::default()
    };
    let fields = match input.parse() {
        Ok(f) => f,
        Err(errors) => return step_page(&ui, &viewer, None, "customer", form, errors, None).await,
    };
    let id = ClaimId::from_uuid(uuid::Uuid::now_v7());
    match run(
        &ui.app,
        viewer.user.actor(),
        id,
        Command::Create { id, org_id, fields },
        None,
        None,
    )
    .await
    {
        Ok(_) => Ok(see_other(&next_step(id, "customer", &form.go))),
        Err(e) if matches!(e.status.as_u16(), 409 | 422) => {
            step_page(&ui, &viewer, None, "customer", form, e.errors, None).await
        }
        Err(e) => Err(PageError::from_api(&ui, e)),
    }
}

/// A text field as sent: blank is left out (the domain then says what is missing).
fn given(s: &str) -> Patch<String> {
    let s = s.trim();
    if s.is_empty() {
        Patch::Absent
    } else {
        Patch::Value(s.to_string())
    }
}

/// A field that may be emptied: blank clears it.
fn clearable(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn next_step(id: ClaimId, step: &str, go: &str) -> String {
    let at = STEPS.iter().position(|s| *s == step).unwrap_or(0);
    if go == "next" && at + 1 < STEPS.len() {
        format!("/claims/{id}/edit/{}", STEPS[at + 1])
    } else {
        format!("/claims/{id}/edit/{step}?notice=saved")
    }
}

/// `POST /claims/{id}/edit/{step}`: saves a step into the claim.
pub async fn save(Path((id, step)): Path<(String, String)>, posted: Posted<Values>) -> PageResult {
    let ui = posted.ui.clone();
    let Some(viewer) = ui.viewer.clone() else {
        return Err(PageError::forbidden(&ui));
    };
    let id: ClaimId = id.parse().map_err(|_| PageError::not_found(&ui))?;
    let Some(step) = STEPS.iter().find(|s| **s == step).copied() else {
        return Err(PageError::not_found(&ui));
    };
    let claim = viewer
        .principal()
        .visible_claim(&ui.app, id)
        .await
        .map_err(|e| PageError::from_api(&ui, e))?;
    let form = posted.form.clone();
    if form.go == "lookup" {
        return lookup(&ui, &viewer, Some(&claim), form).await;
    }
    let draft = claim.status == Status::Draft;
    let mut input = ClaimInput::default();
    match step {
        "customer" if draft => {
            input.name = given(&form.name);
            input.mpn_id = given(&form.mpn_id);
            input.tenant_id = given(&form.tenant_id);
            input.domain = given(&form.domain);
            input.solution_area = given(&form.solution_area);
            input.activity = given(&form.activity);
        }
        "customer" => input.mpn_id = given(&form.mpn_id),
        "products" => {
            let lines: Vec<ProductLineInput> = posted
                .all("product")
                .into_iter()
                .map(|p| ProductLineInput {
                    subscription_id: posted
                        .all(&format!("subscription-{p}"))
                        .into_iter()
                        .next()
                        .and_then(|s| clearable(&s)),
                    product: Some(p),
                })
                .collect();
            input.products = Patch::Value(lines);
        }
        "contacts" => {
            let contact = |n: &str, t: Option<&str>, e: &str| -> Patch<ContactInput> {
                match (clearable(n), t.and_then(clearable), clearable(e)) {
                    (None, None, None) => Patch::Null,
                    (name, title, email) => Patch::Value(ContactInput {
                        name,
                        title,
                        email,
                        language: None,
                    }),
                }
            };
            input.customer_contact = match contact(
                &form.customer_name,
                Some(&form.customer_title),
                &form.customer_email,
            ) {
                // Only the customer contact has a language; empty means the partner's.
                Patch::Value(c) => Patch::Value(ContactInput {
                    language: clearable(&form.customer_language),
                    ..c
                }),
                other => other,
            };
            input.technical_contact = contact(
                &form.technical_name,
                Some(&form.technical_title),
                &form.technical_email,
            );
            input.partner_contact = contact(&form.partner_name, None, &form.partner_email);
            if draft && claim.fields.activity == Activity::RevenueAssociation {
                input.revenue = match (
                    clearable(&form.solution_seller_name),
                    clearable(&form.customer_name_rev),
                    clearable(&form.isv_product_name),
                ) {
                    (None, None, None) => Patch::Null,
                    (solution_seller_name, customer_name, isv_product_name) => {
                        Patch::Value(RevenueInput {
                            solution_seller_name,
                            customer_name,
                            isv_product_name,
                        })
                    }
                };
            }
        }
        // Documents go through their own upload form; the review step submits.
        _ => return Ok(see_other(&next_step(id, step, &form.go))),
    }
    let patch = match input.parse() {
        Ok(p) => p,
        Err(errors) => {
            return step_page(&ui, &viewer, Some(&claim), step, form, errors, None).await;
        }
    };
    match run(
        &ui.app,
        viewer.user.actor(),
        id,
        Command::Edit(patch),
        None,
        None,
    )
    .await
    {
        Ok(_) => Ok(see_other(&next_step(id, step, &form.go))),
        Err(e) if matches!(e.status.as_u16(), 409 | 422) => {
            step_page(&ui, &viewer, Some(&claim), step, form, e.errors, None).await
        }
        Err(e) => Err(PageError::from_api(&ui, e)),
    }
}

/// "Look up": the tenant ID of the customer domain, from the directory.
async fn lookup(ui: &Ui, viewer: &Viewer, claim: Option<&Claim>, mut form: Values) -> PageResult {
    let mut errors = Vec::new();
    match DomainName::parse_field("domain", form.domain.trim()) {
        Ok(d) => match ui.app.store.tenant_of_domain(&d).await {
            Ok(Some(t)) => form.tenant_id = t.to_string(),
            Ok(None) => errors.push(FieldError::new(
                "domain",
                cpor_domain::ErrorCode::NotFound,
                "not found",
            )),
            Err(e) => return Err(PageError::from_api(ui, e.into())),
        },
        Err(e) => errors.push(e),
    }
    step_page(ui, viewer, claim, "customer", form, errors, None).await
}

fn opts(codes: &[&'static str], prefix: &str, current: &str, i: &I18n) -> Vec<Opt> {
    codes
        .iter()
        .map(|c| Opt {
            value: c.to_string(),
            label: i.code(prefix, c),
            selected: *c == current,
        })
        .collect()
}

/// Renders a step with `v` in its fields and `errors` beside them.
async fn step_page(
    ui: &Ui,
    viewer: &Viewer,
    claim: Option<&Claim>,
    step: &'static str,
    v: Values,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> PageResult {
    let app = &ui.app;
    let i = &ui.i;
    let fail = |e: cpor_store::StoreError| PageError::from_api(ui, e.into());
    let reference = app.store.reference().await.map_err(fail)?;
    let found: std::collections::HashMap<_, _> = match claim {
        Some(c) => app
            .store
            .findings(c.id)
            .await
            .map_err(fail)?
            .into_iter()
            .collect(),
        None => Default::default(),
    };
    let org = match viewer.user.org_id.or(claim.map(|c| c.org_id)) {
        Some(o) => app.store.organisation(o).await.map_err(fail)?,
        None => None,
    };
    let locations = org
        .map(|o| {
            o.locations
                .iter()
                .map(|l| Opt {
                    value: l.mpn_id.to_string(),
                    label: match &l.name {
                        Some(n) => format!("{} – {n}", l.mpn_id),
                        None => l.mpn_id.to_string(),
                    },
                    selected: l.mpn_id.to_string() == v.mpn_id,
                })
                .collect()
        })
        .unwrap_or_default();
    let area_codes: Vec<&'static str> = SolutionArea::ALL.iter().map(|a| a.as_str()).collect();
    let activity_codes: Vec<&'static str> = Activity::ALL.iter().map(|a| a.as_str()).collect();
    let products = match claim {
        Some(c) if step == "products" || step == "contacts" => {
            product_opts(app, c, &reference, i, &v).await?
        }
        _ => Vec::new(),
    };
    let steps = STEPS
        .iter()
        .enumerate()
        .map(|(n, s)| StepLink {
            href: claim.map(|c| format!("/claims/{}/edit/{s}", c.id)),
            label: format!("{}. {}", n + 1, i.code("step", s)),
            current: *s == step,
        })
        .collect();
    let (summary, held) = match claim {
        Some(c) if step == "review" => review(app, c, &reference, viewer, i).await?,
        _ => (Vec::new(), Vec::new()),
    };
    let page = StepPage {
        ui,
        step,
        steps,
        action: match claim {
            Some(c) => format!("/claims/{}/edit/{step}", c.id),
            None => "/claims/new".into(),
        },
        claim_id: claim.map(|c| c.id.to_string()),
        draft: claim.is_none_or(|c| c.status == Status::Draft),
        errors: error_lines(&errors, i),
        field_errors: errors
            .iter()
            .map(|e| (e.field.clone(), i.code("error", e.code.as_str())))
            .collect(),
        notice,
        locations,
        areas: opts(&area_codes, "solution-area", &v.solution_area, i),
        activities: opts(&activity_codes, "activity", &v.activity, i),
        is_bizapps: claim
            .is_some_and(|c| c.fields.solution_area == SolutionArea::BusinessApplications),
        is_revenue: claim.is_some_and(|c| c.fields.activity == Activity::RevenueAssociation),
        products,
        poe: claim
            .map(|c| {
                c.poe
                    .iter()
                    .map(|p| {
                        let words = super::findings::words(found.get(&p.id), i);
                        (p.file_name.clone(), words)
                    })
                    .collect()
            })
            .unwrap_or_default(),
        gaps: super::findings::gaps(&found.values().cloned().collect::<Vec<_>>(), i),
        poe_rule: i.ta(
            "poe-rule",
            &[
                (
                    "mib",
                    (reference.policy.poe_max_bytes / (1024 * 1024)).to_string(),
                ),
                ("count", reference.policy.poe_max_count.to_string()),
            ],
        ),
        summary,
        held,
        v,
    };
    let failed = !page.errors.is_empty();
    let mut resp = render(&page)?;
    if failed {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

/// The catalog's products of the claim's solution area; for Business Applications, each
/// with the tenant's subscriptions of it to choose from, unclaimable ones said why.
async fn product_opts(
    app: &crate::state::App,
    c: &Claim,
    reference: &Reference,
    i: &I18n,
    _v: &Values,
) -> Result<Vec<ProductOpt>, PageError> {
    let tenant = app.store.tenant(c.fields.tenant_id).await.ok().flatten();
    Ok(reference
        .catalog
        .products()
        .iter()
        .filter(|p| p.solution_area == c.fields.solution_area)
        .filter(|p| !p.retired)
        .map(|p| {
            let line = c.fields.products.iter().find(|l| l.product == p.id);
            let subscriptions = tenant
                .iter()
                .flat_map(|t| t.subscriptions.iter())
                .filter(|s| {
                    s.product == p.id
                        && c.fields.solution_area == SolutionArea::BusinessApplications
                })
                .map(|s| SubscriptionOpt {
                    id: s.id.to_string(),
                    label: i.ta(
                        "subscription-line",
                        &[
                            ("id", s.id.to_string()),
                            ("state", i.code("subscription-state", s.state.as_str())),
                            ("channel", i.code("channel", s.channel.as_str())),
                            (
                                "ends",
                                s.ends_on
                                    .map(|d| d.to_string())
                                    .unwrap_or_else(|| i.t("no-end-date")),
                            ),
                        ],
                    ),
                    selected: line.and_then(|l| l.subscription_id) == Some(s.id),
                    not_claimable: if s.channel.as_str() == "csp" {
                        Some(i.t("subscription-csp"))
                    } else if !s.is_claimable_state() {
                        Some(i.t("subscription-inactive"))
                    } else {
                        None
                    },
                })
                .collect();
            ProductOpt {
                id: p.id.to_string(),
                name: p.name.clone(),
                checked: line.is_some(),
                dynamics: p.dynamics_365,
                subscriptions,
            }
        })
        .collect())
}

/// The review step: what will be submitted, and which of its keys another partner holds
/// (never who).
async fn review(
    app: &crate::state::App,
    c: &Claim,
    reference: &Reference,
    viewer: &Viewer,
    i: &I18n,
) -> Result<(Vec<(String, String)>, Vec<String>), PageError> {
    let f = &c.fields;
    let summary = vec![
        (i.t("field-name"), f.name.to_string()),
        (i.t("field-mpn-id"), f.mpn_id.to_string()),
        (i.t("field-domain"), f.domain.to_unicode()),
        (i.t("field-tenant-id"), f.tenant_id.to_string()),
        (
            i.t("field-solution-area"),
            i.code("solution-area", f.solution_area.as_str()),
        ),
        (
            i.t("field-activity"),
            i.code("activity", f.activity.as_str()),
        ),
        (i.t("field-products"), super::view::products(c, reference)),
        (
            i.t("field-poe"),
            c.poe
                .iter()
                .map(|p| p.file_name.clone())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ];
    let mut held = Vec::new();
    for key in keys_of(f, &reference.programs) {
        if let Ok(Some(h)) = app.store.key_holder(&key).await
            && Some(h.org_id) != viewer.user.org_id
        {
            held.push(i.ta(
                "key-held-by-another",
                &[("key", super::super::keys::describe(&key, reference, i))],
            ));
        }
    }
    Ok((summary, held))
}
