//! The reviewers' daily digest (docs/product.md, e-mails): once per business day from
//! 07:00, only when something is due, not to those who turned it off.
#![allow(clippy::unwrap_used)]

mod support;

use cpor_domain::jiff::SignedDuration;
use cpor_server::digest::send_if_due;
use support::web::Visitor;
use support::*;

fn digests(t: &TestApp) -> Vec<String> {
    t.outbox()
        .into_iter()
        .filter(|m| m.contains("review queue") && m.contains("reviewer@operator.example"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviewers_get_one_digest_a_business_day_of_what_is_due_unless_they_turn_it_off() {
    let t = TestApp::start().await;
    // Friday 16:00: under review, the decision due five business days later.
    let id = t
        .under_review(
            "adatum:incentives_admin",
            m365("Contoso Teams", "1234567", &["teams"]),
        )
        .await;
    // Monday 08:00: nothing due by Tuesday evening, so no e-mail.
    t.advance(SignedDuration::from_hours(64));
    send_if_due(&t.app).await;
    assert!(digests(&t).is_empty());
    // Thursday 08:00: due by Friday evening.
    t.advance(days(3));
    send_if_due(&t.app).await;
    send_if_due(&t.app).await;
    let sent = digests(&t);
    assert_eq!(sent.len(), 1, "once a day");
    assert!(sent[0].contains("Contoso Teams") && sent[0].contains("contoso.com"));
    assert!(sent[0].contains(&format!("http://cpor.test/claims/{id}")));
    assert!(
        sent[0].contains("http://cpor.test/review"),
        "says where to turn it off"
    );
    // The reviewer turns it off from the queue page: Friday brings nothing.
    let mut v = Visitor::new(&t);
    v.sign_in("operator:reviewer").await;
    let queue = v.get("/review").await;
    assert!(queue.has("Turn it off"));
    let csrf = queue.csrf();
    let after = v
        .post("/review/digest", &[("_csrf", &csrf), ("on", "false")])
        .await;
    assert!(after.has("Turn it on"));
    t.advance(days(1));
    send_if_due(&t.app).await;
    assert_eq!(digests(&t).len(), 1);
    // On again; Saturday is no business day; Monday before 07:00 is too early.
    // (Signed in afresh: a session ends after two idle hours.)
    v.sign_in("operator:reviewer").await;
    let csrf = v.get("/review").await.csrf();
    let on = v
        .post("/review/digest", &[("_csrf", &csrf), ("on", "true")])
        .await;
    assert!(on.has("Turn it off"));
    t.advance(days(1));
    send_if_due(&t.app).await;
    assert_eq!(digests(&t).len(), 1, "no digest on a weekend");
    t.advance(SignedDuration::from_hours(46));
    send_if_due(&t.app).await;
    assert_eq!(digests(&t).len(), 1, "not before 07:00");
    t.advance(SignedDuration::from_hours(2));
    send_if_due(&t.app).await;
    let sent = digests(&t);
    assert_eq!(sent.len(), 2);
    assert!(
        sent.iter().any(|m| m.contains("PAST DUE")),
        "Monday: past due"
    );
}
