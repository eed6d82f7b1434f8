//! The `x-kimoby-*` extensions of an operation, read into typed values.
//!
//! Their format is defined once, in `extensions.schema.json`
//! ([`crate::EXTENSIONS_SCHEMA`]); the readers here refuse exactly what it
//! refuses (a test holds them to it), with an error at the JSON pointer of
//! the offending value, and then resolve what a schema cannot: the page and
//! look-up parameters each extension names.
//!
//! ```json
//! "x-kimoby-pagination": {"items": "customers", "page_parameter": "page",
//!   "per_page_parameter": "per_page", "pagination_property": "pagination",
//!   "page_field": "page", "pages_field": "pages"},
//! "x-kimoby-lookup": {"path_parameter": "id", "collection_path": "/customers",
//!   "query_parameters": ["id", "reference", "cell_phone_number"]},
//! "x-kimoby-parameter-groups": [["date_start", "date_end"]],
//! "x-kimoby-repeatable": false
//! ```

use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::location::{ContractError, Location, Result};
use crate::parameters::{IntegerType, Parameter, ParameterType, Placement};
use crate::path::PathTemplate;

/// The operation extensions of the contract, the `properties` of the
/// extension schema, sorted. Any other `x-kimoby-*` key on an
/// operation is an error (a typo would otherwise be ignored).
pub fn operation_extensions() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| schema_property_names("/properties"))
}

/// The keys the extension schema declares for an object at `pointer`
/// (`/$defs/pagination/properties`): the one list of them, so the Rust
/// reader refuses the keys the schema refuses.
fn schema_property_names(pointer: &str) -> Vec<String> {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    let schema = SCHEMA.get_or_init(|| {
        // Embedded at build time; the crate's tests parse it and hold the
        // reader to it, so it is JSON.
        serde_json::from_str(crate::EXTENSIONS_SCHEMA).unwrap_or(Value::Null)
    });
    schema
        .pointer(pointer)
        .and_then(Value::as_object)
        // Sorted: the order of a JSON object depends on serde_json's features.
        .map(|properties| {
            properties
                .keys()
                .cloned()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect()
        })
        .unwrap_or_default()
}

/// The extensions of one operation.
#[derive(Debug, Clone, Default)]
pub struct Extensions {
    /// `x-kimoby-pagination`: how the list pages.
    pub pagination: Option<Pagination>,
    /// `x-kimoby-lookup`: how a record is found.
    pub lookup: Option<Lookup>,
    /// `x-kimoby-parameter-groups`: query parameters sent together.
    pub parameter_groups: Vec<ParameterGroup>,
    /// `x-kimoby-parameter-groups`'s location, if the operation has it.
    pub parameter_groups_location: Option<Location>,
    /// `x-kimoby-repeatable`, if given.
    pub repeatable: Option<bool>,
}

/// How a list operation pages (`x-kimoby-pagination`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The array property of the list response that holds the items.
    pub items: String,
    /// The page-number parameter.
    pub page: PageParameter,
    /// The page-size parameter.
    pub per_page: PageParameter,
    /// The property of the list response that holds the page counts.
    pub pagination_property: String,
    /// Its field holding the page number of the answer.
    pub page_field: String,
    /// Its field holding the page count.
    pub pages_field: String,
    /// Where the extension is.
    pub location: Location,
}

impl Pagination {
    /// Whether `name` is one of the two page parameters.
    pub fn is_page_parameter(&self, name: &str) -> bool {
        self.page.name == name || self.per_page.name == name
    }
}

/// A page parameter: an integer query parameter that cannot be negative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageParameter {
    /// The name on the wire.
    pub name: String,
    /// Its type, bounds and default.
    pub integer: IntegerType,
    /// `description`, if any.
    pub description: Option<String>,
    /// Where the parameter is written (in `components` when referenced).
    pub source: Location,
}

/// How a record is found (`x-kimoby-lookup`): by the key in its path, or by
/// one query parameter on the collection path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// The path parameter of the item path.
    pub path_parameter: String,
    /// The path of the collection the query forms go to.
    pub collection_path: String,
    /// The query parameters, in the manifest's order (the path parameter's
    /// query form included when listed).
    pub query_parameters: Vec<LookupParameter>,
    /// Where the extension is.
    pub location: Location,
}

impl Lookup {
    /// The names of the query parameters.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.query_parameters.iter().map(|parameter| parameter.name.as_str())
    }
}

