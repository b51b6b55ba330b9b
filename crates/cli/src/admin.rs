//! `cpor admin …`: organisations, users, the tenant directory, holidays, backups.

use crate::{directory_csv, open};
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
    /// Write a consistent copy of the database to FILE while the service runs.
    Backup { file: PathBuf },
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
}

pub async fn run(command: AdminCommand, data: &Data) -> Result<(), String> {
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
            let records = directory_csv::read(&store, &tenants, subscriptions.as_deref()).await?;
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
            Ok(())
        }
        AdminCommand::Backup { file } => {
            store.backup(&file).await.map_err(|e| e.to_string())?;
            println!("backed up to {}", file.display());
            Ok(())
        }
    }
}
