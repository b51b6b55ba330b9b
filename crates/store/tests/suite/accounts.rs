//! The conformance cases of web sign-in: accounts, sessions, one-time links, failed
//! sign-ins and API tokens.

use super::*;
use cpor_store::{LinkPurpose, Session, StoreError, TokenScope};

fn minutes(m: i64) -> SignedDuration {
    SignedDuration::from_mins(m)
}

fn at(w: &World, d: SignedDuration) -> Timestamp {
    w.now.checked_add(d).unwrap()
}

fn id_of(a: &Actor) -> UserId {
    a.user_id().unwrap()
}

/// A user invited to the web portal: no API token.
async fn invited(w: &World, email: &str) -> User {
    let u = User {
        id: UserId::from_uuid(Uuid::now_v7()),
        org_id: Some(sample::adatum().id),
        email: Email::parse(email).unwrap(),
        name: "Invited".into(),
        role: Role::IncentivesAdmin,
        created_at: w.now,
    };
    w.store.create_user(&u, None).await.unwrap();
    u
}

fn session(id_hash: &str, user: UserId, now: Timestamp) -> Session {
    Session {
        id_hash: id_hash.into(),
        user_id: user,
        csrf: format!("csrf-{id_hash}"),
        created_at: now,
        last_seen_at: now,
    }
}

fn unknown_user() -> UserId {
    UserId::from_uuid(Uuid::now_v7())
}

pub async fn a_user_may_have_no_api_token(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let u = invited(&w, "new.user@adatum.example").await;
    assert!(store.tokens(u.id).await.unwrap().is_empty());
    let a = store.account(u.id).await.unwrap().unwrap();
    assert_eq!(a.user, u);
    assert_eq!(
        (a.password_hash, a.language, a.disabled),
        (None, None, false)
    );
    assert!(store.account(unknown_user()).await.unwrap().is_none());
}

