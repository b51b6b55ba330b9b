//! The portal in a real browser: headless Chromium driven through WebDriver
//! (chromedriver, started by scripts/browser.sh), once in English and once in French.
//! A person signs in, makes a claim through every step of the form with a PDF, sees the
//! error beside the domain field, submits, finds the claim on the list with the filters,
//! opens its history, withdraws another claim, disputes a rejected one; a form posted
//! without its token is refused, another organisation's claim is a not-found page, and a
//! signed-out person is sent to sign in. Every page is checked with axe-core (no serious
//! or critical violation) and photographed to `target/screenshots/<lang>/`.
//!
//! Without `CPOR_WEBDRIVER_URL` the tests are skipped, loudly, unless
//! `CPOR_REQUIRE_BROWSER` is set (as in scripts/test), where that is a failure.
#![allow(clippy::unwrap_used)]

mod support;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;
use support::*;

const ADMIN: &str = "adatum:incentives_admin";

/// The address the test server believes it has (its public URL, which the origin rule
/// checks); the browser is told to reach it at the server's real port.
const PUBLIC: &str = "http://cpor.test";

/// chromedriver's address, or `None` (the test is skipped) when there is none.
fn webdriver_url() -> Option<String> {
    match std::env::var("CPOR_WEBDRIVER_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CPOR_REQUIRE_BROWSER").is_some() => panic!(
            "CPOR_REQUIRE_BROWSER is set but CPOR_WEBDRIVER_URL is not: start chromedriver with scripts/browser.sh (scripts/test does)"
        ),
        _ => {
            eprintln!(
                "\n*** SKIPPED: browser tests need chromedriver (CPOR_WEBDRIVER_URL is not set; scripts/test starts one through scripts/browser.sh) ***\n"
            );
            None
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_portal_in_english() {
    if let Some(wd) = webdriver_url() {
        scenario(&wd, "en").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_portal_in_french() {
    if let Some(wd) = webdriver_url() {
        scenario(&wd, "fr").await;
    }
}

/// A browser session on one test server, in one language, that checks and photographs
/// every page it shows.
struct Browser {
    c: Client,
    lang: &'static str,
    axe: String,
    shots: PathBuf,
    pages: usize,
    /// Serious and critical axe violations, by page.
    violations: Vec<String>,
}

impl Browser {
    async fn open(webdriver: &str, port: u16, lang: &'static str) -> Browser {
        let axe_path = std::env::var("CPOR_AXE_JS")
            .expect("CPOR_AXE_JS: the path of axe.min.js (scripts/browser.sh installs it)");
        let axe = std::fs::read_to_string(&axe_path)
            .unwrap_or_else(|e| panic!("cannot read axe-core at {axe_path}: {e}"));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--window-size=1280,900",
                    "--lang=en-US",
                    "--disable-features=HttpsUpgrades",
                    format!("--host-resolver-rules=MAP cpor.test 127.0.0.1:{port}"),
                ]
            }),
        );
        let c = ClientBuilder::rustls()
            .unwrap()
            .capabilities(caps)
            .connect(webdriver)
            .await
            .unwrap_or_else(|e| panic!("cannot start Chromium through {webdriver}: {e}"));
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
        let shots = target.join("screenshots").join(lang);
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots).unwrap();
        let shots = shots.canonicalize().unwrap_or(shots);
        Browser {
            c,
            lang,
            axe,
            shots,
            pages: 0,
            violations: Vec::new(),
        }
    }

    async fn goto(&mut self, path: &str, name: &str) {
        self.c.goto(&format!("{PUBLIC}{path}")).await.unwrap();
        self.seen(name).await;
    }

    /// The page now shown: in the scenario's language, checked by axe, photographed.
    async fn seen(&mut self, name: &str) {
        self.pages += 1;
        let lang = self.js("return document.documentElement.lang").await;
        assert_eq!(lang, self.lang, "<html lang> of {name}");
        self.axe(name).await;
        self.screenshot(&format!("{:02}-{name}", self.pages)).await;
    }

    async fn axe(&mut self, name: &str) {
        self.c.execute(&self.axe, vec![]).await.unwrap();
        let found = self
            .c
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                axe.run(document)
                  .then(r => done({ passes: r.passes.length, violations: r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(" ") + "  " + n.html.slice(0, 160)),
                  })) }))
                  .catch(e => done({ passes: 0, violations: [
                    { id: "axe-failed", impact: "critical", help: String(e), nodes: [] }
                  ] }));"#,
                vec![],
            )
            .await
            .unwrap();
        assert!(
            found["passes"].as_u64().unwrap_or(0) > 0,
            "axe-core checked nothing on {name}: {found}"
        );
        for v in found["violations"].as_array().unwrap() {
            let impact = v["impact"].as_str().unwrap_or("");
            let line = format!(
                "[{}] {name}: {} ({impact}): {}\n      {}",
                self.lang,
                v["id"].as_str().unwrap_or(""),
                v["help"].as_str().unwrap_or(""),
                v["nodes"]
                    .as_array()
                    .map(|n| n
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join("\n      "))
                    .unwrap_or_default()
            );
            eprintln!("axe: {line}");
            if impact == "serious" || impact == "critical" {
                self.violations.push(line);
            }
        }
    }

    /// The whole page from its top, not only what the window shows: the window is
    /// stretched to the page's height for the picture.
    async fn screenshot(&mut self, file: &str) {
        let sizes = self
            .c
            .execute(
                "window.scrollTo(0, 0); return [window.innerHeight, window.outerHeight, document.documentElement.scrollHeight]",
                vec![],
            )
            .await
            .unwrap();
        let size = |i: usize| sizes[i].as_u64().unwrap_or(0) as u32;
        let (inner, outer, page) = (size(0), size(1), size(2).min(8000));
        let stretch = page > inner;
        if stretch {
            self.c
                .set_window_size(1280, page + outer.saturating_sub(inner))
                .await
                .unwrap();
        }
        let png = self.c.screenshot().await.unwrap();
        if stretch {
            self.c.set_window_size(1280, 900).await.unwrap();
        }
        std::fs::write(self.shots.join(format!("{file}.png")), png).unwrap();
    }

    async fn js(&self, script: &str) -> String {
        match self.c.execute(script, vec![]).await.unwrap() {
            Value::String(s) => s,
            other => other.to_string(),
        }
    }

    /// The HTTP status of the page now shown.
    async fn status(&self) -> u64 {
        self.c
            .execute(
                "return performance.getEntriesByType('navigation')[0].responseStatus",
                vec![],
            )
            .await
            .unwrap()
            .as_u64()
            .unwrap()
    }

    async fn path(&self) -> String {
        let url = self.c.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    async fn fill(&self, css: &str, text: &str) {
        let e = self.c.find(Locator::Css(css)).await.unwrap();
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    async fn select(&self, css: &str, value: &str) {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap()
            .select_by_value(value)
            .await
            .unwrap();
    }

    async fn click(&self, css: &str) {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
            .click()
            .await
            .unwrap();
    }

    /// Clicks what sends a form or follows a link, and waits for the next page.
    async fn submit(&mut self, css: &str, name: &str) {
        self.click(css).await;
        self.loaded().await;
        self.seen(name).await;
    }

    async fn loaded(&self) {
        for _ in 0..100 {
            if self.js("return document.readyState").await == "complete" {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the page did not load");
    }

    async fn text(&self, css: &str) -> String {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
            .text()
            .await
            .unwrap()
    }

    async fn has(&self, css: &str) -> bool {
        !self.c.find_all(Locator::Css(css)).await.unwrap().is_empty()
    }
}

/// Everything a person does, in `lang`.
async fn scenario(webdriver: &str, lang: &'static str) {
    let t = TestApp::start().await;
    let port: u16 = t.base.rsplit(':').next().unwrap().parse().unwrap();
    // Made beforehand through the API: one to withdraw, one rejected to dispute, and
    // one of another organisation.
    let to_withdraw = t
        .under_review(ADMIN, m365("To withdraw", "1234567", &["teams"]))
        .await;
    let to_dispute = t
        .under_review(ADMIN, m365("To dispute", "1234567", &["intune"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{to_dispute}/review/reject"),
        "operator:reviewer",
        json!({"reasons": ["insufficient_poe"], "comment": "Not signed"}),
    )
    .await;
    let theirs = t
        .create(
            "litware:incentives_admin",
            m365("Theirs", cpor_domain::sample::LITWARE_MPN, &["teams"]),
        )
        .await;
    let pdf_path = t.dir.path().join("statement-of-work.pdf");
    std::fs::write(&pdf_path, pdf()).unwrap();
    let ids = Ids {
        to_withdraw,
        to_dispute,
        theirs,
    };

    let b = Browser::open(webdriver, port, lang).await;
    let session = b.c.clone();
    // The steps run in a task of their own, so that the browser is closed also when one
    // of them fails.
    let steps = tokio::spawn(steps(t, b, pdf_path, ids));
    let outcome = steps.await;
    let _ = session.close().await;
    let violations = match outcome {
        Ok(v) => v,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    };
    assert!(
        violations.is_empty(),
        "axe-core: serious or critical violations:\n{}",
        violations.join("\n")
    );
}

/// The claims made beforehand.
struct Ids {
    to_withdraw: String,
    to_dispute: String,
    theirs: String,
}

/// The person's steps; the serious and critical axe violations seen on the way.
async fn steps(t: TestApp, mut b: Browser, pdf_path: PathBuf, ids: Ids) -> Vec<String> {
    let Ids {
        to_withdraw,
        to_dispute,
        theirs,
    } = ids;
    let lang = b.lang;
    let started = std::time::Instant::now();

    // Sign in.
    b.goto(&format!("/login?lang={lang}"), "login").await;
    let sign_in = b.text("form[action='/login'] button[type=submit]").await;
    if lang == "en" {
        assert_eq!(sign_in, "Sign in");
        assert_eq!(b.text("label[for=email]").await, "E-mail");
    } else {
        assert_ne!(sign_in, "Sign in", "the sign-in page speaks {lang}");
        assert_ne!(b.text("label[for=password]").await, "Password");
    }
    b.fill("#email", &email_of(ADMIN)).await;
    b.fill("#password", PASSWORD).await;
    b.submit("form[action='/login'] button[type=submit]", "claims")
        .await;
    assert_eq!(b.path().await, "/claims");

    // A claim through every step of the form, with a PDF.
    let name = format!("Browser claim {lang}");
    b.click("a[href='/claims/new']").await;
    b.loaded().await;
    b.seen("new-claim").await;
    b.fill("#name", &name).await;
    b.select("#mpn_id", "1234567").await;
    b.fill("#domain", "contoso.com").await;
    b.submit("button[name=go][value=lookup]", "new-claim-tenant-found")
        .await;
    let tenant =
        b.c.find(Locator::Id("tenant_id"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap();
    assert_eq!(
        tenant.as_deref(),
        Some(cpor_domain::sample::CONTOSO),
        "looked up"
    );
    b.select("#solution_area", "microsoft_365").await;
    b.select("#activity", "usage").await;
    b.submit("button[name=go][value=next]", "products").await;
    let path = b.path().await;
    assert!(path.ends_with("/edit/products"), "{path}");
    let id = path.split('/').nth(2).unwrap().to_string();
    b.click("#p-teams").await;
    b.click("#p-intune").await;
    b.submit("button[name=go][value=next]", "contacts").await;
    assert!(b.path().await.ends_with("/edit/contacts"));
    b.fill("#customer_name", "Ana Silva").await;
    b.fill("#customer_title", "CIO").await;
    b.fill("#customer_email", "ana@contoso.com").await;
    b.fill("#partner_name", "Bo Berg").await;
    b.fill("#partner_email", "bo@adatum.example").await;
    b.submit("button[name=go][value=next]", "documents").await;
    assert!(b.path().await.ends_with("/edit/documents"));
    b.c.find(Locator::Id("poe-file"))
        .await
        .unwrap()
        .send_keys(pdf_path.to_str().unwrap())
        .await
        .unwrap();
    b.submit(
        &format!("form[action='/claims/{id}/files'] button[type=submit]"),
        "documents-uploaded",
    )
    .await;
    assert!(
        b.js("return document.querySelector('main').innerText")
            .await
            .contains("statement-of-work.pdf"),
        "the PDF is listed"
    );
    b.submit(&format!("a[href='/claims/{id}/edit/review']"), "review")
        .await;

    // The domain of another tenant: the error is beside its field.
    b.submit(
        &format!("a[href='/claims/{id}/edit/customer']"),
        "edit-customer",
    )
    .await;
    b.fill("#domain", "fabrikam.com").await;
    b.submit("button[name=go][value=next]", "wrong-domain")
        .await;
    assert_eq!(b.status().await, 422);
    assert!(b.has("#domain-error").await, "an error beside the domain");
    assert!(b.has("#errors").await, "and the summary of errors");
    let invalid =
        b.c.find(Locator::Id("domain"))
            .await
            .unwrap()
            .attr("aria-invalid")
            .await
            .unwrap();
    assert_eq!(invalid.as_deref(), Some("true"));
    assert!(!b.text("#domain-error").await.is_empty());
    b.fill("#domain", "contoso.com").await;
    b.submit("button[name=go][value=next]", "products-again")
        .await;
    assert!(b.path().await.ends_with("/edit/products"));

    // Submit.
    b.goto(&format!("/claims/{id}/edit/review"), "review-again")
        .await;
    b.submit(
        &format!("form[action='/claims/{id}/submit'] button[type=submit]"),
        "submitted",
    )
    .await;
    assert_eq!(b.path().await, format!("/claims/{id}?notice=submit"));
    assert_eq!(t.claim(&id).await["status"], "submitted");
    assert_eq!(
        b.js("return document.querySelector('[data-status]').dataset.status")
            .await,
        "submitted"
    );

    // On the list, found with the filters.
    b.click("a[href='/claims']").await;
    b.loaded().await;
    b.seen("claims-all").await;
    b.select("#f-status", "submitted").await;
    b.fill("#f-q", &name).await;
    b.submit("form.filters button[type=submit]", "claims-filtered")
        .await;
    let rows = b.c.find_all(Locator::Css("tbody tr")).await.unwrap();
    assert_eq!(rows.len(), 1, "only the claim searched for");
    assert_eq!(b.text("tbody tr td a").await, name);

    // Its history.
    b.submit(&format!("a[href='/claims/{id}#history']"), "history")
        .await;
    assert_eq!(b.path().await, format!("/claims/{id}"));
    let events =
        b.c.find_all(Locator::Css("section[aria-labelledby=history] tbody tr"))
            .await
            .unwrap();
    assert!(events.len() >= 3, "created, document added, submitted");

    // Withdraw another.
    b.goto(&format!("/claims/{to_withdraw}"), "to-withdraw")
        .await;
    let withdraw = format!("form[action='/claims/{to_withdraw}/withdraw']");
    b.click("details:has(#withdraw-comment) > summary").await;
    b.fill("#withdraw-comment", "Wrong customer").await;
    b.submit(&format!("{withdraw} button[type=submit]"), "withdrawn")
        .await;
    assert_eq!(
        b.path().await,
        format!("/claims/{to_withdraw}?notice=withdraw")
    );
    assert_eq!(t.claim(&to_withdraw).await["status"], "rejected");

    // Dispute a rejected one.
    b.goto(&format!("/claims/{to_dispute}"), "rejected").await;
    b.click("details:has(#dispute-details) > summary").await;
    assert!(
        b.c.find(Locator::Id("dp-intune"))
            .await
            .unwrap()
            .is_selected()
            .await
            .unwrap()
    );
    b.fill("#dispute-details", "The SOW is signed on page 2.")
        .await;
    b.submit(
        &format!("form[action='/claims/{to_dispute}/dispute'] button[type=submit]"),
        "disputed",
    )
    .await;
    assert_eq!(
        b.path().await,
        format!("/claims/{to_dispute}?notice=dispute")
    );
    assert_eq!(t.claim(&to_dispute).await["dispute"]["status"], "open");

    // A form posted without its token is refused.
    b.goto(&format!("/claims/{to_dispute}"), "to-comment").await;
    b.fill("#comment-body", "Sent without its token").await;
    b.js("document.querySelector(\"form[action$='/comment'] input[name=_csrf]\").remove(); return ''")
        .await;
    b.submit("form[action$='/comment'] button[type=submit]", "no-token")
        .await;
    assert_eq!(b.status().await, 403);
    let comments = t
        .get(&format!("/api/v1/claims/{to_dispute}"), ADMIN)
        .await
        .body
        .to_string();
    assert!(!comments.contains("Sent without its token"), "not taken");

    // Another organisation's claim: the not-found page, nothing of the claim.
    b.goto(&format!("/claims/{theirs}"), "not-found").await;
    assert_eq!(b.status().await, 404);
    assert!(
        !b.js("return document.body.innerText")
            .await
            .contains("Theirs")
    );

    // Signed out, a page sends the person to sign in.
    b.submit("form[action='/logout'] button[type=submit]", "signed-out")
        .await;
    b.goto("/claims", "claims-signed-out").await;
    let path = b.path().await;
    assert!(path.starts_with("/login?next=%2Fclaims"), "{path}");
    assert!(b.has("#email").await && b.has("#password").await);

    eprintln!(
        "[{lang}] {} pages in {:.1} s, screenshots in {}",
        b.pages,
        started.elapsed().as_secs_f64(),
        b.shots.display()
    );
    b.violations
}
