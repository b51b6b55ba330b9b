//! `cpor admin …`: organisations, users, API tokens, the tenant directory, holidays, the
//! policy, backups. The changes the portal and the API also make run the same code
//! (`cpor_server::administration`, `cpor_server::directory`).

use crate::open;
use clap::Subcommand;
use cpor_domain::Role;
use cpor_domain::claim::hash_secret;
use cpor_domain::jiff::Timestamp;
use cpor_domain::jiff::civil::Date;
use cpor_domain::reference::{Location, Organisation};
use cpor_domain::values::{Email, MpnId, OrgId, OrganisationName, Parse, UserId};
use cpor_server::StoreConfig as Data;
use cpor_store::User;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Partner organisations.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Users; each gets an API token, printed once.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The tenant directory.
    Directory {
        #[command(subcommand)]
        command: DirectoryCommand,
    },
    /// The business calendar's holidays.
    Holiday {
        #[command(subcommand)]
        command: HolidayCommand,
    },
    /// API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// The policy: SLA days, windows, PoE limits, the operator's time zone.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// Back up into DIR (new or empty) while the service runs: on SQLite a consistent
    /// copy of the database, and every PoE file of the file store.
    Backup { dir: PathBuf },
    /// Restore a backup DIR into an empty data directory (and an empty file store).
    Restore { dir: PathBuf },
}

