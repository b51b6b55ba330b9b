//! Starts the real server on port 0 with a fresh data directory, the sample world, a user
//! of every role and a manual clock; talks HTTP to it.
#![allow(dead_code, clippy::unwrap_used)]

pub mod web;

use cpor_domain::Role;
use cpor_domain::claim::hash_secret;
use cpor_domain::jiff::{SignedDuration, Timestamp};
use cpor_domain::sample;
use cpor_domain::values::{Email, OrgId, Parse, UserId};
use cpor_server::clock::ManualClock;
use cpor_server::state::App;
use cpor_store::sqlite::SqliteStore;
use cpor_store::{Store, User};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub app: App,
    pub store: Arc<dyn Store>,
    pub dir: tempfile::TempDir,
    /// Tokens by name: "adatum:<role>", "litware:<role>", "operator:<role>".
    pub tokens: BTreeMap<String, String>,
    /// The PostgreSQL database, dropped with the app (declared last: dropped last).
    _database: Option<cpor_testkit::TempDatabase>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The (field, code) pairs of a problem+json answer.
    pub fn errors(&self) -> Vec<(String, String)> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        (
                            e["field"].as_str().unwrap_or("").to_string(),
                            e["code"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn has_error(&self, field: &str, code: &str) -> bool {
        self.errors().iter().any(|(f, c)| f == field && c == code)
    }
}

/// Every test user's web sign-in password.
pub const PASSWORD: &str = "correct horse battery staple";

/// The hash of [`PASSWORD`], made once per test binary (hashing is slow on purpose).
pub async fn password_hash() -> &'static str {
    static HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    HASH.get_or_init(|| async { cpor_server::password::hash(PASSWORD.into()).await.unwrap() })
        .await
}

/// The e-mail of a test user by name ("adatum:incentives_admin").
pub fn email_of(who: &str) -> String {
    let (org, role) = who.split_once(':').unwrap();
    format!("{role}@{org}.example")
}

/// Friday 20 November 2026, 16:00 UTC.
pub fn start_time() -> Timestamp {
    "2026-11-20T16:00:00Z".parse().unwrap()
}

impl TestApp {
    /// The server on SQLite, or on a fresh PostgreSQL database when
    /// `CPOR_TEST_API_BACKEND=postgres` (scripts/test runs the API suites both ways).
    pub async fn start() -> TestApp {
        TestApp::start_with(|_| {}).await
    }

    /// [`TestApp::start`] with the configuration changed by `configure` (an SMTP relay).
    pub async fn start_with(configure: impl FnOnce(&mut cpor_server::Config)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let (store, database): (Arc<dyn Store>, _) =
            match std::env::var("CPOR_TEST_API_BACKEND").as_deref() {
                Ok("postgres") => {
                    let url = cpor_testkit::postgres_url()
                        .expect("CPOR_TEST_DATABASE_URL for the postgres backend");
                    let db = cpor_testkit::TempDatabase::create(&url).await;
                    let store = cpor_store::postgres::PgStore::connect(&db.url, 8)
                        .await
                        .unwrap();
                    (Arc::new(store), Some(db))
                }
                _ => (Arc::new(SqliteStore::open(dir.path()).unwrap()), None),
            };
        let now = start_time();
        store
            .create_organisation(&sample::adatum(), now)
            .await
            .unwrap();
        store
            .create_organisation(&sample::litware(), now)
            .await
            .unwrap();
        store.import_directory(&sample::tenants()).await.unwrap();
        let mut tokens = BTreeMap::new();
        let orgs: [(&str, Option<OrgId>); 3] = [
            ("adatum", Some(sample::adatum().id)),
            ("litware", Some(sample::litware().id)),
            ("operator", None),
        ];
        for (label, org) in orgs {
            for role in Role::ALL
                .iter()
                .filter(|r| (r.side() == cpor_domain::Side::Partner) == org.is_some())
            {
                let token = format!("tok-{label}-{role}");
                let user = User {
                    id: UserId::from_uuid(uuid::Uuid::now_v7()),
                    org_id: org,
                    email: Email::parse(&format!("{role}@{label}.example")).unwrap(),
                    name: format!("{label} {role}"),
                    role: *role,
                    created_at: now,
                };
                store
                    .create_user(&user, Some(&hash_secret(&token)))
                    .await
                    .unwrap();
                store
                    .set_password(user.id, password_hash().await)
                    .await
                    .unwrap();
                tokens.insert(format!("{label}:{role}"), token);
            }
        }
        let clock = Arc::new(ManualClock::new(now));
        let mut config = cpor_server::Config::new(dir.path().to_path_buf());
        config.public_url = Some("http://cpor.test".into());
        configure(&mut config);
        let app = cpor_server::state(&config, store.clone(), clock.clone()).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(cpor_server::serve_on(
            app.clone(),
            listener,
            std::future::pending(),
        ));
        TestApp {
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
            clock,
            app,
            store,
            dir,
            tokens,
            _database: database,
        }
    }

