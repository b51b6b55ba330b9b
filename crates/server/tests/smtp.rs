//! E-mail through a real SMTP server: the aiosmtpd sink that scripts/test starts
//! (scripts/smtp.sh), which requires STARTTLS (or implicit TLS on its other port) and AUTH
//! on a certificate of a throw-away CA, and writes each message it receives to a
//! directory. The messages are parsed and checked: envelope, headers, language, links.
//! Without the sink these tests are skipped, loudly, unless CPOR_REQUIRE_SMTP is set.
#![allow(clippy::unwrap_used)]

mod support;

use base64::Engine;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;
use support::*;

const ADMIN: &str = "adatum:incentives_admin";
const REVIEWER: &str = "operator:reviewer";
const PARTNER: &str = "bo.berg@partner.example";

/// The sink scripts/smtp.sh started.
struct Sink {
    host: String,
    port: u16,
    tls_port: u16,
    dir: PathBuf,
    ca: PathBuf,
    user: String,
    password: String,
}

fn sink() -> Option<Sink> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match var("CPOR_TEST_SMTP_HOST") {
        Some(host) => Some(Sink {
            host,
            port: var("CPOR_TEST_SMTP_PORT").unwrap().parse().unwrap(),
            tls_port: var("CPOR_TEST_SMTP_TLS_PORT").unwrap().parse().unwrap(),
            dir: var("CPOR_TEST_SMTP_DIR").unwrap().into(),
            ca: var("CPOR_TEST_SMTP_CA").unwrap().into(),
            user: var("CPOR_TEST_SMTP_USER").unwrap(),
            password: var("CPOR_TEST_SMTP_PASSWORD").unwrap(),
        }),
        None if std::env::var_os("CPOR_REQUIRE_SMTP").is_some() => panic!(
            "CPOR_REQUIRE_SMTP is set but CPOR_TEST_SMTP_HOST is not: start the SMTP sink with scripts/test"
        ),
        None => {
            eprintln!(
                "skipped: no SMTP sink (CPOR_TEST_SMTP_HOST is not set; scripts/test starts one)"
            );
            None
        }
    }
}

/// A received message: headers by lower-case name (unfolded, encoded words decoded)
/// and the decoded body.
#[derive(Debug)]
struct Received {
    headers: BTreeMap<String, String>,
    /// The plain text (of a multipart message: its text/plain part).
    body: String,
    /// The text/html part of a multipart message.
    html: Option<String>,
}

impl Received {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("no {name} header in {self:#?}"))
    }
}

fn parse(raw: &str) -> Received {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap();
    let mut headers = BTreeMap::new();
    let mut last: Option<String> = None;
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            let name = last.clone().unwrap();
            let value: &mut String = headers.get_mut(&name).unwrap();
            value.push_str(line);
            continue;
        }
        let (name, value) = line.split_once(':').unwrap();
        let name = name.trim().to_ascii_lowercase();
        headers.insert(name.clone(), value.trim().to_string());
        last = Some(name);
    }
    for value in headers.values_mut() {
        *value = decode_words(value);
    }
    let body = match headers
        .get("content-transfer-encoding")
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("base64") => String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(body.split_whitespace().collect::<String>())
                .unwrap(),
        )
        .unwrap(),
        Some("quoted-printable") => quoted_printable(body),
        _ => body.to_string(),
    };
    let content_type = headers.get("content-type").cloned().unwrap_or_default();
    if let Some(boundary) = content_type.split("boundary=").nth(1).map(|b| {
        b.trim_matches('"')
            .split(';')
            .next()
            .unwrap()
            .trim_matches('"')
    }) {
        let parts: Vec<Received> = body
            .split(&format!("--{boundary}"))
            .skip(1)
            .filter(|p| !p.starts_with("--"))
            .map(|p| parse(p.trim_start_matches('\n')))
            .collect();
        let of = |kind: &str| {
            parts
                .iter()
                .find(|p| p.header("content-type").starts_with(kind))
                .map(|p| p.body.clone())
        };
        return Received {
            body: of("text/plain").expect("a text/plain part"),
            html: of("text/html"),
            headers,
        };
    }
    Received {
        headers,
        body,
        html: None,
    }
}

/// RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`); the white space between
/// two of them is dropped.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    let mut after_word = false;
    while let Some(start) = rest.find("=?") {
        let gap = &rest[..start];
        if !(after_word && gap.trim().is_empty()) {
            out.push_str(gap);
        }
        let word = &rest[start + 2..];
        let mut parts = word.splitn(3, '?');
        let (_charset, encoding, tail) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        let end = tail.find("?=").unwrap();
        let text = &tail[..end];
        let bytes = if encoding.eq_ignore_ascii_case("b") {
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .unwrap()
        } else {
            quoted_printable(&text.replace('_', " ")).into_bytes()
        };
        out.push_str(&String::from_utf8(bytes).unwrap());
        rest = &tail[end + 2..];
        after_word = true;
    }
    out.push_str(rest);
    out
}

fn quoted_printable(s: &str) -> String {
    let joined = s.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
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
    String::from_utf8(out).unwrap()
}

/// The messages the sink received whose body names the claim `id` (the tests of this
/// file share the sink).
fn received_for(sink: &Sink, id: &str) -> Vec<Received> {
    let link = format!("http://cpor.test/claims/{id}");
    std::fs::read_dir(&sink.dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .map(|p| parse(&std::fs::read_to_string(p).unwrap()))
        .filter(|m| m.body.contains(&link))
        .collect()
}

/// A server whose e-mail goes to `url`, trusting the sink's CA.
async fn app(sink: &Sink, url: String, env_login: bool) -> TestApp {
    let (ca, user, password) = (sink.ca.clone(), sink.user.clone(), sink.password.clone());
    TestApp::start_with(move |config| {
        config.smtp_url = Some(url);
        config.smtp_ca_file = Some(ca);
        if env_login {
            config.smtp_username = Some(user);
            config.smtp_password = Some(password);
        }
    })
    .await
}

/// A claim whose creator speaks Swedish, taken to a request for information; the
/// e-mail jobs run.
async fn information_requested(t: &TestApp) -> String {
    let creator = t
        .store
        .users(Some(cpor_domain::sample::adatum().id))
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email.to_string() == email_of(ADMIN))
        .unwrap();
    t.store.set_language(creator.id, Some("sv")).await.unwrap();
    let id = t
        .under_review(ADMIN, m365("Contoso Intune", "1234567", &["intune"]))
        .await;
    t.ok(
        &format!("/api/v1/claims/{id}/review/request-info"),
        REVIEWER,
        json!({"reasons": ["missing_poe"], "comment": "Bifoga arbetsbeskrivningen."}),
    )
    .await;
    t.run_jobs().await;
    id
}

/// The failing e-mail jobs of claim `id`, as operators see them.
async fn failing_email_jobs(t: &TestApp, id: &str) -> Vec<Value> {
    let r = t.get("/api/v1/jobs", REVIEWER).await;
    assert!(r.status.is_success(), "{}", r.body);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["kind"] == "email" && j["claim_id"] == id)
        .cloned()
        .collect()
}