#[derive(Subcommand)]
pub enum OrgCommand {
    /// Create an organisation with its partner locations; prints its id.
    Create {
        #[arg(long)]
        name: String,
        /// An MPN ID of a partner location (repeat for several).
        #[arg(long = "mpn-id", required = true)]
        mpn_ids: Vec<String>,
    },
    /// Add a partner location to an organisation.
    AddLocation {
        #[arg(long)]
        org: String,
        #[arg(long = "mpn-id")]
        mpn_id: String,
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; prints it (shown once).
    Create {
        #[arg(long)]
        user: String,
        #[arg(long)]
        name: Option<String>,
        /// `eligibility:read`: the token reads the eligibility feed, export and lookup,
        /// nothing else (for the incentive system). Without it, the user's whole role.
        #[arg(long)]
        scope: Option<String>,
    },
    /// Revoke a user's API token by its public id.
    Revoke {
        #[arg(long)]
        user: String,
        token: String,
    },
}

#[derive(Subcommand)]
pub enum PolicyCommand {
    /// Print the policy, one `setting=value` a line.
    Show,
    /// Change settings: `cpor admin policy set review_pickup_days=3 time_zone=Europe/Paris`.
    Set { settings: Vec<String> },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user: prints their API token (shown once) and, unless the password comes
    /// on standard input, a one-time invitation link (72 hours) to choose one.
    Create {
        /// The organisation's id, or `operator` for the program operator's staff.
        #[arg(long)]
        org: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// global_admin, incentives_admin, incentives_user, billing_admin (partner);
        /// reviewer, support_agent, program_admin (operator).
        #[arg(long)]
        role: String,
        /// Read the user's web sign-in password from standard input (one line).
        #[arg(long)]
        password_stdin: bool,
        /// Where the service is reached, for the invitation link.
        #[arg(long, env = "CPOR_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
    },
    /// List the users of an organisation (or `operator`): id, e-mail, role, state.
    List {
        #[arg(long)]
        org: String,
    },
    /// Disable a user (their sessions end, their tokens stop working).
    Disable { user: String },
    /// Enable a disabled user.
    Enable { user: String },
}

#[derive(Subcommand)]
pub enum DirectoryCommand {
    /// Import tenants (tenant_id,domain) and subscriptions
    /// (tenant_id,subscription_id,product,state,channel,starts_on,ends_on). Bad rows are
    /// reported by line and nothing is imported.
    Import {
        #[arg(long)]
        tenants: PathBuf,
        #[arg(long)]
        subscriptions: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum HolidayCommand {
    /// Add a holiday (YYYY-MM-DD).
    Add {
        date: String,
        #[arg(long)]
        name: Option<String>,
    },
    /// List the holidays, one a line: its ISO date, then its name.
    List,
    /// Remove a holiday (YYYY-MM-DD).
    Remove { date: String },
}

pub async fn run(command: AdminCommand, data: &Data) -> Result<(), String> {
    if let AdminCommand::Restore { dir } = &command {
        return restore(dir, data).await;
    }
    let store = open(data).await?;
    let now = Timestamp::now();
    match command {
        AdminCommand::Org {
            command: OrgCommand::Create { name, mpn_ids },
        } => {
            let mut errors = Vec::new();
            let name = OrganisationName::parse_field("--name", &name)
                .map_err(|e| errors.push(e.to_string()))
                .ok();
            let locations: Vec<Location> = mpn_ids
                .iter()
                .filter_map(|m| {
                    MpnId::parse_field("--mpn-id", m)
                        .map_err(|e| errors.push(e.to_string()))
                        .ok()
                })
                .map(|mpn_id| Location { mpn_id, name: None })
                .collect();
            let (Some(name), true) = (name, errors.is_empty()) else {
                return Err(errors.join("\n"));
            };
            let org = Organisation {
                id: OrgId::from_uuid(uuid::Uuid::now_v7()),
                name,
                locations,
            };
            store
                .create_organisation(&org, now)
                .await
                .map_err(|e| e.to_string())?;
            println!("{}", org.id);
            Ok(())
        }
        AdminCommand::User {
            command:
                UserCommand::Create {
                    org,
                    email,
                    name,
                    role,
                    password_stdin,
                    public_url,
                },
        } => {
            let mut errors = Vec::new();
            let role = Role::parse_field("--role", &role)
                .map_err(|e| errors.push(e.to_string()))
                .ok();
            let email = Email::parse_field("--email", &email)
                .map_err(|e| errors.push(e.to_string()))
                .ok();
            let name = name.trim().to_string();
            if name.is_empty() {
                errors.push("--name: a name is required".into());
            }
            let org_id = if org == "operator" {
                None
            } else {
                match org.parse::<OrgId>() {
                    Ok(id) => Some(id),
                    Err(_) => {
                        errors.push(format!(
                            "--org: \"{org}\" is neither an organisation id nor `operator`"
                        ));
                        None
                    }
                }
            };
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .map_err(|e| format!("--password-stdin: {e}"))?;
                let line = line.trim_end_matches(['\r', '\n']).to_string();
                if let Err(key) = cpor_server::password::check(&line) {
                    errors.push(format!(
                        "--password-stdin: {} (at least {} characters)",
                        key.replace('-', " "),
                        cpor_server::password::MIN_CHARS
                    ));
                }
                Some(line)
            } else {
                None
            };
            let (Some(role), Some(email), true) = (role, email, errors.is_empty()) else {
                return Err(errors.join("\n"));
            };
            match (role.side(), org_id) {
                (cpor_domain::Side::Partner, None) => {
                    return Err(format!(
                        "--role {role} is a partner role: give the user's organisation with --org"
                    ));
                }
                (cpor_domain::Side::Operator, Some(_)) => {
                    return Err(format!(
                        "--role {role} is an operator role: use --org operator"
                    ));
                }
                _ => {}
            }
            let user = User {
                id: UserId::from_uuid(uuid::Uuid::now_v7()),
                org_id,
                email,
                name,
                role,
                created_at: now,
            };
            let token = cpor_server::auth::new_secret("cpor");
            store
                .create_user(&user, Some(&hash_secret(&token)))
                .await
                .map_err(|e| e.to_string())?;
            println!("{token}");
            match password {
                Some(p) => {
                    let hash = cpor_server::password::hash(p).await?;
                    store
                        .set_password(user.id, &hash)
                        .await
                        .map_err(|e| e.to_string())?;
                }
                None => {
                    let link = cpor_server::web::account::create_link(
                        store.as_ref(),
                        &public_url,
                        user.id,
                        cpor_store::LinkPurpose::Invitation,
                        now,
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                    println!("invitation (works once, for 72 hours): {link}");
                }
            }
            Ok(())
        }
        AdminCommand::Directory {
            command:
                DirectoryCommand::Import {
                    tenants,
                    subscriptions,
                },
        } => {
            let read = |p: &PathBuf| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
            let tenants_text = read(&tenants)?;
            let subscriptions_text = subscriptions.as_ref().map(read).transpose()?;
            let tenants_name = tenants.display().to_string();
            let subscriptions_name = subscriptions.as_ref().map(|p| p.display().to_string());
            let report = cpor_server::directory::read(
                store.as_ref(),
                (&tenants_name, &tenants_text),
                subscriptions_name
                    .as_deref()
                    .zip(subscriptions_text.as_deref()),
            )
            .await
            .map_err(|e| e.to_string())?;
            if !report.ok() {
                let lines: Vec<String> = report.refused.iter().map(|r| r.to_string()).collect();
                return Err(format!("nothing was imported:\n{}", lines.join("\n")));
            }
            let records = report.records;
            let summary = store
                .import_directory(&records)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "imported {} tenants, {} domains, {} subscriptions",
                summary.tenants, summary.domains, summary.subscriptions
            );
            Ok(())
        }
        AdminCommand::Holiday {
            command: HolidayCommand::Add { date, name },
        } => {
            let d: Date = date
                .trim()
                .parse()
                .map_err(|_| format!("DATE: \"{date}\" is not a date such as 2026-12-25"))?;
            let added = store
                .add_holiday(d, name.as_deref())
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "{}",
                if added {
                    format!("{d} is a holiday")
                } else {
                    format!("{d} already was a holiday")
                }
            );
            recount(store.as_ref(), now).await
        }
        AdminCommand::Holiday {
            command: HolidayCommand::List,
        } => {
            for (d, name) in store.holidays().await.map_err(|e| e.to_string())? {
                match name {
                    Some(n) => println!("{d} {n}"),
                    None => println!("{d}"),
                }
            }
            Ok(())
        }
        AdminCommand::Holiday {
            command: HolidayCommand::Remove { date },
        } => {
            let d: Date = date
                .trim()
                .parse()
                .map_err(|_| format!("DATE: \"{date}\" is not a date such as 2026-12-25"))?;
            let removed = store.remove_holiday(d).await.map_err(|e| e.to_string())?;
            // Also when it was none: a retry after a failed recount finishes the recount.
            recount(store.as_ref(), now).await?;
            if removed {
                println!("{d} is no longer a holiday");
                Ok(())
            } else {
                Err(format!("{d} is not a holiday"))
            }
        }
        AdminCommand::Org {
            command: OrgCommand::AddLocation { org, mpn_id, name },
        } => {
            let org: OrgId = org
                .parse()
                .map_err(|_| format!("--org: \"{org}\" is not an organisation id"))?;
            let mpn_id = MpnId::parse_field("--mpn-id", &mpn_id).map_err(|e| e.to_string())?;
            store
                .add_location(org, &Location { mpn_id, name })
                .await
                .map_err(|e| e.to_string())?;
            println!("added");
            Ok(())
        }
        AdminCommand::User {
            command: UserCommand::List { org },
        } => {
            let org_id = if org == "operator" {
                None
            } else {
                Some(org.parse::<OrgId>().map_err(|_| {
                    format!("--org: \"{org}\" is neither an organisation id nor `operator`")
                })?)
            };
            for u in store.users(org_id).await.map_err(|e| e.to_string())? {
                let state = match store.account(u.id).await.map_err(|e| e.to_string())? {
                    Some(a) if a.disabled => "disabled",
                    Some(a) if a.suspended => "suspended",
                    Some(a) if a.password_hash.is_none() => "invited",
                    _ => "active",
                };
                println!("{}\t{}\t{}\t{state}\t{}", u.id, u.email, u.role, u.name);
            }
            Ok(())
        }
        AdminCommand::User {
            command: UserCommand::Disable { user },
        } => set_disabled(store.as_ref(), &user, true).await,
        AdminCommand::User {
            command: UserCommand::Enable { user },
        } => set_disabled(store.as_ref(), &user, false).await,
        AdminCommand::Token {
            command: TokenCommand::Create { user, name, scope },
        } => {
            let user: UserId = user
                .parse()
                .map_err(|_| format!("--user: \"{user}\" is not a user id"))?;
            let scope = scope
                .map(|s| cpor_store::TokenScope::parse_field("--scope", &s))
                .transpose()
                .map_err(|e| e.to_string())?;
            let token = cpor_server::auth::new_secret("cpor");
            store
                .create_token(
                    user,
                    &hash_secret(&token),
                    name.as_deref(),
                    cpor_domain::jiff::Timestamp::now(),
                    None,
                    scope,
                )
                .await
                .map_err(|e| e.to_string())?;
            println!("{token}");
            Ok(())
        }
        AdminCommand::Token {
            command: TokenCommand::Revoke { user, token },
        } => {
            let user: UserId = user
                .parse()
                .map_err(|_| format!("--user: \"{user}\" is not a user id"))?;
            if store
                .revoke_token(user, &token)
                .await
                .map_err(|e| e.to_string())?
            {
                println!("revoked");
                Ok(())
            } else {
                Err(format!("TOKEN: the user has no live token {token}"))
            }
        }
        AdminCommand::Policy {
            command: PolicyCommand::Show,
        } => {
            let p = store
                .reference()
                .await
                .map_err(|e| e.to_string())?
                .policy
                .clone();
            print_policy(&p);
            Ok(())
        }
        AdminCommand::Policy {
            command: PolicyCommand::Set { settings },
        } => {
            let mut p = store
                .reference()
                .await
                .map_err(|e| e.to_string())?
                .policy
                .clone();
            let mut errors = Vec::new();
            for s in &settings {
                let Some((k, v)) = s.split_once('=') else {
                    errors.push(format!("{s}: write setting=value"));
                    continue;
                };
                let n = || {
                    v.trim()
                        .parse::<u64>()
                        .map_err(|_| format!("{k}: \"{v}\" is not a whole number"))
                };
                let days = || {
                    n().and_then(|n| match u32::try_from(n) {
                        Ok(d) if (1..=365).contains(&d) => Ok(d),
                        _ => Err(format!("{k}: 1 to 365 days")),
                    })
                };
                let r = match k.trim() {
                    "review_pickup_days" => days().map(|d| p.review_pickup_days = d),
                    "review_decision_days" => days().map(|d| p.review_decision_days = d),
                    "partner_response_days" => days().map(|d| p.partner_response_days = d),
                    "consent_window_days" => days().map(|d| p.consent_window_days = d),
                    "dispute_window_days" => days().map(|d| p.dispute_window_days = d),
                    "dispute_resolution_days" => days().map(|d| p.dispute_resolution_days = d),
                    "poe_max_bytes" => n().and_then(|b| {
                        if (1024..=cpor_server::administration::MAX_POE_BYTES).contains(&b) {
                            p.poe_max_bytes = b;
                            Ok(())
                        } else {
                            Err(format!(
                                "{k}: 1024 to {}",
                                cpor_server::administration::MAX_POE_BYTES
                            ))
                        }
                    }),
                    "poe_max_count" => n().and_then(|c| match u32::try_from(c) {
                        Ok(c) if (1..=200).contains(&c) => {
                            p.poe_max_count = c;
                            Ok(())
                        }
                        _ => Err(format!("{k}: 1 to 200")),
                    }),
                    "time_zone" => {
                        p.time_zone = v.trim().to_string();
                        Ok(())
                    }
                    "support_email" => match v.trim() {
                        "" => {
                            p.support_email = None;
                            Ok(())
                        }
                        e => cpor_domain::values::Email::parse_field(k, e)
                            .map(|e| p.support_email = Some(e.to_string()))
                            .map_err(|e| e.to_string()),
                    },
                    other => Err(format!("{other}: no such setting")),
                };
                if let Err(e) = r {
                    errors.push(e);
                }
            }
            if !errors.is_empty() {
                return Err(errors.join("\n"));
            }
            store.set_policy(&p).await.map_err(|e| e.to_string())?;
            print_policy(&p);
            recount(store.as_ref(), now).await
        }
        AdminCommand::Backup { dir } => {
            let blobs = data.blobs()?;
            let m = cpor_server::backup::backup(store.as_ref(), blobs.as_ref(), &dir).await?;
            let database = if m.backend == "sqlite" {
                "the database and "
            } else {
                "(the database: back it up with pg_dump) "
            };
            println!(
                "backed up {database}{} files ({} bytes) to {}",
                m.files,
                m.bytes,
                dir.display()
            );
            Ok(())
        }
        AdminCommand::Restore { .. } => unreachable!("handled before the store is opened"),
    }
}

/// Restores a backup: the database file into an empty data directory (before anything
/// opens it), then the files into the file store, then opens the store once to check it.
async fn restore(dir: &std::path::Path, data: &Data) -> Result<(), String> {
    let (manifest, database) = cpor_server::backup::database_of(dir)?;
    match (&database, &data.database_url) {
        (Some(_), Some(_)) => {
            return Err(
                "this backup holds a SQLite database: restore it without --database-url".into(),
            );
        }
        (None, None) => {
            return Err("this backup is of a PostgreSQL deployment (files only): give --database-url of the restored database".into());
        }
        _ => {}
    }
    if let Some(db) = database {
        let target = data.data_dir.join(cpor_store::sqlite::DB_FILE);
        if target.exists() {
            return Err(format!(
                "{} already holds a database: restore into an empty data directory",
                data.data_dir.display()
            ));
        }
        std::fs::create_dir_all(&data.data_dir).map_err(|e| e.to_string())?;
        std::fs::copy(&db, &target).map_err(|e| format!("copying the database: {e}"))?;
    }
    let blobs = data.blobs()?;
    let files = cpor_server::backup::restore_files(dir, blobs.as_ref()).await?;
    let store = open(data).await?;
    let claims = store
        .claim_counts(None)
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .map(|(_, n)| n)
        .sum::<u64>();
    println!(
        "restored {claims} claims and {files} files (of {} backed up) from {}",
        manifest.files,
        dir.display()
    );
    Ok(())
}

/// Deadlines follow the calendar and the policy: after a change of either, the running
/// business-day deadlines of every claim are counted again from when they started.
async fn recount(store: &dyn cpor_store::Store, now: Timestamp) -> Result<(), String> {
    let moved = cpor_store::recount_deadlines(store, now)
        .await
        .map_err(|e| format!("recounting the claims' deadlines: {e}"))?;
    if moved > 0 {
        println!("deadlines of {moved} claim(s) recounted");
    }
    Ok(())
}

fn print_policy(p: &cpor_domain::reference::Policy) {
    println!("review_pickup_days={}", p.review_pickup_days);
    println!("review_decision_days={}", p.review_decision_days);
    println!("partner_response_days={}", p.partner_response_days);
    println!("consent_window_days={}", p.consent_window_days);
    println!("dispute_window_days={}", p.dispute_window_days);
    println!("dispute_resolution_days={}", p.dispute_resolution_days);
    println!("poe_max_bytes={}", p.poe_max_bytes);
    println!("poe_max_count={}", p.poe_max_count);
    println!("time_zone={}", p.time_zone);
    println!(
        "support_email={}",
        p.support_email.as_deref().unwrap_or_default()
    );
}

async fn set_disabled(
    store: &dyn cpor_store::Store,
    user: &str,
    disabled: bool,
) -> Result<(), String> {
    let id: UserId = user
        .parse()
        .map_err(|_| format!("USER: \"{user}\" is not a user id"))?;
    store
        .set_disabled(id, disabled)
        .await
        .map_err(|e| e.to_string())?;
    println!("{}", if disabled { "disabled" } else { "enabled" });
    Ok(())
}