pub async fn account_by_email_is_case_insensitive(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let u = invited(&w, "Mixed.Case@adatum.example").await;
    for typed in [
        "mixed.case@adatum.example",
        "MIXED.CASE@ADATUM.EXAMPLE",
        "Mixed.Case@adatum.example",
    ] {
        let a = store
            .account_by_email(&Email::parse(typed).unwrap())
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{typed} finds the account"));
        assert_eq!(a.user, u);
    }
    assert!(
        store
            .account_by_email(&Email::parse("nobody@adatum.example").unwrap())
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn accounts_keep_password_language_and_role(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let u = invited(&w, "settings@adatum.example").await;
    store.set_password(u.id, "argon2-hash-1").await.unwrap();
    store.set_language(u.id, Some("de")).await.unwrap();
    store.set_role(u.id, Role::IncentivesUser).await.unwrap();
    let a = store.account(u.id).await.unwrap().unwrap();
    assert_eq!(a.password_hash.as_deref(), Some("argon2-hash-1"));
    assert_eq!(a.language.as_deref(), Some("de"));
    assert_eq!(a.user.role, Role::IncentivesUser);
    // A new password replaces the old one; the language can be unset again.
    store.set_password(u.id, "argon2-hash-2").await.unwrap();
    store.set_language(u.id, None).await.unwrap();
    let a = store.account(u.id).await.unwrap().unwrap();
    assert_eq!(a.password_hash.as_deref(), Some("argon2-hash-2"));
    assert_eq!(a.language, None);
    let listed = store.users(Some(sample::adatum().id)).await.unwrap();
    assert!(listed.contains(&a.user), "users() sees the new role");
}

pub async fn changing_an_unknown_user_is_not_found(store: Arc<dyn Store>) {
    let _w = World::new(store.clone()).await;
    let nobody = unknown_user();
    let not_found = |r: Result<()>, what: &str| match r {
        Err(StoreError::NotFound("user")) => {}
        other => panic!("{what}: expected NotFound(user), got {other:?}"),
    };
    not_found(store.set_password(nobody, "h").await, "set_password");
    not_found(store.set_language(nobody, Some("en")).await, "set_language");
    not_found(store.set_disabled(nobody, true).await, "set_disabled");
    not_found(store.set_role(nobody, Role::Reviewer).await, "set_role");
    let now = now();
    not_found(
        store
            .create_session(&session("s-nobody", nobody, now))
            .await,
        "create_session",
    );
    not_found(
        store
            .create_link("l-nobody", nobody, LinkPurpose::Invitation, now)
            .await,
        "create_link",
    );
    not_found(
        store
            .create_token(nobody, "t-nobody", None, now, None, None)
            .await
            .map(|_| ()),
        "create_token",
    );
}

pub async fn sessions_are_created_read_touched_and_ended(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let (me, other) = (id_of(&w.adatum), id_of(&w.litware));
    let s1 = session("s1", me, w.now);
    store.create_session(&s1).await.unwrap();
    store
        .create_session(&session("s2", me, w.now))
        .await
        .unwrap();
    store
        .create_session(&session("s3", other, w.now))
        .await
        .unwrap();
    assert_eq!(store.session("s1").await.unwrap(), Some(s1.clone()));
    assert!(store.session("unknown").await.unwrap().is_none());
    assert!(matches!(
        store.create_session(&session("s1", other, w.now)).await,
        Err(StoreError::Duplicate {
            field: "session",
            ..
        })
    ));
    // Touched: seen later, created when it was.
    let later = at(&w, minutes(5));
    store.touch_session("s1", later).await.unwrap();
    let touched = store.session("s1").await.unwrap().unwrap();
    assert_eq!((touched.created_at, touched.last_seen_at), (w.now, later));
    store.touch_session("unknown", later).await.unwrap();
    // Ended one by one.
    store.end_session("s1").await.unwrap();
    assert!(store.session("s1").await.unwrap().is_none());
    store.end_session("s1").await.unwrap();
    assert!(store.session("s2").await.unwrap().is_some());
    // All of a user's at once, and only that user's.
    store
        .create_session(&session("s4", me, w.now))
        .await
        .unwrap();
    assert_eq!(store.end_sessions_of(me).await.unwrap(), 2);
    assert!(store.session("s2").await.unwrap().is_none());
    assert!(store.session("s4").await.unwrap().is_none());
    assert!(store.session("s3").await.unwrap().is_some());
    assert_eq!(store.end_sessions_of(me).await.unwrap(), 0);
}

pub async fn a_link_works_once_and_peeking_does_not_use_it(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let u = invited(&w, "link.once@adatum.example").await;
    let p = LinkPurpose::Invitation;
    store
        .create_link("link-1", u.id, p, at(&w, minutes(60)))
        .await
        .unwrap();
    assert_eq!(
        store.peek_link("link-1", p, w.now).await.unwrap(),
        Some(u.id)
    );
    assert_eq!(
        store.peek_link("link-1", p, w.now).await.unwrap(),
        Some(u.id)
    );
    assert_eq!(
        store.use_link("link-1", p, w.now).await.unwrap(),
        Some(u.id)
    );
    assert_eq!(store.use_link("link-1", p, w.now).await.unwrap(), None);
    assert_eq!(store.peek_link("link-1", p, w.now).await.unwrap(), None);
    assert_eq!(store.use_link("unknown", p, w.now).await.unwrap(), None);
    assert_eq!(store.peek_link("unknown", p, w.now).await.unwrap(), None);
    assert!(matches!(
        store
            .create_link("link-1", u.id, p, at(&w, minutes(60)))
            .await,
        Err(StoreError::Duplicate { field: "link", .. })
    ));
}

pub async fn an_expired_link_does_not_work(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let u = invited(&w, "link.expired@adatum.example").await;
    let p = LinkPurpose::PasswordReset;
    let expires = at(&w, minutes(30));
    store.create_link("link-2", u.id, p, expires).await.unwrap();
    let just_before = expires.checked_sub(SignedDuration::from_micros(1)).unwrap();
    assert_eq!(
        store.peek_link("link-2", p, just_before).await.unwrap(),
        Some(u.id)
    );
    assert_eq!(store.peek_link("link-2", p, expires).await.unwrap(), None);
    assert_eq!(store.use_link("link-2", p, expires).await.unwrap(), None);
    let later = at(&w, minutes(31));
    assert_eq!(store.use_link("link-2", p, later).await.unwrap(), None);
    // Still unused: a use before the expiry (a clock set back) works.
    assert_eq!(
        store.use_link("link-2", p, just_before).await.unwrap(),
        Some(u.id)
    );
}

pub async fn a_link_of_one_purpose_is_not_one_of_another(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let u = invited(&w, "link.purpose@adatum.example").await;
    let expires = at(&w, minutes(60));
    store
        .create_link("invite", u.id, LinkPurpose::Invitation, expires)
        .await
        .unwrap();
    store
        .create_link("reset", u.id, LinkPurpose::PasswordReset, expires)
        .await
        .unwrap();
    let (inv, reset) = (LinkPurpose::Invitation, LinkPurpose::PasswordReset);
    assert_eq!(store.peek_link("invite", reset, w.now).await.unwrap(), None);
    assert_eq!(store.use_link("invite", reset, w.now).await.unwrap(), None);
    assert_eq!(store.use_link("reset", inv, w.now).await.unwrap(), None);
    // The wrong purpose did not use them up.
    assert_eq!(
        store.use_link("invite", inv, w.now).await.unwrap(),
        Some(u.id)
    );
    assert_eq!(
        store.use_link("reset", reset, w.now).await.unwrap(),
        Some(u.id)
    );
}

pub async fn concurrent_uses_of_a_link_let_exactly_one_through(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let u = invited(&w, "link.race@adatum.example").await;
    let p = LinkPurpose::PasswordReset;
    for round in 0..5 {
        let hash = format!("race-{round}");
        store
            .create_link(&hash, u.id, p, at(&w, minutes(60)))
            .await
            .unwrap();
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (store, hash, now) = (store.clone(), hash.clone(), w.now);
                tokio::spawn(async move { store.use_link(&hash, p, now).await })
            })
            .collect();
        let mut winners = 0;
        for t in tasks {
            if let Some(user) = t.await.unwrap().unwrap() {
                assert_eq!(user, u.id);
                winners += 1;
            }
        }
        assert_eq!(winners, 1, "round {round}");
    }
}

