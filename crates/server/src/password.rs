//! Passwords: hashed with Argon2id (the `argon2` crate's defaults, a PHC string with its
//! own salt and parameters), checked in constant time, never stored or logged in clear.
//! Hashing is deliberately slow, so it runs off the request threads.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// The shortest password accepted.
pub const MIN_CHARS: usize = 10;
/// The longest (hashing cost grows with length).
pub const MAX_CHARS: usize = 256;

/// Why a new password is refused: a message key of the portal.
pub fn check(password: &str) -> Result<(), &'static str> {
    let n = password.chars().count();
    if n < MIN_CHARS {
        Err("password-too-short")
    } else if n > MAX_CHARS {
        Err("password-too-long")
    } else {
        Ok(())
    }
}

/// The PHC string of `password`.
pub async fn hash(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

/// Whether `password` matches `phc`. Without a stored hash a dummy one is checked, so
/// an unknown account takes as long to refuse as a wrong password.
pub async fn verify(password: String, phc: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let dummy;
        let phc = match &phc {
            Some(p) => p.as_str(),
            None => {
                dummy = dummy_hash();
                dummy.as_str()
            }
        };
        let ok = PasswordHash::new(phc)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false);
        // The dummy hash's own text never signs anyone in.
        ok && phc != dummy_hash()
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> String {
    use std::sync::OnceLock;
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY
        .get_or_init(|| {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(b"not a password of anyone", &salt)
                .map(|h| h.to_string())
                .unwrap_or_default()
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_password_matches_its_hash_only() {
        let h = hash("correct horse battery".into())
            .await
            .unwrap_or_default();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery".into(), Some(h.clone())).await);
        assert!(!verify("wrong horse battery".into(), Some(h)).await);
        assert!(!verify("not a password of anyone".into(), None).await);
    }

    #[test]
    fn short_and_long_passwords_are_refused() {
        assert_eq!(check("short"), Err("password-too-short"));
        assert_eq!(check(&"x".repeat(300)), Err("password-too-long"));
        assert_eq!(check("long enough pass"), Ok(()));
    }
}
