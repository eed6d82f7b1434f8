//! Typed Rust bindings for the Kimoby REST API.
//!
//! (Crate docs are written as the modules land.)

// -- modules: each helper adds its own `mod` line below this marker --
#[cfg(feature = "client")]
pub mod runtime;
#[cfg(feature = "client")]
pub use runtime::{Client, ClientBuilder, Error};
