//! Prometheus metrics: requests and their latency per route, commands per outcome, SLA
//! breaches, e-mails, and the job queue (read from the store at scrape time).

use crate::state::App;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Request latency buckets, in seconds: histograms, unlike summaries, add up across
/// processes.
const LATENCY_BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// How often recorded samples are folded into the histograms. Without it every sample
/// is kept until `/metrics` is scraped: memory grows with every request.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// The process's metrics (one recorder per process, shared by every app in it).
#[derive(Clone)]
pub struct Metrics {
    handle: Option<PrometheusHandle>,
}

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

impl Metrics {
    pub fn install() -> Metrics {
        let handle = HANDLE
            .get_or_init(|| {
                let built = PrometheusBuilder::new()
                    .set_buckets_for_metric(
                        Matcher::Full("cpor_http_request_duration_seconds".into()),
                        &LATENCY_BUCKETS,
                    )
                    .and_then(PrometheusBuilder::install_recorder);
                match built {
                    Ok(h) => {
                        let upkeep = h.clone();
                        std::thread::Builder::new()
                            .name("metrics-upkeep".into())
                            .spawn(move || {
                                loop {
                                    std::thread::sleep(UPKEEP_EVERY);
                                    upkeep.run_upkeep();
                                }
                            })
                            .map_err(|e| tracing::warn!("no metrics upkeep: {e}"))
                            .ok();
                        Some(h)
                    }
                    Err(e) => {
                        tracing::warn!("metrics disabled: {e}");
                        None
                    }
                }
            })
            .clone();
        Metrics { handle }
    }

    pub fn render(&self) -> String {
        self.handle
            .as_ref()
            .map(PrometheusHandle::render)
            .unwrap_or_default()
    }
}

pub fn command(name: &'static str, outcome: &'static str) {
    metrics::counter!("cpor_commands_total", "command" => name, "outcome" => outcome).increment(1);
}

pub fn sla_breach(sla: &'static str) {
    metrics::counter!("cpor_sla_breaches_total", "sla" => sla).increment(1);
}

pub fn email(outcome: &'static str) {
    metrics::counter!("cpor_emails_total", "outcome" => outcome).increment(1);
}

/// Counts every request and its latency by route template (never by raw path) and by
/// known method, so that no request can add series of its own making.
pub async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = crate::layers::method_label(req.method());
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    metrics::counter!("cpor_http_requests_total", "method" => method, "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("cpor_http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    resp
}

/// `GET /metrics`.
pub async fn endpoint(State(app): State<App>) -> Response {
    if let Ok(stats) = app.store.job_stats(app.clock.now()).await {
        metrics::gauge!("cpor_jobs_due").set(stats.due as f64);
        metrics::gauge!("cpor_jobs_failing").set(stats.failing as f64);
        metrics::gauge!("cpor_jobs_parked").set(stats.parked as f64);
    }
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        app.metrics.render(),
    )
        .into_response()
}
