//! Where something is in the contract ([`Location`]: a file and a JSON
//! pointer) and what is wrong with it ([`ContractError`]).

/// A place in the input: a file and a JSON pointer inside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// File name relative to the schema folder, such as `openapi.json`.
    pub file: String,
    /// JSON pointer inside that file, such as `/paths/~1customers/get`; empty for the root.
    pub pointer: String,
}

impl Location {
    /// The root of `file`.
    pub fn root(file: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            pointer: String::new(),
        }
    }

    /// This location extended by one JSON pointer segment (escaped per RFC 6901).
    pub fn child(&self, segment: &str) -> Self {
        let escaped = segment.replace('~', "~0").replace('/', "~1");
        Self {
            file: self.file.clone(),
            pointer: format!("{}/{}", self.pointer, escaped),
        }
    }

    /// This location without its last JSON pointer segment (the root stays the root).
    pub fn parent(&self) -> Self {
        let end = self.pointer.rfind('/').unwrap_or(0);
        Self {
            file: self.file.clone(),
            pointer: self.pointer[..end].to_owned(),
        }
    }

    /// The same file at another pointer.
    pub fn at(&self, pointer: impl Into<String>) -> Self {
        Self {
            file: self.file.clone(),
            pointer: pointer.into(),
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}#{}", self.file, self.pointer)
    }
}

/// What in the contract cannot be read, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct ContractError {
    /// Where the offending value is.
    pub location: Location,
    /// What is wrong and, where possible, how to fix it.
    pub message: String,
}

impl ContractError {
    /// An error at `location`.
    pub fn new(location: &Location, message: impl Into<String>) -> Self {
        Self {
            location: location.clone(),
            message: message.into(),
        }
    }
}

/// Result alias of the contract model.
pub type Result<T, E = ContractError> = std::result::Result<T, E>;
