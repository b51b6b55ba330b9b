//! A clean stop (SIGTERM, as systemd and container runtimes send) ends `cpor serve` with
//! success and folds SQLite's write-ahead log into the database.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_cpor");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_cleanly_and_checkpoints_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let demo = Command::new(BIN)
        .args(["demo", "--data-dir", data])
        .stderr(Stdio::null())
        .output()
        .unwrap();
    assert!(demo.status.success());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(BIN)
        .args([
            "serve",
            "--data-dir",
            data,
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .env("CPOR_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while reqwest::get(format!("{base}/healthz")).await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "cpor serve did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A write through the service, so the log has something in it.
    let out = String::from_utf8_lossy(&demo.stdout).to_string();
    let token = out
        .lines()
        .skip_while(|l| !l.starts_with("API tokens"))
        .find(|l| l.trim_start().starts_with("incentives_admin"))
        .and_then(|l| l.split_whitespace().last())
        .unwrap()
        .to_string();
    let body = serde_json::to_value(cpor_domain::sample::m365_claim(
        "Written before the stop",
        cpor_domain::sample::ADATUM_MPN,
        &["teams"],
    ))
    .unwrap();
    let created = reqwest::Client::new()
        .post(format!("{base}/api/v1/claims"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let wal = dir
        .path()
        .join(format!("{}-wal", cpor_store::sqlite::DB_FILE));
    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = server.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "cpor serve did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "a clean stop: {status}");
    let left = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert_eq!(left, 0, "the write-ahead log was checkpointed");
}
