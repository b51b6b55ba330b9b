//! The store conformance suite: every case runs against a fresh store of each backend
//! (see `sqlite.rs` and `postgres.rs`), through the `Store` trait only.
#![allow(dead_code, clippy::unwrap_used)]

pub mod accounts;
pub mod admin;
pub mod cases;
pub mod eligibility;
pub mod lists;
pub mod webhooks;

use cpor_domain::claim::{ClaimInput, Command, ConsentSecret};
use cpor_domain::jiff::{SignedDuration, Timestamp};
use cpor_domain::poe::{PoeFile, PoeKind};
use cpor_domain::sample;
use cpor_domain::values::{ClaimId, Email, Parse, PoeId, UserId};
use cpor_domain::{Actor, Role};
use cpor_store::{CommandOutcome, CommandRequest, Result, Store, User};
use std::sync::Arc;
use uuid::Uuid;

/// A store and whatever keeps its database alive (a temporary directory, a database).
pub struct Fixture {
    pub store: Arc<dyn Store>,
    pub guard: Box<dyn std::any::Any + Send + Sync>,
}

/// The sample world in a store, with one user of each kind.
pub struct World {
    pub store: Arc<dyn Store>,
    pub now: Timestamp,
    pub adatum: Actor,
    pub litware: Actor,
    pub reviewer: Actor,
    pub support: Actor,
}

pub fn new_id() -> ClaimId {
    ClaimId::from_uuid(Uuid::now_v7())
}

async fn user(
    store: &dyn Store,
    n: u128,
    role: Role,
    org: Option<cpor_domain::values::OrgId>,
    now: Timestamp,
) -> Actor {
    let u = User {
        id: UserId::from_uuid(Uuid::from_u128(0x5e00 + n)),
        org_id: org,
        email: Email::parse(&format!("user{n}@example.com")).unwrap(),
        name: format!("User {n}"),
        role,
        created_at: now,
    };
    store
        .create_user(&u, Some(&format!("token-hash-{n}")))
        .await
        .unwrap();
    u.actor()
}

/// The time the sample world starts at.
pub fn now() -> Timestamp {
    "2026-11-02T10:00:00Z".parse().unwrap()
}

impl World {
    pub async fn new(store: Arc<dyn Store>) -> World {
        let now = now();
        store
            .create_organisation(&sample::adatum(), now)
            .await
            .unwrap();
        store
            .create_organisation(&sample::litware(), now)
            .await
            .unwrap();
        store.import_directory(&sample::tenants()).await.unwrap();
        let s = store.as_ref();
        let adatum = user(s, 1, Role::IncentivesAdmin, Some(sample::adatum().id), now).await;
        let litware = user(s, 2, Role::IncentivesAdmin, Some(sample::litware().id), now).await;
        let reviewer = user(s, 3, Role::Reviewer, None, now).await;
        let support = user(s, 4, Role::SupportAgent, None, now).await;
        World {
            store,
            now,
            adatum,
            litware,
            reviewer,
            support,
        }
    }

    /// The sample world's users in a store where [`World::new`] already ran.
    pub async fn existing(store: Arc<dyn Store>) -> World {
        let get = |n: u32| {
            let store = store.clone();
            async move {
                store
                    .user_by_token(&format!("token-hash-{n}"), now())
                    .await
                    .unwrap()
                    .unwrap()
                    .actor()
            }
        };
        World {
            now: now(),
            adatum: get(1).await,
            litware: get(2).await,
            reviewer: get(3).await,
            support: get(4).await,
            store,
        }
    }

    pub fn poe_command(&self, actor: &Actor) -> Command {
        Command::AddPoe(PoeFile {
            id: PoeId::from_uuid(Uuid::now_v7()),
            file_name: "sow.pdf".into(),
            kind: PoeKind::Pdf,
            size: 2048,
            sha256: "ab".repeat(32),
            uploaded_at: self.now,
            uploaded_by: actor.user_id(),
        })
    }