pub async fn login_failures_are_counted_per_key_since_a_time_and_cleared(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let account = "account:x@adatum.example".to_string();
    let address = "address:192.0.2.1".to_string();
    let other = "address:192.0.2.2".to_string();
    assert_eq!(store.login_failures(&account, w.now).await.unwrap(), 0);
    let both = [account.clone(), address.clone()];
    store
        .record_login_failure(&both, w.now, w.now)
        .await
        .unwrap();
    store
        .record_login_failure(&both, at(&w, minutes(10)), w.now)
        .await
        .unwrap();
    store
        .record_login_failure(std::slice::from_ref(&address), at(&w, minutes(20)), w.now)
        .await
        .unwrap();
    store
        .record_login_failure(std::slice::from_ref(&other), at(&w, minutes(20)), w.now)
        .await
        .unwrap();
    store.record_login_failure(&[], w.now, w.now).await.unwrap();
    assert_eq!(store.login_failures(&account, w.now).await.unwrap(), 2);
    assert_eq!(store.login_failures(&address, w.now).await.unwrap(), 3);
    // At or after `since`.
    let ten = at(&w, minutes(10));
    assert_eq!(store.login_failures(&account, ten).await.unwrap(), 1);
    assert_eq!(store.login_failures(&address, ten).await.unwrap(), 2);
    let later = at(&w, minutes(21));
    assert_eq!(store.login_failures(&address, later).await.unwrap(), 0);
    // Cleared per key.
    store.clear_login_failures(&address).await.unwrap();
    assert_eq!(store.login_failures(&address, w.now).await.unwrap(), 0);
    assert_eq!(store.login_failures(&account, w.now).await.unwrap(), 2);
    assert_eq!(store.login_failures(&other, w.now).await.unwrap(), 1);
    // A new failure forgets every key's failures before `forget_before`.
    store
        .record_login_failure(
            std::slice::from_ref(&other),
            at(&w, minutes(30)),
            at(&w, minutes(15)),
        )
        .await
        .unwrap();
    assert_eq!(store.login_failures(&account, w.now).await.unwrap(), 0);
    assert_eq!(store.login_failures(&other, w.now).await.unwrap(), 2);
}

