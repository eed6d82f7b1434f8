//! Reading the schema folder: every `*.json` file parsed into memory, keyed by
//! file name in sorted order, with the endpoint manifest kept apart.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Location, Result};

/// File name of the endpoint manifest inside the schema folder.
pub use kimoby_contract::MANIFEST_FILE;

/// The parsed contents of a schema folder.
#[derive(Debug, Clone)]
pub struct SchemaFolder {
    /// Every schema file except the manifest, by file name (sorted).
    pub schemas: BTreeMap<String, Value>,
    /// The OpenAPI manifest.
    pub manifest: Value,
}

impl SchemaFolder {
    /// Reads and parses every `*.json` file in `directory` (not recursive).
    pub fn read(directory: &Path) -> Result<Self> {
        let entries = std::fs::read_dir(directory).map_err(|source| Error::Io {
            path: directory.to_path_buf(),
            source,
        })?;
        let mut files = BTreeMap::new();
        for entry in entries {
            let entry = entry.map_err(|source| Error::Io {
                path: directory.to_path_buf(),
                source,
            })?;
            let path = entry.path();
            if path.extension().and_then(|extension| extension.to_str()) != Some("json") {
                continue;
            }
            let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
                continue;
            };
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            files.insert(name.to_owned(), text);
        }
        Self::from_texts(files)
    }

    /// Parses already-read files (file name to JSON text). Used by tests and by
    /// [`SchemaFolder::read`].
    pub fn from_texts(files: BTreeMap<String, String>) -> Result<Self> {
        let mut schemas = BTreeMap::new();
        let mut manifest = None;
        for (name, text) in files {
            let value: Value = serde_json::from_str(&text).map_err(|error| Error::Json {
                file: name.clone(),
                line: error.line(),
                column: error.column(),
                message: error.to_string(),
            })?;
            if name == MANIFEST_FILE {
                manifest = Some(value);
            } else {
                schemas.insert(name, value);
            }
        }
        let manifest = manifest.ok_or_else(|| Error::Manifest {
            location: Location::root(MANIFEST_FILE),
            message: "the schema folder has no endpoint manifest".to_owned(),
        })?;
        Ok(Self { schemas, manifest })
    }
}
