//! A person in a browser, without the browser: keeps cookies, follows redirects, reads
//! forms' CSRF tokens and posts forms as a page would (same origin).
#![allow(dead_code, clippy::unwrap_used)]

use super::TestApp;
use reqwest::StatusCode;
use std::collections::BTreeMap;

pub struct Visitor<'a> {
    pub app: &'a TestApp,
    client: reqwest::Client,
    cookies: BTreeMap<String, String>,
}

pub struct Page {
    pub status: StatusCode,
    /// Where the last redirect led.
    pub url: String,
    pub html: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Page {
    /// The `_csrf` value of the page's first form.
    pub fn csrf(&self) -> String {
        let at = self
            .html
            .find("name=\"_csrf\" value=\"")
            .expect("a form with a token");
        let rest = &self.html[at + "name=\"_csrf\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_string()
    }

    pub fn has(&self, text: &str) -> bool {
        self.html.contains(text)
    }
}

impl<'a> Visitor<'a> {
    pub fn new(app: &'a TestApp) -> Visitor<'a> {
        Visitor {
            app,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&mut self, headers: &reqwest::header::HeaderMap) {
        for v in headers.get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let pair = v.split(';').next().unwrap();
            let (k, val) = pair.split_once('=').unwrap();
            let gone = v.contains("Max-Age=0");
            if gone || val.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), val.to_string());
            }
        }
    }

    async fn go(&mut self, mut req: reqwest::RequestBuilder, mut path: String) -> Page {
        loop {
            let resp = req
                .header("Cookie", self.cookie_header())
                .header("Accept", "text/html")
                .send()
                .await
                .unwrap();
            let status = resp.status();
            let headers = resp.headers().clone();
            self.keep_cookies(&headers);
            if status.is_redirection() {
                path = headers["location"].to_str().unwrap().to_string();
                req = self.client.get(format!("{}{path}", self.app.base));
                continue;
            }
            let html = resp.text().await.unwrap();
            return Page {
                status,
                url: path,
                html,
                headers,
            };
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let req = self.client.get(format!("{}{path}", self.app.base));
        self.go(req, path.to_string()).await
    }

    /// Posts a form as this service's own page would.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = form(fields);
        let req = self
            .client
            .post(format!("{}{path}", self.app.base))
            .header("Origin", "http://cpor.test")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body);
        self.go(req, path.to_string()).await
    }

    /// Posts a form from another site (its own `Origin`).
    pub async fn post_from(&mut self, origin: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let req = self
            .client
            .post(format!("{}{path}", self.app.base))
            .header("Origin", origin)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form(fields));
        self.go(req, path.to_string()).await
    }

    /// Uploads a document from a page's form.
    pub async fn upload(
        &mut self,
        path: &str,
        csrf: &str,
        back: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> Page {
        let form = reqwest::multipart::Form::new()
            .text("_csrf", csrf.to_string())
            .text("back", back.to_string())
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
            );
        let req = self
            .client
            .post(format!("{}{path}", self.app.base))
            .header("Origin", "http://cpor.test")
            .multipart(form);
        self.go(req, path.to_string()).await
    }

    /// Posts a multipart form (files and fields) as this service's own page would.
    pub async fn post_multipart(&mut self, path: &str, form: reqwest::multipart::Form) -> Page {
        let req = self
            .client
            .post(format!("{}{path}", self.app.base))
            .header("Origin", "http://cpor.test")
            .multipart(form);
        self.go(req, path.to_string()).await
    }

    /// Signs in as a test user ("adatum:incentives_admin").
    pub async fn sign_in(&mut self, who: &str) -> Page {
        let login = self.get("/login").await;
        let csrf = login.csrf();
        let email = super::email_of(who);
        self.post(
            "/login",
            &[
                ("_csrf", &csrf),
                ("email", &email),
                ("password", super::PASSWORD),
            ],
        )
        .await
    }

    pub fn forget_cookies(&mut self) {
        self.cookies.clear();
    }
}

fn form(fields: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish()
}
