//! Look-ups, from an operation's `x-kimoby-lookup`: a record found by the
//! key in its path, or by one query parameter on the collection path.
//!
//! ```json
//! "x-kimoby-lookup": {
//!   "path_parameter": "id",
//!   "collection_path": "/customers",
//!   "query_parameters": ["id", "reference", "cell_phone_number"]
//! }
//! ```
//!
//! The look-up type is named after the record the path's `GET` returns
//! (`CustomerLookup`); its variants are the path form (`Id`) and one per
//! query parameter other than the path parameter.

use heck::ToUpperCamelCase;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::manifest::{Operation, Parameter};

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
    /// Reads `extension` of `operation`; `record_type` is what the item
    /// path's `GET` returns.
    /// The query parameters are the operation's, or else those of
    /// `components` (`components/parameters`).
    pub fn new(extension: &Value, operation: &Operation, record_type: &str, components: &[Parameter]) -> Result<Self> {
        let location = operation.location.child("x-kimoby-lookup");
        if !extension.is_object() {
            return Err(Error::Manifest {
                location,
                message: "must be an object: path_parameter, collection_path, query_parameters".to_owned(),
            });
        }
        let text = |key: &str| -> Result<String> {
            extension
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| Error::Manifest {
                    location: location.child(key),
                    message: format!("`{key}` must be a string"),
                })
        };
        let path_parameter = text("path_parameter")?;
        if !operation
            .parameters
            .iter()
            .any(|parameter| parameter.location == "path" && parameter.name == path_parameter)
            || !operation.path.contains(&format!("{{{path_parameter}}}"))
        {
            return Err(Error::Manifest {
                location: location.child("path_parameter"),
                message: format!("`{path_parameter}` is not a path parameter of `{}`", operation.path),
            });
        }
        let collection_path = text("collection_path")?;
        if !collection_path.starts_with('/') || collection_path.contains('{') {
            return Err(Error::Manifest {
                location: location.child("collection_path"),
                message: format!("`{collection_path}` must be a path without parameters"),
            });
        }
        let listed = extension
            .get("query_parameters")
            .and_then(Value::as_array)
            .filter(|listed| !listed.is_empty())
            .ok_or_else(|| Error::Manifest {
                location: location.child("query_parameters"),
                message: "`query_parameters` must list the look-up query parameters".to_owned(),
            })?;
        let mut variants = Vec::new();
        for (index, name) in listed.iter().enumerate() {
            let name_location = location.child("query_parameters").child(&index.to_string());
            let name = name.as_str().ok_or_else(|| Error::Manifest {
                location: name_location.clone(),
                message: format!("`{name}` is not a parameter name"),
            })?;
            let parameter = find_query(&operation.parameters, name)
                .or_else(|| find_query(components, name))
                .ok_or_else(|| Error::Manifest {
                    location: name_location.clone(),
                    message: format!(
                        "`{name}` is not a query parameter of this operation nor of `components/parameters`"
                    ),
                })?;
            if name == path_parameter {
                continue;
            }
            let variant = name.to_upper_camel_case();
            if variant == "Id"
                || variants
                    .iter()
                    .any(|existing: &LookupVariant| existing.variant == variant)
            {
                return Err(Error::Manifest {
                    location: name_location,
                    message: format!("`{name}` would be a second `{variant}` variant"),
                });
            }
            variants.push(LookupVariant {
                variant,
                constructor: rust_field_name(name),
                wire: name.to_owned(),
                description: parameter.description.clone(),
                example: parameter.example.as_ref().and_then(Value::as_str).map(str::to_owned),
            });
        }
        Ok(Self {
            type_name: format!("{record_type}Lookup"),
            record_type: record_type.to_owned(),
            collection_path,
            path_parameter,
            variants,
            first_operation: operation.id.clone(),
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

fn find_query<'a>(parameters: &'a [Parameter], name: &str) -> Option<&'a Parameter> {
    parameters
        .iter()
        .find(|parameter| parameter.location == "query" && parameter.name == name)
}
