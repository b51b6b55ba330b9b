//! Where proof-of-execution files live in the object store. Every path is derived here
//! from parsed ids, never from request text, so an id typed in another spelling (upper
//! case, braces, no hyphens) still names the same file.

use cpor_domain::values::{ClaimId, PoeId};
use object_store::path::Path;

/// `poe/<claim>/<poe>`, both ids in their canonical form.
pub fn poe_path(claim: ClaimId, poe: PoeId) -> Path {
    Path::from(format!("poe/{claim}/{poe}"))
}
