//! Typed parameters: the Rust type of a path or query parameter, chosen
//! from its schema (an integer's width from its bounds), and the parameter
//! groups of `x-kimoby-parameter-groups`.

use heck::ToSnakeCase;
use serde_json::Value;

use crate::error::{Error, Location, Result};
use crate::manifest::Parameter;

/// The Rust type of a parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParameterType {
    /// `type: string, format: date-time`: a `chrono::DateTime<FixedOffset>`,
    /// sent as RFC 3339.
    DateTime,
    /// `type: integer`.
    Integer(IntegerType),
    /// `type: boolean`.
    Boolean,
    /// Any other string.
    Text,
}

/// A Rust integer type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RustInteger {
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
}

impl RustInteger {
    /// The type's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::U8 => "u8",
            Self::U16 => "u16",
            Self::U32 => "u32",
            Self::U64 => "u64",
            Self::I32 => "i32",
            Self::I64 => "i64",
        }
    }
}

/// An integer parameter: its Rust type and its schema's bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegerType {
    /// The smallest Rust type that holds every value the bounds allow.
    pub rust: RustInteger,
    /// `minimum`.
    pub minimum: Option<i128>,
    /// `maximum`.
    pub maximum: Option<i128>,
    /// `default`.
    pub default: Option<i128>,
}

impl IntegerType {
    /// Whether the runtime must check a value before sending it: the Rust
    /// type alone does not keep it within the bounds.
    pub fn is_bounded(&self) -> bool {
        self.minimum.is_some() || self.maximum.is_some()
    }

    /// A human reading of the bounds: `1 to 50`, `1 or more`.
    pub fn bounds_text(&self) -> Option<String> {
        match (self.minimum, self.maximum) {
            (Some(minimum), Some(maximum)) => Some(format!("{minimum} to {maximum}")),
            (Some(minimum), None) => Some(format!("{minimum} or more")),
            (None, Some(maximum)) => Some(format!("{maximum} or less")),
            (None, None) => None,
        }
    }
}

impl ParameterType {
    /// The type of `parameter`'s schema.
    pub fn of(parameter: &Parameter) -> Result<Self> {
        let schema = &parameter.schema;
        let location = parameter.source.child("schema");
        let kind = schema.get("type").and_then(Value::as_str);
        let format = schema.get("format").and_then(Value::as_str);
        Ok(match (kind, format) {
            (Some("string"), Some("date-time")) => Self::DateTime,
            (Some("integer"), _) => Self::Integer(integer_type(schema, format, &location)?),
            (Some("boolean"), _) => Self::Boolean,
            (Some("string"), _) => Self::Text,
            _ => {
                return Err(Error::Manifest {
                    location,
                    message: format!(
                        "parameter `{}` needs a schema of `type` string, integer or boolean, found `{schema}`",
                        parameter.name
                    ),
                });
            }
        })
    }

    /// The integer type, if it is one.
    pub fn integer(&self) -> Option<&IntegerType> {
        match self {
            Self::Integer(integer) => Some(integer),
            _ => None,
        }
    }
}

fn integer_type(schema: &Value, format: Option<&str>, location: &Location) -> Result<IntegerType> {
    let bound = |key: &str| -> Result<Option<i128>> {
        match schema.get(key) {
            None => Ok(None),
            Some(value) => value
                .as_i64()
                .map(i128::from)
                .or_else(|| value.as_u64().map(i128::from))
                .map(Some)
                .ok_or_else(|| Error::Manifest {
                    location: location.child(key),
                    message: format!("`{key}` of an integer parameter must be a whole number, found `{value}`"),
                }),
        }
    };
    let minimum = bound("minimum")?;
    let maximum = bound("maximum")?;
    let default = bound("default")?;
    if let (Some(low), Some(high)) = (minimum, maximum)
        && low > high
    {
        return Err(Error::Manifest {
            location: location.child("maximum"),
            message: format!("`maximum` {high} is below `minimum` {low}"),
        });
    }
    if let Some(default) = default
        && (minimum.is_some_and(|low| default < low) || maximum.is_some_and(|high| default > high))
    {
        return Err(Error::Manifest {
            location: location.child("default"),
            message: format!("`default` {default} is outside the bounds"),
        });
    }
    Ok(IntegerType {
        rust: rust_integer(minimum, maximum, format),
        minimum,
        maximum,
        default,
    })
}

