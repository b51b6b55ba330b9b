//! Webhook deliveries (docs/product.md, webhooks): queued in the command's transaction,
//! taken in order per endpoint and claim, logged, retried, redelivered.

use super::{World, teams};
use cpor_domain::claim::Command;
use cpor_domain::jiff::SignedDuration;
use cpor_domain::sample;
use cpor_domain::values::{UserId, WebhookId};
use cpor_store::{
    AttemptOutcome, DeliveryAttempt, DeliveryStatus, Store, WebhookDelivery, WebhookEndpoint,
};
use std::sync::Arc;

fn endpoint(
    w: &World,
    org: Option<cpor_domain::values::OrgId>,
    events: &[&str],
) -> WebhookEndpoint {
    WebhookEndpoint {
        id: WebhookId::from_uuid(uuid::Uuid::now_v7()),
        org_id: org,
        owner_id: w
            .adatum
            .user_id()
            .unwrap_or(UserId::from_uuid(uuid::Uuid::nil())),
        url: "https://hooks.example/cpor".into(),
        events: events.iter().map(|e| e.to_string()).collect(),
        secret: "whsec_c2VjcmV0".into(),
        created_at: w.now,
        disabled_at: None,
        disabled_reason: None,
        failing_since: None,
    }
}

fn attempt(n: u32, at: cpor_domain::jiff::Timestamp, status: u16) -> DeliveryAttempt {
    DeliveryAttempt {
        attempt: n,
        at,
        status_code: Some(status),
        duration_ms: 3,
        error: (status >= 300).then(|| format!("the receiver answered {status}")),
    }
}

async fn due(store: &Arc<dyn Store>, w: &World) -> Vec<WebhookDelivery> {
    store
        .take_due_deliveries(w.now, 50, SignedDuration::from_secs(1))
        .await
        .unwrap()
}

pub async fn deliveries_are_queued_with_their_change_and_taken_in_order(store: Arc<dyn Store>) {
    let mut w = World::new(store.clone()).await;
    let adatum = endpoint(
        &w,
        Some(sample::adatum().id),
        &["claim.created", "claim.poe_added", "claim.submitted"],
    );
    let operator = endpoint(&w, None, &["claim.created"]);
    store.create_webhook(&adatum).await.unwrap();
    store.create_webhook(&operator).await.unwrap();
    let id = w.create(&w.adatum, teams("Hooked")).await;
    let _theirs = w
        .create(&w.litware, super::litware_teams("Not Adatum's"))
        .await;
    // A refused command queues nothing.
    let refused = w
        .run(&w.adatum, id, Command::Submit { comment: None })
        .await;
    assert!(refused.is_err(), "no PoE yet");
    w.add_poe(&w.adatum, id).await;
    w.ok(&w.adatum, id, Command::Submit { comment: None }).await;
    w.later(SignedDuration::from_secs(2));
    let first = due(&store, &w).await;
    let mine: Vec<&str> = first
        .iter()
        .filter(|d| d.endpoint_id == adatum.id)
        .map(|d| d.event_type.as_str())
        .collect();
    assert_eq!(
        mine,
        ["claim.created"],
        "one claim's messages one at a time"
    );
    let operators: Vec<_> = first
        .iter()
        .filter(|d| d.endpoint_id == operator.id)
        .collect();
    assert_eq!(
        operators.len(),
        2,
        "the operator hears of both organisations' claims"
    );
    let created = first.iter().find(|d| d.endpoint_id == adatum.id).unwrap();
    let body: serde_json::Value = serde_json::from_str(&created.payload).unwrap();
    assert_eq!(body["type"], "claim.created");
    assert_eq!(body["data"]["claim_id"], id.to_string());
    assert!(created.message_id.starts_with("msg_"));
    // Leased: not taken again while the first try runs.
    assert!(due(&store, &w).await.is_empty());
    // It fails: retried later; its successors wait.
    let retry_at = w.now.checked_add(SignedDuration::from_secs(5)).unwrap();
    store
        .record_delivery_attempt(
            created,
            &attempt(1, w.now, 503),
            AttemptOutcome::RetryAt(retry_at),
        )
        .await
        .unwrap();
    assert!(
        store
            .webhook(adatum.id)
            .await
            .unwrap()
            .unwrap()
            .failing_since
            .is_some()
    );
    w.later(SignedDuration::from_secs(2));
    let waiting = due(&store, &w).await;
    assert!(
        waiting.iter().all(|d| d.endpoint_id != adatum.id),
        "the next waits for the first"
    );
    w.later(SignedDuration::from_secs(5));
    let again: Vec<_> = due(&store, &w)
        .await
        .into_iter()
        .filter(|d| d.endpoint_id == adatum.id)
        .collect();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].id, again[0].attempts), (created.id, 1));
    store
        .record_delivery_attempt(
            &again[0],
            &attempt(2, w.now, 200),
            AttemptOutcome::Delivered,
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .webhook(adatum.id)
            .await
            .unwrap()
            .unwrap()
            .failing_since,
        None
    );
    w.later(SignedDuration::from_secs(1));
    let next: Vec<String> = due(&store, &w)
        .await
        .iter()
        .filter(|d| d.endpoint_id == adatum.id)
        .map(|d| d.event_type.clone())
        .collect();
    assert_eq!(next, ["claim.poe_added"]);
    // The log, newest first, with each attempt.
    let log = store.deliveries(adatum.id, None, 10).await.unwrap();
    assert_eq!(log.len(), 3);
    let delivered = log.iter().find(|d| d.id == created.id).unwrap();
    assert_eq!(delivered.status, DeliveryStatus::Delivered);
    let attempts = store.delivery_attempts(created.id).await.unwrap();
    assert_eq!(
        attempts.iter().map(|a| a.status_code).collect::<Vec<_>>(),
        [Some(503), Some(200)]
    );
    // Redelivered by hand: due again, same message id.
    assert!(store.redeliver(adatum.id, created.id, w.now).await.unwrap());
    assert!(
        !store
            .redeliver(operator.id, created.id, w.now)
            .await
            .unwrap(),
        "not its delivery"
    );
}

pub async fn a_disabled_endpoint_receives_nothing_until_enabled(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let e = endpoint(&w, Some(sample::adatum().id), &["claim.created"]);
    store.create_webhook(&e).await.unwrap();
    assert!(
        store
            .set_webhook_disabled(e.id, Some((w.now, "by hand")))
            .await
            .unwrap()
    );
    w.create(&w.adatum, teams("Quiet")).await;
    assert!(due(&store, &w).await.is_empty(), "waits while disabled");
    let listed = store.webhooks(Some(sample::adatum().id)).await.unwrap();
    assert_eq!(listed[0].disabled_reason.as_deref(), Some("by hand"));
    assert!(
        store
            .webhooks(Some(sample::litware().id))
            .await
            .unwrap()
            .is_empty()
    );
    store.set_webhook_disabled(e.id, None).await.unwrap();
    assert_eq!(due(&store, &w).await.len(), 1, "sent once enabled");
    assert!(store.delete_webhook(e.id).await.unwrap());
    assert!(store.webhook(e.id).await.unwrap().is_none());
}
