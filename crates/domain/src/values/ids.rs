//! Identifiers the system makes itself (never typed by a partner): UUIDs, time-ordered
//! (v7) so that the newest sorts last and keyset pagination needs no extra column.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new id from the caller's randomness and time (the domain makes none).
            pub fn from_uuid(u: Uuid) -> Self {
                $name(u)
            }
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::try_parse(s).map($name)
            }
        }
    };
}

id_type!(
    /// A claim.
    ClaimId
);
id_type!(
    /// A partner organisation.
    OrgId
);
id_type!(
    /// A user of a partner organisation or of the operator.
    UserId
);
id_type!(
    /// A proof-of-execution document of a claim.
    PoeId
);
id_type!(
    /// A comment of a claim's or a dispute's thread.
    CommentId
);
id_type!(
    /// A webhook endpoint.
    WebhookId
);
