//! A ready validator for payloads against the embedded schemas (feature
//! `validate`), built on the `jsonschema` crate: every file is registered
//! under its `$id`, so cross-file references resolve offline, and formats
//! (`date-time`, `email`, `uri`) are asserted, as the schemas require.
//!
//! Two profiles ([`Profile`]):
//!
//! - [`Validator::strict`] (also [`Validator::new`]): the documented contract.
//!   Use it in tests of a server or a mock, and on your own request bodies
//!   before sending them.
//! - [`Validator::tolerant`]: for what you receive (responses, webhook
//!   deliveries): new properties, new enum values, `null` for unset optional
//!   properties and unknown webhook events are accepted, as the generated
//!   types accept them; request bodies are checked as strictly as ever.
//!
//! ```
//! use kimoby_generated::validate::Validator;
//!
//! let validator = Validator::strict()?;
//! let request = serde_json::json!({"customer": {"reference": "CU000001"}, "body": "Hello!"});
//! validator.validate("message_request.json", &request)?;
//!
//! let bad = serde_json::json!({"customer": {}, "body": ""});
//! let error = validator.validate("message_request.json", &bad).unwrap_err();
//! assert!(error.issues().iter().any(|issue| issue.instance_path == "/body"));
//!
//! // A customer with a field this version does not know: refused by the
//! // strict profile, accepted by the tolerant one.
//! let newer = serde_json::json!({
//!     "id": "cu1", "name": "Jane", "created_at": "2019-02-21T14:38:14Z",
//!     "updated_at": "2019-02-21T14:38:14Z", "loyalty_tier": "gold"
//! });
//! assert!(!validator.is_valid("customer.json", &newer));
//! assert!(Validator::tolerant()?.is_valid("customer.json", &newer));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::schemas::{self, MANIFEST_FILE, Profile};

/// Validators for every embedded schema file of one profile.
pub struct Validator {
    profile: Profile,
    by_file: BTreeMap<&'static str, jsonschema::Validator>,
}

impl fmt::Debug for Validator {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Validator")
            .field("profile", &self.profile)
            .field("schemas", &self.by_file.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Why the validator could not be built (a broken embedded schema).
#[derive(Debug, thiserror::Error)]
#[error("cannot build the validator for {file}: {message}")]
pub struct BuildError {
    /// The schema file at fault.
    pub file: String,
    /// The validator's message.
    pub message: String,
}

/// A payload that does not match its schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ValidationError {
    /// The schema file validated against.
    pub schema: String,
    /// Every problem found.
    pub issues: Vec<ValidationIssue>,
}

/// One problem in a payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationIssue {
    /// JSON pointer to the offending value in the payload (`/customer/cell_phone_number`).
    pub instance_path: String,
    /// JSON pointer to the schema keyword that failed.
    pub schema_path: String,
    /// The keyword that failed (`additionalProperties`, `enum`, `type`, ...).
    pub keyword: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "payload does not match {}:", self.schema)?;
        for issue in &self.issues {
            let at = if issue.instance_path.is_empty() {
                "/"
            } else {
                &issue.instance_path
            };
            write!(formatter, "\n  at {at}: {}", issue.message)?;
        }
        Ok(())
    }
}

/// `validate` was asked for a schema file the crate does not embed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no embedded schema is called `{0}`")]
pub struct UnknownSchema(pub String);

impl Validator {
    /// The strict profile: same as [`Validator::strict`].
    pub fn new() -> Result<Self, BuildError> {
        Self::strict()
    }

    /// Compiles every schema of the strict profile: for tests of a server or
    /// a mock, and for your own request bodies.
    pub fn strict() -> Result<Self, BuildError> {
        Self::for_profile(Profile::Strict)
    }

    /// Compiles every schema of the tolerant profile: for what you receive
    /// from the server.
    pub fn tolerant() -> Result<Self, BuildError> {
        Self::for_profile(Profile::Tolerant)
    }

