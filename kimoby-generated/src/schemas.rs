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
//! Two profiles are embedded ([`Profile`]):
//!
//! - [`Profile::Strict`] (`schemas/`): the contract as documented. Unknown
//!   properties and enum values are refused. Use it to check a server or a
//!   mock in tests, and your own request bodies.
//! - [`Profile::Tolerant`] (`schemas/tolerant/`, generated from the strict
//!   files): what the server sends may carry new properties, new enum values,
//!   `null` for an unset optional property and webhook events this version
//!   does not know; request bodies are the same as in the strict profile. Use
//!   it on what you receive, so that Kimoby adding a field never makes you
//!   refuse its answers or its webhook deliveries. It accepts what the
//!   generated types decode.
//!
//! ```
//! let customer = kimoby_generated::schemas::get("customer.json").expect("embedded");
//! assert_eq!(customer.type_name, "Customer");
//! let schema: serde_json::Value = serde_json::from_str(customer.json)?;
//! assert_eq!(schema["title"], "Customer");
//! # Ok::<(), serde_json::Error>(())
//! ```

use crate::generated::schemas::{FILES, TOLERANT_FILES};

/// File name of the endpoint manifest.
pub const MANIFEST_FILE: &str = "openapi.json";

/// Common prefix of every strict schema's `$id`.
pub const ID_PREFIX: &str = "https://kimoby-codegen.invalid/schemas/";

/// Common prefix of every tolerant schema's `$id`.
pub const TOLERANT_ID_PREFIX: &str = "https://kimoby-codegen.invalid/schemas/tolerant/";

/// Which copy of the schemas: see the [module documentation](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// `schemas/`: the contract as documented, for checking servers and requests.
    #[default]
    Strict,
    /// `schemas/tolerant/`: for what you receive from the server.
    Tolerant,
}

impl Profile {
    /// The prefix of the `$id` of this profile's files.
    pub fn id_prefix(self) -> &'static str {
        match self {
            Self::Strict => ID_PREFIX,
            Self::Tolerant => TOLERANT_ID_PREFIX,
        }
    }
}

/// One embedded file of `schemas/` or `schemas/tolerant/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaFile {
    /// File name, such as `customer.json`.
    pub name: &'static str,
    /// The Rust type generated from the file's root (`Customer`); empty for the manifest.
    pub type_name: &'static str,
    /// The file's JSON, minified.
    pub json: &'static str,
    /// The profile the file belongs to.
    pub profile: Profile,
}

impl SchemaFile {
    /// The `$id` the file declares (the manifest has none; its would-be id is returned).
    pub fn id(&self) -> String {
        format!("{}{}", self.profile.id_prefix(), self.name)
    }
}

/// Every embedded file of the strict profile, the manifest included, in
/// file-name order.
pub fn all() -> impl ExactSizeIterator<Item = SchemaFile> {
    profile(Profile::Strict)
}

/// Every embedded file of `profile`, the manifest included, in file-name order.
pub fn profile(profile: Profile) -> impl ExactSizeIterator<Item = SchemaFile> {
    let files = match profile {
        Profile::Strict => FILES,
        Profile::Tolerant => TOLERANT_FILES,
    };
    files.iter().map(move |&(name, type_name, json)| SchemaFile {
        name,
        type_name,
        json,
        profile,
    })
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
