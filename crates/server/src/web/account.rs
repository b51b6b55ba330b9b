//! Signing in and out, and the one-time links that set a password (invitations and
//! resets). Failed sign-ins are counted per account and per client address; past the
//! limit the form refuses, and no answer ever tells whether an account exists.

use super::error::{PageError, PageResult};
use super::form::Posted;
use super::i18n::I18n;
use super::ui::{ABSOLUTE, Ui, see_other};
use super::{cookies, render};
use crate::auth::new_secret;
use crate::mail::Mail;
use crate::password;
use crate::state::App;
use askama::Template;
use axum::extract::{ConnectInfo, Path, Query};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use cpor_domain::claim::hash_secret;
use cpor_domain::jiff::{SignedDuration, Timestamp};
use cpor_domain::values::{Email, Parse, UserId};
use cpor_store::{LinkPurpose, Session};
use serde::Deserialize;
use std::net::SocketAddr;

/// Failed sign-ins counted over this window…
pub const THROTTLE_WINDOW: SignedDuration = SignedDuration::from_mins(15);
/// …refuse an account after this many…
pub const MAX_FAILURES_PER_ACCOUNT: u32 = 5;
/// …and a client address after this many (it may try several accounts, as a shared
/// office address does).
pub const MAX_FAILURES_PER_ADDRESS: u32 = 20;
/// An invitation link works this long, once.
pub const INVITATION_LIFETIME: SignedDuration = SignedDuration::from_hours(72);
/// A password-reset link works this long, once.
pub const RESET_LIFETIME: SignedDuration = SignedDuration::from_hours(1);

#[derive(Template)]
#[template(path = "web/login.html")]
struct LoginPage<'a> {
    ui: &'a Ui,
    email: String,
    next: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    notice: Option<String>,
}

/// Where to go after signing in: a path of this service, never another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

