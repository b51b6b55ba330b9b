//! `cpor`: run the service, administer a deployment, load demo data.

mod admin;
mod demo;

use clap::{Parser, Subcommand};
use cpor_server::StoreConfig;

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

#[derive(Subcommand)]
enum Top {
    /// Serve the API, the consent page and the background worker.
    Serve {
        #[command(flatten)]
        config: cpor_server::Config,
        /// Load the demo world first when the data directory is empty (see `cpor demo`).
        #[arg(long)]
        demo: bool,
    },
    /// Administer a deployment.
    Admin {
        #[command(subcommand)]
        command: admin::AdminCommand,
        #[command(flatten)]
        data: StoreConfig,
    },
    /// Load a demo world (organisations, users of every role, a tenant directory and
    /// claims in every status) and print how to start.
    Demo {
        #[command(flatten)]
        data: StoreConfig,
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
            Top::Serve { config, demo } => {
                if demo {
                    let served_at = config
                        .public_url
                        .clone()
                        .unwrap_or_else(|| format!("http://{}", config.listen));
                    demo::run(&config.store, true, served_at.trim_end_matches('/')).await?;
                }
                cpor_server::serve(config).await
            }
            Top::Admin { command, data } => admin::run(command, &data).await,
            Top::Demo { data } => {
                let served_at = format!("http://{}", cpor_server::config::DEFAULT_LISTEN);
                demo::run(&data, false, &served_at).await
            }
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
pub async fn open(data: &StoreConfig) -> Result<std::sync::Arc<dyn cpor_store::Store>, String> {
    cpor_server::open_store(data).await
}
