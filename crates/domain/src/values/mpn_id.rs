use super::Parse;
use crate::error::{ErrorCode, FieldError};
use serde::{Deserialize, Serialize};

/// A partner location's MPN ID: digits only, 6 to 10 of them (docs/product.md, reference
/// data). Surrounding spaces are forgiven; anything else is not.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MpnId(String);

impl Parse for MpnId {
    const FIELD: &'static str = "mpn_id";

    fn parse_field(field: &str, raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(FieldError::new(
                field,
                ErrorCode::Required,
                "An MPN ID is required.",
            ));
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(
                field,
                ErrorCode::InvalidFormat,
                format!("An MPN ID has digits only; \"{s}\" has other characters."),
            ));
        }
        if !(6..=10).contains(&s.len()) {
            return Err(FieldError::new(
                field,
                ErrorCode::InvalidFormat,
                format!("An MPN ID has 6 to 10 digits; \"{s}\" has {}.", s.len()),
            ));
        }
        Ok(MpnId(s.to_string()))
    }
}

crate::text_backed!(MpnId);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn mpn_id_has_six_to_ten_digits() {
        assert_eq!(MpnId::parse(" 1234567 ").map(|m| m.0), Ok("1234567".into()));
        assert_eq!(
            MpnId::parse("12345").unwrap_err().code,
            ErrorCode::InvalidFormat
        );
        assert_eq!(
            MpnId::parse("12345678901").unwrap_err().code,
            ErrorCode::InvalidFormat
        );
        assert_eq!(
            MpnId::parse("12345a7").unwrap_err().code,
            ErrorCode::InvalidFormat
        );
        assert_eq!(MpnId::parse("").unwrap_err().code, ErrorCode::Required);
        assert_eq!(
            MpnId::parse("١٢٣٤٥٦٧").unwrap_err().code,
            ErrorCode::InvalidFormat
        );
    }

    proptest! {
        #[test]
        fn any_six_to_ten_digits_parse(s in "[0-9]{6,10}") {
            prop_assert_eq!(MpnId::parse(&s).map(|m| m.0), Ok(s));
        }

        #[test]
        fn anything_with_a_non_digit_is_refused(s in "[0-9]{0,5}[^0-9 ][0-9]{0,5}") {
            prop_assume!(!s.trim().is_empty());
            prop_assert!(MpnId::parse(&s).is_err());
        }
    }
}
