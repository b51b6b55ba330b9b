//! PostgreSQL stops under a running `cpor serve`: readiness fails and requests answer 503
//! within a second; when PostgreSQL is back, requests succeed again without restarting
//! cpor. Alone in its test binary, since it stops the shared test server.
#![allow(clippy::unwrap_used)]

mod support;

use std::process::Command;
use std::time::{Duration, Instant};
use support::*;

/// Runs the test server's `pg_ctl` (as the `postgres` user when we are root).
fn pg_ctl(args: &[&str]) {
    let pg_ctl = std::env::var("CPOR_TEST_PGCTL").expect("CPOR_TEST_PGCTL (scripts/test sets it)");
    let data = std::env::var("CPOR_TEST_PGDATA").expect("CPOR_TEST_PGDATA");
    let log = std::env::var("CPOR_TEST_PGLOG").unwrap_or_else(|_| "/dev/null".into());
    let mut cmd = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", &pg_ctl]);
        c
    } else {
        Command::new(&pg_ctl)
    };
    let status = cmd
        .args(["-D", &data, "-l", &log, "-w"])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "pg_ctl {args:?} failed");
}

struct Restart;

impl Drop for Restart {
    fn drop(&mut self) {
        pg_ctl(&["start"]);
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0\n"))
        .unwrap_or(false)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_answer_503_while_postgres_is_down_and_recover_by_themselves() {
    let Some(url) = postgres_url() else { return };
    if std::env::var_os("CPOR_TEST_PGCTL").is_none() {
        eprintln!("skipped: the test PostgreSQL was not started by scripts/test");
        return;
    }
    let database = TempDatabase::create(&url).await;
    let db = database.url.clone();
    let dir = tempfile::tempdir().unwrap();
    let tokens = demo(&db, dir.path());
    let token = tokens["reviewer:Rui"].clone();
    let clock = dir.path().join("clock");
    let server = serve(&db, dir.path(), &clock).await;
    let c = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let list = format!("{}/api/v1/claims", server.base);
    let ready = format!("{}/readyz", server.base);
    assert_eq!(c.get(&ready).send().await.unwrap().status(), 200);
    assert_eq!(
        c.get(&list)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    pg_ctl(&["-m", "fast", "stop"]);
    {
        // PostgreSQL comes back even if an assertion fails, for the tests that follow.
        let _restart = Restart;
        assert_eq!(
            c.get(&ready).send().await.unwrap().status(),
            503,
            "readiness fails"
        );
        for _ in 0..3 {
            let t = Instant::now();
            let r = c.get(&list).bearer_auth(&token).send().await.unwrap();
            assert_eq!(r.status(), 503, "{}", r.text().await.unwrap_or_default());
            assert!(
                t.elapsed() < Duration::from_secs(1),
                "answered in {:?}",
                t.elapsed()
            );
        }
    }

    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = c.get(&list).bearer_auth(&token).send().await.unwrap();
        if r.status() == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "cpor did not recover: {}",
            r.status()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(c.get(&ready).send().await.unwrap().status(), 200);
}
