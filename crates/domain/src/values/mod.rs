//! Parsed values: every input of a claim (docs/product.md, the claim) as a type that can
//! only hold a valid value. Each `parse` takes the raw text and returns the value or a
//! [`FieldError`] naming the field, the rule and a message a partner understands.

#[macro_use]
mod string_enum;
mod domain_name;
mod email;
mod guid;
mod ids;
mod mpn_id;
mod text;

pub use domain_name::DomainName;
pub use email::Email;
pub use guid::{SubscriptionId, TenantId};
pub use ids::{ClaimId, CommentId, OrgId, PoeId, UserId, WebhookId};
pub use mpn_id::MpnId;
pub use text::{
    ClaimName, CommentBody, DisputeDetails, FreeText, OrganisationName, PersonName, Reason, Title,
};

use crate::error::FieldError;

/// A value parsed from the text of one named field.
pub trait Parse: Sized {
    /// The field name used in errors when the caller gives none.
    const FIELD: &'static str;

    fn parse_field(field: &str, raw: &str) -> Result<Self, FieldError>;

    fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::parse_field(Self::FIELD, raw)
    }
}
