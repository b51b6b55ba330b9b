use crate::values::{MpnId, OrgId, OrganisationName};
use serde::{Deserialize, Serialize};

/// A partner location: one MPN ID of the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub mpn_id: MpnId,
    pub name: Option<String>,
}

/// A partner organisation and its locations (docs/product.md, reference data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: OrgId,
    pub name: OrganisationName,
    pub locations: Vec<Location>,
}

impl Organisation {
    pub fn has_mpn_id(&self, mpn_id: &MpnId) -> bool {
        self.locations.iter().any(|l| &l.mpn_id == mpn_id)
    }
}
