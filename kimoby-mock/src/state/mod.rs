//! Layer 3, the running application: how a server runs ([`config`]), the
//! faults it injects ([`faults`]), webhook delivery ([`delivery`]),
//! evolution mode ([`evolution`]), the request schemas ([`validation`]), and
//! the state every handler shares ([`App`]). It reads the
//! [`contract`](crate::contract) and the [`domain`](crate::domain), never the
//! HTTP surface above it.

mod app;
pub mod config;
pub mod delivery;
pub mod evolution;
pub mod expected;
pub mod faults;
pub mod validation;

pub use self::app::{App, AppInner};
