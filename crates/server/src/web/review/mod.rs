//! The operator's queues: claims waiting for a reviewer, oldest due first, each with its
//! service level in words, whether another partner holds one of its keys, and filters.

pub mod disputes;
pub mod queue;
