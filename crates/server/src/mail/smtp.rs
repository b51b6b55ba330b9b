//! The SMTP relay's address, read from `--smtp-url` into a typed configuration, and the
//! transport built from it (TLS by rustls).
//!
//! - `smtp://host[:port]`: STARTTLS when the relay offers it, else plain (port 25);
//! - `smtp://host[:port]?tls=required`: STARTTLS or nothing is sent;
//! - `smtp://host[:port]?tls=none`: never TLS (a local relay or sink);
//! - `smtps://host[:port]`: TLS from the first byte (port 465).
//!
//! Credentials come from the URL's `user:password@` (percent-encoded), else from
//! `CPOR_SMTP_USERNAME`/`CPOR_SMTP_PASSWORD`.

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use std::fmt;
use std::time::Duration;

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Never TLS (`?tls=none`).
    Plain,
    /// STARTTLS when the relay offers it (`smtp://`, the default).
    Opportunistic,
    /// STARTTLS, else the message is not sent (`?tls=required`).
    Required,
    /// TLS from the first byte (`smtps://`).
    Implicit,
}

/// A user name and password for the relay's AUTH.
#[derive(Clone, PartialEq, Eq)]
pub struct Login {
    pub user: String,
    pub password: String,
}

impl fmt::Debug for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Login")
            .field("user", &self.user)
            .field("password", &"(hidden)")
            .finish()
    }
}

/// Where and how to reach the relay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub login: Option<Login>,
}