pub async fn disabling_a_user_ends_its_sessions_and_stops_its_tokens(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let (me, other) = (id_of(&w.adatum), id_of(&w.litware));
    store
        .create_session(&session("mine", me, w.now))
        .await
        .unwrap();
    store
        .create_session(&session("theirs", other, w.now))
        .await
        .unwrap();
    let named = store
        .create_token(me, "named-token-hash", Some("CI"), w.now, None, None)
        .await
        .unwrap();
    store.set_disabled(me, true).await.unwrap();
    assert!(store.account(me).await.unwrap().unwrap().disabled);
    assert!(store.session("mine").await.unwrap().is_none());
    assert!(store.session("theirs").await.unwrap().is_some());
    for hash in ["token-hash-1", "named-token-hash"] {
        assert!(
            store.user_by_token(hash, w.now).await.unwrap().is_none(),
            "{hash} authenticates nobody"
        );
    }
    assert!(
        store
            .user_by_token("token-hash-2", w.now)
            .await
            .unwrap()
            .is_some()
    );
    // Disabling twice is harmless; the tokens are kept, so enabling brings them back.
    store.set_disabled(me, true).await.unwrap();
    assert!(store.tokens(me).await.unwrap().contains(&named));
    store.set_disabled(me, false).await.unwrap();
    assert!(!store.account(me).await.unwrap().unwrap().disabled);
    let back = store.user_by_token("token-hash-1", w.now).await.unwrap();
    assert_eq!(back.map(|u| u.actor()), Some(w.adatum.clone()));
}

pub async fn a_revoked_token_and_an_expired_token_authenticate_nobody(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let me = id_of(&w.adatum);
    let expires = at(&w, minutes(60));
    store
        .create_token(
            me,
            "expiring-hash",
            Some("short"),
            w.now,
            Some(expires),
            None,
        )
        .await
        .unwrap();
    let revoked = store
        .create_token(me, "revoked-hash", None, w.now, None, None)
        .await
        .unwrap();
    let just_before = expires.checked_sub(SignedDuration::from_micros(1)).unwrap();
    let found = |hash: &'static str, now: Timestamp| {
        let store = store.clone();
        async move { store.user_by_token(hash, now).await.unwrap().map(|u| u.id) }
    };
    assert_eq!(found("expiring-hash", just_before).await, Some(me));
    assert_eq!(found("expiring-hash", expires).await, None);
    assert_eq!(found("expiring-hash", at(&w, minutes(61))).await, None);
    assert_eq!(found("revoked-hash", w.now).await, Some(me));
    assert!(store.revoke_token(me, &revoked.id).await.unwrap());
    assert_eq!(found("revoked-hash", w.now).await, None);
    assert!(
        !store.revoke_token(me, &revoked.id).await.unwrap(),
        "a revoked token is not revoked again"
    );
    assert!(!store.revoke_token(me, "no-such-token").await.unwrap());
    // The others still work.
    assert_eq!(found("token-hash-1", w.now).await, Some(me));
}

pub async fn tokens_list_newest_first_without_revoked_ones(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let me = id_of(&w.adatum);
    let hash = |n: u8| format!("{n:02x}").repeat(32);
    let mut made = Vec::new();
    for n in 1..=3u8 {
        let expires = (n == 2).then(|| at(&w, minutes(600)));
        let t = store
            .create_token(
                me,
                &hash(n),
                Some(&format!("token {n}")),
                at(&w, minutes(i64::from(n))),
                expires,
                None,
            )
            .await
            .unwrap();
        assert_eq!(t.id, hash(n)[..16], "the public id is the hash's first 16");
        assert_eq!(
            (t.user_id, t.name.clone(), t.expires_at, t.last_used_at),
            (me, Some(format!("token {n}")), expires, None)
        );
        made.push(t);
    }
    assert!(matches!(
        store
            .create_token(me, &hash(1), None, w.now, None, None)
            .await,
        Err(StoreError::Duplicate { field: "token", .. })
    ));
    let listed = store.tokens(me).await.unwrap();
    let first = cpor_store::TokenInfo {
        id: "token-hash-1".into(),
        user_id: me,
        name: None,
        created_at: w.now,
        expires_at: None,
        last_used_at: None,
        scope: None,
    };
    assert_eq!(
        listed,
        vec![
            made[2].clone(),
            made[1].clone(),
            made[0].clone(),
            first.clone()
        ]
    );
    assert!(store.revoke_token(me, &made[1].id).await.unwrap());
    assert_eq!(
        store.tokens(me).await.unwrap(),
        vec![made[2].clone(), made[0].clone(), first]
    );
    assert!(
        store
            .tokens(id_of(&w.litware))
            .await
            .unwrap()
            .iter()
            .all(|t| t.user_id == id_of(&w.litware))
    );
}

