//! Reference data (docs/product.md, reference data): what claims are validated against.
//! Loaded by the store and handed to the domain; the domain never fetches it.

mod catalog;
mod directory;
mod organisation;
mod policy;
mod programs;

pub use catalog::{Catalog, Product, ProductId};
pub use directory::{Channel, Subscription, SubscriptionState, TenantRecord};
pub use organisation::{Location, Organisation};
pub use policy::Policy;
pub use programs::{Activity, Program, ProgramMap, SolutionArea};

use crate::calendar::BusinessCalendar;
use crate::error::{ErrorCode, FieldError};

/// The reference data every command is decided with.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    pub catalog: Catalog,
    pub programs: ProgramMap,
    pub policy: Policy,
    /// Built from the policy's time zone and the holidays.
    pub calendar: BusinessCalendar,
}

impl Reference {
    /// Reference data with the calendar in the policy's time zone. Fails, naming
    /// `time_zone`, when the policy's zone is not an IANA time zone.
    pub fn new(
        catalog: Catalog,
        programs: ProgramMap,
        policy: Policy,
        holidays: impl IntoIterator<Item = jiff::civil::Date>,
    ) -> Result<Reference, FieldError> {
        let tz = jiff::tz::TimeZone::get(&policy.time_zone).map_err(|_| {
            FieldError::new(
                "time_zone",
                ErrorCode::InvalidEnumValue,
                format!(
                    "\"{}\" is not an IANA time zone such as Europe/Paris.",
                    policy.time_zone
                ),
            )
        })?;
        Ok(Reference {
            catalog,
            programs,
            calendar: BusinessCalendar::new(tz, holidays),
            policy,
        })
    }
}
