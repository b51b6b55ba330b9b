//! The cpor service: the JSON API (with its OpenAPI document), the customer's consent
//! page, authentication and authorisation, and the background worker, on a [`Store`].

pub mod administration;
pub mod api;
pub mod auth;
pub mod backup;
pub mod blobs;
pub mod clock;
pub mod config;
pub mod digest;
pub mod directory;
pub mod eligibility;
pub mod error;
pub mod findings;
pub mod layers;
pub mod mail;
pub mod metrics;
pub mod password;
pub mod request;
pub mod state;
pub mod template;
pub mod web;
pub mod webhooks;
pub mod worker;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
pub use config::{Config, StoreConfig};
use cpor_store::Store;
use state::{App, AppState};
use std::net::SocketAddr;
use std::sync::Arc;

/// Opens the configured database.
pub async fn open_store(config: &StoreConfig) -> Result<Arc<dyn Store>, String> {
    match &config.database_url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            cpor_store::postgres::PgStore::connect(url, config.database_pool)
                .await
                .map(|s| Arc::new(s) as Arc<dyn Store>)
                .map_err(|e| format!("cannot open the PostgreSQL database: {e}"))
        }
        Some(_) => Err("the database URL starts with postgres://; leave it out for the embedded SQLite database".into()),
        None => cpor_store::sqlite::SqliteStore::open(&config.data_dir)
            .map(|s| Arc::new(s) as Arc<dyn Store>)
            .map_err(|e| e.to_string()),
    }
}

/// The shared state of a service on `store`.
pub fn state(
    config: &Config,
    store: Arc<dyn Store>,
    clock: Arc<dyn clock::Clock>,
) -> Result<App, String> {
    let blobs = config.store.blobs()?;
    let mailer: Arc<dyn mail::Mailer> = match &config.smtp_url {
        Some(url) => {
            let smtp = mail::smtp::SmtpConfig::parse(
                url,
                config.smtp_username.as_deref(),
                config.smtp_password.as_deref(),
            )?;
            let ca = match &config.smtp_ca_file {
                Some(path) => Some(std::fs::read(path).map_err(|e| {
                    format!("cannot read the SMTP CA file {}: {e}", path.display())
                })?),
                None => None,
            };
            Arc::new(mail::SmtpMailer::new(&smtp, ca.as_deref())?)
        }
        None => Arc::new(
            mail::FileMailer::new(config.store.data_dir.join("outbox"))
                .map_err(|e| e.to_string())?,
        ),
    };
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.listen));
    Ok(Arc::new(AppState {
        store,
        clock,
        blobs,
        mailer,
        metrics: metrics::Metrics::install(),
        public_url: public_url.trim_end_matches('/').to_string(),
        mail_from: config.mail_from.clone(),
        webhook_client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("cpor-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot build the webhook client: {e}"))?,
        webhook_allow_private: config.webhook_allow_private,
    }))
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(app): State<App>) -> impl IntoResponse {
    match app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "the database is unavailable",
            )
        }
    }
}

/// The whole HTTP service.
pub async fn router(app: App) -> Router {
    let max_upload = app
        .store
        .reference()
        .await
        .map(|r| r.policy.poe_max_bytes as usize)
        .unwrap_or(10 * 1024 * 1024);
    let (api, doc) = api::routes(max_upload + 64 * 1024);
    Router::new()
        .merge(api)
        .merge(web::routes(app.clone(), max_upload + 64 * 1024))
        .route("/consent/{token}", get(web::consent::show))
        .route("/consent/{token}/decline", post(web::consent::decline))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics::endpoint))
        .merge(utoipa_swagger_ui::SwaggerUi::new("/api/docs").url("/api/openapi.json", doc))
        .fallback(web::not_found)
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(axum::middleware::from_fn(layers::problems))
        .layer(axum::middleware::from_fn(layers::security_headers))
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(layers::request_span))
        .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
        .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(
            tower_http::request_id::MakeRequestUuid,
        ))
        .with_state(app)
}

/// Serves `app` on `listener` until `shutdown` completes.
pub async fn serve_on(
    app: App,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = router(app).await;
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// `cpor serve`: opens the store, starts the worker and serves until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), String> {
    let store = open_store(&config.store).await?;
    let clock: Arc<dyn clock::Clock> = match &config.clock_file {
        Some(p) => Arc::new(clock::FileClock(p.clone())),
        None => Arc::new(clock::SystemClock),
    };
    let app = state(&config, store, clock)?;
    tokio::spawn(worker::run_forever(app.clone(), config.job_poll()));
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%addr, backend = app.store.backend(), "cpor is serving");
    println!("cpor is serving on http://{addr} (API docs: http://{addr}/api/docs)");
    serve_on(app.clone(), listener, shutdown_signal())
        .await
        .map_err(|e| e.to_string())?;
    app.store.close().await.map_err(|e| e.to_string())?;
    tracing::info!("cpor stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
