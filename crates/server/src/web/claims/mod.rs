//! The claims of the portal: the "Customer associations" list, a claim's page with the
//! actions its status and the person's role allow, and the steps of a new claim.

pub mod actions;
pub mod files;
pub mod findings;
pub mod history;
pub mod list;
pub mod page;
pub mod view;
pub mod wizard;
