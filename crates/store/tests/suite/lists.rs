//! The conformance cases of claim lists: filters, orders, pages and counts.

use super::*;
use cpor_domain::ErrorCode;
use cpor_domain::claim::{Claim, ClaimInput, Status};
use cpor_domain::reference::ProductId;
use cpor_store::{ClaimCursor, ClaimQuery, ClaimSort, StoreError};

fn minutes(m: i64) -> SignedDuration {
    SignedDuration::from_mins(m)
}

/// Every page of `q`, in order; checks that each page's cursor is of the query's order.
async fn all_pages(store: &dyn Store, mut q: ClaimQuery) -> Vec<ClaimId> {
    let mut out = Vec::new();
    for _ in 0..1000 {
        let page = store.claims(&q).await.unwrap();
        assert!(page.items.len() <= q.limit as usize);
        out.extend(page.items.iter().map(|c| c.id));
        match page.next {
            Some(n) => {
                assert_eq!(n.sort(), q.sort, "{n}");
                assert!(!page.items.is_empty());
                q.after = Some(n);
            }
            None => return out,
        }
    }
    panic!("more than 1000 pages");
}

/// `claims` in the order `sort` promises, computed here from the claims themselves.
fn expected(mut claims: Vec<Claim>, sort: ClaimSort) -> Vec<ClaimId> {
    match sort {
        ClaimSort::Newest => claims.sort_by_key(|c| std::cmp::Reverse(c.id)),
        ClaimSort::LastChange => claims.sort_by(|a, b| {
            (b.updated_at.as_microsecond(), b.id).cmp(&(a.updated_at.as_microsecond(), a.id))
        }),
        ClaimSort::Name => claims.sort_by(|a, b| {
            (a.fields.name.as_str().to_lowercase(), a.id)
                .cmp(&(b.fields.name.as_str().to_lowercase(), b.id))
        }),
    }
    claims.into_iter().map(|c| c.id).collect()
}

fn edit(v: serde_json::Value) -> Command {
    let patch: ClaimInput = serde_json::from_value(v).unwrap();
    Command::Edit(patch.parse().unwrap())
}