    /// Compiles every embedded schema of `profile` (the manifest excluded).
    pub fn for_profile(profile: Profile) -> Result<Self, BuildError> {
        let documents = parse_documents(profile)?;
        let registry = registry(&documents)?;
        let mut by_file = BTreeMap::new();
        for (file, value) in &documents {
            by_file.insert(file.name, compile(&registry, value, file.name)?);
        }
        Ok(Self { profile, by_file })
    }

    /// The profile this validator checks against.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// Checks `payload` against the schema file `schema` (`customer_request.json`).
    pub fn validate(&self, schema: &str, payload: &Value) -> Result<(), ValidationOutcome> {
        let validator = self
            .by_file
            .get(schema)
            .ok_or_else(|| ValidationOutcome::UnknownSchema(UnknownSchema(schema.to_owned())))?;
        let mut issues: Vec<ValidationIssue> = Vec::new();
        for error in validator.iter_errors(payload) {
            let instance_path = error.instance_path().to_string();
            let schema_path = error.schema_path().to_string();
            let keyword = error.kind().keyword().to_owned();
            match error.kind() {
                // One issue per unexpected property, at its own pointer.
                jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                    for name in unexpected {
                        issues.push(ValidationIssue {
                            instance_path: format!("{instance_path}/{}", name.replace('~', "~0").replace('/', "~1")),
                            schema_path: schema_path.clone(),
                            keyword: keyword.clone(),
                            message: format!("`{name}` is not a property of the schema"),
                        });
                    }
                }
                _ => issues.push(ValidationIssue {
                    instance_path,
                    schema_path,
                    keyword,
                    message: error.to_string(),
                }),
            }
        }
        if issues.is_empty() {
            Ok(())
        } else {
            Err(ValidationOutcome::Invalid(ValidationError {
                schema: schema.to_owned(),
                issues,
            }))
        }
    }

    /// Whether `payload` matches the schema file `schema`; `false` for an unknown schema.
    pub fn is_valid(&self, schema: &str, payload: &Value) -> bool {
        self.by_file
            .get(schema)
            .is_some_and(|validator| validator.is_valid(payload))
    }

    /// The schema files this validator knows, in file-name order.
    pub fn schema_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.by_file.keys().copied()
    }
}

/// Why [`Validator::validate`] refused a payload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationOutcome {
    /// The payload does not match.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// No such schema file.
    #[error(transparent)]
    UnknownSchema(#[from] UnknownSchema),
}

impl ValidationOutcome {
    /// The problems found (none for an unknown schema).
    pub fn issues(&self) -> &[ValidationIssue] {
        match self {
            Self::Invalid(error) => &error.issues,
            Self::UnknownSchema(_) => &[],
        }
    }
}

/// The embedded schema files of `profile` (the manifest excluded), parsed.
pub(crate) fn parse_documents(profile: Profile) -> Result<Vec<(schemas::SchemaFile, Value)>, BuildError> {
    schemas::profile(profile)
        .filter(|file| file.name != MANIFEST_FILE)
        .map(|file| {
            serde_json::from_str(file.json)
                .map(|value| (file, value))
                .map_err(|error| BuildError {
                    file: file.name.to_owned(),
                    message: error.to_string(),
                })
        })
        .collect()
}

/// Every file of `documents` under its `$id`, so that references between
/// them resolve offline.
pub(crate) fn registry(documents: &[(schemas::SchemaFile, Value)]) -> Result<jsonschema::Registry<'_>, BuildError> {
    jsonschema::Registry::new()
        .extend(documents.iter().map(|(file, value)| (file.id(), value)))
        .and_then(|builder| builder.prepare())
        .map_err(|error| BuildError {
            file: "schemas/".to_owned(),
            message: error.to_string(),
        })
}

/// Compiles `schema` (from the file `file`, named in errors) against
/// `registry`, formats asserted, nothing fetched.
pub(crate) fn compile(
    registry: &jsonschema::Registry<'_>,
    schema: &Value,
    file: &str,
) -> Result<jsonschema::Validator, BuildError> {
    jsonschema::options()
        .with_registry(registry)
        .should_validate_formats(true)
        .offline()
        .build(schema)
        .map_err(|error| BuildError {
            file: file.to_owned(),
            message: error.to_string(),
        })
}
