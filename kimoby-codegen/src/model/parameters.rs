//! Typed parameters with Rust names: the builders' fields and setters of
//! path and query parameters, and the setters of the parameter groups of
//! `x-kimoby-parameter-groups`. The types, bounds and integer widths are the
//! contract's ([`kimoby_contract::ParameterType`]).

use heck::ToSnakeCase;
use kimoby_contract::{Parameter, Placement};

pub use kimoby_contract::{IntegerType, IntegerWidth as RustInteger, ParameterType};

use crate::error::{Error, Result};

/// A path parameter, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathParameter {
    /// The name in the template.
    pub wire: String,
    /// The builder's field and constructor argument.
    pub field: String,
    /// Its type.
    pub parameter_type: ParameterType,
}

/// A query parameter with a builder setter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryParameter {
    /// The name on the wire.
    pub wire: String,
    /// The builder's field and setter.
    pub field: String,
    /// Its type.
    pub parameter_type: ParameterType,
    /// `description`, if any.
    pub description: Option<String>,
}

impl QueryParameter {
    /// The optional query parameter `parameter`; a required one is refused
    /// (the builders take only path parameters and bodies as arguments).
    pub fn new(parameter: &Parameter) -> Result<Self> {
        if parameter.required {
            return Err(Error::Manifest {
                location: parameter.source.child("required"),
                message: format!(
                    "query parameter `{}` is required: the generator makes query parameters builder setters, \
                     so it must be optional",
                    parameter.name
                ),
            });
        }
        Ok(Self {
            wire: parameter.name.clone(),
            field: rust_field_name(&parameter.name),
            parameter_type: parameter.parameter_type()?,
            description: parameter.description.clone(),
        })
    }
}

/// Query parameters the API accepts only together, and their one setter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterGroup {
    /// The setter: `date_range` for `date_start` + `date_end`, else the
    /// names joined with `_and_`.
    pub setter: String,
    /// The members' wire names, in the manifest's order.
    pub members: Vec<String>,
}

/// Names the groups of `x-kimoby-parameter-groups` (read by the contract
/// at `location`): each member must be a query parameter with a setter.
pub fn parameter_groups(
    groups: &[kimoby_contract::ParameterGroup],
    query: &[QueryParameter],
) -> Result<Vec<ParameterGroup>> {
    let mut result = Vec::new();
    for group in groups {
        let mut members = Vec::new();
        for (name, name_location) in &group.members {
            if !query.iter().any(|parameter| parameter.wire == *name) {
                return Err(Error::Manifest {
                    location: name_location.clone(),
                    message: format!(
                        "`{name}` is not a query parameter of this operation that has a setter \
                         (page and look-up parameters cannot be grouped)"
                    ),
                });
            }
            members.push(name.clone());
        }
        result.push(ParameterGroup {
            setter: group_setter_name(&members),
            members,
        });
    }
    Ok(result)
}

/// Whether `parameter` is a path parameter.
pub fn is_path(parameter: &Parameter) -> bool {
    parameter.placement == Placement::Path
}

/// Whether `parameter` is a query parameter.
pub fn is_query(parameter: &Parameter) -> bool {
    parameter.placement == Placement::Query
}

/// `date_start` + `date_end` → `date_range`; otherwise the names joined.
fn group_setter_name(group: &[String]) -> String {
    if let [start, end] = group
        && let (Some(stem), Some(end_stem)) = (start.strip_suffix("_start"), end.strip_suffix("_end"))
        && stem == end_stem
    {
        return format!("{}_range", rust_field_name(stem));
    }
    group
        .iter()
        .map(|name| rust_field_name(name))
        .collect::<Vec<_>>()
        .join("_and_")
}

/// A wire name as a Rust field or method name.
pub fn rust_field_name(wire: &str) -> String {
    wire.to_snake_case()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_setters() {
        let names = |list: &[&str]| list.iter().map(|name| (*name).to_owned()).collect::<Vec<_>>();
        assert_eq!(group_setter_name(&names(&["date_start", "date_end"])), "date_range");
        assert_eq!(group_setter_name(&names(&["lat", "lng"])), "lat_and_lng");
        assert_eq!(group_setter_name(&names(&["a_start", "b_end"])), "a_start_and_b_end");
    }
}
