//! `cpor demo`: a world a newcomer can click through: two partner organisations, users
//! of every role, the sample tenant directory, and claims in every status and association
//! phase, made by the same commands users run, at moments in the past.

use crate::open;
use cpor_domain::claim::{ClaimInput, Command, ConsentSecret, DisputeInput, hash_secret};
use cpor_domain::jiff::{SignedDuration, Timestamp, ToSpan};
use cpor_domain::poe::{PoeFile, PoeKind};
use cpor_domain::sample;
use cpor_domain::values::{
    ClaimId, CommentBody, DisputeDetails, Email, OrgId, Parse, PoeId, Reason, UserId,
};
use cpor_domain::{Actor, Role};
use cpor_server::StoreConfig as Data;
use cpor_server::clock::ManualClock;
use cpor_store::{CommandRequest, Store, User};
use std::sync::Arc;

struct Demo {
    store: Arc<dyn Store>,
    blobs: Arc<dyn object_store::ObjectStore>,
    now: Timestamp,
}

fn days(n: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * n)
}

impl Demo {
    fn at(&self, ago: SignedDuration) -> Timestamp {
        self.now.checked_sub(ago).unwrap_or(self.now)
    }

    async fn run(
        &self,
        actor: &Actor,
        id: ClaimId,
        cmd: Command,
        ago: SignedDuration,
    ) -> Result<(), String> {
        let name = cmd.name();
        self.store
            .execute(CommandRequest::new(id, cmd, actor.clone(), self.at(ago)))
            .await
            .map(|_| ())
            .map_err(|e| format!("demo {name}: {e}"))
    }

    async fn create(
        &self,
        actor: &Actor,
        input: ClaimInput,
        ago: SignedDuration,
    ) -> Result<ClaimId, String> {
        let id = ClaimId::from_uuid(uuid::Uuid::now_v7());
        let fields = input.parse().map_err(|e| format!("demo claim: {e:?}"))?;
        let org_id = actor.org().ok_or("demo claims are made by partner users")?;
        self.run(actor, id, Command::Create { id, org_id, fields }, ago)
            .await?;
        Ok(id)
    }

    async fn poe(&self, actor: &Actor, id: ClaimId, ago: SignedDuration) -> Result<(), String> {
        self.poe_of_work(actor, id, ago, 30).await
    }

    /// A signed statement of work (the "Download template" document, filled in) whose
    /// work ended `ended_days` before the upload, stored like an upload: the file first,
    /// then the record.
    async fn poe_of_work(
        &self,
        actor: &Actor,
        id: ClaimId,
        ago: SignedDuration,
        ended_days: i64,
    ) -> Result<(), String> {
        use object_store::ObjectStoreExt;
        let uploaded = self.at(ago);
        let bytes = self.statement(id, uploaded, ended_days).await?;
        let poe_id = PoeId::from_uuid(uuid::Uuid::now_v7());
        self.blobs
            .put(
                &cpor_server::blobs::poe_path(id, poe_id),
                bytes.clone().into(),
            )
            .await
            .map_err(|e| format!("demo file: {e}"))?;
        let poe = PoeFile {
            id: poe_id,
            file_name: "statement-of-work-signed.pdf".into(),
            kind: PoeKind::Pdf,
            size: bytes.len() as u64,
            sha256: cpor_domain::poe::sha256_hex(&bytes),
            uploaded_at: uploaded,
            uploaded_by: actor.user_id(),
        };
        self.run(actor, id, Command::AddPoe(poe), ago).await
    }

    /// The claim's template as its customer would return it: described, dated, signed.
    async fn statement(
        &self,
        id: ClaimId,
        uploaded: Timestamp,
        ended_days: i64,
    ) -> Result<Vec<u8>, String> {
        use cpor_server::template::{Block, blocks, pdf};
        use cpor_server::web::i18n::{I18n, Lang};
        let fail = |e: cpor_store::StoreError| e.to_string();
        let claim = self
            .store
            .claim(id)
            .await
            .map_err(fail)?
            .ok_or("demo claim")?;
        let reference = self.store.reference().await.map_err(fail)?;
        let partner = self
            .store
            .organisation(claim.org_id)
            .await
            .map_err(fail)?
            .map(|o| o.name.to_string())
            .unwrap_or_default();
        let i = I18n::new(Lang::En, reference.calendar.time_zone().clone());
        let day = |t: Timestamp| t.to_zoned(reference.calendar.time_zone().clone()).date();
        let ended = uploaded.checked_sub(days(ended_days)).unwrap_or(uploaded);
        let started = ended.checked_sub(days(45)).unwrap_or(ended);
        let customer = claim
            .fields
            .customer_contact
            .as_ref()
            .map(|c| (c.name.to_string(), c.title.to_string()))
            .unwrap_or_default();
        let filled: Vec<Block> = blocks(&claim, &partner, &reference, &i, ended)
            .into_iter()
            .map(|b| match b {
                Block::Blank(label) => {
                    let value = if label.starts_with("Description") {
                        format!(
                            "deployed and configured the products above for {} with the customer's IT team, then trained 40 administrators",
                            claim.fields.domain.to_unicode()
                        )
                    } else if label.starts_with("Dates") {
                        format!("{} to {}", day(started), day(ended))
                    } else if label == "Name" {
                        customer.0.clone()
                    } else if label == "Title" {
                        customer.1.clone()
                    } else if label == "Date" {
                        day(ended).to_string()
                    } else {
                        format!("/s/ {}", customer.0)
                    };
                    Block::Text(format!("{label}: {value}"))
                }
                other => other,
            })
            .collect();
        pdf(&filled)
    }

