//! Layer 2, the documented API without HTTP: the records and their indexes
//! ([`store`]), the rules no schema can express ([`rules`]), the errors the
//! API answers with ([`error`]), query strings and pages ([`pagination`]),
//! and which store index each look-up parameter of the manifest reads
//! ([`lookups`]). It reads the [`contract`](crate::contract) and nothing above it.

pub mod error;
pub mod lookups;
pub mod pagination;
pub mod rules;
pub mod store;
