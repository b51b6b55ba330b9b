//! What every request handler and worker shares.

use crate::clock::Clock;
use crate::mail::Mailer;
use crate::metrics::Metrics;
use cpor_store::Store;
use object_store::ObjectStore;
use std::sync::Arc;

pub struct AppState {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    /// Proof-of-execution files.
    pub blobs: Arc<dyn ObjectStore>,
    pub mailer: Arc<dyn Mailer>,
    pub metrics: Metrics,
    /// The address people reach the service at, for links in e-mails.
    pub public_url: String,
    pub mail_from: String,
    /// Webhook deliveries: no redirects followed (a receiver cannot bounce them inside).
    pub webhook_client: reqwest::Client,
    pub webhook_allow_private: bool,
}

pub type App = Arc<AppState>;