async fn every_claim(store: &dyn Store, org: Option<cpor_domain::values::OrgId>) -> Vec<Claim> {
    store
        .claims(&ClaimQuery {
            org_id: org,
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .items
}

pub async fn each_order_pages_through_every_claim_once(store: Arc<dyn Store>) {
    let mut w = World::new(store.clone()).await;
    // Names that differ only in case, repeat, or are not ASCII; several claims changed at
    // the same time, so that both orders need their id tie-break across page ends.
    let names = [
        "beta", "Alpha", "alpha", "Gamma", "BETA", "Éclair", "éclair", "delta", "Alpha", "zulu",
        "Beta", "alpha",
    ];
    let mut ids = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if i % 3 == 0 {
            w.later(minutes(5));
        }
        let id = if i % 4 == 3 {
            w.create(&w.litware, litware_teams(name)).await
        } else {
            w.create(&w.adatum, teams(name)).await
        };
        ids.push(id);
    }
    // Older claims changed later, so that last change is not creation order.
    w.later(minutes(5));
    w.ok(
        &w.adatum,
        ids[0],
        edit(serde_json::json!({"name": "Omega"})),
    )
    .await;
    w.ok(&w.adatum, ids[1], w.poe_command(&w.adatum)).await;
    w.later(minutes(5));
    w.ok(&w.adatum, ids[2], w.poe_command(&w.adatum)).await;
    w.ok(&w.adatum, ids[4], w.poe_command(&w.adatum)).await;

    for org in [None, Some(sample::adatum().id)] {
        let claims = every_claim(store.as_ref(), org).await;
        assert_eq!(claims.len(), if org.is_some() { 9 } else { names.len() });
        for sort in [ClaimSort::Newest, ClaimSort::LastChange, ClaimSort::Name] {
            let want = expected(claims.clone(), sort);
            for limit in [1, 2, 5, 50] {
                let got = all_pages(
                    store.as_ref(),
                    ClaimQuery {
                        org_id: org,
                        sort,
                        limit,
                        ..Default::default()
                    },
                )
                .await;
                assert_eq!(got, want, "{sort:?}, {limit} a page, organisation {org:?}");
            }
        }
    }
    // The default order is the newest first.
    assert_eq!(ClaimSort::default(), ClaimSort::Newest);

    // Filters and an order together: Adatum's drafts changed since a time, by name.
    let since = store.claim(ids[1]).await.unwrap().unwrap().updated_at;
    let got = all_pages(
        store.as_ref(),
        ClaimQuery {
            org_id: Some(sample::adatum().id),
            status: Some(Status::Draft),
            updated_from: Some(since),
            sort: ClaimSort::Name,
            limit: 1,
            ..Default::default()
        },
    )
    .await;
    let changed: Vec<Claim> = every_claim(store.as_ref(), Some(sample::adatum().id))
        .await
        .into_iter()
        .filter(|c| c.updated_at >= since)
        .collect();
    assert_eq!(changed.len(), 4, "Omega, and the three with a PoE");
    assert_eq!(got, expected(changed, ClaimSort::Name));
}

pub async fn a_cursor_of_another_order_is_refused(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    w.create(&w.adatum, teams("One")).await;
    w.create(&w.adatum, teams("Two")).await;
    for sort in [ClaimSort::Newest, ClaimSort::LastChange, ClaimSort::Name] {
        let page = store
            .claims(&ClaimQuery {
                sort,
                limit: 1,
                ..Default::default()
            })
            .await
            .unwrap();
        let cursor = page.next.expect("a second page");
        // The cursor's text form reads back as the same position.
        assert_eq!(
            cursor.to_string().parse::<ClaimCursor>(),
            Ok(cursor.clone())
        );
        for other in [ClaimSort::Newest, ClaimSort::LastChange, ClaimSort::Name] {
            let q = ClaimQuery {
                sort: other,
                after: Some(cursor.clone()),
                limit: 1,
                ..Default::default()
            };
            match store.claims(&q).await {
                Ok(p) if other == sort => assert_eq!(p.items.len(), 1),
                Err(StoreError::Domain(d)) if other != sort => {
                    assert!(d.has("cursor", ErrorCode::InvalidFormat), "{d}")
                }
                r => panic!("{sort:?} cursor in a {other:?} list: {r:?}"),
            }
        }
    }
}

pub async fn the_product_last_change_and_subscription_filters_select_the_right_claims(
    store: Arc<dyn Store>,
) {
    let mut w = World::new(store.clone()).await;
    let t0 = w.now;
    let teams_only = w.create(&w.adatum, teams("Teams only")).await;
    w.later(minutes(10));
    let t1 = w.now;
    let both = w
        .create(
            &w.adatum,
            sample::m365_claim("Both", sample::ADATUM_MPN, &["intune", "teams"]),
        )
        .await;
    w.later(minutes(10));
    let t2 = w.now;
    let ba = |name: &str, product: &str, subscription: &str| {
        sample::bizapps_claim(
            name,
            sample::ADATUM_MPN,
            sample::CONTOSO,
            "contoso.com",
            "usage",
            product,
            subscription,
        )
    };
    let sales = w
        .create(
            &w.adatum,
            ba("Sales rollout", "dynamics_365_sales", sample::CONTOSO_SALES),
        )
        .await;
    let finance = w
        .create(
            &w.adatum,
            ba(
                "Finance rollout",
                "dynamics_365_finance",
                sample::CONTOSO_FINANCE,
            ),
        )
        .await;
    let list = |q: ClaimQuery| {
        let store = store.clone();
        async move {
            let mut ids = all_pages(store.as_ref(), ClaimQuery { limit: 2, ..q }).await;
            ids.sort();
            ids
        }
    };
    let sorted = |mut v: Vec<ClaimId>| {
        v.sort();
        v
    };
    let product = |p: &str| ClaimQuery {
        product: Some(ProductId::parse(p).unwrap()),
        ..Default::default()
    };
    assert_eq!(list(product("teams")).await, sorted(vec![teams_only, both]));
    assert_eq!(list(product("intune")).await, vec![both]);
    assert_eq!(list(product("dynamics_365_sales")).await, vec![sales]);
    assert_eq!(list(product("power_bi_pro")).await, vec![]);

    // Inclusive bounds on the last change.
    let changed = |from: Option<Timestamp>, to: Option<Timestamp>| ClaimQuery {
        updated_from: from,
        updated_to: to,
        ..Default::default()
    };
    assert_eq!(
        list(changed(Some(t1), None)).await,
        sorted(vec![both, sales, finance])
    );
    assert_eq!(
        list(changed(None, Some(t1))).await,
        sorted(vec![teams_only, both])
    );
    assert_eq!(list(changed(Some(t1), Some(t1))).await, vec![both]);
    assert_eq!(list(changed(Some(t0), Some(t0))).await, vec![teams_only]);
    assert_eq!(
        list(changed(Some(t2), Some(t2))).await,
        sorted(vec![sales, finance])
    );
    assert_eq!(list(changed(Some(t2), Some(t1))).await, vec![]);

    // Search: a subscription ID in any form, or the start of one; names and domains still.
    let search = |q: &str| ClaimQuery {
        q: Some(q.into()),
        ..Default::default()
    };
    let finance_upper = sample::CONTOSO_FINANCE.to_uppercase();
    assert_eq!(list(search(sample::CONTOSO_FINANCE)).await, vec![finance]);
    assert_eq!(
        list(search(&format!("{{{finance_upper}}}"))).await,
        vec![finance]
    );
    assert_eq!(list(search(&finance_upper[..13])).await, vec![finance]);
    assert_eq!(list(search("5f2a1b3c")).await, sorted(vec![sales, finance]));
    assert_eq!(list(search("5f2")).await, vec![], "too short a start");
    assert_eq!(list(search("rollout")).await, sorted(vec![sales, finance]));
    assert_eq!(list(search("CONTOSO")).await.len(), 4);
    assert_eq!(
        list(ClaimQuery {
            product: Some(ProductId::parse("dynamics_365_sales").unwrap()),
            ..search("5f2a1b3c")
        })
        .await,
        vec![sales]
    );

    // The product lines follow the claim: edited, then deleted.
    w.later(minutes(10));
    w.ok(
        &w.adatum,
        teams_only,
        edit(serde_json::json!({"products": [{"product": "intune"}]})),
    )
    .await;
    assert_eq!(list(product("teams")).await, vec![both]);
    assert_eq!(
        list(product("intune")).await,
        sorted(vec![teams_only, both])
    );
    w.ok(&w.adatum, finance, Command::Delete).await;
    assert_eq!(list(product("dynamics_365_finance")).await, vec![]);
    assert_eq!(list(search(sample::CONTOSO_FINANCE)).await, vec![]);
}

pub async fn claim_counts_list_every_status(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let zero: Vec<(Status, u64)> = Status::ALL.iter().map(|s| (*s, 0)).collect();
    assert_eq!(store.claim_counts(None).await.unwrap(), zero);
    assert_eq!(
        store.claim_counts(Some(sample::adatum().id)).await.unwrap(),
        zero
    );
    w.create(&w.adatum, teams("D1")).await;
    w.create(&w.adatum, teams("D2")).await;
    w.submitted(&w.adatum, teams("S1")).await;
    w.approved(&w.adatum, teams("A1")).await;
    w.create(&w.litware, litware_teams("L1")).await;
    w.submitted(&w.litware, litware_teams("L2")).await;
    let with = |counts: &[(Status, u64)]| -> Vec<(Status, u64)> {
        Status::ALL
            .iter()
            .map(|s| {
                let n = counts.iter().find(|(c, _)| c == s).map_or(0, |(_, n)| *n);
                (*s, n)
            })
            .collect()
    };
    assert_eq!(
        store.claim_counts(Some(sample::adatum().id)).await.unwrap(),
        with(&[
            (Status::Draft, 2),
            (Status::Submitted, 1),
            (Status::Approved, 1)
        ])
    );
    assert_eq!(
        store
            .claim_counts(Some(sample::litware().id))
            .await
            .unwrap(),
        with(&[(Status::Draft, 1), (Status::Submitted, 1)])
    );
    assert_eq!(
        store.claim_counts(None).await.unwrap(),
        with(&[
            (Status::Draft, 3),
            (Status::Submitted, 2),
            (Status::Approved, 1)
        ])
    );
}

/// After migration 5 ran on claims written before it: `old` (named "Old"), and `names`
/// (named "Öst" and "ölund", whose keys SQL `lower()` cannot make) sort by name as the
/// code keys them, and the product filter finds their product lines.
pub async fn the_claim_lists_migration_filled_names_and_products(
    store: &dyn Store,
    old: ClaimId,
    names: &[ClaimId],
) {
    let by_name = all_pages(
        store,
        ClaimQuery {
            sort: ClaimSort::Name,
            limit: 1,
            ..Default::default()
        },
    )
    .await;
    // "old" < "ölund" < "öst" byte by byte; unkeyed, "Öst" would come before "ölund".
    assert_eq!(by_name, vec![old, names[1], names[0]]);
    let mut teams = all_pages(
        store,
        ClaimQuery {
            product: Some(ProductId::parse("teams").unwrap()),
            limit: 10,
            ..Default::default()
        },
    )
    .await;
    teams.sort();
    let mut want = vec![old, names[0], names[1]];
    want.sort();
    assert_eq!(teams, want);
}
