//! Integration tests of the mock server over real loopback HTTP, one module
//! per area, in one test binary (one link instead of one per file).

mod common;
/// The quickstart's calls, shared with the example.
#[path = "../../examples/quickstart/tour.rs"]
mod tour;

mod appointments;
mod auth;
mod cli;
mod conformance;
mod contract_learn_fixtures;
mod control;
mod customers;
mod documents;
mod errors;
mod events;
mod evolution;
mod faults;
mod invoices;
mod load;
mod manifest;
mod messages;
mod pagination;
mod proxy;
mod proxy_hostile;
mod webhooks;
