use super::Parse;
use crate::error::{ErrorCode, FieldError};
use serde::{Deserialize, Serialize};

/// A customer's domain name, such as `contoso.onmicrosoft.com` or `contoso.com`.
///
/// Internationalised names are accepted and kept in their ASCII (punycode) form, in lower
/// case, without a trailing dot, so `Bücher.example` and `xn--bcher-kva.example` are the
/// same domain; [`DomainName::to_unicode`] gives the form to show.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DomainName(String);

impl Parse for DomainName {
    const FIELD: &'static str = "domain";

    fn parse_field(field: &str, raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        let s = s.strip_suffix('.').unwrap_or(s);
        if s.is_empty() {
            return Err(FieldError::new(
                field,
                ErrorCode::Required,
                "A domain name is required.",
            ));
        }
        let invalid = |why: &str| {
            FieldError::new(
                field,
                ErrorCode::InvalidFormat,
                format!("\"{s}\" is not a domain name such as contoso.onmicrosoft.com: {why}."),
            )
        };
        if s.contains(['@', '/', ':', ' ']) {
            return Err(invalid(
                "give the domain alone, without e-mail address, scheme or path",
            ));
        }
        let ascii = idna::domain_to_ascii_strict(s)
            .map_err(|_| invalid("it has characters a domain name cannot have"))?;
        if ascii.len() > 253 {
            return Err(invalid("it is longer than 253 characters"));
        }
        let labels: Vec<&str> = ascii.split('.').collect();
        if labels.len() < 2 {
            return Err(invalid("it needs at least two labels, such as contoso.com"));
        }
        for label in &labels {
            let ok = !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !ok {
                return Err(invalid(
                    "each label has 1 to 63 letters, digits or inner hyphens",
                ));
            }
        }
        if labels
            .last()
            .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(invalid("the last label cannot be all digits"));
        }
        Ok(DomainName(ascii))
    }
}

crate::text_backed!(DomainName);

impl DomainName {
    /// The form to show to people (punycode labels decoded).
    pub fn to_unicode(&self) -> String {
        idna::domain_to_unicode(&self.0).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(s: &str) -> String {
        DomainName::parse(s).unwrap().0
    }

    #[test]
    fn domain_names_are_lower_case_ascii_without_trailing_dot() {
        assert_eq!(ok("Contoso.OnMicrosoft.com"), "contoso.onmicrosoft.com");
        assert_eq!(ok(" contoso.com. "), "contoso.com");
        assert_eq!(ok("sub-1.contoso.co.uk"), "sub-1.contoso.co.uk");
    }

    #[test]
    fn internationalised_domain_names_are_kept_as_punycode() {
        assert_eq!(ok("Bücher.example"), "xn--bcher-kva.example");
        assert_eq!(ok("xn--bcher-kva.example"), "xn--bcher-kva.example");
        assert_eq!(
            DomainName::parse("bücher.example").unwrap().to_unicode(),
            "bücher.example"
        );
    }

    #[test]
    fn what_is_not_a_domain_name_is_refused_with_invalid_format() {
        for bad in [
            "contoso",
            "admin@contoso.com",
            "https://contoso.com",
            "-contoso.com",
            "contoso-.com",
            "conto so.com",
            "contoso..com",
            "contoso_x.com",
            "10.0.0.1",
        ] {
            let e = DomainName::parse(bad).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.code),
                ("domain", ErrorCode::InvalidFormat),
                "{bad}"
            );
        }
        let long = format!("{}.com", "a".repeat(64));
        assert_eq!(
            DomainName::parse(&long).unwrap_err().code,
            ErrorCode::InvalidFormat
        );
        assert_eq!(DomainName::parse("").unwrap_err().code, ErrorCode::Required);
    }

    proptest! {
        #[test]
        fn parsing_is_idempotent(s in "[a-zA-Z0-9]{1,20}(\\.[a-zA-Z0-9]{1,10}){1,3}") {
            if let Ok(d) = DomainName::parse(&s) {
                prop_assert_eq!(DomainName::parse(d.as_str()), Ok(d.clone()));
                prop_assert_eq!(d.as_str(), s.to_ascii_lowercase());
            }
        }
    }
}
