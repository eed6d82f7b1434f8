//! Look-ups: the contract's `x-kimoby-lookup` ([`kimoby_contract::Lookup`]:
//! a record found by the key in its path, or by one query parameter on the
//! collection path) given Rust names.
//!
//! The look-up type is named after the record the path's `GET` returns
//! (`CustomerLookup`); its variants are the path form (`Id`) and one per
//! query parameter other than the path parameter.

use heck::ToUpperCamelCase;

use crate::error::{Error, Result};

use super::parameters::rust_field_name;

/// A look-up type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// `<Record>Lookup`.
    pub type_name: String,
    /// The record's type.
    pub record_type: String,
    /// The path of the collection the query forms go to.
    pub collection_path: String,
    /// The path parameter of the item path (the `Id` variant).
    pub path_parameter: String,
    /// The query forms.
    pub variants: Vec<LookupVariant>,
    /// The first operation that described it, for errors.
    pub first_operation: String,
}

/// One query form of a look-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupVariant {
    /// The enum variant (`Reference`).
    pub variant: String,
    /// The constructor (`reference`).
    pub constructor: String,
    /// The query parameter.
    pub wire: String,
    /// The parameter's description, if any.
    pub description: Option<String>,
    /// The parameter's example, if it is a string.
    pub example: Option<String>,
}

impl Lookup {
    /// Names `extension` of the operation `operation_id`; `record_type` is
    /// what the item path's `GET` returns.
    pub fn new(extension: &kimoby_contract::Lookup, operation_id: &str, record_type: &str) -> Result<Self> {
        let mut variants = Vec::new();
        for parameter in &extension.query_parameters {
            let name = &parameter.name;
            if *name == extension.path_parameter {
                continue;
            }
            let variant = name.to_upper_camel_case();
            if variant == "Id"
                || variants
                    .iter()
                    .any(|existing: &LookupVariant| existing.variant == variant)
            {
                return Err(Error::Manifest {
                    location: parameter.location.clone(),
                    message: format!("`{name}` would be a second `{variant}` variant"),
                });
            }
            variants.push(LookupVariant {
                variant,
                constructor: rust_field_name(name),
                wire: name.clone(),
                description: parameter.description.clone(),
                example: parameter.example.clone(),
            });
        }
        Ok(Self {
            type_name: format!("{record_type}Lookup"),
            record_type: record_type.to_owned(),
            collection_path: extension.collection_path.clone(),
            path_parameter: extension.path_parameter.clone(),
            variants,
            first_operation: operation_id.to_owned(),
        })
    }

    /// Whether `other` finds records the same way.
    pub fn same_keys(&self, other: &Self) -> bool {
        self.collection_path == other.collection_path
            && self.path_parameter == other.path_parameter
            && self
                .variants
                .iter()
                .map(|variant| &variant.wire)
                .eq(other.variants.iter().map(|variant| &variant.wire))
    }

    /// Whether `name` is one of the look-up's query parameters, or the
    /// query form of its path parameter (both are set through the look-up
    /// value, not through builder setters).
    pub fn covers_query_parameter(&self, name: &str) -> bool {
        name == self.path_parameter || self.variants.iter().any(|variant| variant.wire == name)
    }
}