impl SmtpConfig {
    /// Reads `url`; `user`/`password` (from the environment) are used when the URL has no
    /// credentials. A refusal says why, without repeating a password.
    pub fn parse(
        url: &str,
        user: Option<&str>,
        password: Option<&str>,
    ) -> Result<SmtpConfig, String> {
        let parsed = url::Url::parse(url).map_err(|e| format!("the SMTP URL is not a URL: {e}"))?;
        let security = match parsed.scheme() {
            "smtp" => Security::Opportunistic,
            "smtps" => Security::Implicit,
            other => {
                return Err(format!(
                    "the SMTP URL starts with smtp:// or smtps://, not {other}://"
                ));
            }
        };
        let host = match parsed.host_str() {
            Some(h) if !h.is_empty() => h.trim_start_matches('[').trim_end_matches(']'),
            _ => return Err("the SMTP URL has no host".into()),
        }
        .to_string();
        let port = parsed.port().unwrap_or(match security {
            Security::Implicit => 465,
            _ => 25,
        });
        if port == 0 {
            return Err("the SMTP URL's port is 0".into());
        }
        if !matches!(parsed.path(), "" | "/") {
            return Err(format!(
                "the SMTP URL has a path ({}); only ?tls= may follow the port",
                parsed.path()
            ));
        }
        if parsed.fragment().is_some() {
            return Err("the SMTP URL has a #fragment".into());
        }
        let mut security = security;
        for (key, value) in parsed.query_pairs() {
            match (key.as_ref(), value.as_ref(), security) {
                ("tls", "required", Security::Opportunistic) => security = Security::Required,
                ("tls", "none", Security::Opportunistic) => security = Security::Plain,
                ("tls", "opportunistic", Security::Opportunistic) => {}
                ("tls", _, Security::Implicit) => {
                    return Err("smtps:// is always TLS; ?tls= is for smtp://".into());
                }
                ("tls", v, _) => {
                    return Err(format!(
                        "the SMTP URL's tls= is required, none or opportunistic, not {v:?}"
                    ));
                }
                (k, _, _) => return Err(format!("the SMTP URL has an unknown parameter {k:?}")),
            }
        }
        let decode = |s: &str, what: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| format!("the SMTP URL's {what} is not UTF-8 once decoded"))
        };
        let login = if !parsed.username().is_empty() {
            let password = parsed
                .password()
                .ok_or("the SMTP URL has a user name but no password (user:password@host)")?;
            Some(Login {
                user: decode(parsed.username(), "user name")?,
                password: decode(password, "password")?,
            })
        } else if parsed.password().is_some() {
            return Err("the SMTP URL has a password but no user name".into());
        } else {
            match (
                user.filter(|u| !u.is_empty()),
                password.filter(|p| !p.is_empty()),
            ) {
                (Some(u), Some(p)) => Some(Login {
                    user: u.into(),
                    password: p.into(),
                }),
                (None, None) => None,
                (Some(_), None) => {
                    return Err("CPOR_SMTP_USERNAME is set but CPOR_SMTP_PASSWORD is not".into());
                }
                (None, Some(_)) => {
                    return Err("CPOR_SMTP_PASSWORD is set but CPOR_SMTP_USERNAME is not".into());
                }
            }
        };
        if login.is_some() && security == Security::Plain && !is_loopback(&host) {
            return Err(
                "the SMTP URL sends a password without TLS (?tls=none) to a host that is not this machine"
                    .into(),
            );
        }
        Ok(SmtpConfig {
            host,
            port,
            security,
            login,
        })
    }

    /// The transport; `ca_pem` (a PEM file's contents) is trusted besides the system's
    /// certificate authorities.
    pub fn transport(
        &self,
        ca_pem: Option<&[u8]>,
    ) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        let tls = || {
            let mut params = TlsParameters::builder(self.host.clone());
            if let Some(pem) = ca_pem {
                if !String::from_utf8_lossy(pem).contains("-----BEGIN CERTIFICATE-----") {
                    return Err(
                        "the SMTP CA file has no PEM certificate (-----BEGIN CERTIFICATE-----)"
                            .to_string(),
                    );
                }
                let cert = Certificate::from_pem(pem)
                    .map_err(|e| format!("the SMTP CA file is not a PEM certificate: {e}"))?;
                params = params.add_root_certificate(cert);
            }
            params
                .build_rustls()
                .map_err(|e| format!("SMTP TLS settings: {e}"))
        };
        let tls = match self.security {
            Security::Plain => Tls::None,
            Security::Opportunistic => Tls::Opportunistic(tls()?),
            Security::Required => Tls::Required(tls()?),
            Security::Implicit => Tls::Wrapper(tls()?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host)
            .port(self.port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(10)));
        if let Some(login) = &self.login {
            builder =
                builder.credentials(Credentials::new(login.user.clone(), login.password.clone()));
        }
        Ok(builder.build())
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> Result<SmtpConfig, String> {
        SmtpConfig::parse(url, None, None)
    }

    #[test]
    fn each_mode_with_its_default_port() {
        let c = parse("smtp://relay.example").unwrap();
        assert_eq!(
            (c.host.as_str(), c.port, c.security, c.login),
            ("relay.example", 25, Security::Opportunistic, None)
        );
        let c = parse("smtp://relay.example:587?tls=required").unwrap();
        assert_eq!((c.port, c.security), (587, Security::Required));
        let c = parse("smtp://127.0.0.1:2525/?tls=none").unwrap();
        assert_eq!(
            (c.host.as_str(), c.port, c.security),
            ("127.0.0.1", 2525, Security::Plain)
        );
        let c = parse("smtps://relay.example").unwrap();
        assert_eq!((c.port, c.security), (465, Security::Implicit));
        let c = parse("smtps://relay.example:10465").unwrap();
        assert_eq!((c.port, c.security), (10465, Security::Implicit));
        let c = parse("smtp://[::1]:25").unwrap();
        assert_eq!(c.host, "::1");
    }

    #[test]
    fn credentials_from_the_url_decoded_else_from_the_environment() {
        let c = SmtpConfig::parse(
            "smtp://mailer%40adatum.example:p%3Ass%2Fw%40rd@relay.example:587",
            Some("ignored"),
            Some("ignored"),
        )
        .unwrap();
        assert_eq!(
            c.login,
            Some(Login {
                user: "mailer@adatum.example".into(),
                password: "p:ss/w@rd".into()
            })
        );
        let c = SmtpConfig::parse("smtps://relay.example", Some("cpor"), Some("secret")).unwrap();
        assert_eq!(
            c.login,
            Some(Login {
                user: "cpor".into(),
                password: "secret".into()
            })
        );
        assert!(!format!("{c:?}").contains("secret"));
        // Empty variables count as unset.
        let c = SmtpConfig::parse("smtp://relay.example", Some(""), Some("")).unwrap();
        assert_eq!(c.login, None);
    }

    #[test]
    fn refusals_say_why() {
        for (url, why) in [
            ("relay.example:25", "smtp:// or smtps://"),
            ("http://relay.example", "smtp:// or smtps://"),
            ("smtp://", "no host"),
            ("smtp://relay.example:99999", "not a URL"),
            ("smtp://relay.example:x", "not a URL"),
            ("smtp://relay.example:0", "port is 0"),
            ("smtp://relay.example/mail", "path"),
            ("smtp://relay.example?tls=maybe", "tls="),
            ("smtps://relay.example?tls=none", "always TLS"),
            ("smtp://relay.example?starttls=1", "unknown parameter"),
            ("smtp://user@relay.example", "no password"),
            ("smtp://:secret@relay.example", "no user name"),
            ("smtp://u:p@relay.example?tls=none", "without TLS"),
        ] {
            let e = parse(url).unwrap_err();
            assert!(e.contains(why), "{url}: {e}");
        }
        // A password in plain text is fine to a relay on this machine.
        assert!(parse("smtp://u:p@127.0.0.1:2525?tls=none").is_ok());
        let e = SmtpConfig::parse("smtp://relay.example", Some("cpor"), None).unwrap_err();
        assert!(e.contains("CPOR_SMTP_PASSWORD"), "{e}");
        let e = SmtpConfig::parse("smtp://relay.example", None, Some("x")).unwrap_err();
        assert!(e.contains("CPOR_SMTP_USERNAME"), "{e}");
    }

    #[test]
    fn a_bad_ca_file_is_refused() {
        let c = parse("smtp://relay.example").unwrap();
        let e = c.transport(Some(b"not a certificate")).unwrap_err();
        assert!(e.contains("CA file"), "{e}");
        assert!(c.transport(None).is_ok());
        assert!(
            parse("smtp://127.0.0.1?tls=none")
                .unwrap()
                .transport(None)
                .is_ok()
        );
    }
}
