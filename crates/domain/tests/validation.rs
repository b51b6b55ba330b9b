//! Claim validation against the organisation, the catalog and the tenant directory
//! (docs/product.md, the claim): one test per rule, and all errors of a request reported together.

#![allow(clippy::unwrap_used)]

mod support;

use cpor_domain::claim::{ClaimInput, Command, Status};
use cpor_domain::{DomainError, ErrorCode};
use support::*;

fn codes(e: &DomainError) -> Vec<(&str, ErrorCode)> {
    e.errors
        .iter()
        .map(|e| (e.field.as_str(), e.code))
        .collect()
}

fn with(mut base: serde_json::Value, patch: serde_json::Value) -> ClaimInput {
    for (k, v) in patch.as_object().unwrap() {
        base[k] = v.clone();
    }
    serde_json::from_value(base).unwrap()
}

fn base_m365() -> serde_json::Value {
    serde_json::to_value(m365_input("Claim", MPN_A, &["teams"])).unwrap()
}

fn base_ba(lines: serde_json::Value) -> serde_json::Value {
    serde_json::to_value(bizapps_input("Claim", MPN_A, "usage", lines)).unwrap()
}

fn create_err(input: ClaimInput) -> DomainError {
    World::new().create(&admin_a(), input).unwrap_err()
}

/// Creates a draft, adds PoE and tries to submit it.
fn submit_err(input: ClaimInput) -> DomainError {
    let mut w = World::new();
    let id = w.create(&admin_a(), input).unwrap();
    w.add_poe(&admin_a(), id).unwrap();
    let e = w
        .run(&admin_a(), Some(id), Command::Submit { comment: None })
        .unwrap_err();
    assert_eq!(w.claim(id).status, Status::Draft);
    e
}

#[test]
fn the_domain_must_belong_to_the_tenant_and_the_error_says_how_to_find_the_right_one() {
    let e = create_err(with(
        base_m365(),
        serde_json::json!({"domain": "fabrikam.com"}),
    ));
    assert_eq!(codes(&e), vec![("domain", ErrorCode::DomainNotInTenant)]);
    assert!(
        e.errors[0]
            .message
            .contains("fabrikam.com is not a domain of tenant"),
        "{}",
        e.errors[0].message
    );
    assert!(
        e.errors[0]
            .message
            .contains("/directory/lookup?domain=fabrikam.com")
    );
}

#[test]
fn the_tenant_must_be_in_the_directory() {
    let e = create_err(with(
        base_m365(),
        serde_json::json!({"tenant_id": "33333333-3333-4333-8333-333333333333"}),
    ));
    assert_eq!(codes(&e), vec![("tenant_id", ErrorCode::NotFound)]);
}

#[test]
fn the_mpn_id_must_be_one_of_the_organisations_locations() {
    let e = create_err(with(base_m365(), serde_json::json!({"mpn_id": MPN_B})));
    assert_eq!(
        codes(&e),
        vec![("mpn_id", ErrorCode::MpnIdNotInOrganisation)]
    );
}

#[test]
fn microsoft_365_offers_only_the_usage_activity() {
    let e = create_err(with(
        base_m365(),
        serde_json::json!({"activity": "pre_sales"}),
    ));
    assert_eq!(
        codes(&e),
        vec![("activity", ErrorCode::ActivityNotInSolutionArea)]
    );
}

#[test]
fn products_must_be_in_the_catalog_of_the_solution_area_without_repeats() {
    let e = create_err(with(
        base_m365(),
        serde_json::json!({"products": [
            {"product": "teams"}, {"product": "teams"}, {"product": "power_apps"}, {"product": "minesweeper"}
        ]}),
    ));
    assert_eq!(
        codes(&e),
        vec![
            ("products[1].product", ErrorCode::Duplicate),
            ("products[2].product", ErrorCode::ProductNotInSolutionArea),
            ("products[3].product", ErrorCode::InvalidEnumValue),
        ]
    );
}

#[test]
fn microsoft_365_workloads_take_no_subscription() {
    let e = create_err(with(
        base_m365(),
        serde_json::json!({"products": [{"product": "teams", "subscription_id": S_SALES_1}]}),
    ));
    assert_eq!(
        codes(&e),
        vec![("products[0].subscription_id", ErrorCode::NotApplicable)]
    );
}

#[test]
fn a_subscription_is_required_when_the_tenant_has_several_of_the_product() {
    let e = create_err(with(
        base_ba(serde_json::json!([{"product": "dynamics_365_sales"}])),
        serde_json::json!({}),
    ));
    assert_eq!(
        codes(&e),
        vec![(
            "products[0].subscription_id",
            ErrorCode::SubscriptionRequired
        )]
    );
    assert!(e.errors[0].message.contains(S_SALES_1) && e.errors[0].message.contains(S_SALES_2));
}

