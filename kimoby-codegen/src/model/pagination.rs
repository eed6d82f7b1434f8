//! Pagination of a list operation: the contract's `x-kimoby-pagination`
//! ([`kimoby_contract::Pagination`]: the page parameters with their bounds
//! and defaults, the names of the items and counters) resolved against the
//! list response's schema: the item type, and the pagination property and
//! its two counters, which must be required integers.

use serde_json::Value;

use crate::error::{Error, Result};
use crate::prepare::bundle::{Bundle, DEFINITIONS_PREFIX};

use super::parameters::{IntegerType, rust_field_name};

/// How a list operation pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The array property of the list response that holds the items.
    pub items_field: String,
    /// The type of one item.
    pub item_type: String,
    /// The type of the list response (one page).
    pub list_type: String,
    /// The page-number parameter.
    pub page: PageParameter,
    /// The page-size parameter.
    pub per_page: PageParameter,
    /// The property of the list response that holds the page counts.
    pub pagination_field: String,
    /// Its field holding the page number of the answer.
    pub page_field: String,
    /// Its field holding the page count.
    pub pages_field: String,
}

/// A page parameter: an integer query parameter that cannot be negative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageParameter {
    /// The name on the wire.
    pub wire: String,
    /// The builder's field and setter.
    pub field: String,
    /// Its type and bounds.
    pub integer: IntegerType,
    /// `description`, if any.
    pub description: Option<String>,
}

impl PageParameter {
    fn new(parameter: &kimoby_contract::PageParameter) -> Self {
        Self {
            wire: parameter.name.clone(),
            field: rust_field_name(&parameter.name),
            integer: parameter.integer.clone(),
            description: parameter.description.clone(),
        }
    }
}

impl Pagination {
    /// Resolves `extension` for an operation whose list response is `list_type`.
    pub fn new(extension: &kimoby_contract::Pagination, list_type: &str, bundle: &Bundle) -> Result<Self> {
        let location = &extension.location;
        let items_field = &extension.items;
        let list = bundle
            .definitions
            .get(list_type)
            .map(|definition| &definition.schema)
            .ok_or_else(|| Error::Manifest {
                location: location.clone(),
                message: format!("the list response `{list_type}` is not a schema of the folder"),
            })?;
        let item_type = list
            .pointer(&format!("/properties/{}/items/$ref", escape(items_field)))
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix(DEFINITIONS_PREFIX))
            .ok_or_else(|| Error::Manifest {
                location: location.child("items"),
                message: format!("`{list_type}` has no array property `{items_field}` of referenced items"),
            })?
            .to_owned();
        let pagination_field = &extension.pagination_property;
        let required = |schema: &Value, name: &str| {
            schema
                .get("required")
                .and_then(Value::as_array)
                .is_some_and(|required| required.iter().any(|entry| entry == name))
        };
        let pagination_type = list
            .pointer(&format!("/properties/{}/$ref", escape(pagination_field)))
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix(DEFINITIONS_PREFIX))
            .filter(|_| required(list, pagination_field))
            .ok_or_else(|| Error::Manifest {
                location: location.child("pagination_property"),
                message: format!(
                    "`{list_type}` has no required property `{pagination_field}` referring to a pagination schema"
                ),
            })?;
        let pagination_schema = &bundle.definitions[pagination_type].schema;
        let counter = |key: &str, field: &str| -> Result<String> {
            let integer = pagination_schema
                .pointer(&format!("/properties/{}/type", escape(field)))
                .and_then(Value::as_str)
                == Some("integer");
            if integer && required(pagination_schema, field) {
                Ok(field.to_owned())
            } else {
                Err(Error::Manifest {
                    location: location.child(key),
                    message: format!("`{pagination_type}` has no required integer property `{field}`"),
                })
            }
        };
        Ok(Self {
            items_field: items_field.clone(),
            item_type,
            list_type: list_type.to_owned(),
            page: PageParameter::new(&extension.page),
            per_page: PageParameter::new(&extension.per_page),
            page_field: counter("page_field", &extension.page_field)?,
            pages_field: counter("pages_field", &extension.pages_field)?,
            pagination_field: pagination_field.clone(),
        })
    }

    /// Whether `name` is one of the two page parameters.
    pub fn is_page_parameter(&self, name: &str) -> bool {
        self.page.wire == name || self.per_page.wire == name
    }
}

/// A property name as a JSON pointer segment.
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
