//! Stage 1, reading: the schema folder and the manifest into memory
//! ([`load`]), every schema checked against the draft 2020-12 meta-schema
//! ([`meta_schema`]) before anything else reads it.

pub mod load;
pub mod meta_schema;
