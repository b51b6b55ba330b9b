//! Rules of reference-data changes both backends share.

use crate::Result;
use cpor_domain::values::MpnId;
use cpor_domain::{DomainError, ErrorCode};

/// A location may go only when no claim names its MPN ID (the claims' history and keys
/// refer to it; docs/product.md, program administration) and it is not the organisation's
/// last one (an organisation has one or more partner locations).
pub(crate) fn check_location_removal(mpn_id: &MpnId, locations: i64, claims: i64) -> Result<()> {
    if claims > 0 {
        return Err(DomainError::one(
            "mpn_id",
            ErrorCode::Conflict,
            format!(
                "{claims} claim(s) name MPN ID {mpn_id}: a location that claims use cannot be removed."
            ),
        )
        .into());
    }
    if locations <= 1 {
        return Err(DomainError::one(
            "mpn_id",
            ErrorCode::InvalidState,
            format!("MPN ID {mpn_id} is the organisation's only location: add another one first."),
        )
        .into());
    }
    Ok(())
}
