//! `cpor`: run the service, administer a deployment, load demo data.

mod admin;
mod demo;
mod directory_csv;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "cpor",
    version,
    about = "Customer association claims under the Claiming Partner of Record model"
)]
struct Cli {
    #[command(subcommand)]
    command: Top,
}

/// Where the data lives; every command reads it the same way.
#[derive(Args, Clone, Debug)]
pub struct Data {
    /// The data directory (SQLite database, PoE files, e-mail outbox).
    #[arg(
        long,
        env = "CPOR_DATA_DIR",
        default_value = "./cpor-data",
        global = true
    )]
    pub data_dir: PathBuf,
    /// Run on PostgreSQL instead of the embedded SQLite database.
    #[arg(long, env = "CPOR_DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Connections to PostgreSQL per process.
    #[arg(long, env = "CPOR_DATABASE_POOL", default_value_t = 16, global = true)]
    pub database_pool: u32,
}

#[derive(Subcommand)]
enum Top {
    /// Serve the API, the consent page and the background worker.
    Serve {
        #[command(flatten)]
        data: Data,
        /// The address to listen on.
        #[arg(long, env = "CPOR_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// How people reach the service, for links in e-mails (default http://LISTEN).
        #[arg(long, env = "CPOR_PUBLIC_URL")]
        public_url: Option<String>,
        /// Send e-mail through this SMTP relay (smtp://host:port); by default e-mails are
        /// written to DATA_DIR/outbox as .eml files.
        #[arg(long, env = "CPOR_SMTP_URL")]
        smtp_url: Option<String>,
        /// The From address of e-mails.
        #[arg(long, env = "CPOR_MAIL_FROM", default_value = "cpor <cpor@localhost>")]
        mail_from: String,
        /// How often the worker looks for due timers and e-mails, in milliseconds.
        #[arg(long, env = "CPOR_JOB_POLL_MS", default_value_t = 1000)]
        job_poll_ms: u64,
        /// Load the demo world first when the data directory is empty (see `cpor demo`).
        #[arg(long)]
        demo: bool,
        /// Tests only: read the current time from this file.
        #[arg(long, env = "CPOR_CLOCK_FILE", hide = true)]
        clock_file: Option<PathBuf>,
    },
    /// Administer a deployment.
    Admin {
        #[command(subcommand)]
        command: admin::AdminCommand,
        #[command(flatten)]
        data: Data,
    },
    /// Load a demo world (organisations, users of every role, a tenant directory and
    /// claims in every status) and print how to start.
    Demo {
        #[command(flatten)]
        data: Data,
    },
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CPOR_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cpor: cannot start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = rt.block_on(async move {
        match cli.command {
            Top::Serve {
                data,
                listen,
                public_url,
                smtp_url,
                mail_from,
                job_poll_ms,
                demo,
                clock_file,
            } => {
                if demo {
                    demo::run(&data, true).await?;
                }
                let mut config = cpor_server::Config::new(data.data_dir);
                config.database_url = data.database_url;
                config.database_pool = data.database_pool;
                config.listen = listen;
                config.public_url = public_url;
                config.smtp_url = smtp_url;
                config.mail_from = mail_from;
                config.job_poll = std::time::Duration::from_millis(job_poll_ms.max(10));
                config.clock_file = clock_file;
                cpor_server::serve(config).await
            }
            Top::Admin { command, data } => admin::run(command, &data).await,
            Top::Demo { data } => demo::run(&data, false).await,
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cpor: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Opens the store the data options name.
pub async fn open(data: &Data) -> Result<std::sync::Arc<dyn cpor_store::Store>, String> {
    let mut config = cpor_server::Config::new(data.data_dir.clone());
    config.database_url = data.database_url.clone();
    config.database_pool = data.database_pool;
    cpor_server::open_store(&config).await
}