    pub fn token(&self, who: &str) -> &str {
        self.tokens
            .get(who)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("no user {who}"))
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        who: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(w) = who {
            req = req.bearer_auth(self.token(w));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, who: &str) -> Reply {
        self.send(Method::GET, path, Some(who), None, &[]).await
    }

    pub async fn post(&self, path: &str, who: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(who), Some(body), &[])
            .await
    }

    /// POSTs and expects 2xx.
    pub async fn ok(&self, path: &str, who: &str, body: Value) -> Value {
        let r = self.post(path, who, body).await;
        assert!(
            r.status.is_success(),
            "POST {path} as {who}: {} {}",
            r.status,
            r.body
        );
        r.body
    }

    pub async fn upload(&self, claim: &str, who: &str, name: &str, bytes: Vec<u8>) -> Reply {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
        let resp = self
            .client
            .post(format!("{}/api/v1/claims/{claim}/poe", self.base))
            .bearer_auth(self.token(who))
            .multipart(form)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.json().await.unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
        }
    }

    /// Creates a claim as `who` and returns its id.
    pub async fn create(&self, who: &str, body: Value) -> String {
        let r = self.post("/api/v1/claims", who, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.body["id"].as_str().unwrap().to_string()
    }

    /// A claim taken to "under review".
    pub async fn under_review(&self, who: &str, body: Value) -> String {
        let id = self.create(who, body).await;
        let r = self.upload(&id, who, "sow.pdf", pdf()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        self.ok(&format!("/api/v1/claims/{id}/submit"), who, json!({}))
            .await;
        self.ok(
            &format!("/api/v1/claims/{id}/review/start"),
            "operator:reviewer",
            json!({}),
        )
        .await;
        id
    }

    pub async fn claim(&self, id: &str) -> Value {
        self.get(&format!("/api/v1/claims/{id}"), "operator:reviewer")
            .await
            .body
    }

    pub fn advance(&self, d: SignedDuration) {
        self.clock.advance(d);
    }

    pub async fn run_jobs(&self) -> usize {
        cpor_server::worker::run_due(&self.app).await
    }

    /// The e-mails written so far, as text.
    pub fn outbox(&self) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir(self.dir.path().join("outbox")) else {
            return Vec::new();
        };
        dir.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .map(|raw| decode_quoted_printable(&raw))
            .collect()
    }
}

/// Undoes quoted-printable soft breaks and escapes, enough to read links and words.
fn decode_quoted_printable(s: &str) -> String {
    let joined = s.replace("=\r\n", "").replace("=\n", "");
    let mut out = Vec::new();
    let bytes = joined.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

pub fn pdf() -> Vec<u8> {
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

/// A complete Microsoft 365 claim body on Contoso.
pub fn m365(name: &str, mpn: &str, workloads: &[&str]) -> Value {
    serde_json::to_value(sample::m365_claim(name, mpn, workloads)).unwrap()
}

pub fn days(n: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * n)
}