    pub fn at(&self, id: ClaimId, cmd: Command, actor: &Actor) -> CommandRequest {
        CommandRequest::new(id, cmd, actor.clone(), self.now)
    }

    pub async fn run(&self, actor: &Actor, id: ClaimId, cmd: Command) -> Result<CommandOutcome> {
        self.store.execute(self.at(id, cmd, actor)).await
    }

    pub async fn ok(&self, actor: &Actor, id: ClaimId, cmd: Command) -> CommandOutcome {
        let name = cmd.name();
        match self.run(actor, id, cmd).await {
            Ok(o) => o,
            Err(e) => panic!("{name} refused: {e}"),
        }
    }

    pub async fn create(&self, actor: &Actor, input: ClaimInput) -> ClaimId {
        let id = new_id();
        let cmd = Command::Create {
            id,
            org_id: actor.org().unwrap(),
            fields: input.parse().unwrap(),
        };
        self.ok(actor, id, cmd).await;
        id
    }

    pub async fn add_poe(&self, actor: &Actor, id: ClaimId) {
        self.ok(actor, id, self.poe_command(actor)).await;
    }

    pub async fn submitted(&self, actor: &Actor, input: ClaimInput) -> ClaimId {
        let id = self.create(actor, input).await;
        self.add_poe(actor, id).await;
        self.ok(actor, id, Command::Submit { comment: None }).await;
        id
    }

    pub async fn under_review(&self, actor: &Actor, input: ClaimInput) -> ClaimId {
        let id = self.submitted(actor, input).await;
        self.ok(&self.reviewer, id, Command::StartReview { comment: None })
            .await;
        id
    }

    pub async fn approved(&self, actor: &Actor, input: ClaimInput) -> ClaimId {
        let id = self.under_review(actor, input).await;
        self.ok(&self.reviewer, id, approve()).await;
        id
    }

    pub async fn rejected(&self, actor: &Actor, input: ClaimInput) -> ClaimId {
        let id = self.under_review(actor, input).await;
        let reject = Command::Reject {
            reasons: vec!["insufficient_poe".into()],
            comment: Some(cpor_domain::values::CommentBody::parse("No.").unwrap()),
        };
        self.ok(&self.reviewer, id, reject).await;
        id
    }

    /// Opens a dispute of a rejected claim.
    pub async fn dispute(&self, actor: &Actor, id: ClaimId) {
        let input = cpor_domain::claim::DisputeInput {
            program: None,
            products: None,
            details: cpor_domain::values::DisputeDetails::parse("See SOW").unwrap(),
        };
        self.ok(actor, id, Command::OpenDispute(input)).await;
    }

    pub fn later(&mut self, d: SignedDuration) {
        self.now = self.now.checked_add(d).unwrap();
    }
}

pub fn approve() -> Command {
    Command::Approve {
        comment: None,
        consent: ConsentSecret(format!("secret-{}", Uuid::now_v7())),
        // Arbitration cases confirm what the other partner loses.
        confirm: true,
    }
}

pub fn teams(name: &str) -> ClaimInput {
    sample::m365_claim(name, sample::ADATUM_MPN, &["teams"])
}

pub fn litware_teams(name: &str) -> ClaimInput {
    sample::m365_claim(name, sample::LITWARE_MPN, &["teams"])
}

