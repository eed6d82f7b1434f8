//! The API's handlers, one module per group of paths; the routes are laid
//! out in [`crate::http`].

pub(super) mod customers;
pub(super) mod lookups;
pub(super) mod messages;
pub(super) mod webhooks;
