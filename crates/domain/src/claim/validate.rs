//! Validation of a claim's fields against the organisation, the catalog and the tenant
//! directory (docs/product.md, the claim). All problems are reported together.

use super::fields::{ClaimFields, ProductLine, field};
use crate::error::{ErrorCode, FieldError};
use crate::reference::{
    Activity, Catalog, Channel, Organisation, ProgramMap, SolutionArea, TenantRecord,
};
use std::collections::BTreeSet;

/// How complete the fields must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completeness {
    /// A draft: what is given must be right, but sections may be missing.
    Draft,
    /// Submitted or being submitted: every field docs/product.md requires (the claim)
    /// must be there.
    Submit,
}

/// Checks the fields and returns them with the subscriptions the partner left out filled
/// in where the tenant has exactly one subscription of the product (the partner only has
/// to choose when there are several; docs/product.md, the claim).
pub fn validate_fields(
    fields: &ClaimFields,
    org: &Organisation,
    catalog: &Catalog,
    programs: &ProgramMap,
    tenant: Option<&TenantRecord>,
    completeness: Completeness,
) -> (ClaimFields, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut out = fields.clone();

    if !org.has_mpn_id(&fields.mpn_id) {
        errors.push(FieldError::new(
            field::MPN_ID,
            ErrorCode::MpnIdNotInOrganisation,
            format!(
                "MPN ID {} is not one of {}'s partner locations ({}).",
                fields.mpn_id,
                org.name,
                org.locations
                    .iter()
                    .map(|l| l.mpn_id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }

    match tenant {
        None => errors.push(FieldError::new(
            field::TENANT_ID,
            ErrorCode::NotFound,
            format!(
                "Tenant {} is not in the tenant directory. Check the tenant (directory) ID.",
                fields.tenant_id
            ),
        )),
        Some(t) if !t.has_domain(&fields.domain) => errors.push(FieldError::new(
            field::DOMAIN,
            ErrorCode::DomainNotInTenant,
            format!(
                "{} is not a domain of tenant {}. Look the tenant ID up from the customer's domain \
                 (GET /api/v1/directory/lookup?domain={}) and use the pair it gives.",
                fields.domain.to_unicode(),
                fields.tenant_id,
                fields.domain
            ),
        )),
        Some(_) => {}
    }

    if programs
        .programs(fields.solution_area, fields.activity)
        .is_none()
    {
        let offered: Vec<&str> = programs
            .activities(fields.solution_area)
            .iter()
            .map(|a| a.as_str())
            .collect();
        errors.push(FieldError::new(
            field::ACTIVITY,
            ErrorCode::ActivityNotInSolutionArea,
            format!(
                "{} is not an activity of {}; use one of: {}.",
                fields.activity,
                fields.solution_area.display_name(),
                offered.join(", ")
            ),
        ));
    }

    let mut seen = BTreeSet::new();
    for (i, line) in out.products.iter_mut().enumerate() {
        check_product_line(
            i,
            line,
            fields.solution_area,
            catalog,
            tenant,
            &mut seen,
            &mut errors,
        );
    }
    if completeness == Completeness::Submit && fields.products.is_empty() {
        errors.push(FieldError::new(
            field::PRODUCTS,
            ErrorCode::NotEnoughValues,
            "Claim at least one product or workload.",
        ));
    }

    if completeness == Completeness::Submit {
        if fields.customer_contact.is_none() {
            errors.push(FieldError::new(
                field::CUSTOMER_CONTACT,
                ErrorCode::Required,
                "The customer's contact (name, title and e-mail address) is required.",
            ));
        }
        if fields.partner_contact.is_none() {
            errors.push(FieldError::new(
                field::PARTNER_CONTACT,
                ErrorCode::Required,
                "Your company's contact (name and e-mail address) is required.",
            ));
        }
        let d365: Vec<&str> = fields
            .products
            .iter()
            .filter_map(|l| {
                catalog
                    .get(&l.product)
                    .filter(|p| p.dynamics_365)
                    .map(|p| p.name.as_str())
            })
            .collect();
        if fields.technical_contact.is_none() && !d365.is_empty() {
            errors.push(FieldError::new(
                field::TECHNICAL_CONTACT,
                ErrorCode::Required,
                format!(
                    "A technical contact (name, title and e-mail address) is required for Dynamics 365 products ({}).",
                    d365.join(", ")
                ),
            ));
        }
    }

    let revenue_activity = fields.activity == Activity::RevenueAssociation;
    match (&fields.revenue, revenue_activity) {
        (Some(_), false) => errors.push(FieldError::new(
            field::REVENUE,
            ErrorCode::NotApplicable,
            "The solution seller, customer and ISV product names are for revenue association claims only.",
        )),
        (None, true) if completeness == Completeness::Submit => errors.push(FieldError::new(
            field::REVENUE,
            ErrorCode::Required,
            "A revenue association claim needs the Dynamics solution seller name, the customer name and the ISV product or solution name.",
        )),
        _ => {}
    }

    (out, errors)
}

fn check_product_line(
    i: usize,
    line: &mut ProductLine,
    area: SolutionArea,
    catalog: &Catalog,
    tenant: Option<&TenantRecord>,
    seen: &mut BTreeSet<String>,
    errors: &mut Vec<FieldError>,
) {
    let at = |name: &str| format!("{}[{i}].{name}", field::PRODUCTS);
    let Some(product) = catalog.get(&line.product) else {
        errors.push(FieldError::new(
            at("product"),
            ErrorCode::InvalidEnumValue,
            format!(
                "\"{}\" is not a product of the catalog (GET /api/v1/catalog).",
                line.product
            ),
        ));
        return;
    };
    if product.retired {
        errors.push(FieldError::new(
            at("product"),
            ErrorCode::InvalidState,
            format!(
                "{} is retired from the catalog: it cannot be claimed any more.",
                product.name
            ),
        ));
        return;
    }
    if !seen.insert(line.product.as_str().to_string()) {
        errors.push(FieldError::new(
            at("product"),
            ErrorCode::Duplicate,
            format!("{} is listed more than once.", product.name),
        ));
        return;
    }
    if product.solution_area != area {
        errors.push(FieldError::new(
            at("product"),
            ErrorCode::ProductNotInSolutionArea,
            format!(
                "{} is a {} product, not a {} one.",
                product.name,
                product.solution_area.display_name(),
                area.display_name()
            ),
        ));
        return;
    }
    if area == SolutionArea::Microsoft365 {
        if line.subscription_id.is_some() {
            errors.push(FieldError::new(
                at("subscription_id"),
                ErrorCode::NotApplicable,
                "Microsoft 365 workloads are claimed per workload, not per subscription: leave the subscription out.",
            ));
        }
        return;
    }
    let Some(tenant) = tenant else { return };
    let field = at("subscription_id");
    let sub = match line.subscription_id {
        Some(id) => match tenant.subscription(&id) {
            Some(s) => s,
            None => {
                errors.push(FieldError::new(
                    field,
                    ErrorCode::SubscriptionNotInTenant,
                    format!(
                        "Subscription {id} is not a subscription of tenant {}.",
                        tenant.tenant_id
                    ),
                ));
                return;
            }
        },
        None => {
            let candidates: Vec<_> = tenant.subscriptions_of(&line.product).collect();
            match candidates.as_slice() {
                [] => {
                    errors.push(FieldError::new(
                        field,
                        ErrorCode::NoSubscription,
                        format!(
                            "Tenant {} has no {} subscription to claim.",
                            tenant.tenant_id, product.name
                        ),
                    ));
                    return;
                }
                [only] => {
                    line.subscription_id = Some(only.id);
                    *only
                }
                many => {
                    errors.push(FieldError::new(
                        field,
                        ErrorCode::SubscriptionRequired,
                        format!(
                            "Tenant {} has {} {} subscriptions: choose one ({}).",
                            tenant.tenant_id,
                            many.len(),
                            product.name,
                            many.iter()
                                .map(|s| s.id.to_string())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                    return;
                }
            }
        }
    };
    if sub.product != line.product {
        errors.push(FieldError::new(
            field.clone(),
            ErrorCode::SubscriptionProductMismatch,
            format!(
                "Subscription {} is a {} subscription, not {}.",
                sub.id,
                catalog.name_of(&sub.product),
                product.name
            ),
        ));
    }
    if !sub.is_claimable_state() {
        errors.push(FieldError::new(
            field.clone(),
            ErrorCode::SubscriptionNotActive,
            format!(
                "Subscription {} is {}: only active subscriptions (or in grace) can be claimed.",
                sub.id, sub.state
            ),
        ));
    }
    if sub.channel == Channel::Csp {
        errors.push(FieldError::new(
            field,
            ErrorCode::SubscriptionIsCsp,
            format!(
                "Subscription {} was bought through a CSP partner and cannot be claimed.",
                sub.id
            ),
        ));
    }
}
