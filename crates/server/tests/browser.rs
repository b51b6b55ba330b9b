//! The portal in a real browser: headless Chromium driven through WebDriver
//! (chromedriver, started by scripts/browser.sh).
//!
//! Once in English and once in French, a partner signs in, makes a claim through every
//! step of the form with a PDF, sees the error beside the domain field, submits, finds the
//! claim on the list with the filters, opens its history, withdraws another claim,
//! disputes a rejected one; a form posted without its token is refused, another
//! organisation's claim is a not-found page, and a signed-out person is sent to sign in.
//!
//! Once in English and once in French, the operator's people: a reviewer takes a claim
//! from the queue, previews its PDF, asks for information, the partner resubmits, the
//! reviewer approves; a competing claim shows the conflict panel and its approval, once
//! confirmed, moves only the contested key; support upholds a dispute from its queue; the
//! program admin adds a holiday and a waiting claim's due date moves, checks a directory
//! file with a bad row (the dry run's report, nothing imported) and reads a report whose
//! chart is drawn and whose CSV is its table.
//!
//! In Brazilian Portuguese and in Swedish, every main page once, as a partner and as each
//! operator role.
//!
//! Every page is checked with axe-core (no serious or critical violation) and photographed
//! to `target/screenshots/<lang>/<scenario>-<n>-<page>.png`.
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
    /// The scenario's name: the first word of its screenshots' names.
    scenario: &'static str,
    axe: String,
    shots: PathBuf,
    pages: usize,
    /// Serious and critical axe violations, by page.
    violations: Vec<String>,
}