/// One query parameter of a look-up, found in the operation or in
/// `components/parameters`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupParameter {
    /// The name on the wire.
    pub name: String,
    /// `description`, if any.
    pub description: Option<String>,
    /// `example`, if it is a string.
    pub example: Option<String>,
    /// Where the name is listed in the extension.
    pub location: Location,
}

/// Query parameters the API accepts only together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterGroup {
    /// The members' names, in the manifest's order, each with where it is listed.
    pub members: Vec<(String, Location)>,
}

impl Extensions {
    /// Reads the extensions of `operation` (at `location`, on `path`, with
    /// `parameters`); `components` are `components/parameters`.
    pub(crate) fn read(
        operation: &Map<String, Value>,
        location: &Location,
        path: &PathTemplate,
        parameters: &[Parameter],
        components: &[Parameter],
    ) -> Result<Self> {
        for key in operation.keys() {
            if key.starts_with("x-kimoby-") && !operation_extensions().contains(key) {
                return Err(ContractError::new(
                    &location.child(key),
                    format!(
                        "unknown extension `{key}`: the generator reads {}",
                        operation_extensions().join(", ")
                    ),
                ));
            }
        }
        let mut extensions = Self::default();
        if let Some(value) = operation.get("x-kimoby-repeatable") {
            let repeatable = value.as_bool().ok_or_else(|| {
                ContractError::new(
                    &location.child("x-kimoby-repeatable"),
                    format!("must be `true` or `false`, found `{value}`"),
                )
            })?;
            extensions.repeatable = Some(repeatable);
        }
        if let Some(value) = operation.get("x-kimoby-lookup") {
            let at = location.child("x-kimoby-lookup");
            extensions.lookup = Some(read_lookup(value, &at, path, parameters, components)?);
        }
        if let Some(value) = operation.get("x-kimoby-pagination") {
            let at = location.child("x-kimoby-pagination");
            extensions.pagination = Some(read_pagination(value, &at, parameters)?);
        }
        if let Some(value) = operation.get("x-kimoby-parameter-groups") {
            let at = location.child("x-kimoby-parameter-groups");
            extensions.parameter_groups = read_groups(value, &at)?;
            extensions.parameter_groups_location = Some(at);
        }
        Ok(extensions)
    }
}

fn read_pagination(extension: &Value, location: &Location, parameters: &[Parameter]) -> Result<Pagination> {
    if !extension.is_object() {
        return Err(ContractError::new(
            location,
            "must be an object: items, page_parameter, per_page_parameter, pagination_property, page_field, \
             pages_field",
        ));
    }
    let text = |key: &str| -> Result<String> {
        extension
            .get(key)
            .and_then(Value::as_str)
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| ContractError::new(&location.child(key), format!("`{key}` must be a non-empty string")))
    };
    refuse_other_keys(
        extension,
        &schema_property_names("/$defs/pagination/properties"),
        location,
    )?;
    let items = text("items")?;
    let page_name = text("page_parameter")?;
    let per_page_name = text("per_page_parameter")?;
    let pagination_property = text("pagination_property")?;
    let page_field = text("page_field")?;
    let pages_field = text("pages_field")?;
    let page = page_parameter(&page_name, parameters, &location.child("page_parameter"))?;
    let per_page = page_parameter(&per_page_name, parameters, &location.child("per_page_parameter"))?;
    if page.name == per_page.name {
        return Err(ContractError::new(
            &location.child("per_page_parameter"),
            "the page and page-size parameters must differ",
        ));
    }
    Ok(Pagination {
        items,
        page,
        per_page,
        pagination_property,
        page_field,
        pages_field,
        location: location.clone(),
    })
}

fn refuse_other_keys(extension: &Value, known: &[String], location: &Location) -> Result<()> {
    let unknown = extension
        .as_object()
        .and_then(|object| object.keys().find(|key| !known.contains(key)));
    match unknown {
        Some(key) => Err(ContractError::new(
            &location.child(key),
            format!("unknown key `{key}`: the extension has {}", known.join(", ")),
        )),
        None => Ok(()),
    }
}

