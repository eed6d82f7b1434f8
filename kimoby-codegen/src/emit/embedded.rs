//! The schema files embedded in `kimoby-generated` (minified, in file-name
//! order), so other projects can validate payloads without a copy of
//! `schemas/` and the crate stays publishable on its own.

use std::collections::BTreeMap;

use quote::quote;
use serde_json::Value;

use crate::prepare::bundle::Bundle;
use crate::read::load::MANIFEST_FILE;

/// Module documentation of the generated file.
pub const DOCS: &str = "Every file of `schemas/` and of `schemas/tolerant/`, minified, as
`(file name, type name, JSON text)` in file-name order. The public interface is
`crate::schemas`.";

/// Builds the items of the embedded-schemas file: the strict files and the
/// tolerant profile (`tolerant`, by file name, the manifest included).
pub fn embed(
    schemas: &BTreeMap<String, Value>,
    manifest: &Value,
    tolerant: &BTreeMap<String, Value>,
    bundle: &Bundle,
) -> proc_macro2::TokenStream {
    let entries = |files: BTreeMap<&str, &Value>| -> Vec<proc_macro2::TokenStream> {
        files
            .into_iter()
            .map(|(name, value)| {
                let text = value.to_string();
                let title = bundle.file_roots.get(name).map(String::as_str).unwrap_or("");
                quote! { (#name, #title, #text) }
            })
            .collect()
    };
    let mut strict: BTreeMap<&str, &Value> = schemas.iter().map(|(name, value)| (name.as_str(), value)).collect();
    strict.insert(MANIFEST_FILE, manifest);
    let strict = entries(strict);
    let tolerant = entries(tolerant.iter().map(|(name, value)| (name.as_str(), value)).collect());
    quote! {
        /// `(file name, Rust type name of its root, minified JSON)` for every
        /// file of `schemas/`, the manifest included (with an empty type name).
        pub(crate) const FILES: &[(&str, &str, &str)] = &[#(#strict),*];

        /// The same for the tolerant profile, `schemas/tolerant/`.
        pub(crate) const TOLERANT_FILES: &[(&str, &str, &str)] = &[#(#tolerant),*];
    }
}
