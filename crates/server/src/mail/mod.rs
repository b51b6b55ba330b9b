//! E-mail: rendering the outbox's notifications (see [`render`]) and the transports that
//! deliver them: a file per message under the data directory by default, or SMTP.

pub mod html;
pub mod render;
pub mod smtp;

use crate::web::i18n::Lang;
use cpor_domain::claim::Claim;
use cpor_store::{Store, StoreError};

/// The partner's language: the one the claim's creator chose for the portal, else the
/// organisation's, else English.
pub async fn partner_language(store: &dyn Store, claim: &Claim) -> Result<Lang, StoreError> {
    let chosen = match claim.created_by {
        Some(user) => store.account(user).await?.and_then(|a| a.language),
        None => None,
    };
    let chosen = match chosen {
        Some(l) => Some(l),
        None => store.organisation_language(claim.org_id).await?,
    };
    Ok(chosen.as_deref().and_then(Lang::parse).unwrap_or_default())
}

/// The customer's language: the customer contact's, else the partner organisation's,
/// else the claim creator's, else English.
pub async fn customer_language(store: &dyn Store, claim: &Claim) -> Result<Lang, StoreError> {
    match claim
        .fields
        .customer_contact
        .as_ref()
        .and_then(|c| c.language)
    {
        Some(l) => Ok(l.into()),
        None => match store.organisation_language(claim.org_id).await? {
            Some(l) => Ok(Lang::parse(&l).unwrap_or_default()),
            None => partner_language(store, claim).await,
        },
    }
}

use async_trait::async_trait;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;

/// A rendered e-mail: its plain text, sent with an HTML alternative made from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub from: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The language it is written in.
    pub lang: Lang,
}

impl Mail {
    fn message(&self) -> Result<Message, String> {
        let from: Mailbox = self
            .from
            .parse()
            .map_err(|e| format!("from address: {e}"))?;
        let to: Mailbox = self.to.parse().map_err(|e| format!("to address: {e}"))?;
        Message::builder()
            .from(from)
            .to(to)
            .subject(self.subject.clone())
            .header(ContentLanguage(self.lang.code()))
            .multipart(MultiPart::alternative_plain_html(
                self.body.clone(),
                html::from_text(&self.body, self.lang.code()),
            ))
            .map_err(|e| e.to_string())
    }
}

/// `Content-Language`: the e-mail's language, for clients and screen readers.
#[derive(Debug, Clone)]
struct ContentLanguage(&'static str);

impl Header for ContentLanguage {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Err(format!("not parsed: {s}").into())
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.to_string())
    }
}

/// Delivers an e-mail, or says why it could not (the job is then retried).
#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, mail: &Mail) -> Result<(), String>;
}

/// One `.eml` file per message in a directory.
pub struct FileMailer {
    transport: AsyncFileTransport<Tokio1Executor>,
}

impl FileMailer {
    pub fn new(dir: PathBuf) -> std::io::Result<FileMailer> {
        std::fs::create_dir_all(&dir)?;
        Ok(FileMailer {
            transport: AsyncFileTransport::new(dir),
        })
    }
}

#[async_trait]
impl Mailer for FileMailer {
    async fn send(&self, mail: &Mail) -> Result<(), String> {
        self.transport
            .send(mail.message()?)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// SMTP to a relay (see [`smtp`] for the URL: STARTTLS, implicit TLS, credentials).
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl SmtpMailer {
    /// To the relay of `config`, trusting `ca_pem` (a PEM certificate) besides the
    /// system's certificate authorities.
    pub fn new(config: &smtp::SmtpConfig, ca_pem: Option<&[u8]>) -> Result<SmtpMailer, String> {
        Ok(SmtpMailer {
            transport: config.transport(ca_pem)?,
        })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &Mail) -> Result<(), String> {
        self.transport
            .send(mail.message()?)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}