fn page_parameter(name: &str, parameters: &[Parameter], location: &Location) -> Result<PageParameter> {
    let parameter = parameters
        .iter()
        .find(|parameter| parameter.is_query(name))
        .ok_or_else(|| ContractError::new(location, format!("`{name}` is not a query parameter of this operation")))?;
    let integer = match parameter.parameter_type()? {
        ParameterType::Integer(integer) if integer.minimum.is_some_and(|minimum| minimum >= 0) => integer,
        _ => {
            return Err(ContractError::new(
                &parameter.source.child("schema"),
                format!("page parameter `{name}` must be an integer with a `minimum` of 0 or more"),
            ));
        }
    };
    Ok(PageParameter {
        name: name.to_owned(),
        integer,
        description: parameter.description.clone(),
        source: parameter.source.clone(),
    })
}

fn read_lookup(
    extension: &Value,
    location: &Location,
    path: &PathTemplate,
    parameters: &[Parameter],
    components: &[Parameter],
) -> Result<Lookup> {
    if !extension.is_object() {
        return Err(ContractError::new(
            location,
            "must be an object: path_parameter, collection_path, query_parameters",
        ));
    }
    let text = |key: &str| -> Result<String> {
        extension
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| ContractError::new(&location.child(key), format!("`{key}` must be a string")))
    };
    refuse_other_keys(extension, &schema_property_names("/$defs/lookup/properties"), location)?;
    let path_parameter = text("path_parameter")?;
    let collection_path = text("collection_path")?;
    if !collection_path.starts_with('/') || collection_path.contains('{') {
        return Err(ContractError::new(
            &location.child("collection_path"),
            format!("`{collection_path}` must be a path without parameters"),
        ));
    }
    let listed = extension
        .get("query_parameters")
        .and_then(Value::as_array)
        .filter(|listed| !listed.is_empty())
        .ok_or_else(|| {
            ContractError::new(
                &location.child("query_parameters"),
                "`query_parameters` must list the look-up query parameters",
            )
        })?;
    let mut names = Vec::new();
    for (index, name) in listed.iter().enumerate() {
        let name_location = location.child("query_parameters").child(&index.to_string());
        let name = name
            .as_str()
            .ok_or_else(|| ContractError::new(&name_location, format!("`{name}` is not a parameter name")))?;
        if names.iter().any(|(known, _)| *known == name) {
            return Err(ContractError::new(&name_location, format!("`{name}` is listed twice")));
        }
        names.push((name, name_location));
    }
    if !parameters
        .iter()
        .any(|parameter| parameter.placement == Placement::Path && parameter.name == path_parameter)
        || !path.parameters().any(|name| name == path_parameter)
    {
        return Err(ContractError::new(
            &location.child("path_parameter"),
            format!("`{path_parameter}` is not a path parameter of `{}`", path.template),
        ));
    }
    let mut query_parameters = Vec::new();
    for (name, name_location) in names {
        let parameter = parameters
            .iter()
            .chain(components)
            .find(|parameter| parameter.is_query(name))
            .ok_or_else(|| {
                ContractError::new(
                    &name_location,
                    format!("`{name}` is not a query parameter of this operation nor of `components/parameters`"),
                )
            })?;
        query_parameters.push(LookupParameter {
            name: name.to_owned(),
            description: parameter.description.clone(),
            example: parameter.example.as_ref().and_then(Value::as_str).map(str::to_owned),
            location: name_location,
        });
    }
    Ok(Lookup {
        path_parameter,
        collection_path,
        query_parameters,
        location: location.clone(),
    })
}

fn read_groups(extension: &Value, location: &Location) -> Result<Vec<ParameterGroup>> {
    let groups = extension
        .as_array()
        .ok_or_else(|| ContractError::new(location, "must be an array of arrays of query parameter names"))?;
    let mut seen: Vec<&str> = Vec::new();
    let mut result = Vec::new();
    for (index, group) in groups.iter().enumerate() {
        let group_location = location.child(&index.to_string());
        let names = group
            .as_array()
            .ok_or_else(|| ContractError::new(&group_location, "a group must be an array of query parameter names"))?;
        if names.len() < 2 {
            return Err(ContractError::new(
                &group_location,
                "a group needs at least two parameters",
            ));
        }
        let mut members = Vec::new();
        for (position, name) in names.iter().enumerate() {
            let name_location = group_location.child(&position.to_string());
            let name = name
                .as_str()
                .ok_or_else(|| ContractError::new(&name_location, format!("`{name}` is not a parameter name")))?;
            if seen.contains(&name) {
                return Err(ContractError::new(&name_location, format!("`{name}` is in two groups")));
            }
            seen.push(name);
            members.push((name.to_owned(), name_location));
        }
        result.push(ParameterGroup { members });
    }
    Ok(result)
}
