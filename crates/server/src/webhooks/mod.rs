//! Webhooks (docs/product.md, webhooks): endpoints registered by a partner's global admin
//! or a program admin receive the events of the claims they may see, signed the Standard
//! Webhooks way. Deliveries are queued in the transaction of the change (see the store);
//! this module checks targets, signs and delivers.

pub mod deliver;
pub mod manage;
pub mod sign;
pub mod target;