#[test]
fn the_only_subscription_of_a_product_is_chosen_for_the_partner() {
    let mut w = World::new();
    let id = w
        .create(
            &admin_a(),
            serde_json::from_value(base_ba(
                serde_json::json!([{"product": "dynamics_365_finance"}]),
            ))
            .unwrap(),
        )
        .unwrap();
    assert_eq!(
        w.claim(id).fields.products[0].subscription_id,
        Some(sub(S_FINANCE))
    );
}

#[test]
fn a_product_the_tenant_has_no_subscription_of_cannot_be_claimed() {
    let e = create_err(
        serde_json::from_value(base_ba(
            serde_json::json!([{"product": "dynamics_365_business_central"}]),
        ))
        .unwrap(),
    );
    assert_eq!(
        codes(&e),
        vec![("products[0].subscription_id", ErrorCode::NoSubscription)]
    );
}

#[test]
fn each_subscription_rule_has_its_own_error() {
    let other_tenant = create_err(
        serde_json::from_value(base_ba(serde_json::json!([
            {"product": "dynamics_365_field_service", "subscription_id": S_T2_FIELD}
        ])))
        .unwrap(),
    );
    assert_eq!(
        codes(&other_tenant),
        vec![(
            "products[0].subscription_id",
            ErrorCode::SubscriptionNotInTenant
        )]
    );

    let wrong_product = create_err(
        serde_json::from_value(base_ba(serde_json::json!([
            {"product": "dynamics_365_sales", "subscription_id": S_FINANCE}
        ])))
        .unwrap(),
    );
    assert_eq!(
        codes(&wrong_product),
        vec![(
            "products[0].subscription_id",
            ErrorCode::SubscriptionProductMismatch
        )]
    );

    let expired = create_err(
        serde_json::from_value(base_ba(serde_json::json!([{"product": "power_apps"}]))).unwrap(),
    );
    assert_eq!(
        codes(&expired),
        vec![(
            "products[0].subscription_id",
            ErrorCode::SubscriptionNotActive
        )]
    );

    let suspended = create_err(
        serde_json::from_value(base_ba(serde_json::json!([{"product": "power_automate"}])))
            .unwrap(),
    );
    assert_eq!(
        codes(&suspended),
        vec![(
            "products[0].subscription_id",
            ErrorCode::SubscriptionNotActive
        )]
    );

    let csp = create_err(
        serde_json::from_value(base_ba(serde_json::json!([{"product": "power_bi_pro"}]))).unwrap(),
    );
    assert_eq!(
        codes(&csp),
        vec![("products[0].subscription_id", ErrorCode::SubscriptionIsCsp)]
    );
}

#[test]
fn a_subscription_in_grace_can_be_claimed() {
    let mut w = World::new();
    let input = base_ba(
        serde_json::json!([{"product": "dynamics_365_sales", "subscription_id": S_SALES_2}]),
    );
    let id = w.submitted(&admin_a(), serde_json::from_value(input).unwrap());
    assert_eq!(w.claim(id).status, Status::Submitted);
}

#[test]
fn a_technical_contact_is_required_for_dynamics_365_products_only() {
    let mut no_tech = base_ba(serde_json::json!([{"product": "dynamics_365_finance"}]));
    no_tech.as_object_mut().unwrap().remove("technical_contact");
    let e = submit_err(serde_json::from_value(no_tech).unwrap());
    assert_eq!(codes(&e), vec![("technical_contact", ErrorCode::Required)]);
    assert!(e.errors[0].message.contains("Dynamics 365 Finance"));

    // Power Apps is not a Dynamics 365 product: no technical contact needed. Add a
    // claimable Power Apps subscription to the directory first.
    let mut w = World::new();
    w.directory[0].subscriptions[3].state = cpor_domain::reference::SubscriptionState::Active;
    let mut apps = base_ba(serde_json::json!([{"product": "power_apps"}]));
    apps.as_object_mut().unwrap().remove("technical_contact");
    let id = w.submitted(&admin_a(), serde_json::from_value(apps).unwrap());
    assert_eq!(w.claim(id).status, Status::Submitted);
}

#[test]
fn revenue_fields_are_required_for_revenue_association_and_refused_otherwise() {
    let mut w = World::new();
    let input = bizapps_input(
        "Rev",
        MPN_A,
        "revenue_association",
        serde_json::json!([{"product": "dynamics_365_finance"}]),
    );
    let id = w.create(&admin_a(), input).unwrap();
    w.add_poe(&admin_a(), id).unwrap();
    let e = w
        .run(&admin_a(), Some(id), Command::Submit { comment: None })
        .unwrap_err();
    assert_eq!(codes(&e), vec![("revenue", ErrorCode::Required)]);
    let patch: ClaimInput = serde_json::from_value(serde_json::json!({"revenue": {
        "solution_seller_name": "Sam Seller", "customer_name": "Contoso Ltd", "isv_product_name": "Contoso CRM add-on"
    }}))
    .unwrap();
    w.ok(&admin_a(), id, Command::Edit(patch.parse().unwrap()));
    w.ok(&admin_a(), id, Command::Submit { comment: None });

    let e = create_err(with(
        base_m365(),
        serde_json::json!({"revenue": {"solution_seller_name": "a", "customer_name": "b", "isv_product_name": "c"}}),
    ));
    assert_eq!(codes(&e), vec![("revenue", ErrorCode::NotApplicable)]);
}