/// Declares one test per conformance case for a backend: `conformance!(make_fixture)`
/// where `make_fixture()` is an async fn returning a fresh [`Fixture`], or `None` when
/// the backend is not available here (see [`postgres_url`]).
#[macro_export]
macro_rules! conformance {
    ($make:path) => {
        $crate::conformance!(@cases $make;
            commands_append_events_and_keep_the_row_in_step,
            a_stale_version_is_refused_and_changes_nothing,
            a_refused_command_changes_nothing,
            racing_approvals_for_one_key_leave_exactly_one_holder,
            concurrent_commands_on_one_claim_serialise,
            timers_are_scheduled_replaced_and_cancelled_with_the_state,
            a_due_timer_fires_exactly_once,
            a_leased_job_is_not_taken_twice_and_a_failed_one_is_retried,
            approval_writes_the_outbox_and_delivery_forgets_the_secret,
            idempotent_requests_answer_the_first_outcome,
            pages_are_stable_and_complete,
            filters_select_the_right_claims,
            each_order_pages_through_every_claim_once,
            a_cursor_of_another_order_is_refused,
            the_product_last_change_and_subscription_filters_select_the_right_claims,
            claim_counts_list_every_status,
            the_review_queue_is_oldest_due_first,
            the_disputes_queue_is_oldest_due_first,
            report_events_are_read_by_time_and_organisation,
            a_holiday_moves_running_deadlines_when_recounted,
            deleting_a_draft_removes_it_and_its_timers,
            the_directory_import_replaces_each_tenant,
            users_are_found_by_token_and_emails_are_unique,
            reference_data_changes_are_seen_by_commands,
            comments_are_kept_per_thread,
            dropped_poe_records_queue_their_file_removal,
            background_events_do_not_refuse_an_editors_if_match,
            duplicates_are_refused_alike,
            an_undecodable_job_is_parked_and_the_others_run,
            a_job_out_of_attempts_is_parked_until_requeued,
            a_user_may_have_no_api_token,
            account_by_email_is_case_insensitive,
            accounts_keep_password_language_and_role,
            changing_an_unknown_user_is_not_found,
            sessions_are_created_read_touched_and_ended,
            a_link_works_once_and_peeking_does_not_use_it,
            an_expired_link_does_not_work,
            a_link_of_one_purpose_is_not_one_of_another,
            concurrent_uses_of_a_link_let_exactly_one_through,
            login_failures_are_counted_per_key_since_a_time_and_cleared,
            disabling_a_user_ends_its_sessions_and_stops_its_tokens,
            a_revoked_token_and_an_expired_token_authenticate_nobody,
            tokens_list_newest_first_without_revoked_ones,
            another_user_cannot_revoke_my_token,
            a_token_records_its_last_use_at_most_once_a_minute,
            an_organisation_is_renamed,
            an_organisation_has_a_language_once_one_is_chosen,
            a_location_in_use_or_the_last_one_cannot_be_removed,
            a_suspended_organisations_users_are_refused_until_lifted,
            a_retired_product_is_refused_for_new_claims_and_can_come_back,
            the_feed_and_the_periods_follow_an_association,
            the_export_pages_by_claim_and_key,
            a_scoped_token_says_its_scope,
            deliveries_are_queued_with_their_change_and_taken_in_order,
            a_disabled_endpoint_receives_nothing_until_enabled,
            the_digest_goes_out_once_a_day_and_opt_outs_are_kept
        );
    };
    (@cases $make:path; $($case:ident),+) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let Some(f) = $make().await else { return };
                suite::cases::$case(f.store.clone()).await;
                drop(f);
            }
        )+
    };
}

/// The PostgreSQL server the tests may use (`scripts/test` starts one). Without it the
/// PostgreSQL tests are skipped, loudly, unless `CPOR_REQUIRE_POSTGRES` is set (as in CI),
/// where a missing server is a failure.
pub fn postgres_url() -> Option<String> {
    match std::env::var("CPOR_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CPOR_REQUIRE_POSTGRES").is_some() => {
            panic!(
                "CPOR_REQUIRE_POSTGRES is set but CPOR_TEST_DATABASE_URL is not: start PostgreSQL with scripts/test"
            )
        }
        _ => {
            eprintln!(
                "skipped: no PostgreSQL (CPOR_TEST_DATABASE_URL is not set; scripts/test starts one)"
            );
            None
        }
    }
}

/// A new, empty database on the test server; its URL.
pub async fn fresh_postgres_database(url: &str) -> String {
    use sqlx::Connection;
    let name = format!("cpor_test_{}", Uuid::now_v7().simple());
    let mut admin = sqlx::PgConnection::connect(url)
        .await
        .expect("connect to the test PostgreSQL");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create database");
    let (base, _) = url.rsplit_once('/').expect("a database URL");
    format!("{base}/{name}")
}
