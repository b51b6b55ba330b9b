//! Runs real `cpor` processes against the test PostgreSQL server.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_cpor");

pub use cpor_testkit::{TempDatabase, postgres_url};

/// `cpor demo` into `db`; the printed tokens by role (the first of each role).
pub fn demo(db: &str, dir: &Path) -> std::collections::BTreeMap<String, String> {
    let out = Command::new(BIN)
        .args([
            "demo",
            "--data-dir",
            dir.to_str().unwrap(),
            "--database-url",
            db,
        ])
        .stderr(Stdio::inherit())
        .output()
        .unwrap();
    assert!(out.status.success(), "demo failed");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let mut tokens = std::collections::BTreeMap::new();
    for line in text.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        if parts.len() >= 3 && parts.last().unwrap().starts_with("cpor_") {
            tokens
                .entry(format!("{}:{}", parts[0], parts[1]))
                .or_insert_with(|| parts.last().unwrap().to_string());
        }
    }
    tokens
}

pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `cpor serve` on `db` with its own data directory and the shared clock file.
pub async fn serve(db: &str, dir: &Path, clock: &Path) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(BIN)
        .args([
            "serve",
            "--data-dir",
            dir.to_str().unwrap(),
            "--database-url",
            db,
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .args(["--job-poll-ms", "50", "--database-pool", "4"])
        .env("CPOR_CLOCK_FILE", clock)
        .env("CPOR_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // The server is killed and waited for when dropped, also if it never comes up.
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if reqwest::get(format!("{}/healthz", server.base))
            .await
            .is_ok()
        {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("cpor serve did not start");
}
