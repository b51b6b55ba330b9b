use super::Parse;
use crate::error::{ErrorCode, FieldError};
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// Parses a GUID as partners paste it: hyphenated, braced, `urn:uuid:` or 32 hex digits,
/// any case. The nil GUID is nobody's directory entry and is refused.
fn parse_guid(field: &str, what: &str, raw: &str) -> Result<Uuid, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(FieldError::new(
            field,
            ErrorCode::Required,
            format!("The {what} is required."),
        ));
    }
    match Uuid::try_parse(s) {
        Ok(u) if !u.is_nil() => Ok(u),
        _ => Err(FieldError::new(
            field,
            ErrorCode::InvalidFormat,
            format!(
                "The {what} is a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47; \"{s}\" is not one."
            ),
        )),
    }
}

macro_rules! guid_value {
    ($(#[$doc:meta])* $name:ident, $field:literal, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(Uuid);

        impl Parse for $name {
            const FIELD: &'static str = $field;
            fn parse_field(field: &str, raw: &str) -> Result<Self, FieldError> {
                parse_guid(field, $what, raw).map($name)
            }
        }

        impl $name {
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        /// Canonical form: lower case, hyphenated.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl TryFrom<String> for $name {
            type Error = FieldError;
            fn try_from(s: String) -> Result<Self, FieldError> {
                $name::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.to_string()
            }
        }
    };
}

guid_value!(
    /// A customer tenant's ID (also called directory ID), stored in canonical lower case.
    TenantId,
    "tenant_id",
    "tenant ID"
);
guid_value!(
    /// A subscription's ID in the customer's tenant.
    SubscriptionId,
    "subscription_id",
    "subscription ID"
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tenant_id_is_stored_in_canonical_lower_case() {
        let forms = [
            "72F988BF-86F1-41AF-91AB-2D7CD011DB47",
            "{72f988bf-86f1-41af-91ab-2d7cd011db47}",
            "urn:uuid:72f988bf-86f1-41af-91ab-2d7cd011db47",
            "72f988bf86f141af91ab2d7cd011db47",
            "  72f988bf-86f1-41af-91ab-2d7cd011db47 ",
        ];
        for f in forms {
            assert_eq!(
                TenantId::parse(f).map(|t| t.to_string()),
                Ok("72f988bf-86f1-41af-91ab-2d7cd011db47".to_string()),
                "{f}"
            );
        }
    }

    #[test]
    fn tenant_id_refuses_what_is_not_a_guid() {
        for bad in [
            "contoso.com",
            "72f988bf-86f1-41af-91ab",
            "00000000-0000-0000-0000-000000000000",
        ] {
            let e = TenantId::parse(bad).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.code),
                ("tenant_id", ErrorCode::InvalidFormat),
                "{bad}"
            );
        }
        assert_eq!(TenantId::parse(" ").unwrap_err().code, ErrorCode::Required);
        assert_eq!(
            SubscriptionId::parse("x").unwrap_err().field,
            "subscription_id"
        );
    }

    proptest! {
        #[test]
        fn display_then_parse_is_identity(bytes in any::<[u8; 16]>()) {
            let u = Uuid::from_bytes(bytes);
            prop_assume!(!u.is_nil());
            let t = TenantId(u);
            prop_assert_eq!(TenantId::parse(&t.to_string().to_uppercase()), Ok(t));
        }
    }
}
