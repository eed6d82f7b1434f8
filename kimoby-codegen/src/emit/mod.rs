//! Stage 5, the other outputs and the rendering: the client from the model
//! ([`client`]), the tolerant profile of the schemas ([`tolerant`]), the
//! single-file manifests for other languages' generators
//! ([`bundled_manifest`]), the schema files embedded as data ([`embedded`]),
//! and `syn` to text with the "do not edit" header ([`render`]).

pub mod bundled_manifest;
pub mod client;
pub mod embedded;
pub mod render;
pub mod tolerant;