/// The smallest unsigned type when the values cannot be negative, else
/// `i32` for `format: int32` and `i64` otherwise.
fn rust_integer(minimum: Option<i128>, maximum: Option<i128>, format: Option<&str>) -> RustInteger {
    match (minimum, maximum) {
        (Some(low), high) if low >= 0 => match high {
            Some(high) if high <= i128::from(u8::MAX) => RustInteger::U8,
            Some(high) if high <= i128::from(u16::MAX) => RustInteger::U16,
            Some(high) if high <= i128::from(u32::MAX) => RustInteger::U32,
            _ if format == Some("int32") => RustInteger::U32,
            _ => RustInteger::U64,
        },
        _ if format == Some("int32") => RustInteger::I32,
        _ => RustInteger::I64,
    }
}

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
            parameter_type: ParameterType::of(parameter)?,
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

/// Reads `x-kimoby-parameter-groups`: an array of arrays of at least two
/// query parameter names of the operation, each name in one group at most.
pub fn parameter_groups(
    extension: &Value,
    query: &[QueryParameter],
    location: &Location,
) -> Result<Vec<ParameterGroup>> {
    let malformed = |location: Location, message: String| Error::Manifest { location, message };
    let groups = extension.as_array().ok_or_else(|| {
        malformed(
            location.clone(),
            "must be an array of arrays of query parameter names".to_owned(),
        )
    })?;
    let mut seen: Vec<&str> = Vec::new();
    let mut result = Vec::new();
    for (index, group) in groups.iter().enumerate() {
        let group_location = location.child(&index.to_string());
        let names = group.as_array().ok_or_else(|| {
            malformed(
                group_location.clone(),
                "a group must be an array of query parameter names".to_owned(),
            )
        })?;
        if names.len() < 2 {
            return Err(malformed(
                group_location,
                "a group needs at least two parameters".to_owned(),
            ));
        }
        let mut members = Vec::new();
        for (position, name) in names.iter().enumerate() {
            let name_location = group_location.child(&position.to_string());
            let name = name
                .as_str()
                .ok_or_else(|| malformed(name_location.clone(), format!("`{name}` is not a parameter name")))?;
            if !query.iter().any(|parameter| parameter.wire == name) {
                return Err(malformed(
                    name_location,
                    format!(
                        "`{name}` is not a query parameter of this operation that has a setter \
                         (page and look-up parameters cannot be grouped)"
                    ),
                ));
            }
            if seen.contains(&name) {
                return Err(malformed(name_location, format!("`{name}` is in two groups")));
            }
            seen.push(name);
            members.push(name.to_owned());
        }
        result.push(ParameterGroup {
            setter: group_setter_name(&members),
            members,
        });
    }
    Ok(result)
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
    fn integer_width_follows_the_bounds() {
        assert_eq!(rust_integer(Some(1), Some(50), None), RustInteger::U8);
        assert_eq!(rust_integer(Some(1), Some(255), None), RustInteger::U8);
        assert_eq!(rust_integer(Some(1), Some(256), None), RustInteger::U16);
        assert_eq!(rust_integer(Some(0), Some(100_000), None), RustInteger::U32);
        assert_eq!(rust_integer(Some(1), None, None), RustInteger::U64);
        assert_eq!(rust_integer(Some(1), None, Some("int32")), RustInteger::U32);
        assert_eq!(rust_integer(None, Some(10), None), RustInteger::I64);
        assert_eq!(rust_integer(Some(-1), Some(10), Some("int32")), RustInteger::I32);
    }

    #[test]
    fn group_setters() {
        let names = |list: &[&str]| list.iter().map(|name| (*name).to_owned()).collect::<Vec<_>>();
        assert_eq!(group_setter_name(&names(&["date_start", "date_end"])), "date_range");
        assert_eq!(group_setter_name(&names(&["lat", "lng"])), "lat_and_lng");
        assert_eq!(group_setter_name(&names(&["a_start", "b_end"])), "a_start_and_b_end");
    }
}
