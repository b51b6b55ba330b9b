//! How the service runs: one typed configuration, read from `cpor` flags or `CPOR_…`
//! environment variables, with each default written once here (tests and the CLI build
//! the same struct).

use clap::Args;
use std::path::PathBuf;
use std::time::Duration;

pub const DEFAULT_DATA_DIR: &str = "./cpor-data";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_DATABASE_POOL: u32 = 16;
pub const DEFAULT_MAIL_FROM: &str = "cpor <cpor@localhost>";
pub const DEFAULT_JOB_POLL_MS: u64 = 1000;

/// Where the data lives; every command reads it the same way.
#[derive(Args, Clone, Debug)]
pub struct StoreConfig {
    /// The data directory (SQLite database, PoE files, e-mail outbox).
    #[arg(long, env = "CPOR_DATA_DIR", default_value = DEFAULT_DATA_DIR, global = true)]
    pub data_dir: PathBuf,
    /// Run on PostgreSQL (postgres://…) instead of the embedded SQLite database.
    #[arg(long, env = "CPOR_DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Connections to PostgreSQL per process.
    #[arg(long, env = "CPOR_DATABASE_POOL", default_value_t = DEFAULT_DATABASE_POOL, global = true)]
    pub database_pool: u32,
    /// Where proof-of-execution files live: `file:///path` (default `DATA_DIR/blobs`),
    /// `s3://bucket/prefix` or `az://container/prefix`.
    #[arg(long, env = "CPOR_BLOB_URL", global = true)]
    pub blob_url: Option<String>,
    /// A setting of the object store, `key=value` (`endpoint=http://…`, `region=…`,
    /// `allow_http=true`…); repeat, or separate with commas in the variable.
    #[arg(long = "blob-option", env = "CPOR_BLOB_OPTIONS", value_delimiter = ',', value_parser = crate::blobs::parse_option, global = true, hide_env_values = true)]
    pub blob_options: Vec<(String, String)>,
}

impl StoreConfig {
    /// The object store of the proof-of-execution files.
    pub fn blobs(&self) -> Result<std::sync::Arc<dyn object_store::ObjectStore>, String> {
        crate::blobs::open(self.blob_url.as_deref(), &self.blob_options, &self.data_dir)
    }

    pub fn new(data_dir: PathBuf) -> StoreConfig {
        StoreConfig {
            data_dir,
            database_url: None,
            database_pool: DEFAULT_DATABASE_POOL,
            blob_url: None,
            blob_options: Vec::new(),
        }
    }
}

/// How `cpor serve` runs.
#[derive(Args, Clone, Debug)]
pub struct Config {
    #[command(flatten)]
    pub store: StoreConfig,
    /// The address to listen on.
    #[arg(long, env = "CPOR_LISTEN", default_value = DEFAULT_LISTEN)]
    pub listen: String,
    /// How people reach the service, for links in e-mails and the origin rule
    /// (default http://LISTEN).
    #[arg(long, env = "CPOR_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Send e-mail through this SMTP relay: smtp://[user:password@]host[:port] (STARTTLS
    /// when offered; ?tls=required to insist, ?tls=none never), or smtps://host[:port]
    /// (implicit TLS); by default e-mails are written to DATA_DIR/outbox as .eml files.
    #[arg(long, env = "CPOR_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The SMTP user name when the URL has none.
    #[arg(long, env = "CPOR_SMTP_USERNAME", hide_env_values = true)]
    pub smtp_username: Option<String>,
    /// The SMTP password when the URL has none (prefer the environment variable).
    #[arg(long, env = "CPOR_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<String>,
    /// A PEM file of a certificate authority to trust for the SMTP relay, besides the
    /// system's (a private CA).
    #[arg(long, env = "CPOR_SMTP_CA_FILE")]
    pub smtp_ca_file: Option<PathBuf>,
    /// The From address of e-mails.
    #[arg(long, env = "CPOR_MAIL_FROM", default_value = DEFAULT_MAIL_FROM)]
    pub mail_from: String,
    /// How often the worker looks for due timers and e-mails, in milliseconds (10 at
    /// least).
    #[arg(long = "job-poll-ms", env = "CPOR_JOB_POLL_MS", default_value_t = DEFAULT_JOB_POLL_MS, value_parser = clap::value_parser!(u64).range(10..))]
    pub job_poll_ms: u64,
    /// Tests only: read the current time from this file (see [`crate::clock::FileClock`]).
    #[arg(long, env = "CPOR_CLOCK_FILE", hide = true)]
    pub clock_file: Option<PathBuf>,
    /// Let webhooks reach loopback and private addresses (a receiver on the same
    /// network). Off by default: a webhook URL must not reach inside the service's
    /// network.
    #[arg(long, env = "CPOR_WEBHOOK_ALLOW_PRIVATE")]
    pub webhook_allow_private: bool,
}

impl Config {
    /// The defaults, on `data_dir`.
    pub fn new(data_dir: PathBuf) -> Config {
        Config {
            store: StoreConfig::new(data_dir),
            listen: DEFAULT_LISTEN.into(),
            public_url: None,
            smtp_url: None,
            smtp_username: None,
            smtp_password: None,
            smtp_ca_file: None,
            mail_from: DEFAULT_MAIL_FROM.into(),
            job_poll_ms: DEFAULT_JOB_POLL_MS,
            clock_file: None,
            webhook_allow_private: false,
        }
    }

    pub fn job_poll(&self) -> Duration {
        Duration::from_millis(self.job_poll_ms)
    }
}