#[test]
fn at_least_one_product_is_needed_at_submit() {
    let e = submit_err(with(base_m365(), serde_json::json!({"products": []})));
    assert_eq!(codes(&e), vec![("products", ErrorCode::NotEnoughValues)]);
}

#[test]
fn all_errors_of_a_request_are_reported_together() {
    let e = create_err(with(
        base_m365(),
        serde_json::json!({"mpn_id": MPN_B, "domain": "fabrikam.com", "products": [{"product": "power_apps"}]}),
    ));
    assert_eq!(
        codes(&e),
        vec![
            ("mpn_id", ErrorCode::MpnIdNotInOrganisation),
            ("domain", ErrorCode::DomainNotInTenant),
            ("products[0].product", ErrorCode::ProductNotInSolutionArea),
        ]
    );
}

#[test]
fn after_submission_only_mpn_products_and_contacts_are_editable() {
    let mut w = World::new();
    let id = w.submitted(&admin_a(), m365_input("Fixed", MPN_A, &["teams"]));
    let before = w.claim(id).clone();
    let patch: ClaimInput = serde_json::from_value(
        serde_json::json!({"name": "Other", "domain": "contoso.onmicrosoft.com", "mpn_id": MPN_A2}),
    )
    .unwrap();
    let e = w
        .run(&admin_a(), Some(id), Command::Edit(patch.parse().unwrap()))
        .unwrap_err();
    assert_eq!(
        codes(&e),
        vec![
            ("name", ErrorCode::InvalidState),
            ("domain", ErrorCode::InvalidState)
        ]
    );
    assert_eq!(w.claim(id), &before, "nothing changed");
    // The same fixed values sent back, with editable changes, are fine.
    let patch: ClaimInput = serde_json::from_value(serde_json::json!({
        "name": "Fixed", "mpn_id": MPN_A2, "products": [{"product": "teams"}, {"product": "intune"}],
        "customer_contact": {"name": "Ana Silva", "title": "CTO", "email": "ana@contoso.com"}
    }))
    .unwrap();
    w.ok(&admin_a(), id, Command::Edit(patch.parse().unwrap()));
    assert_eq!(w.claim(id).fields.products.len(), 2);
}

#[test]
fn a_submitted_claim_must_stay_complete_when_edited() {
    let mut w = World::new();
    let id = w.submitted(&admin_a(), m365_input("Fixed", MPN_A, &["teams"]));
    let patch: ClaimInput =
        serde_json::from_value(serde_json::json!({"customer_contact": null, "products": []}))
            .unwrap();
    let e = w
        .run(&admin_a(), Some(id), Command::Edit(patch.parse().unwrap()))
        .unwrap_err();
    assert_eq!(
        codes(&e),
        vec![
            ("products", ErrorCode::NotEnoughValues),
            ("customer_contact", ErrorCode::Required)
        ]
    );
}

#[test]
fn an_edit_can_change_the_customer_contacts_language_and_the_history_shows_it() {
    let mut w = World::new();
    let id = w.submitted(&admin_a(), m365_input("Fixed", MPN_A, &["teams"]));
    assert_eq!(
        w.claim(id)
            .fields
            .customer_contact
            .as_ref()
            .and_then(|c| c.language),
        None
    );
    let patch: ClaimInput = serde_json::from_value(serde_json::json!({
        "customer_contact": {"name": "Ana Silva", "title": "CIO", "email": "ana@contoso.com", "language": "pt-BR"}
    }))
    .unwrap();
    w.ok(&admin_a(), id, Command::Edit(patch.parse().unwrap()));
    assert_eq!(
        w.claim(id)
            .fields
            .customer_contact
            .as_ref()
            .and_then(|c| c.language),
        Some(cpor_domain::claim::ContactLanguage::PtBr)
    );
    let change = w.events[&id]
        .iter()
        .rev()
        .find_map(|e| match &e.kind {
            cpor_domain::claim::EventKind::Edited { changes, .. } => changes
                .iter()
                .find(|c| c.field == "customer_contact")
                .cloned(),
            _ => None,
        })
        .expect("the edit records the customer contact's change");
    assert!(change.before.get("language").is_none());
    assert_eq!(change.after["language"], "pt-BR");

    // A language on the technical contact is refused and changes nothing.
    let before = w.claim(id).clone();
    let patch: ClaimInput = serde_json::from_value(serde_json::json!({
        "technical_contact": {"name": "Bo", "title": "CTO", "email": "bo@contoso.com", "language": "sv"}
    }))
    .unwrap();
    let e = patch.parse().unwrap_err();
    assert_eq!(
        (e[0].field.as_str(), e[0].code),
        ("technical_contact.language", ErrorCode::NotApplicable)
    );
    assert_eq!(w.claim(id), &before);
}
