//! The schema files embedded in `kimoby-generated` (minified, in file-name
//! order), so other projects can validate payloads without a copy of
//! `schemas/` and the crate stays publishable on its own.

use std::collections::BTreeMap;

use quote::quote;
use serde_json::Value;

use crate::bundle::Bundle;
use crate::load::MANIFEST_FILE;

/// Module documentation of the generated file.
pub const DOCS: &str = "Every file of `schemas/`, minified, as `(file name, JSON text)` pairs in
file-name order. The public interface is `crate::schemas`.";

/// Builds the items of the embedded-schemas file.
pub fn embed(schemas: &BTreeMap<String, Value>, manifest: &Value, bundle: &Bundle) -> proc_macro2::TokenStream {
    let mut entries = Vec::new();
    let mut all: BTreeMap<&str, &Value> = schemas.iter().map(|(name, value)| (name.as_str(), value)).collect();
    all.insert(MANIFEST_FILE, manifest);
    for (name, value) in all {
        let text = value.to_string();
        let title = bundle.file_roots.get(name).map(String::as_str).unwrap_or("");
        entries.push(quote! { (#name, #title, #text) });
    }
    quote! {
        /// `(file name, Rust type name of its root, minified JSON)` for every
        /// file of `schemas/`, the manifest included (with an empty type name).
        pub(crate) const FILES: &[(&str, &str, &str)] = &[#(#entries),*];
    }
}
