//! HTTP benchmark (not a test): `cpor serve` (release build) in its own process on a
//! fresh SQLite data directory, loaded from this process over loopback.
//!
//! Measures claim creations per second (64 concurrent clients, 10 s), the latency of a
//! list page once the store holds 1M claims, and the server's resident memory.
//! Run: `cargo bench -p cpor --bench http` (`-- --quick` stops at 100k claims). With
//! `CPOR_BENCH_DATABASE_URL=postgres://…` the server runs on that database (which must
//! be empty) instead of SQLite.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

mod common;

use common::{demo_token, rss_kib};

const BIN: &str = env!("CARGO_BIN_EXE_cpor");

fn body(i: u64) -> serde_json::Value {
    serde_json::json!({
        "name": format!("Bench claim {i}"), "mpn_id": "1234567",
        "tenant_id": "72f988bf-86f1-41af-91ab-2d7cd011db47", "domain": "contoso.com",
        "solution_area": "microsoft_365", "activity": "usage",
        "products": [{"product": "teams"}, {"product": "intune"}],
        "customer_contact": {"name": "Ana Silva", "title": "CIO", "email": "ana.silva@contoso.com"},
        "partner_contact": {"name": "Bo Berg", "email": "bo@adatum.example"}
    })
}

/// Creates claims from `clients` tasks until `stop` says so; returns (count, latencies).
async fn create_load(
    base: &str,
    token: &str,
    clients: usize,
    until: Instant,
    cap: u64,
) -> (u64, Vec<Duration>) {
    let done = Arc::new(AtomicU64::new(0));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, done, base, token) = (
            client.clone(),
            done.clone(),
            base.to_string(),
            token.to_string(),
        );
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while Instant::now() < until {
                let i = done.fetch_add(1, Ordering::Relaxed);
                if i >= cap {
                    break;
                }
                let t = Instant::now();
                let r = client
                    .post(format!("{base}/api/v1/claims"))
                    .bearer_auth(&token)
                    .json(&body(i))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    (all.len() as u64, all)
}

fn pct(v: &mut [Duration], p: usize) -> Duration {
    v.sort();
    v[(v.len() * p / 100).min(v.len() - 1)]
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return; // run as a test: nothing to measure
    }
    let quick = std::env::args().any(|a| a == "--quick");
    let dir = tempfile::tempdir_in(std::env::var("CPOR_BENCH_DIR").unwrap_or_else(|_| ".".into()))
        .unwrap();
    let data = dir.path().to_str().unwrap().to_string();
    let db: Vec<String> = match std::env::var("CPOR_BENCH_DATABASE_URL") {
        Ok(url) => vec!["--database-url".into(), url],
        Err(_) => Vec::new(),
    };
    let demo = Command::new(BIN)
        .args(["demo", "--data-dir", &data])
        .args(&db)
        .stderr(Stdio::null())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&demo.stdout).to_string();
    let admin = demo_token(&out, "incentives_admin");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(BIN)
        .args([
            "serve",
            "--data-dir",
            &data,
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .args(&db)
        .env("CPOR_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        for _ in 0..100 {
            if reqwest::get(format!("{base}/healthz")).await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let backend = if db.is_empty() { "SQLite" } else { "PostgreSQL" };
        println!("# cpor HTTP benchmark ({backend}, one `cpor serve` process, load generator on the same machine)\n");
        println!("| clients | creations/s | p50 | p99 |\n|---|---|---|---|");
        for clients in [16, 64] {
            let start = Instant::now();
            let (n, mut lat) = create_load(&base, &admin, clients, start + Duration::from_secs(10), u64::MAX).await;
            let rate = n as f64 / start.elapsed().as_secs_f64();
            println!("| {clients} | {rate:.0} | {:?} | {:?} |", pct(&mut lat, 50), pct(&mut lat, 99));
        }
        let target: u64 = if quick { 100_000 } else { 1_000_000 };
        let client = reqwest::Client::new();
        let count = |client: reqwest::Client, base: String, tok: String| async move {
            let r: serde_json::Value = client
                .get(format!("{base}/api/v1/claims?limit=1&status=submitted"))
                .bearer_auth(&tok)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            r
        };
        let _ = count(client.clone(), base.clone(), admin.clone()).await;
        // Fill to the target through the API.
        let start = Instant::now();
        let (filled, _) = create_load(&base, &admin, 64, Instant::now() + Duration::from_secs(3600), target).await;
        eprintln!("filled {filled} claims in {:?}", start.elapsed());
        let mut lat = Vec::new();
        let first: serde_json::Value = client
            .get(format!("{base}/api/v1/claims?status=draft&limit=200"))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let cursor = first["next_cursor"].as_str().unwrap().to_string();
        for i in 0..3000 {
            let url = if i % 2 == 0 {
                format!("{base}/api/v1/claims?status=draft&limit=50")
            } else {
                format!("{base}/api/v1/claims?status=draft&limit=50&cursor={cursor}")
            };
            let t = Instant::now();
            let r = client.get(url).bearer_auth(&admin).send().await.unwrap();
            assert_eq!(r.status(), 200);
            r.bytes().await.unwrap();
            lat.push(t.elapsed());
        }
        println!("\n| claims | list page of 50 p50 | p99 |\n|---|---|---|");
        println!("| {} | {:?} | {:?} |", filled + 10, pct(&mut lat, 50), pct(&mut lat, 99));
        let pid = server.id();
        println!(
            "\nserver resident memory: {} MiB now, {} MiB peak",
            rss_kib(pid, "VmRSS:") / 1024,
            rss_kib(pid, "VmHWM:") / 1024
        );
    });
    let _ = server.kill();
    let _ = server.wait();
}
