//! Prometheus metrics: requests and their latency per route, commands per outcome, SLA
//! breaches, e-mails, and the job queue (read from the store at scrape time).

use crate::state::App;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

/// The process's metrics (one recorder per process, shared by every app in it).
#[derive(Clone)]
pub struct Metrics {
    handle: Option<PrometheusHandle>,
}

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

impl Metrics {
    pub fn install() -> Metrics {
        let handle = HANDLE
            .get_or_init(|| match PrometheusBuilder::new().install_recorder() {
                Ok(h) => Some(h),
                Err(e) => {
                    tracing::warn!("metrics disabled: {e}");
                    None
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
