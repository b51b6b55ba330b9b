//! "Association key check": whether a workload or subscription of a tenant is already
//! held for a program, before a partner claims it. It says that a key is held, never by
//! whom.

use super::error::{PageError, PageResult};
use super::i18n::I18n;
use super::render;
use super::ui::{SignedIn, Ui};
use askama::Template;
use axum::extract::Query;
use cpor_domain::FieldError;
use cpor_domain::keys::{AssociationKey, KeySubject};
use cpor_domain::reference::{ProductId, Program, Reference};
use cpor_domain::values::{Parse, SubscriptionId, TenantId};
use serde::Deserialize;

/// A key in words: the workload or subscription, and the program.
pub fn describe(key: &AssociationKey, reference: &Reference, i: &I18n) -> String {
    let subject = match &key.subject {
        KeySubject::Workload(p) => reference.catalog.name_of(p).to_string(),
        KeySubject::Subscription(s) => i.t1("key-subscription", "id", s),
    };
    format!("{subject} · {}", i.code("program", key.program.as_str()))
}

#[derive(Deserialize, Default)]
pub struct KeyQuery {
    #[serde(default)]
    tenant_id: Option<String>,
    #[serde(default)]
    program: Option<String>,
    #[serde(default)]
    product: Option<String>,
    #[serde(default)]
    subscription_id: Option<String>,
}

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "web/keys.html")]
struct KeysPage<'a> {
    ui: &'a Ui,
    q: KeyQuery,
    programs: Vec<Opt>,
    workloads: Vec<Opt>,
    errors: Vec<(String, String)>,
    answer: Option<String>,
    held: bool,
}

impl KeysPage<'_> {
    fn error_of(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// `GET /keys`.
pub async fn check(SignedIn(ui, _viewer): SignedIn, Query(q): Query<KeyQuery>) -> PageResult {
    let app = ui.app.clone();
    let reference = app
        .store
        .reference()
        .await
        .map_err(|e| PageError::from_api(&ui, e.into()))?;
    let i = &ui.i;
    let asked = q.tenant_id.as_deref().is_some_and(|t| !t.trim().is_empty());
    let mut errors: Vec<FieldError> = Vec::new();
    let mut answer = None;
    let mut held = false;
    if asked {
        let tenant = TenantId::parse(q.tenant_id.as_deref().unwrap_or(""))
            .map_err(|e| errors.push(e))
            .ok();
        let program = Program::parse(q.program.as_deref().unwrap_or(""))
            .map_err(|e| errors.push(e))
            .ok();
        let subject = match program {
            Some(p) if p.keyed_by_workload() => {
                ProductId::parse(q.product.as_deref().unwrap_or(""))
                    .map(KeySubject::Workload)
                    .map_err(|e| errors.push(e))
                    .ok()
            }
            Some(_) => SubscriptionId::parse(q.subscription_id.as_deref().unwrap_or(""))
                .map(KeySubject::Subscription)
                .map_err(|e| errors.push(e))
                .ok(),
            None => None,
        };
        if let (Some(tenant_id), Some(program), Some(subject)) = (tenant, program, subject) {
            let key = AssociationKey {
                tenant_id,
                subject,
                program,
            };
            held = app
                .store
                .key_holder(&key)
                .await
                .map_err(|e| PageError::from_api(&ui, e.into()))?
                .is_some();
            answer = Some(i.t1(
                if held { "key-held" } else { "key-free" },
                "key",
                describe(&key, &reference, i),
            ));
        }
    }
    let programs = Program::ALL
        .iter()
        .map(|p| Opt {
            value: p.as_str().into(),
            label: i.code("program", p.as_str()),
            selected: q.program.as_deref() == Some(p.as_str()),
        })
        .collect();
    let workloads = reference
        .catalog
        .products()
        .iter()
        .filter(|p| p.solution_area == cpor_domain::reference::SolutionArea::Microsoft365)
        .map(|p| Opt {
            value: p.id.to_string(),
            label: p.name.clone(),
            selected: q.product.as_deref() == Some(p.id.as_str()),
        })
        .collect();
    render(&KeysPage {
        ui: &ui,
        programs,
        workloads,
        errors: errors
            .iter()
            .map(|e| (e.field.clone(), i.code("error", e.code.as_str())))
            .collect(),
        answer,
        held,
        q,
    })
}
