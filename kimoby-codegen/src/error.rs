//! Typed errors of the generator: every variant says what went wrong and where
//! (file, JSON pointer, definition or operation), so a maintainer can fix the
//! schema without reading generator code.

use std::path::PathBuf;

pub use kimoby_contract::Location;

/// Everything that can stop code generation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or folder could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A schema file is not valid JSON.
    #[error("{file}: not valid JSON at line {line}, column {column}: {message}")]
    Json {
        /// File name relative to the schema folder.
        file: String,
        /// 1-based line of the syntax error.
        line: usize,
        /// 1-based column of the syntax error.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// A schema is well-formed JSON but breaks a rule the generator relies on.
    #[error("{location}: {message}")]
    Schema {
        /// Where the offending schema is.
        location: Location,
        /// What is wrong and, where possible, how to fix it.
        message: String,
    },
    /// A schema breaks the JSON Schema draft 2020-12 meta-schema: a keyword's
    /// value has the wrong type or shape (`"type": 12`, `"required": "name"`).
    #[error("{location}: not a valid JSON Schema (draft 2020-12): {message}")]
    InvalidSchema {
        /// The offending keyword's value.
        location: Location,
        /// Why the meta-schema rejects it.
        message: String,
    },
    /// A `$ref` points at a file or definition that does not exist.
    #[error("{location}: unresolved reference `{reference}`: {reason}")]
    UnresolvedReference {
        /// Where the `$ref` is.
        location: Location,
        /// The reference as written.
        reference: String,
        /// Why it cannot be resolved.
        reason: String,
    },
    /// Two definitions would become Rust types with the same name.
    #[error("type name `{name}` is defined twice: at {first} and at {second}; rename one `title` or `$defs` key")]
    DuplicateTypeName {
        /// The clashing Rust type name.
        name: String,
        /// The first definition.
        first: Location,
        /// The second definition.
        second: Location,
    },
    /// A definition's type name is the one the generator gives the struct of
    /// another type's required fields (`<Type>Required`).
    #[error(
        "type name `{name}` at {location} is the name of the generated struct holding the required fields of `{owner}`; rename one `title` or `$defs` key"
    )]
    ReservedTypeName {
        /// The clashing Rust type name.
        name: String,
        /// The definition that has it.
        location: Location,
        /// The type whose required fields the generated struct holds.
        owner: String,
    },
    /// The endpoint manifest (`openapi.json`) is missing something the generator needs.
    #[error("{location}: {message}")]
    Manifest {
        /// Where in the manifest.
        location: Location,
        /// What is wrong.
        message: String,
    },
    /// typify rejected (or panicked on) the bundled schemas.
    #[error("typify could not convert {subject}: {message}")]
    Typify {
        /// The definition or bundle being converted.
        subject: String,
        /// typify's message, or its panic message.
        message: String,
    },
    /// The generator produced Rust that does not parse: a generator bug.
    #[error("generated code for {output} does not parse: {message} (this is a kimoby-codegen bug)")]
    GeneratedSyntax {
        /// Output file being built.
        output: String,
        /// The parser's message.
        message: String,
    },
}

impl From<kimoby_contract::ContractError> for Error {
    /// What the contract model cannot read is an [`Error::Manifest`] at the same place.
    fn from(error: kimoby_contract::ContractError) -> Self {
        Self::Manifest {
            location: error.location,
            message: error.message,
        }
    }
}

/// Result alias for the generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;
