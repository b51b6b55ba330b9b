//! The rules of cpor (docs/product.md) as plain Rust: parsed values, reference data, the
//! business calendar, association keys and the claim aggregate. No I/O, no async, no
//! database and no web framework: the store loads what a command needs, calls
//! [`execute`], and writes what comes back.

pub mod actor;
pub mod calendar;
pub mod claim;
pub mod eligibility;
pub mod error;
pub mod execute;
pub mod findings;
pub mod keys;
pub mod poe;
pub mod reference;
pub mod sample;
pub mod values;
pub mod webhook;

pub use actor::{Actor, Role, Side};
pub use calendar::BusinessCalendar;
pub use error::{DomainError, ErrorClass, ErrorCode, FieldError};
pub use execute::{Change, execute};
pub use jiff;
