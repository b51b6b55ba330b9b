//! What every handler shares at the edge of a request, so that the JSON API and the
//! pages built on it parse, refuse and run things the same way: typed path ids, JSON
//! bodies, strict query strings, pagination, versions and idempotency keys, the origin
//! rule, and the one function that runs a command.

pub mod body;
pub mod command;
pub mod origin;
pub mod page;
pub mod path;
pub mod query;
pub mod version;

pub use body::JsonBody;
pub use command::run;
pub use path::{ClaimPath, PoePath};
pub use query::StrictQuery;
