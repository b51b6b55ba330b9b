//! What every page knows of its request: who is signed in (a server-side session), the
//! language to speak, the operator's time zone, the CSRF token its forms carry, and the
//! address of the page itself (for the language switcher).

use super::cookies;
use super::i18n::{I18n, Lang};
use crate::auth::Principal;
use crate::state::App;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use cpor_domain::claim::hash_secret;
use cpor_domain::jiff::{SignedDuration, Timestamp};
use cpor_store::{Session, User};

/// A session ends after this long without a request…
pub const IDLE: SignedDuration = SignedDuration::from_hours(2);
/// …and this long after sign-in, whatever happens.
pub const ABSOLUTE: SignedDuration = SignedDuration::from_hours(12);
/// `t + d`, or the end of time when that overflows.
pub fn later(t: Timestamp, d: SignedDuration) -> Timestamp {
    t.checked_add(d).unwrap_or(Timestamp::MAX)
}

/// A session's last use is written at most this often (not on every request).
const TOUCH_EVERY: SignedDuration = SignedDuration::from_secs(60);

/// The person signed in.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    pub session: Session,
    /// The partner organisation's name; `None` on the operator's side.
    pub org_name: Option<String>,
    /// The language the person chose, if any.
    pub language: Option<Lang>,
}

impl Viewer {
    /// The same principal the API authorises, so pages and API share one rule.
    pub fn principal(&self) -> Principal {
        Principal(self.user.clone(), None)
    }
}

/// The anonymous visitor's CSRF token, put in the request by [`super::visitor_cookies`].
#[derive(Debug, Clone)]
pub struct AnonCsrf(pub String);

/// A page's context.
#[derive(Clone)]
pub struct Ui {
    pub i: I18n,
    pub viewer: Option<Viewer>,
    /// The token every form of the page carries (`_csrf`).
    pub csrf: String,
    /// This page's path and query without `lang`.
    pub here: String,
    pub app: App,
}

impl Ui {
    pub fn lang(&self) -> &'static str {
        self.i.lang.code()
    }

    /// The address of this page in another language.
    pub fn in_lang(&self, lang: &Lang) -> String {
        let sep = if self.here.contains('?') { '&' } else { '?' };
        format!("{}{sep}lang={}", self.here, lang.code())
    }

    pub fn langs(&self) -> &'static [Lang] {
        &Lang::ALL
    }

    pub fn t(&self, key: &str) -> String {
        self.i.t(key)
    }

    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        self.i.t1(key, name, value)
    }

    /// Whether a form's `_csrf` is this page's token (compared in constant time).
    pub fn csrf_ok(&self, sent: &str) -> bool {
        let (a, b) = (sent.as_bytes(), self.csrf.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

fn query_lang(parts: &Parts) -> Option<Lang> {
    form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Lang::parse(&v))
}

fn here(parts: &Parts) -> String {
    let query: Vec<String> = form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
        .filter(|(k, _)| k != "lang")
        .map(|(k, v)| {
            form_urlencoded::Serializer::new(String::new())
                .append_pair(&k, &v)
                .finish()
        })
        .collect();
    if query.is_empty() {
        parts.uri.path().to_string()
    } else {
        format!("{}?{}", parts.uri.path(), query.join("&"))
    }
}

/// The live session a request carries, if any (an expired one is ended here).
async fn viewer(app: &App, parts: &Parts, now: Timestamp) -> Option<Viewer> {
    let secret = cookies::get(&parts.headers, cookies::session_name(&app.public_url))?;
    let hash = hash_secret(secret);
    let session = app.store.session(&hash).await.ok()??;
    let expired =
        later(session.last_seen_at, IDLE) <= now || later(session.created_at, ABSOLUTE) <= now;
    if expired {
        let _ = app.store.end_session(&hash).await;
        return None;
    }
    let account = app.store.account(session.user_id).await.ok()??;
    if account.blocked() {
        return None;
    }
    if later(session.last_seen_at, TOUCH_EVERY) <= now {
        let _ = app.store.touch_session(&hash, now).await;
    }
    let org_name = match account.user.org_id {
        Some(org) => app
            .store
            .organisation(org)
            .await
            .ok()
            .flatten()
            .map(|o| o.name.to_string()),
        None => None,
    };
    Some(Viewer {
        language: account.language.as_deref().and_then(Lang::parse),
        user: account.user,
        session,
        org_name,
    })
}

impl FromRequestParts<App> for Ui {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Response> {
        let now = app.clock.now();
        let viewer = viewer(app, parts, now).await;
        let asked = query_lang(parts);
        let saved = viewer.as_ref().and_then(|v| v.language);
        if let (Some(v), Some(l)) = (&viewer, asked)
            && saved != Some(l)
        {
            let _ = app.store.set_language(v.user.id, Some(l.code())).await;
        }
        let lang = asked
            .or(saved)
            .or_else(|| cookies::get(&parts.headers, cookies::LANG).and_then(Lang::parse))
            .or_else(|| {
                parts
                    .headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(Lang::from_accept_language)
            })
            .unwrap_or_default();
        let zone = match app.store.reference().await {
            Ok(r) => r.calendar.time_zone().clone(),
            Err(_) => cpor_domain::jiff::tz::TimeZone::UTC,
        };
        let csrf = match &viewer {
            Some(v) => v.session.csrf.clone(),
            None => parts
                .extensions
                .get::<AnonCsrf>()
                .map(|c| c.0.clone())
                .unwrap_or_default(),
        };
        Ok(Ui {
            i: I18n::new(lang, zone),
            viewer,
            csrf,
            here: here(parts),
            app: app.clone(),
        })
    }
}

/// A page for signed-in people: anyone else is sent to sign in, and back here after.
pub struct SignedIn(pub Ui, pub Viewer);

impl FromRequestParts<App> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Response> {
        let ui = Ui::from_request_parts(parts, app).await?;
        match ui.viewer.clone() {
            Some(v) => Ok(SignedIn(ui, v)),
            None => Err(to_sign_in(&ui.here)),
        }
    }
}

/// The sign-in page, coming back to `next` afterwards.
pub fn to_sign_in(next: &str) -> Response {
    let next = form_urlencoded::Serializer::new(String::new())
        .append_pair("next", next)
        .finish();
    Redirect::to(&format!("/login?{next}")).into_response()
}

/// After a form: see the result (post, redirect, get).
pub fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}