    /// A claim taken to review, `ago` days back.
    async fn to_review(
        &self,
        actor: &Actor,
        reviewer: &Actor,
        input: ClaimInput,
        ago: i64,
    ) -> Result<ClaimId, String> {
        let id = self.create(actor, input, days(ago)).await?;
        self.poe(actor, id, days(ago)).await?;
        self.run(actor, id, Command::Submit { comment: None }, days(ago))
            .await?;
        self.run(
            reviewer,
            id,
            Command::StartReview { comment: None },
            days(ago) - SignedDuration::from_hours(2),
        )
        .await?;
        Ok(id)
    }
}

fn comment(s: &str) -> Option<CommentBody> {
    CommentBody::parse(s).ok()
}

async fn user(
    store: &Arc<dyn Store>,
    org: Option<OrgId>,
    role: Role,
    name: &str,
    email: &str,
    password_hash: &str,
) -> Result<(Actor, String), String> {
    let u = User {
        id: UserId::from_uuid(uuid::Uuid::now_v7()),
        org_id: org,
        email: Email::parse(email).map_err(|e| e.to_string())?,
        name: name.into(),
        role,
        created_at: Timestamp::now(),
    };
    let token = cpor_server::auth::new_secret("cpor");
    store
        .create_user(&u, Some(&hash_secret(&token)))
        .await
        .map_err(|e| e.to_string())?;
    store
        .set_password(u.id, password_hash)
        .await
        .map_err(|e| e.to_string())?;
    Ok((u.actor(), token))
}

/// Loads the demo. With `if_empty`, a data directory that already has organisations is
/// left as it is (so `cpor serve --demo` can be run again).
/// Every demo user signs in to the portal with this password (demo data only).
pub const DEMO_PASSWORD: &str = "cpor-demo-password";

/// The demo's people: organisation (`a` Adatum, `l` Litware, none for the operator),
/// role, name, e-mail.
const PEOPLE: [(char, Role, &str, &str); 8] = [
    ('a', Role::GlobalAdmin, "Alex Global", "alex@adatum.example"),
    (
        'a',
        Role::IncentivesAdmin,
        "Ines Admin",
        "ines@adatum.example",
    ),
    ('a', Role::IncentivesUser, "Ugo User", "ugo@adatum.example"),
    ('a', Role::BillingAdmin, "Bea Billing", "bea@adatum.example"),
    (
        'l',
        Role::IncentivesAdmin,
        "Lia Litware",
        "lia@litware.example",
    ),
    ('-', Role::Reviewer, "Rui Reviewer", "rui@operator.example"),
    (
        '-',
        Role::SupportAgent,
        "Sara Support",
        "sara@operator.example",
    ),
    (
        '-',
        Role::ProgramAdmin,
        "Pia Program",
        "pia@operator.example",
    ),
];

/// The portal's sign-in lines: `<role> <e-mail> <password>` under "Web sign-in".
fn print_sign_in(served_at: &str) {
    println!("Web sign-in");
    for (_, role, _, email) in PEOPLE {
        println!("  {} {email} {DEMO_PASSWORD}", role.as_str());
    }
    println!("(role, e-mail, password; sign in at {served_at}/login)\n");
}

