//! The JSON Schema files of `schemas/`, embedded in the crate, so another
//! project can validate payloads against the exact contract these types were
//! generated from, offline and without a copy of the folder.
//!
//! Every file keeps its `$id` (`https://kimoby-codegen.invalid/schemas/<file>`,
//! never fetched) and refers to the others by relative file name: register all
//! of them in a validator's registry under their `$id` and every reference
//! resolves. With the `validate` feature, `validate::Validator` does
//! exactly that.
//!
//! ```
//! let customer = kimoby_generated::schemas::get("customer.json").expect("embedded");
//! assert_eq!(customer.type_name, "Customer");
//! let schema: serde_json::Value = serde_json::from_str(customer.json)?;
//! assert_eq!(schema["title"], "Customer");
//! # Ok::<(), serde_json::Error>(())
//! ```

use crate::generated::schemas::FILES;

/// File name of the endpoint manifest.
pub const MANIFEST_FILE: &str = "openapi.json";

/// Common prefix of every schema's `$id`.
pub const ID_PREFIX: &str = "https://kimoby-codegen.invalid/schemas/";

/// One embedded file of `schemas/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaFile {
    /// File name, such as `customer.json`.
    pub name: &'static str,
    /// The Rust type generated from the file's root (`Customer`); empty for the manifest.
    pub type_name: &'static str,
    /// The file's JSON, minified.
    pub json: &'static str,
}

impl SchemaFile {
    /// The `$id` the file declares (the manifest has none; its would-be id is returned).
    pub fn id(&self) -> String {
        format!("{ID_PREFIX}{}", self.name)
    }
}

/// Every embedded file, the manifest included, in file-name order.
pub fn all() -> impl ExactSizeIterator<Item = SchemaFile> {
    FILES
        .iter()
        .map(|&(name, type_name, json)| SchemaFile { name, type_name, json })
}

/// The embedded file called `name` (`customer.json`).
pub fn get(name: &str) -> Option<SchemaFile> {
    all().find(|file| file.name == name)
}

/// The schema file whose root became the Rust type `type_name` (`Customer`).
pub fn for_type(type_name: &str) -> Option<SchemaFile> {
    all().find(|file| !file.type_name.is_empty() && file.type_name == type_name)
}

/// The endpoint manifest (OpenAPI 3.1), minified.
pub fn manifest() -> &'static str {
    get(MANIFEST_FILE).map(|file| file.json).unwrap_or("{}")
}
