//! What cpor's test suites share: the test PostgreSQL server that `scripts/test` starts,
//! and throw-away databases on it that are dropped when their guard is.

use sqlx::Connection;

/// The PostgreSQL server the tests may use. Without it the PostgreSQL tests are skipped,
/// loudly, unless `CPOR_REQUIRE_POSTGRES` is set (as in CI), where a missing server is a
/// failure.
pub fn postgres_url() -> Option<String> {
    match std::env::var("CPOR_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CPOR_REQUIRE_POSTGRES").is_some() => panic!(
            "CPOR_REQUIRE_POSTGRES is set but CPOR_TEST_DATABASE_URL is not: start PostgreSQL with scripts/test"
        ),
        _ => {
            eprintln!(
                "skipped: no PostgreSQL (CPOR_TEST_DATABASE_URL is not set; scripts/test starts one)"
            );
            None
        }
    }
}

/// A new, empty database on the server at `server_url`, dropped (with any connection
/// still open to it) when this guard is.
pub struct TempDatabase {
    /// The database's own URL.
    pub url: String,
    server_url: String,
    name: String,
}

impl TempDatabase {
    pub async fn create(server_url: &str) -> TempDatabase {
        let name = format!("cpor_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = sqlx::PgConnection::connect(server_url)
            .await
            .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL: {e}"));
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("cannot create a test database: {e}"));
        let base = server_url
            .rsplit_once('/')
            .map_or(server_url, |(base, _)| base);
        TempDatabase {
            url: format!("{base}/{name}"),
            server_url: server_url.to_string(),
            name,
        }
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        // Drop runs inside or outside a runtime: a thread of its own may block on one.
        let (server, name) = (self.server_url.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            rt.block_on(async {
                let mut admin = sqlx::PgConnection::connect(&server)
                    .await
                    .map_err(|e| e.to_string())?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut admin)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
            })
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("could not drop test database {}: {e}", self.name);
        }
    }
}