/// Loads the demo. `served_at` is the address `cpor serve` answers at, for the links it
/// prints.
pub async fn run(data: &Data, if_empty: bool, served_at: &str) -> Result<(), String> {
    let store = open(data).await?;
    if !store
        .organisations()
        .await
        .map_err(|e| e.to_string())?
        .is_empty()
    {
        if if_empty {
            println!(
                "{} already has data: serving it as it is.",
                data.data_dir.display()
            );
            print_sign_in(served_at);
            return Ok(());
        }
        return Err(format!(
            "{} already has organisations; load the demo into an empty data directory",
            data.data_dir.display()
        ));
    }
    let now = Timestamp::now();
    let (adatum, litware) = (sample::adatum(), sample::litware());
    store
        .create_organisation(&adatum, now)
        .await
        .map_err(|e| e.to_string())?;
    store
        .create_organisation(&litware, now)
        .await
        .map_err(|e| e.to_string())?;
    let mut tenants = sample::tenants();
    // Northwind's Business Central subscription ended five days ago, so one demo
    // association can have expired.
    let ended = now
        .to_zoned(cpor_domain::jiff::tz::TimeZone::UTC)
        .date()
        .checked_sub(5.days())
        .map_err(|e| e.to_string())?;
    if let Some(s) = tenants
        .iter_mut()
        .flat_map(|t| t.subscriptions.iter_mut())
        .find(|s| s.id.to_string() == sample::NORTHWIND_BC)
    {
        s.ends_on = Some(ended);
    }
    store
        .import_directory(&tenants)
        .await
        .map_err(|e| e.to_string())?;
    // Support's mailbox, so a dispute in the demo reaches someone.
    let mut policy = store
        .reference()
        .await
        .map_err(|e| e.to_string())?
        .policy
        .clone();
    policy.support_email = Some("support@operator.example".into());
    store.set_policy(&policy).await.map_err(|e| e.to_string())?;

    let mut tokens = Vec::new();
    let a = Some(adatum.id);
    let l = Some(litware.id);
    let password_hash = cpor_server::password::hash(DEMO_PASSWORD.into()).await?;
    let people = PEOPLE.map(|(o, role, name, email)| {
        let org = match o {
            'a' => a,
            'l' => l,
            _ => None,
        };
        (org, role, name, email)
    });
    let mut actors = Vec::new();
    for (org, role, name, email) in people {
        let (actor, token) = user(&store, org, role, name, email, &password_hash).await?;
        tokens.push((
            role,
            name,
            if org == a {
                "Adatum Consulting"
            } else if org == l {
                "Litware Advisory"
            } else {
                "operator"
            },
            token,
        ));
        actors.push(actor);
    }
    let (ines, lia, rui, sara) = (&actors[1], &actors[4], &actors[5], &actors[6]);
    let d = Demo {
        store: store.clone(),
        blobs: data.blobs()?,
        now,
    };
    let contoso_m365 = |name: &str, mpn: &str, w: &[&str]| sample::m365_claim(name, mpn, w);
    let ba = |name: &str,
              mpn: &str,
              tenant: &str,
              domain: &str,
              activity: &str,
              product: &str,
              sub: &str| {
        sample::bizapps_claim(name, mpn, tenant, domain, activity, product, sub)
    };

    // Draft ("Editing").
    d.create(
        ines,
        contoso_m365("Contoso Intune pilot", sample::ADATUM_MPN, &["intune"]),
        days(1),
    )
    .await?;
    // Submitted.
    let id = d
        .create(
            lia,
            ba(
                "Fabrikam service desk",
                sample::LITWARE_MPN,
                sample::FABRIKAM,
                "fabrikam.com",
                "usage",
                "dynamics_365_customer_service",
                sample::FABRIKAM_SERVICE,
            ),
            SignedDuration::from_hours(3),
        )
        .await?;
    // Its statement of work is dated two years back: the reviewer's "old dates" case.
    d.poe_of_work(lia, id, SignedDuration::from_hours(3), 730)
        .await?;
    d.run(
        lia,
        id,
        Command::Submit {
            comment: comment("Signed SOW attached."),
        },
        SignedDuration::from_hours(3),
    )
    .await?;
    // Under review.
    d.to_review(
        ines,
        rui,
        contoso_m365(
            "Contoso OneDrive migration",
            sample::ADATUM_MPN_2,
            &["onedrive", "sharepoint_online"],
        ),
        1,
    )
    .await?;
    // Partner action required.
    let id = d
        .to_review(
            ines,
            rui,
            ba(
                "Contoso Sales pre-sales",
                sample::ADATUM_MPN,
                sample::CONTOSO,
                "contoso.onmicrosoft.com",
                "pre_sales",
                "dynamics_365_sales",
                sample::CONTOSO_SALES,
            ),
            2,
        )
        .await?;
    d.run(
        rui,
        id,
        Command::RequestInformation {
            reasons: vec!["missing_customer_signature".into()],
            comment: comment("The statement of work is not signed by the customer."),
        },
        days(1),
    )
    .await?;
    // Approved, consent pending.
    let id = d
        .to_review(
            lia,
            rui,
            contoso_m365(
                "Contoso Exchange",
                sample::LITWARE_MPN,
                &["exchange_online"],
            ),
            3,
        )
        .await?;
    d.run(
        rui,
        id,
        Command::Approve {
            comment: None,
            consent: ConsentSecret(cpor_server::auth::new_secret("consent")),
            // The demo's arbitration is confirmed, as a reviewer would.
            confirm: true,
        },
        days(2),
    )
    .await?;
    // Approved, active (the consent window passed).
    let active = d
        .to_review(
            ines,
            rui,
            contoso_m365("Contoso Teams adoption", sample::ADATUM_MPN, &["teams"]),
            12,
        )
        .await?;
    d.run(
        rui,
        active,
        Command::Approve {
            comment: comment("Clear PoE."),
            consent: ConsentSecret(cpor_server::auth::new_secret("consent")),
            // The demo's arbitration is confirmed, as a reviewer would.
            confirm: true,
        },
        days(11),
    )
    .await?;
    // Approved, expired (Northwind's subscription ended).
    let expired = d
        .to_review(
            ines,
            rui,
            ba(
                "Northwind Business Central",
                sample::ADATUM_MPN,
                sample::NORTHWIND,
                "northwindtraders.com",
                "usage",
                "dynamics_365_business_central",
                sample::NORTHWIND_BC,
            ),
            40,
        )
        .await?;
    d.run(
        rui,
        expired,
        Command::Approve {
            comment: None,
            consent: ConsentSecret(cpor_server::auth::new_secret("consent")),
            // The demo's arbitration is confirmed, as a reviewer would.
            confirm: true,
        },
        days(39),
    )
    .await?;
    // Approved, ended (disassociated).
    let ended_id = d
        .to_review(
            lia,
            rui,
            contoso_m365(
                "Contoso Defender",
                sample::LITWARE_MPN,
                &["defender_for_office_365"],
            ),
            20,
        )
        .await?;
    d.run(
        rui,
        ended_id,
        Command::Approve {
            comment: None,
            consent: ConsentSecret(cpor_server::auth::new_secret("consent")),
            // The demo's arbitration is confirmed, as a reviewer would.
            confirm: true,
        },
        days(19),
    )
    .await?;
    d.run(
        lia,
        ended_id,
        Command::Disassociate {
            reason: Reason::parse("We no longer manage this tenant.").ok(),
        },
        days(2),
    )
    .await?;
    // Rejected.
    let id = d
        .to_review(
            lia,
            rui,
            contoso_m365("Contoso Entra P2", sample::LITWARE_MPN, &["entra_id_p2"]),
            6,
        )
        .await?;
    d.run(
        rui,
        id,
        Command::Reject {
            reasons: vec!["insufficient_poe".into()],
            comment: comment("The document does not mention Entra ID."),
        },
        days(5),
    )
    .await?;
    // Rejected, disputed.
    let id = d
        .to_review(
            ines,
            rui,
            contoso_m365(
                "Contoso Windows rollout",
                sample::ADATUM_MPN,
                &["windows_enterprise"],
            ),
            7,
        )
        .await?;
    d.run(
        rui,
        id,
        Command::Reject {
            reasons: vec!["missing_customer_consent_on_poe".into()],
            comment: comment("No customer consent on the PoE."),
        },
        days(6),
    )
    .await?;
    d.run(
        ines,
        id,
        Command::OpenDispute(DisputeInput {
            program: None,
            products: None,
            details: DisputeDetails::parse("The consent is on page 3 of the SOW.")
                .map_err(|e| e.to_string())?,
        }),
        days(2),
    )
    .await?;
    d.run(sara, id, Command::StartDispute { comment: None }, days(1))
        .await?;

    // Let the clock catch up: the consent windows and the subscription end pass, and the
    // e-mails of the past weeks are written to the outbox.
    let config = cpor_server::Config {
        store: data.clone(),
        ..cpor_server::Config::new(data.data_dir.clone())
    };
    let clock = Arc::new(ManualClock::new(d.at(days(41))));
    let app = cpor_server::state(&config, store.clone(), clock.clone())?;
    for ago in (0..=41).rev() {
        clock.set(d.at(days(ago)));
        cpor_server::worker::run_due(&app).await;
    }

    println!("Demo data loaded into {}.\n", data.data_dir.display());
    if !if_empty {
        // `cpor demo` loads only; `cpor serve --demo` is already starting the service.
        println!(
            "Start the service:   cpor serve --data-dir {}",
            data.data_dir.display()
        );
    }
    println!("The portal:          {served_at}/login");
    println!("API documentation:   {served_at}/api/docs\n");
    print_sign_in(served_at);
    println!("API tokens (send as `Authorization: Bearer <token>`):");
    for (role, name, org, token) in &tokens {
        println!("  {:<17} {name:<13} {org:<18} {token}", role.as_str());
    }
    println!(
        "\nTry:  curl -s -H \"Authorization: Bearer {}\" {served_at}/api/v1/claims",
        tokens[1].3
    );
    let _ = (active, lia);
    Ok(())
}
