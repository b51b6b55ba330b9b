/// Declares an enum of fixed snake_case names: `ALL`, `as_str`, `Display`, serde as the
/// name, and a [`Parse`](crate::values::Parse) that refuses other names with
/// `invalid_enum_value` and lists the allowed ones.
#[macro_export]
macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident, $field:literal, $what:literal { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "&'static str")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl $crate::values::Parse for $name {
            const FIELD: &'static str = $field;
            fn parse_field(field: &str, raw: &str) -> Result<Self, $crate::error::FieldError> {
                let s = raw.trim();
                if s.is_empty() {
                    return Err($crate::error::FieldError::new(
                        field,
                        $crate::error::ErrorCode::Required,
                        format!("The {} is required.", $what),
                    ));
                }
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::error::FieldError::new(
                        field,
                        $crate::error::ErrorCode::InvalidEnumValue,
                        format!(
                            "\"{other}\" is not a {}; use one of: {}.",
                            $what,
                            [$($text),+].join(", ")
                        ),
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::error::FieldError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                <$name as $crate::values::Parse>::parse(&s)
            }
        }

        impl From<$name> for &'static str {
            fn from(v: $name) -> &'static str {
                v.as_str()
            }
        }
    };
}

/// The impls every text-backed value shares: `as_str`, `Display` as the stored text, and
/// the serde conversions (`try_from = "String"`, `into = "String"`) through `parse`.
#[macro_export]
macro_rules! text_backed {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::error::FieldError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                <$name as $crate::values::Parse>::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }
    };
}