impl Browser {
    async fn open(
        webdriver: &str,
        port: u16,
        lang: &'static str,
        scenario: &'static str,
    ) -> Browser {
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
        // The scenarios of one language share its folder and may run at the same time:
        // each removes only its own pictures of an earlier run.
        let shots = target.join("screenshots").join(lang);
        std::fs::create_dir_all(&shots).unwrap();
        let shots = shots.canonicalize().unwrap_or(shots);
        for old in std::fs::read_dir(&shots).unwrap().flatten() {
            let name = old.file_name();
            let name = name.to_string_lossy();
            let earlier = name.strip_prefix(scenario).is_some_and(|rest| {
                rest.strip_prefix('-')
                    .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
            });
            if earlier || name.starts_with(|c: char| c.is_ascii_digit()) {
                let _ = std::fs::remove_file(old.path());
            }
        }
        Browser {
            c,
            lang,
            scenario,
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
        self.screenshot(&format!("{}-{:02}-{name}", self.scenario, self.pages))
            .await;
    }

    async fn axe(&mut self, name: &str) {
        self.c.execute(&self.axe, vec![]).await.unwrap();
        let found = self
            .c
            .execute_async(
                // The only frames are the previews of documents, sandboxed without
                // scripts: axe cannot enter them and would wait for each (their
                // titles are checked in the page).
                r#"const done = arguments[arguments.length - 1];
                axe.run(document, { iframes: false })
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
        // A mark on the page shown now: the next page has none. Without it, the page
        // being left could pass for the next one, loaded, and be checked instead.
        self.js("window.cporLeft = true; return ''").await;
        self.click(css).await;
        self.loaded().await;
        self.seen(name).await;
    }

    /// Waits until the page that replaces the marked one is loaded (a script run while
    /// the browser changes pages may fail: it is tried again).
    async fn loaded(&self) {
        for _ in 0..200 {
            let state = self
                .c
                .execute(
                    "return window.cporLeft ? 'left' : document.readyState",
                    vec![],
                )
                .await;
            if matches!(state, Ok(Value::String(s)) if s == "complete") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the next page did not load");
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

    async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
            .attr(name)
            .await
            .unwrap()
    }

    /// The text of the page's main part.
    async fn main_text(&self) -> String {
        self.js("return document.querySelector('main').innerText")
            .await
    }

    /// Signs in as a test user ("operator:reviewer"), from the sign-in page when it is
    /// shown, and lands on the claims.
    async fn sign_in(&mut self, who: &str) {
        let role = who.split_once(':').unwrap().1;
        if !self.has("#email").await {
            self.goto("/login", &format!("login-{role}")).await;
        }
        self.fill("#email", &email_of(who)).await;
        self.fill("#password", PASSWORD).await;
        self.submit(
            "form[action='/login'] button[type=submit]",
            &format!("signed-in-{role}"),
        )
        .await;
        assert_eq!(self.path().await, "/claims", "{who} signed in");
    }

    async fn sign_out(&mut self) {
        self.submit("form[action='/logout'] button[type=submit]", "signed-out")
            .await;
        assert!(self.has("#email").await, "the sign-in page");
    }

    /// Opens the `<details>` around `css`.
    async fn open_details(&self, css: &str) {
        self.click(&format!("details:has({css}) > summary")).await;
    }

    /// What the browser gets at `path` with this session: its status and text.
    async fn fetch(&self, path: &str) -> (u64, String, String) {
        let got = self
            .c
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                fetch(arguments[0], { credentials: "same-origin" })
                  .then(r => r.text().then(t => done([r.status, r.headers.get("content-type") || "", t])))
                  .catch(e => done([0, "", String(e)]));"#,
                vec![json!(path)],
            )
            .await
            .unwrap();
        (
            got[0].as_u64().unwrap_or(0),
            got[1].as_str().unwrap_or("").to_string(),
            got[2].as_str().unwrap_or("").to_string(),
        )
    }
}

/// Everything a person does, in `lang`.
async fn scenario(webdriver: &str, lang: &'static str) {
    let t = TestApp::start().await;
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

    in_browser(webdriver, t, lang, "partner", move |t, b| {
        steps(t, b, pdf_path, ids)
    })
    .await;
}

/// Runs `steps` in a browser on `t`'s server and fails on the serious and critical axe
/// violations they met.
async fn in_browser<F, Fut>(
    webdriver: &str,
    t: TestApp,
    lang: &'static str,
    scenario: &'static str,
    steps: F,
) where
    F: FnOnce(TestApp, Browser) -> Fut,
    Fut: std::future::Future<Output = Vec<String>> + Send + 'static,
{
    let port: u16 = t.base.rsplit(':').next().unwrap().parse().unwrap();
    let b = Browser::open(webdriver, port, lang, scenario).await;
    let session = b.c.clone();
    // The steps run in a task of their own, so that the browser is closed also when one
    // of them fails.
    let outcome = tokio::spawn(steps(t, b)).await;
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
    b.submit("a[href='/claims/new']", "new-claim").await;
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
        b.main_text().await.contains("statement-of-work.pdf"),
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
    b.submit("a[href='/claims']", "claims-all").await;
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

const REVIEWER: &str = "operator:reviewer";
const SUPPORT: &str = "operator:support_agent";
const PROGRAM_ADMIN: &str = "operator:program_admin";
const LITWARE: &str = "litware:incentives_admin";

/// A claim made and submitted through the API, waiting for a reviewer.
async fn submitted(t: &TestApp, who: &str, body: Value) -> String {
    let id = t.create(who, body).await;
    let r = t.upload(&id, who, "statement-of-work.pdf", pdf()).await;
    assert!(r.status.is_success(), "{}", r.body);
    t.ok(&format!("/api/v1/claims/{id}/submit"), who, json!({}))
        .await;
    id
}

/// A claim rejected by the reviewer and disputed by its partner, through the API.
async fn disputed(t: &TestApp, name: &str, workload: &str) -> String {
    let id = t
        .under_review(ADMIN, m365(name, "1234567", &[workload]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{id}/review/reject"),
        REVIEWER,
        json!({"reasons": ["insufficient_poe"], "comment": "Not signed"}),
    )
    .await;
    t.ok(
        &format!("/api/v1/claims/{id}/dispute"),
        ADMIN,
        json!({"details": "The SOW is signed on page 2."}),
    )
    .await;
    id
}

/// The claim holding Contoso's Microsoft 365 `workload` key, if any.
async fn holder(t: &TestApp, workload: &str) -> Option<String> {
    use cpor_domain::keys::{AssociationKey, KeySubject};
    use cpor_domain::values::Parse;
    let key = AssociationKey {
        tenant_id: Parse::parse(cpor_domain::sample::CONTOSO).unwrap(),
        subject: KeySubject::Workload(Parse::parse(workload).unwrap()),
        program: Parse::parse("osu_m365").unwrap(),
    };
    t.store
        .key_holder(&key)
        .await
        .unwrap()
        .map(|h| h.claim_id.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operators_in_english() {
    if let Some(wd) = webdriver_url() {
        operators(&wd, "en").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operators_in_french() {
    if let Some(wd) = webdriver_url() {
        operators(&wd, "fr").await;
    }
}

/// The operator's people at work, in `lang`: a reviewer takes a claim, previews its PDF,
/// asks for information, the partner resubmits, the reviewer approves; a competing claim
/// shows the conflict and its approval moves only the contested key; support upholds a
/// dispute; the program admin adds a holiday and a waiting claim's due date moves, checks
/// a directory file with a bad row (nothing imported) and reads a report whose CSV is
/// its table.
async fn operators(webdriver: &str, lang: &'static str) {
    let t = TestApp::start().await;
    let ids = OperatorIds {
        taken: submitted(
            &t,
            ADMIN,
            m365("Reviewed in the browser", "1234567", &["teams", "intune"]),
        )
        .await,
        waiting: submitted(
            &t,
            ADMIN,
            m365("Waiting for a reviewer", "1234567", &["exchange_online"]),
        )
        .await,
        disputed: disputed(&t, "Disputed rejection", "sharepoint_online").await,
    };
    let csv = t.dir.path().join("tenants.csv");
    std::fs::write(
        &csv,
        "tenant_id,domain\n0b3c5a1e-1111-4000-8000-00000000abcd,fabrikam-new.example\nnot-a-guid,broken.example\n",
    )
    .unwrap();
    in_browser(webdriver, t, lang, "operator", move |t, b| {
        operator_steps(t, b, ids, csv)
    })
    .await;
}

/// The operator scenario's claims made beforehand.
struct OperatorIds {
    /// Submitted: the reviewer takes it.
    taken: String,
    /// Submitted, waiting for a reviewer while a holiday is added.
    waiting: String,
    /// Rejected and disputed: support upholds the dispute.
    disputed: String,
}

async fn operator_steps(t: TestApp, mut b: Browser, ids: OperatorIds, csv: PathBuf) -> Vec<String> {
    let OperatorIds {
        taken,
        waiting,
        disputed,
    } = ids;
    let lang = b.lang;
    let started = std::time::Instant::now();
    b.goto(&format!("/login?lang={lang}"), "login").await;

    // The reviewer takes the claim from the queue.
    b.sign_in(REVIEWER).await;
    b.submit("header a[href='/review']", "review-queue").await;
    assert_eq!(b.path().await, "/review");
    let take = format!("form[action='/claims/{taken}/review/take'] button[type=submit]");
    assert!(b.has(&take).await, "a Take button for the submitted claim");
    b.submit(&take, "taken").await;
    assert_eq!(b.path().await, format!("/claims/{taken}?notice=take"));
    assert!(t.claim(&taken).await["reviewer"].is_string(), "assigned");

    // Its PDF is previewed in the page, in a sandboxed frame (Chromium may not draw a
    // PDF there: the frame and what it loads are checked, not its pixels).
    let frame = "iframe.preview[sandbox]";
    assert!(b.has(frame).await, "the PDF preview");
    assert_eq!(b.attr(frame, "sandbox").await.as_deref(), Some(""));
    assert!(b.attr(frame, "title").await.is_some_and(|t| !t.is_empty()));
    let src = b.attr(frame, "src").await.unwrap();
    assert!(
        src.starts_with(&format!("/claims/{taken}/files/")) && src.ends_with("inline=1"),
        "{src}"
    );
    let (status, kind, body) = b.fetch(&src).await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"), "{src}");
    assert!(body.starts_with("%PDF-"));

    // Starts the review, asks for information.
    b.submit(
        &format!("form[action='/claims/{taken}/review/start'] button[type=submit]"),
        "review-started",
    )
    .await;
    assert_eq!(t.claim(&taken).await["status"], "under_review");
    // A closed `<details>` hides its form from axe too: it is checked open.
    b.open_details("#ri-comment").await;
    b.seen("request-info-form").await;
    b.click("#ri-missing_poe").await;
    b.fill("#ri-comment", "Please add the signed statement of work.")
        .await;
    b.submit(
        &format!("form[action='/claims/{taken}/review/request-info'] button[type=submit]"),
        "information-requested",
    )
    .await;
    assert_eq!(
        b.path().await,
        format!("/claims/{taken}?notice=request_info")
    );
    let claim = t.claim(&taken).await;
    assert_eq!(claim["status"], "partner_action_required");
    assert_eq!(claim["reasons"], json!(["missing_poe"]));
    b.sign_out().await;

    // The partner answers and resubmits.
    b.sign_in(ADMIN).await;
    b.goto(&format!("/claims/{taken}"), "partner-asked").await;
    b.fill("#resubmit-comment", "The signed copy is attached.")
        .await;
    b.submit(
        &format!("form[action='/claims/{taken}/resubmit'] button[type=submit]"),
        "resubmitted",
    )
    .await;
    assert_eq!(t.claim(&taken).await["status"], "under_review");
    b.sign_out().await;

    // The reviewer approves: nobody else holds its keys, so no confirmation is asked.
    b.sign_in(REVIEWER).await;
    b.goto(&format!("/claims/{taken}"), "to-approve").await;
    assert!(!b.has("#conflict-h").await && !b.has("#ap-confirm").await);
    b.open_details("#ap-comment").await;
    b.fill("#ap-comment", "All there.").await;
    b.submit(
        &format!("form[action='/claims/{taken}/review/approve'] button[type=submit]"),
        "approved",
    )
    .await;
    assert_eq!(b.path().await, format!("/claims/{taken}?notice=approve"));
    assert_eq!(t.claim(&taken).await["status"], "approved");
    assert_eq!(holder(&t, "teams").await.as_deref(), Some(taken.as_str()));

    // Another partner claims Teams on the same customer: the conflict panel, and an
    // approval that must be confirmed and moves Teams only.
    let rival = t
        .under_review(
            LITWARE,
            m365(
                "Litware wants Teams",
                cpor_domain::sample::LITWARE_MPN,
                &["teams"],
            ),
        )
        .await;
    b.goto(&format!("/claims/{rival}"), "competing").await;
    assert!(b.has("#conflict-h").await, "the competing claims");
    let panel = b.text("section[aria-labelledby=conflict-h]").await;
    assert!(panel.contains("Reviewed in the browser"), "{panel}");
    assert!(
        b.has(&format!(
            "section[aria-labelledby=conflict-h] a[href='/claims/{taken}']"
        ))
        .await
    );
    b.open_details("#ap-confirm").await;
    b.seen("competing-approve-form").await;
    assert!(b.has("#ap-confirm[required]").await);
    let approve = format!("form[action='/claims/{rival}/review/approve'] button[type=submit]");
    // Unconfirmed, the browser does not send the form.
    b.click(&approve).await;
    assert_eq!(b.path().await, format!("/claims/{rival}"));
    assert_eq!(
        b.js("return String(document.getElementById('ap-confirm').validity.valueMissing)")
            .await,
        "true"
    );
    b.click("#ap-confirm").await;
    b.submit(&approve, "competing-approved").await;
    assert_eq!(b.path().await, format!("/claims/{rival}?notice=approve"));
    assert_eq!(holder(&t, "teams").await.as_deref(), Some(rival.as_str()));
    assert_eq!(
        holder(&t, "intune").await.as_deref(),
        Some(taken.as_str()),
        "only the contested key moved"
    );
    assert_eq!(t.claim(&taken).await["status"], "approved");
    b.sign_out().await;

    // Support takes the dispute from its queue and upholds it.
    b.sign_in(SUPPORT).await;
    b.submit("header a[href='/disputes']", "disputes").await;
    b.submit(
        &format!("main table a[href='/claims/{disputed}']"),
        "dispute",
    )
    .await;
    b.fill("#ds-comment", "Looking at it.").await;
    b.submit(
        &format!("form[action='/claims/{disputed}/dispute/start'] button[type=submit]"),
        "dispute-started",
    )
    .await;
    assert_eq!(t.claim(&disputed).await["dispute"]["status"], "in_progress");
    b.click("#out-upheld").await;
    b.fill("#dr-comment", "The signature is on page 2.").await;
    b.submit(
        &format!("form[action='/claims/{disputed}/dispute/resolve'] button[type=submit]"),
        "dispute-upheld",
    )
    .await;
    let claim = t.claim(&disputed).await;
    assert_eq!(claim["dispute"]["status"], "upheld");
    assert_eq!(claim["status"], "under_review", "reviewed again");
    b.sign_out().await;

    // The program admin adds a holiday: the waiting claim's due date moves at once.
    b.sign_in(PROGRAM_ADMIN).await;
    let due = |c: Value| c["deadlines"]["review_pickup_due"].clone();
    assert_eq!(due(t.claim(&waiting).await), json!("2026-11-27T16:00:00Z"));
    let deadline = "section[aria-labelledby=status-h] tbody tr td:nth-child(2)";
    b.goto(&format!("/claims/{waiting}"), "waiting").await;
    let before = b.text(deadline).await;
    b.submit("header a[href='/admin']", "admin").await;
    // A date field's typing differs by locale: its value is set as a date picker would.
    b.js("document.getElementById('holiday-date').value = '2026-11-24'; return ''")
        .await;
    b.fill("#holiday-name", "Staff day").await;
    b.submit(
        "form[action='/admin/holidays'] button[type=submit]",
        "holiday-added",
    )
    .await;
    let path = b.path().await;
    assert!(path.starts_with("/admin?notice=holiday_added"), "{path}");
    assert!(b.has("time[datetime='2026-11-24']").await, "listed");
    assert_eq!(
        due(t.claim(&waiting).await),
        json!("2026-11-30T16:00:00Z"),
        "one business day later"
    );
    b.goto(&format!("/claims/{waiting}"), "waiting-after-holiday")
        .await;
    let after = b.text(deadline).await;
    assert_ne!(before, after, "the page shows the new due date");

    // A directory file with a bad row: the dry run's report, nothing imported.
    b.goto("/admin", "admin-again").await;
    b.submit("main a[href='/admin/directory']", "directory")
        .await;
    b.c.find(Locator::Id("directory-tenants"))
        .await
        .unwrap()
        .send_keys(csv.to_str().unwrap())
        .await
        .unwrap();
    b.submit(
        "button[type=submit][name=action][value=check]",
        "directory-checked",
    )
    .await;
    assert_eq!(b.status().await, 422);
    assert_eq!(b.text("#report-added").await, "1");
    assert_eq!(b.text("#report-refused").await, "1");
    let refused = b.text("#report table tbody").await;
    assert!(refused.contains('3'), "the bad row's line: {refused}");
    let lookup = t
        .get(
            "/api/v1/directory/lookup?domain=fabrikam-new.example",
            ADMIN,
        )
        .await;
    assert_eq!(lookup.status.as_u16(), 404, "nothing was imported");

    // A report: its chart, and its CSV is its table.
    b.submit("header a[href='/reports']", "reports").await;
    let section = "section[aria-labelledby='claims-h']";
    assert!(b.has(&format!("{section} figure.chart svg.chart")).await);
    let table =
        b.c.execute(
            "return Array.from(document.querySelectorAll(arguments[0] + ' tr'))
               .map(tr => Array.from(tr.cells).map(c => c.innerText.trim()))",
            vec![json!(section)],
        )
        .await
        .unwrap();
    let table: Vec<Vec<String>> = serde_json::from_value(table).unwrap();
    assert!(table.len() >= 2, "a header and a row: {table:?}");
    let href = b
        .attr(&format!("{section} a[download]"), "href")
        .await
        .unwrap();
    assert!(href.starts_with("/reports/claims.csv"), "{href}");
    let (status, kind, text) = b.fetch(&href).await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/csv"), "{kind}");
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows, table, "the CSV is the table");
    b.sign_out().await;

    eprintln!(
        "[{lang}] operators: {} pages in {:.1} s, screenshots in {}",
        b.pages,
        started.elapsed().as_secs_f64(),
        b.shots.display()
    );
    b.violations
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_in_brazilian_portuguese() {
    if let Some(wd) = webdriver_url() {
        every_page(&wd, "pt-BR").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_in_swedish() {
    if let Some(wd) = webdriver_url() {
        every_page(&wd, "sv").await;
    }
}

/// An endpoint of Adatum's global admin with one delivery in its log; its id.
async fn webhook(t: &TestApp) -> String {
    let owner = t
        .store
        .user_by_token(
            &cpor_domain::claim::hash_secret(t.token("adatum:global_admin")),
            start_time(),
        )
        .await
        .unwrap()
        .unwrap();
    let endpoint = cpor_store::WebhookEndpoint {
        id: cpor_domain::values::WebhookId::from_uuid(uuid::Uuid::now_v7()),
        org_id: owner.org_id,
        owner_id: owner.id,
        url: "https://hooks.example/cpor".into(),
        events: vec!["claim.created".into()],
        secret: "whsec_c2VjcmV0".into(),
        created_at: start_time(),
        disabled_at: None,
        disabled_reason: None,
        failing_since: None,
    };
    t.store.create_webhook(&endpoint).await.unwrap();
    t.create(ADMIN, m365("Hooked", "1234567", &["intune"]))
        .await;
    endpoint.id.to_string()
}

/// Every main page once in `lang`, as a partner and as each operator role: in the
/// language, checked by axe, photographed.
async fn every_page(webdriver: &str, lang: &'static str) {
    let t = TestApp::start().await;
    let draft = t
        .create(ADMIN, m365("A draft", "1234567", &["intune"]))
        .await;
    let waiting = submitted(&t, ADMIN, m365("Waiting", "1234567", &["teams"])).await;
    let disputed = disputed(&t, "Disputed", "sharepoint_online").await;
    let hook = webhook(&t).await;
    in_browser(webdriver, t, lang, "pages", move |t, mut b| async move {
        let _server = t;
        let started = std::time::Instant::now();
        b.goto(&format!("/login?lang={lang}"), "login").await;

        b.sign_in("adatum:global_admin").await;
        b.goto(&format!("/claims/{waiting}"), "claim").await;
        b.goto("/claims/new", "new-claim").await;
        for step in ["customer", "products", "contacts", "documents", "review"] {
            b.goto(
                &format!("/claims/{draft}/edit/{step}"),
                &format!("step-{step}"),
            )
            .await;
        }
        b.goto("/keys", "keys").await;
        b.goto("/organisation", "organisation").await;
        b.goto("/webhooks", "webhooks").await;
        b.goto(&format!("/webhooks/{hook}"), "webhook").await;
        b.goto("/eligibility", "eligibility").await;
        b.goto("/reports", "reports-partner").await;
        b.sign_out().await;

        b.sign_in(REVIEWER).await;
        b.goto("/review", "review-queue").await;
        b.goto(&format!("/claims/{waiting}"), "claim-reviewer")
            .await;
        b.sign_out().await;

        b.sign_in(SUPPORT).await;
        b.goto("/disputes", "disputes").await;
        b.goto(&format!("/claims/{disputed}"), "claim-support")
            .await;
        b.sign_out().await;

        b.sign_in(PROGRAM_ADMIN).await;
        b.goto("/admin", "admin").await;
        b.goto("/admin/organisations", "admin-organisations").await;
        b.submit(
            &format!(
                "main a[href='/admin/organisations/{}']",
                cpor_domain::sample::adatum().id
            ),
            "admin-organisation",
        )
        .await;
        b.goto("/admin/organisations/operator", "admin-operator")
            .await;
        b.goto("/admin/directory", "admin-directory").await;
        b.goto("/admin/outbox", "admin-outbox").await;
        b.goto("/reports", "reports").await;
        b.goto("/webhooks", "webhooks-operator").await;
        b.sign_out().await;

        eprintln!(
            "[{lang}] every page: {} pages in {:.1} s, screenshots in {}",
            b.pages,
            started.elapsed().as_secs_f64(),
            b.shots.display()
        );
        b.violations
    })
    .await;
}