pub async fn another_user_cannot_revoke_my_token(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let (me, other) = (id_of(&w.adatum), id_of(&w.litware));
    let mine = store
        .create_token(me, "my-token-hash", Some("mine"), w.now, None, None)
        .await
        .unwrap();
    assert!(!store.revoke_token(other, &mine.id).await.unwrap());
    assert!(store.tokens(me).await.unwrap().contains(&mine));
    assert_eq!(
        store
            .user_by_token("my-token-hash", w.now)
            .await
            .unwrap()
            .map(|u| u.id),
        Some(me)
    );
}

pub async fn a_token_records_its_last_use_at_most_once_a_minute(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let me = id_of(&w.adatum);
    let t = store
        .create_token(me, "used-token-hash", None, w.now, None, None)
        .await
        .unwrap();
    let last_used = || {
        let store = store.clone();
        let id = t.id.clone();
        async move {
            store
                .tokens(me)
                .await
                .unwrap()
                .into_iter()
                .find(|t| t.id == id)
                .unwrap()
                .last_used_at
        }
    };
    assert_eq!(last_used().await, None);
    let first = at(&w, minutes(1));
    store.user_by_token("used-token-hash", first).await.unwrap();
    assert_eq!(last_used().await, Some(first));
    let soon = first.checked_add(SignedDuration::from_secs(30)).unwrap();
    store.user_by_token("used-token-hash", soon).await.unwrap();
    assert_eq!(last_used().await, Some(first), "not again within a minute");
    let later = at(&w, minutes(3));
    store.user_by_token("used-token-hash", later).await.unwrap();
    assert_eq!(last_used().await, Some(later));
}

pub async fn a_scoped_token_says_its_scope(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let me = id_of(&w.adatum);
    let made = store
        .create_token(
            me,
            "feed-token-hash",
            Some("incentives"),
            w.now,
            None,
            Some(TokenScope::EligibilityRead),
        )
        .await
        .unwrap();
    assert_eq!(made.scope, Some(TokenScope::EligibilityRead));
    assert!(store.tokens(me).await.unwrap().contains(&made));
    let (user, scope) = store
        .token_user("feed-token-hash", w.now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((user.id, scope), (me, Some(TokenScope::EligibilityRead)));
    let (_, full) = store
        .token_user("token-hash-1", w.now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(full, None, "a plain token has its user's whole role");
}

pub async fn the_digest_goes_out_once_a_day_and_opt_outs_are_kept(store: Arc<dyn Store>) {
    let w = World::new(store.clone()).await;
    let reviewer = id_of(&w.reviewer);
    let day = cpor_domain::jiff::civil::date(2026, 11, 3);
    assert!(!store.digest_sent(day).await.unwrap());
    let (a, b) = tokio::join!(
        store.claim_digest_day(day, w.now),
        store.claim_digest_day(day, w.now)
    );
    assert!(a.unwrap() ^ b.unwrap(), "one caller sends the day's digest");
    assert!(store.digest_sent(day).await.unwrap());
    assert!(
        store
            .claim_digest_day(day.tomorrow().unwrap(), w.now)
            .await
            .unwrap()
    );
    store.set_digest_opt_out(reviewer, true).await.unwrap();
    store.set_digest_opt_out(reviewer, true).await.unwrap();
    assert_eq!(store.digest_opt_outs().await.unwrap(), vec![reviewer]);
    store.set_digest_opt_out(reviewer, false).await.unwrap();
    assert!(store.digest_opt_outs().await.unwrap().is_empty());
}
