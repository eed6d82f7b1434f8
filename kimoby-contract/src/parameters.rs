//! Parameters of an operation ([`Parameter`]) and their types
//! ([`ParameterType`]): an integer's bounds and default, and the width of
//! the integer type chosen from them ([`IntegerWidth`]).

use serde_json::Value;

use crate::location::{ContractError, Location, Result};

/// Where a parameter is sent (`in`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Placement {
    /// `path`.
    Path,
    /// `query`.
    Query,
    /// `header`.
    Header,
    /// `cookie`.
    Cookie,
}

impl Placement {
    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "path" => Self::Path,
            "query" => Self::Query,
            "header" => Self::Header,
            "cookie" => Self::Cookie,
            _ => return None,
        })
    }
}

/// A parameter of an operation (or of `components/parameters`).
#[derive(Debug, Clone)]
pub struct Parameter {
    /// Name on the wire.
    pub name: String,
    /// Where it is sent.
    pub placement: Placement,
    /// Whether it must be given.
    pub required: bool,
    /// Its schema.
    pub schema: Value,
    /// `description`, if any.
    pub description: Option<String>,
    /// `example`, if any.
    pub example: Option<Value>,
    /// Where the parameter is written (in `components` when referenced).
    pub source: Location,
}

impl Parameter {
    /// One parameter object (references already followed), written at `source`.
    pub(crate) fn read(parameter: &Value, source: Location) -> Result<Self> {
        let field = |key: &str| parameter.get(key).and_then(Value::as_str).map(str::to_owned);
        let name = field("name").ok_or_else(|| ContractError::new(&source, "parameter without `name`"))?;
        let written = field("in").ok_or_else(|| ContractError::new(&source, "parameter without `in`"))?;
        let placement = Placement::parse(&written).ok_or_else(|| {
            ContractError::new(
                &source.child("in"),
                format!("`{written}` is not path, query, header or cookie"),
            )
        })?;
        Ok(Self {
            required: parameter
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(placement == Placement::Path),
            schema: parameter.get("schema").cloned().unwrap_or(Value::Bool(true)),
            description: field("description"),
            example: parameter.get("example").cloned(),
            source,
            name,
            placement,
        })
    }

    /// Whether it is the query parameter `name`.
    pub fn is_query(&self, name: &str) -> bool {
        self.placement == Placement::Query && self.name == name
    }

    /// The type of its schema.
    pub fn parameter_type(&self) -> Result<ParameterType> {
        let schema = &self.schema;
        let location = self.source.child("schema");
        let kind = schema.get("type").and_then(Value::as_str);
        let format = schema.get("format").and_then(Value::as_str);
        Ok(match (kind, format) {
            (Some("string"), Some("date-time")) => ParameterType::DateTime,
            (Some("integer"), _) => ParameterType::Integer(integer_type(schema, format, &location)?),
            (Some("boolean"), _) => ParameterType::Boolean,
            (Some("string"), _) => ParameterType::Text,
            _ => {
                return Err(ContractError::new(
                    &location,
                    format!(
                        "parameter `{}` needs a schema of `type` string, integer or boolean, found `{schema}`",
                        self.name
                    ),
                ));
            }
        })
    }
}

/// The type of a parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParameterType {
    /// `type: string, format: date-time`, sent as RFC 3339.
    DateTime,
    /// `type: integer`.
    Integer(IntegerType),
    /// `type: boolean`.
    Boolean,
    /// Any other string.
    Text,
}

impl ParameterType {
    /// The integer type, if it is one.
    pub fn integer(&self) -> Option<&IntegerType> {
        match self {
            Self::Integer(integer) => Some(integer),
            _ => None,
        }
    }
}

/// The smallest integer type holding every value a parameter's bounds allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IntegerWidth {
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

impl IntegerWidth {
    /// The Rust type's name.
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

/// An integer parameter: its width and its schema's bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegerType {
    /// The smallest type that holds every value the bounds allow.
    pub rust: IntegerWidth,
    /// `minimum`.
    pub minimum: Option<i128>,
    /// `maximum`.
    pub maximum: Option<i128>,
    /// `default`.
    pub default: Option<i128>,
}

impl IntegerType {
    /// Whether a value must be checked before sending it: the type alone
    /// does not keep it within the bounds.
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

fn integer_type(schema: &Value, format: Option<&str>, location: &Location) -> Result<IntegerType> {
    let bound = |key: &str| -> Result<Option<i128>> {
        match schema.get(key) {
            None => Ok(None),
            Some(value) => value
                .as_i64()
                .map(i128::from)
                .or_else(|| value.as_u64().map(i128::from))
                .map(Some)
                .ok_or_else(|| {
                    ContractError::new(
                        &location.child(key),
                        format!("`{key}` of an integer parameter must be a whole number, found `{value}`"),
                    )
                }),
        }
    };
    // An exclusive bound of an integer is the inclusive one next to it.
    let minimum = bound("minimum")?
        .into_iter()
        .chain(bound("exclusiveMinimum")?.map(|bound| bound + 1))
        .max();
    let maximum = bound("maximum")?
        .into_iter()
        .chain(bound("exclusiveMaximum")?.map(|bound| bound - 1))
        .min();
    let default = bound("default")?;
    if let (Some(low), Some(high)) = (minimum, maximum)
        && low > high
    {
        return Err(ContractError::new(
            &location.child("maximum"),
            format!("`maximum` {high} is below `minimum` {low}"),
        ));
    }
    if let Some(default) = default
        && (minimum.is_some_and(|low| default < low) || maximum.is_some_and(|high| default > high))
    {
        return Err(ContractError::new(
            &location.child("default"),
            format!("`default` {default} is outside the bounds"),
        ));
    }
    Ok(IntegerType {
        rust: integer_width(minimum, maximum, format),
        minimum,
        maximum,
        default,
    })
}

/// The smallest unsigned type when the values cannot be negative, else
/// `i32` for `format: int32` and `i64` otherwise.
fn integer_width(minimum: Option<i128>, maximum: Option<i128>, format: Option<&str>) -> IntegerWidth {
    match (minimum, maximum) {
        (Some(low), high) if low >= 0 => match high {
            Some(high) if high <= i128::from(u8::MAX) => IntegerWidth::U8,
            Some(high) if high <= i128::from(u16::MAX) => IntegerWidth::U16,
            Some(high) if high <= i128::from(u32::MAX) => IntegerWidth::U32,
            _ if format == Some("int32") => IntegerWidth::U32,
            _ => IntegerWidth::U64,
        },
        _ if format == Some("int32") => IntegerWidth::I32,
        _ => IntegerWidth::I64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_width_follows_the_bounds() {
        assert_eq!(integer_width(Some(1), Some(50), None), IntegerWidth::U8);
        assert_eq!(integer_width(Some(1), Some(255), None), IntegerWidth::U8);
        assert_eq!(integer_width(Some(1), Some(256), None), IntegerWidth::U16);
        assert_eq!(integer_width(Some(0), Some(100_000), None), IntegerWidth::U32);
        assert_eq!(integer_width(Some(1), None, None), IntegerWidth::U64);
        assert_eq!(integer_width(Some(1), None, Some("int32")), IntegerWidth::U32);
        assert_eq!(integer_width(None, Some(10), None), IntegerWidth::I64);
        assert_eq!(integer_width(Some(-1), Some(10), Some("int32")), IntegerWidth::I32);
    }
}
