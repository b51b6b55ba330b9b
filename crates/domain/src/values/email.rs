use super::{DomainName, Parse};
use crate::error::{ErrorCode, FieldError};
use serde::{Deserialize, Serialize};

/// An e-mail address of a contact: `local@domain`, where the local part is a dot-atom
/// (RFC 5322 without quoted strings or comments, which no customer contact uses and which
/// mail relays handle badly) and the domain a [`DomainName`] (internationalised names
/// allowed). The domain is lower-cased; the local part is kept as typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

const ATEXT_SPECIALS: &[u8] = b"!#$%&'*+-/=?^_`{|}~";

impl Parse for Email {
    const FIELD: &'static str = "email";

    fn parse_field(field: &str, raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(FieldError::new(
                field,
                ErrorCode::Required,
                "An e-mail address is required.",
            ));
        }
        let invalid = || {
            FieldError::new(
                field,
                ErrorCode::InvalidFormat,
                format!("\"{s}\" is not an e-mail address such as name@contoso.com."),
            )
        };
        let (local, domain) = s.rsplit_once('@').ok_or_else(invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && local.split('.').all(|atom| {
                !atom.is_empty()
                    && atom
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || ATEXT_SPECIALS.contains(&b))
            });
        if !local_ok {
            return Err(invalid());
        }
        let domain = DomainName::parse_field(field, domain).map_err(|_| invalid())?;
        let email = format!("{local}@{domain}");
        if email.len() > 254 {
            return Err(invalid());
        }
        Ok(Email(email))
    }
}

crate::text_backed!(Email);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn email_addresses_keep_the_local_part_and_lower_the_domain() {
        assert_eq!(
            Email::parse(" Ana.Silva@Contoso.COM ").unwrap().as_str(),
            "Ana.Silva@contoso.com"
        );
        assert_eq!(
            Email::parse("o'brien+cpor@fabrikam.example")
                .unwrap()
                .as_str(),
            "o'brien+cpor@fabrikam.example"
        );
        assert_eq!(
            Email::parse("kund@bücher.example").unwrap().as_str(),
            "kund@xn--bcher-kva.example"
        );
    }

    #[test]
    fn what_is_not_an_email_address_is_refused() {
        for bad in [
            "ana",
            "ana@",
            "@contoso.com",
            "ana@contoso",
            "a..b@contoso.com",
            ".a@contoso.com",
            "a b@contoso.com",
            "Ana <ana@contoso.com>",
        ] {
            let e = Email::parse(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidFormat, "{bad}");
        }
        assert_eq!(
            Email::parse_field("customer_contact.email", "")
                .unwrap_err()
                .field,
            "customer_contact.email"
        );
    }

    proptest! {
        #[test]
        fn simple_addresses_round_trip(local in "[a-z0-9]{1,10}(\\.[a-z0-9]{1,5}){0,2}", dom in "[a-z]{1,10}\\.[a-z]{2,5}") {
            let s = format!("{local}@{dom}");
            let e = Email::parse(&s).unwrap();
            prop_assert_eq!(e.as_str(), s.as_str());
            prop_assert_eq!(Email::parse(e.as_str()), Ok(e.clone()));
        }
    }
}
