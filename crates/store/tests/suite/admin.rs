//! Program administration: organisations renamed, locations removed, organisations
//! suspended and lifted, products retired and restored.

use super::*;
use cpor_domain::ErrorCode;
use cpor_domain::reference::{Location, ProductId};
use cpor_domain::values::{MpnId, OrganisationName};
use cpor_store::StoreError;

fn field_code(e: &StoreError) -> Option<(String, ErrorCode)> {
    match e {
        StoreError::Domain(d) => d.errors.first().map(|f| (f.field.clone(), f.code)),
        _ => None,
    }
}

pub async fn an_organisation_is_renamed(store: Arc<dyn Store>) {
    let _w = World::new(store.clone()).await;
    let id = sample::adatum().id;
    let name = OrganisationName::parse("Adatum Group").unwrap();
    store.rename_organisation(id, &name).await.unwrap();
    assert_eq!(store.organisation(id).await.unwrap().unwrap().name, name);
    let unknown = cpor_domain::values::OrgId::from_uuid(Uuid::now_v7());
    assert!(matches!(
        store.rename_organisation(unknown, &name).await,
        Err(StoreError::NotFound("organisation"))
    ));
}

pub async fn an_organisation_has_a_language_once_one_is_chosen(store: Arc<dyn Store>) {
    let _w = World::new(store.clone()).await;
    let id = sample::adatum().id;
    assert_eq!(store.organisation_language(id).await.unwrap(), None);
    store
        .set_organisation_language(id, Some("fr"))
        .await
        .unwrap();
    assert_eq!(
        store.organisation_language(id).await.unwrap().as_deref(),
        Some("fr")
    );
    store.set_organisation_language(id, None).await.unwrap();
    assert_eq!(store.organisation_language(id).await.unwrap(), None);
    let unknown = cpor_domain::values::OrgId::from_uuid(Uuid::now_v7());
    assert!(matches!(
        store.set_organisation_language(unknown, Some("sv")).await,
        Err(StoreError::NotFound("organisation"))
    ));
}

pub async fn a_location_in_use_or_the_last_one_cannot_be_removed(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let adatum = sample::adatum().id;
    let litware = sample::litware().id;
    let first = MpnId::parse(sample::ADATUM_MPN).unwrap();
    let second = MpnId::parse(sample::ADATUM_MPN_2).unwrap();
    w.create(&w.adatum, teams("Uses the first location")).await;
    // A claim names it.
    let e = store.remove_location(adatum, &first).await.unwrap_err();
    assert_eq!(field_code(&e), Some(("mpn_id".into(), ErrorCode::Conflict)));
    // Another organisation's location is not found.
    assert!(matches!(
        store.remove_location(litware, &second).await,
        Err(StoreError::NotFound("location"))
    ));
    // Unused: removed.
    store.remove_location(adatum, &second).await.unwrap();
    let org = store.organisation(adatum).await.unwrap().unwrap();
    assert!(!org.has_mpn_id(&second));
    // The last one stays.
    let e = store
        .remove_location(litware, &MpnId::parse(sample::LITWARE_MPN).unwrap())
        .await
        .unwrap_err();
    assert_eq!(
        field_code(&e),
        Some(("mpn_id".into(), ErrorCode::InvalidState))
    );
    // A removed MPN ID may be added again, to any organisation.
    store
        .add_location(
            litware,
            &Location {
                mpn_id: second.clone(),
                name: None,
            },
        )
        .await
        .unwrap();
}

pub async fn a_suspended_organisations_users_are_refused_until_lifted(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let adatum = sample::adatum().id;
    let user = w.adatum.user_id().unwrap();
    let session = cpor_store::Session {
        id_hash: "session-of-adatum".into(),
        user_id: user,
        csrf: "csrf".into(),
        created_at: w.now,
        last_seen_at: w.now,
    };
    store.create_session(&session).await.unwrap();
    store.set_suspended(adatum, true, w.now).await.unwrap();
    assert_eq!(store.suspended_organisations().await.unwrap(), vec![adatum]);
    assert!(
        store
            .user_by_token("token-hash-1", w.now)
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.session("session-of-adatum").await.unwrap().is_none());
    let account = store.account(user).await.unwrap().unwrap();
    assert!(account.suspended && !account.disabled && account.blocked());
    // Other organisations and the operator are untouched.
    assert!(
        store
            .user_by_token("token-hash-2", w.now)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .user_by_token("token-hash-3", w.now)
            .await
            .unwrap()
            .is_some()
    );
    let reviewer = store
        .account(w.reviewer.user_id().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(!reviewer.suspended);
    store.set_suspended(adatum, false, w.now).await.unwrap();
    assert!(store.suspended_organisations().await.unwrap().is_empty());
    assert!(
        store
            .user_by_token("token-hash-1", w.now)
            .await
            .unwrap()
            .is_some()
    );
    assert!(!store.account(user).await.unwrap().unwrap().blocked());
    let unknown = cpor_domain::values::OrgId::from_uuid(Uuid::now_v7());
    assert!(matches!(
        store.set_suspended(unknown, true, w.now).await,
        Err(StoreError::NotFound("organisation"))
    ));
}

pub async fn a_retired_product_is_refused_for_new_claims_and_can_come_back(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let id = ProductId::parse("teams").unwrap();
    let reference = store.reference().await.unwrap();
    let mut teams_product = reference.catalog.get(&id).unwrap().clone();
    assert!(!teams_product.retired);
    teams_product.retired = true;
    store.upsert_product(&teams_product).await.unwrap();
    let reference = store.reference().await.unwrap();
    assert!(reference.catalog.get(&id).unwrap().retired);
    let claim = new_id();
    let cmd = Command::Create {
        id: claim,
        org_id: w.adatum.org().unwrap(),
        fields: teams("Retired").parse().unwrap(),
    };
    let e = w.run(&w.adatum, claim, cmd).await.unwrap_err();
    assert_eq!(
        field_code(&e),
        Some(("products[0].product".into(), ErrorCode::InvalidState))
    );
    teams_product.retired = false;
    store.upsert_product(&teams_product).await.unwrap();
    w.create(&w.adatum, teams("Back again")).await;
}