fn assert_partner_mail(m: &Received, id: &str, mode: &str, sink: &Sink) {
    // How it arrived, as the sink saw it.
    assert_eq!(m.header("x-sink-mode"), mode);
    assert_eq!(m.header("x-sink-tls"), "yes");
    assert_eq!(m.header("x-sink-auth"), sink.user);
    assert_eq!(m.header("x-sink-rcpt-to"), PARTNER);
    assert_eq!(m.header("x-sink-mail-from"), "cpor@localhost");
    // The message itself: addresses, subject and body in Swedish, the claim's link.
    assert_eq!(m.header("to"), PARTNER);
    assert_eq!(m.header("from"), "cpor <cpor@localhost>");
    assert_eq!(
        m.header("subject"),
        "Åtgärd krävs för ert ärende ”Contoso Intune”"
    );
    assert!(
        m.header("content-type")
            .starts_with("multipart/alternative"),
        "{m:#?}"
    );
    assert_eq!(m.header("content-language"), "sv");
    let html = m.html.as_deref().expect("an HTML alternative");
    for words in [
        "Ert ärende ”Contoso Intune” för contoso.com kräver en åtgärd från er",
        "Granskarens kommentar:",
        "Bifoga arbetsbeskrivningen.",
        &format!("Ärende: http://cpor.test/claims/{id}"),
    ] {
        assert!(m.body.contains(words), "{words:?} in {}", m.body);
    }
    // The HTML says the same, in the same language, with the link whole.
    assert!(html.contains("<html lang=\"sv\">"), "{html}");
    assert!(html.contains("Granskarens kommentar:"), "{html}");
    let link = format!("http://cpor.test/claims/{id}");
    assert!(
        html.contains(&format!("<a href=\"{link}\"")) && html.contains(&format!(">{link}</a>")),
        "{html}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starttls_and_auth_deliver_the_partners_email_in_its_language() {
    let Some(sink) = sink() else { return };
    let url = format!("smtp://{}:{}?tls=required", sink.host, sink.port);
    let t = app(&sink, url, true).await;
    let id = information_requested(&t).await;
    let mails = received_for(&sink, &id);
    assert_eq!(mails.len(), 1, "{mails:#?}");
    assert_partner_mail(&mails[0], &id, "starttls", &sink);
    assert_eq!(failing_email_jobs(&t, &id).await, Vec::<Value>::new());
    assert!(t.outbox().is_empty(), "nothing written to the outbox");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn implicit_tls_with_credentials_in_the_url() {
    let Some(sink) = sink() else { return };
    let url = format!(
        "smtps://{}:{}@{}:{}",
        sink.user, sink.password, sink.host, sink.tls_port
    );
    let t = app(&sink, url, false).await;
    let id = information_requested(&t).await;
    let mails = received_for(&sink, &id);
    assert_eq!(mails.len(), 1, "{mails:#?}");
    assert_partner_mail(&mails[0], &id, "implicit", &sink);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_delivers_nothing_and_the_failing_job_shows_the_relays_error() {
    let Some(sink) = sink() else { return };
    let url = format!(
        "smtp://{}:not-the-password@{}:{}?tls=required",
        sink.user, sink.host, sink.port
    );
    let t = app(&sink, url, false).await;
    let id = information_requested(&t).await;
    assert!(received_for(&sink, &id).is_empty());
    let jobs = failing_email_jobs(&t, &id).await;
    assert_eq!(jobs.len(), 1, "{jobs:#?}");
    assert_eq!(jobs[0]["attempts"], 1);
    assert_eq!(jobs[0]["parked"], false);
    let error = jobs[0]["last_error"].as_str().unwrap();
    assert!(
        error.contains("535") && error.contains("Authentication credentials invalid"),
        "{error}"
    );
    // It is tried again after its backoff, and fails again the same way.
    t.advance(cpor_domain::jiff::SignedDuration::from_secs(11));
    t.run_jobs().await;
    assert!(received_for(&sink, &id).is_empty());
    assert_eq!(failing_email_jobs(&t, &id).await[0]["attempts"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_whose_certificate_is_not_trusted_gets_nothing() {
    let Some(sink) = sink() else { return };
    let url = format!("smtp://{}:{}?tls=required", sink.host, sink.port);
    let (user, password) = (sink.user.clone(), sink.password.clone());
    // The sink's CA is not given: its certificate is refused, no password is sent.
    let t = TestApp::start_with(move |config| {
        config.smtp_url = Some(url);
        config.smtp_username = Some(user);
        config.smtp_password = Some(password);
    })
    .await;
    let id = information_requested(&t).await;
    assert!(received_for(&sink, &id).is_empty());
    let jobs = failing_email_jobs(&t, &id).await;
    assert_eq!(jobs.len(), 1, "{jobs:#?}");
    let error = jobs[0]["last_error"].as_str().unwrap();
    assert!(error.to_lowercase().contains("certificate"), "{error}");
}
