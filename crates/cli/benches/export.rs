//! Eligibility export benchmark (not a test): `GET /api/v1/associations/export.csv` from
//! a release `cpor serve` over 1M eligible keys, with the server's resident memory sampled
//! while the answer streams.
//!
//! The keys are written straight into `eligibility_periods` (the export's only table):
//! activating a million associations through their commands would measure the commands,
//! which the HTTP benchmark does. Run: `cargo bench -p cpor --bench export`
//! (`-- --quick` for 100k keys). SQLite only.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

mod common;

use common::{demo_token, rss_kib};

const BIN: &str = env!("CARGO_BIN_EXE_cpor");

/// `n` eligible keys of Adatum's, each on its own claim, active since 2026-01-01.
fn fill(db: &std::path::Path, n: u64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let org = cpor_domain::sample::adatum().id.to_string();
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO eligibility_periods (claim_id, key, key_json, org_id, mpn_id, effective_from, effective_to, expires_at)
         SELECT printf('%08x-0000-7000-8000-000000000000', i),
                '72f988bf-86f1-41af-91ab-2d7cd011db47/workload:teams/osu_m365',
                '{\"tenant_id\":\"72f988bf-86f1-41af-91ab-2d7cd011db47\",\"subject\":{\"kind\":\"workload\",\"id\":\"teams\"},\"program\":\"osu_m365\"}',
                ?2, '1234567', 1767225600000000, NULL, NULL
         FROM n",
        rusqlite::params![n as i64, org],
    )
    .unwrap();
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return; // run as a test: nothing to measure
    }
    let quick = std::env::args().any(|a| a == "--quick");
    let keys: u64 = if quick { 100_000 } else { 1_000_000 };
    let dir = tempfile::tempdir_in(std::env::var("CPOR_BENCH_DIR").unwrap_or_else(|_| ".".into()))
        .unwrap();
    let data = dir.path().to_str().unwrap().to_string();
    let demo = Command::new(BIN)
        .args(["demo", "--data-dir", &data])
        .stderr(Stdio::null())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&demo.stdout).to_string();
    let token = demo_token(&out, "program_admin");
    let start = Instant::now();
    fill(&dir.path().join(cpor_store::sqlite::DB_FILE), keys);
    eprintln!("wrote {keys} keys in {:?}", start.elapsed());
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
        .env("CPOR_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let pid = server.id();
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
        let before = rss_kib(pid, "VmRSS:");
        // Sample the server's memory while the export streams.
        let (streaming, peak) = (Arc::new(AtomicBool::new(true)), Arc::new(AtomicU64::new(0)));
        let sampler = {
            let (streaming, peak) = (streaming.clone(), peak.clone());
            std::thread::spawn(move || {
                while streaming.load(Ordering::Relaxed) {
                    peak.fetch_max(rss_kib(pid, "VmRSS:"), Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(50));
                }
            })
        };
        let start = Instant::now();
        let mut resp = reqwest::Client::new()
            .get(format!("{base}/api/v1/associations/export.csv?as_of=2026-06-30"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let first_byte = start.elapsed();
        let (mut bytes, mut lines) = (0u64, 0u64);
        while let Some(chunk) = resp.chunk().await.unwrap() {
            bytes += chunk.len() as u64;
            lines += chunk.iter().filter(|b| **b == b'\n').count() as u64;
        }
        let took = start.elapsed();
        streaming.store(false, Ordering::Relaxed);
        sampler.join().unwrap();
        assert_eq!(lines, keys + 1, "the header and every key");
        println!("# cpor eligibility export benchmark (SQLite, one `cpor serve` process)\n");
        println!("| keys | first byte | whole export | rows/s | MiB | server RSS before | peak while streaming |");
        println!("|---|---|---|---|---|---|---|");
        println!(
            "| {keys} | {first_byte:.1?} | {took:.1?} | {:.0} | {:.0} | {} MiB | {} MiB |",
            keys as f64 / took.as_secs_f64(),
            bytes as f64 / (1024.0 * 1024.0),
            before / 1024,
            peak.load(Ordering::Relaxed) / 1024
        );
    });
    let _ = server.kill();
    let _ = server.wait();
}