/// `GET /login`.
pub async fn login_form(ui: Ui, Query(q): Query<LoginQuery>) -> PageResult {
    if ui.viewer.is_some() {
        return Ok(see_other(&safe_next(q.next.as_deref())));
    }
    let notice = q
        .notice
        .as_deref()
        .filter(|n| ["password-set", "signed-out", "reset-sent"].contains(n))
        .map(|n| ui.t(&format!("notice-{n}")));
    render(&LoginPage {
        ui: &ui,
        email: String::new(),
        next: safe_next(q.next.as_deref()),
        error: None,
        notice,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// `POST /login`.
pub async fn login(
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    posted: Posted<LoginForm>,
) -> PageResult {
    let Posted { ui, form, .. } = posted;
    let app = ui.app.clone();
    let now = app.clock.now();
    let next = safe_next(form.next.as_deref());
    let email = form.email.trim().to_lowercase();
    let keys = [
        format!("account:{email}"),
        format!("address:{}", client.ip()),
    ];
    let since = now.checked_sub(THROTTLE_WINDOW).unwrap_or(Timestamp::MIN);
    let refuse = |key: &str| {
        render(&LoginPage {
            ui: &ui,
            email: email.clone(),
            next: next.clone(),
            error: Some(ui.t(key)),
            notice: None,
        })
    };
    let by_account = app
        .store
        .login_failures(&keys[0], since)
        .await
        .map_err(|e| PageError::from_api(&ui, e.into()))?;
    let by_address = app
        .store
        .login_failures(&keys[1], since)
        .await
        .map_err(|e| PageError::from_api(&ui, e.into()))?;
    if by_account >= MAX_FAILURES_PER_ACCOUNT || by_address >= MAX_FAILURES_PER_ADDRESS {
        return refuse("login-throttled");
    }
    let account = match Email::parse(&email) {
        Ok(e) => app.store.account_by_email(&e).await.ok().flatten(),
        Err(_) => None,
    };
    let hash = account.as_ref().and_then(|a| a.password_hash.clone());
    let password_ok = password::verify(form.password, hash).await;
    let account = match account {
        Some(a) if password_ok && !a.blocked() => a,
        _ => {
            let _ = app.store.record_login_failure(&keys, now, since).await;
            return refuse("login-failed");
        }
    };
    let _ = app.store.clear_login_failures(&keys[0]).await;
    let secret = new_secret("session");
    let session = Session {
        id_hash: hash_secret(&secret),
        user_id: account.user.id,
        csrf: new_secret("csrf"),
        created_at: now,
        last_seen_at: now,
    };
    app.store
        .create_session(&session)
        .await
        .map_err(|e| PageError::from_api(&ui, e.into()))?;
    let cookie = cookies::set(
        &app.public_url,
        cookies::session_name(&app.public_url),
        &secret,
        ABSOLUTE.as_secs(),
        "Lax",
    );
    let mut resp = see_other(&next);
    resp.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(resp)
}

/// `POST /logout`: ends every session of the person, on every device.
pub async fn logout(posted: Posted<crate::web::form::NoFields>) -> Response {
    let app = posted.ui.app.clone();
    if let Some(v) = &posted.ui.viewer {
        let _ = app.store.end_sessions_of(v.user.id).await;
    }
    let mut resp = see_other("/login?notice=signed-out");
    resp.headers_mut().append(
        header::SET_COOKIE,
        cookies::set(
            &app.public_url,
            cookies::session_name(&app.public_url),
            "",
            0,
            "Lax",
        ),
    );
    resp
}

#[derive(Template)]
#[template(path = "web/forgot.html")]
struct ForgotPage<'a> {
    ui: &'a Ui,
    sent: bool,
}

/// `GET /forgot-password`.
pub async fn forgot_form(ui: Ui) -> PageResult {
    render(&ForgotPage {
        ui: &ui,
        sent: false,
    })
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// `POST /forgot-password`: e-mails a reset link when the account exists; the answer is
/// the same either way.
pub async fn forgot(posted: Posted<ForgotForm>) -> PageResult {
    let ui = posted.ui;
    let app = ui.app.clone();
    if let Ok(email) = Email::parse(posted.form.email.trim())
        && let Ok(Some(account)) = app.store.account_by_email(&email).await
        && !account.blocked()
    {
        let lang = account
            .language
            .as_deref()
            .and_then(super::i18n::Lang::parse)
            .unwrap_or(ui.i.lang);
        let words = I18n::new(lang, ui.i.zone.clone());
        // Sent in the background: how long it takes must not tell that the account exists.
        tokio::spawn(send_link(
            app.clone(),
            account.user.id,
            account.user.email.to_string(),
            LinkPurpose::PasswordReset,
            words,
        ));
    }
    render(&ForgotPage {
        ui: &ui,
        sent: true,
    })
}

/// Makes a one-time link of `purpose` for `user` and e-mails it; returns the link.
pub async fn send_link(
    app: App,
    user: UserId,
    to: String,
    purpose: LinkPurpose,
    words: I18n,
) -> Option<String> {
    let now = app.clock.now();
    let link = match create_link(app.store.as_ref(), &app.public_url, user, purpose, now).await {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!(error = %e, "cannot store a one-time link");
            return None;
        }
    };
    let (subject, body) = match purpose {
        LinkPurpose::PasswordReset => ("mail-reset-subject", "mail-reset-body"),
        LinkPurpose::Invitation => ("mail-invitation-subject", "mail-invitation-body"),
    };
    let mail = Mail {
        lang: words.lang,
        from: app.mail_from.clone(),
        to,
        subject: words.t(subject),
        body: words.t1(body, "link", &link),
    };
    if let Err(e) = app.mailer.send(&mail).await {
        tracing::warn!(error = %e, "an account e-mail could not be sent");
    }
    Some(link)
}

/// A one-time link of `purpose` for `user` at the service at `public_url`, stored as
/// the hash of its secret (the CLI prints invitations with it too).
pub async fn create_link(
    store: &dyn cpor_store::Store,
    public_url: &str,
    user: UserId,
    purpose: LinkPurpose,
    now: Timestamp,
) -> Result<String, cpor_store::StoreError> {
    let secret = new_secret("link");
    let (lifetime, path) = match purpose {
        LinkPurpose::PasswordReset => (RESET_LIFETIME, "reset"),
        LinkPurpose::Invitation => (INVITATION_LIFETIME, "invitation"),
    };
    store
        .create_link(
            &hash_secret(&secret),
            user,
            purpose,
            super::ui::later(now, lifetime),
        )
        .await?;
    Ok(format!(
        "{}/{path}/{secret}",
        public_url.trim_end_matches('/')
    ))
}

#[derive(Template)]
#[template(path = "web/set_password.html")]
struct SetPasswordPage<'a> {
    ui: &'a Ui,
    heading: String,
    action: String,
    error: Option<String>,
    /// The link no longer works (used, expired or unknown).
    dead: bool,
}

fn purpose_of(kind: &str) -> Option<(LinkPurpose, &'static str)> {
    match kind {
        "reset" => Some((LinkPurpose::PasswordReset, "reset-heading")),
        "invitation" => Some((LinkPurpose::Invitation, "invitation-heading")),
        _ => None,
    }
}

/// `GET /reset/{token}`.
pub async fn reset_form(ui: Ui, Path(token): Path<String>) -> PageResult {
    set_password_form(ui, "reset", token).await
}

/// `GET /invitation/{token}`.
pub async fn invitation_form(ui: Ui, Path(token): Path<String>) -> PageResult {
    set_password_form(ui, "invitation", token).await
}

/// `POST /reset/{token}`.
pub async fn reset(Path(token): Path<String>, posted: Posted<SetPasswordForm>) -> PageResult {
    set_password(posted, "reset", token).await
}

/// `POST /invitation/{token}`.
pub async fn accept_invitation(
    Path(token): Path<String>,
    posted: Posted<SetPasswordForm>,
) -> PageResult {
    set_password(posted, "invitation", token).await
}

async fn set_password_form(ui: Ui, kind: &str, token: String) -> PageResult {
    let Some((purpose, heading)) = purpose_of(kind) else {
        return Err(PageError::not_found(&ui));
    };
    let now = ui.app.clock.now();
    let alive = ui
        .app
        .store
        .peek_link(&hash_secret(&token), purpose, now)
        .await
        .ok()
        .flatten()
        .is_some();
    render(&SetPasswordPage {
        ui: &ui,
        heading: ui.t(heading),
        action: format!("/{kind}/{token}"),
        error: None,
        dead: !alive,
    })
}

#[derive(Deserialize)]
pub struct SetPasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

/// Sets the password, uses the link up, and ends every session the person had.
async fn set_password(posted: Posted<SetPasswordForm>, kind: &str, token: String) -> PageResult {
    let ui = posted.ui;
    let Some((purpose, heading)) = purpose_of(kind) else {
        return Err(PageError::not_found(&ui));
    };
    let again = |error: &str, dead: bool| {
        render(&SetPasswordPage {
            ui: &ui,
            heading: ui.t(heading),
            action: format!("/{kind}/{token}"),
            error: Some(ui.t(error)),
            dead,
        })
    };
    let form = posted.form;
    if let Err(key) = password::check(&form.password) {
        return again(key, false);
    }
    if form.password != form.confirm {
        return again("password-mismatch", false);
    }
    let app = ui.app.clone();
    let hash = password::hash(form.password)
        .await
        .map_err(|e| PageError::from_api(&ui, crate::error::ApiError::internal(e)))?;
    let used = app
        .store
        .use_link(&hash_secret(&token), purpose, app.clock.now())
        .await
        .map_err(|e| PageError::from_api(&ui, e.into()))?;
    let Some(user) = used else {
        return again("link-dead", true);
    };
    app.store
        .set_password(user, &hash)
        .await
        .map_err(|e| PageError::from_api(&ui, e.into()))?;
    let _ = app.store.end_sessions_of(user).await;
    Ok(see_other("/login?notice=password-set"))
}

/// `GET /`: the portal's home for the signed-in, the sign-in page for others.
pub async fn home(ui: Ui) -> Response {
    match &ui.viewer {
        Some(_) => see_other("/claims"),
        None => see_other("/login"),
    }
    .into_response()
}
