//! Pagination of a list operation, from its `x-kimoby-pagination`:
//!
//! ```json
//! "x-kimoby-pagination": {
//!   "items": "customers",
//!   "page_parameter": "page",
//!   "per_page_parameter": "per_page",
//!   "pagination_property": "pagination",
//!   "page_field": "page",
//!   "pages_field": "pages"
//! }
//! ```
//!
//! `items` is the array property of the list response; the two parameters
//! are integer query parameters of the operation, whose schemas give the
//! bounds and defaults; the pagination property of the list response holds
//! the page number and the page count the stream follows.

use serde_json::Value;

use crate::bundle::{Bundle, DEFINITIONS_PREFIX};
use crate::error::{Error, Location, Result};
use crate::manifest::Parameter;

use super::parameters::{IntegerType, ParameterType, rust_field_name};

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

impl Pagination {
    /// Reads `extension` (at `location`) for an operation whose list
    /// response is `list_type` and whose parameters are `parameters`.
    pub fn new(
        extension: &Value,
        list_type: &str,
        parameters: &[Parameter],
        bundle: &Bundle,
        location: &Location,
    ) -> Result<Self> {
        let text = |key: &str| -> Result<String> {
            extension
                .get(key)
                .and_then(Value::as_str)
                .filter(|value| !value.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| Error::Manifest {
                    location: location.child(key),
                    message: format!("`{key}` must be a non-empty string"),
                })
        };
        if !extension.is_object() {
            return Err(Error::Manifest {
                location: location.clone(),
                message: "must be an object: items, page_parameter, per_page_parameter, pagination_property, \
                          page_field, pages_field"
                    .to_owned(),
            });
        }
        let items_field = text("items")?;
        let list = bundle
            .definitions
            .get(list_type)
            .map(|definition| &definition.schema)
            .ok_or_else(|| Error::Manifest {
                location: location.clone(),
                message: format!("the list response `{list_type}` is not a schema of the folder"),
            })?;
        let item_type = list
            .pointer(&format!("/properties/{}/items/$ref", escape(&items_field)))
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix(DEFINITIONS_PREFIX))
            .ok_or_else(|| Error::Manifest {
                location: location.child("items"),
                message: format!("`{list_type}` has no array property `{items_field}` of referenced items"),
            })?
            .to_owned();
        let page = page_parameter(&text("page_parameter")?, parameters, &location.child("page_parameter"))?;
        let per_page = page_parameter(
            &text("per_page_parameter")?,
            parameters,
            &location.child("per_page_parameter"),
        )?;
        if page.wire == per_page.wire {
            return Err(Error::Manifest {
                location: location.child("per_page_parameter"),
                message: "the page and page-size parameters must differ".to_owned(),
            });
        }
        let pagination_field = text("pagination_property")?;
        let required = |schema: &Value, name: &str| {
            schema
                .get("required")
                .and_then(Value::as_array)
                .is_some_and(|required| required.iter().any(|entry| entry == name))
        };
        let pagination_type = list
            .pointer(&format!("/properties/{}/$ref", escape(&pagination_field)))
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix(DEFINITIONS_PREFIX))
            .filter(|_| required(list, &pagination_field))
            .ok_or_else(|| Error::Manifest {
                location: location.child("pagination_property"),
                message: format!(
                    "`{list_type}` has no required property `{pagination_field}` referring to a pagination schema"
                ),
            })?;
        let pagination_schema = &bundle.definitions[pagination_type].schema;
        let counter = |key: &str| -> Result<String> {
            let field = text(key)?;
            let integer = pagination_schema
                .pointer(&format!("/properties/{}/type", escape(&field)))
                .and_then(Value::as_str)
                == Some("integer");
            if integer && required(pagination_schema, &field) {
                Ok(field)
            } else {
                Err(Error::Manifest {
                    location: location.child(key),
                    message: format!("`{pagination_type}` has no required integer property `{field}`"),
                })
            }
        };
        Ok(Self {
            items_field,
            item_type,
            list_type: list_type.to_owned(),
            page,
            per_page,
            page_field: counter("page_field")?,
            pages_field: counter("pages_field")?,
            pagination_field,
        })
    }

    /// Whether `name` is one of the two page parameters.
    pub fn is_page_parameter(&self, name: &str) -> bool {
        self.page.wire == name || self.per_page.wire == name
    }
}

fn page_parameter(name: &str, parameters: &[Parameter], location: &Location) -> Result<PageParameter> {
    let parameter = parameters
        .iter()
        .find(|parameter| parameter.name == name && parameter.location == "query")
        .ok_or_else(|| Error::Manifest {
            location: location.clone(),
            message: format!("`{name}` is not a query parameter of this operation"),
        })?;
    let integer = match ParameterType::of(parameter)? {
        ParameterType::Integer(integer) if integer.minimum.is_some_and(|minimum| minimum >= 0) => integer,
        _ => {
            return Err(Error::Manifest {
                location: parameter.source.child("schema"),
                message: format!("page parameter `{name}` must be an integer with a `minimum` of 0 or more"),
            });
        }
    };
    Ok(PageParameter {
        wire: name.to_owned(),
        field: rust_field_name(name),
        integer,
        description: parameter.description.clone(),
    })
}

/// A property name as a JSON pointer segment.
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
