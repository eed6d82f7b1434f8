//! The bounds of `page` and `per_page` of a paginated list
//! (`x-kimoby-pagination`), from the `minimum`, `maximum` and `default` of
//! the schemas of the operation's query parameters.

use serde_json::Value;

use super::ManifestError;
use super::document::{Found, Operation, child, resolve, wrong};

/// The bounds of a paginated operation, whose `x-kimoby-pagination` names
/// its page parameters (`page_parameter`, `per_page_parameter`).
pub(super) fn page_bounds(manifest: &Value, operation: &Operation<'_>) -> Result<PageBounds, ManifestError> {
    let extension_pointer = operation.found.child("x-kimoby-pagination");
    let name = |key: &str| {
        operation
            .found
            .value
            .pointer(&format!("/x-kimoby-pagination/{key}"))
            .and_then(Value::as_str)
            .ok_or_else(|| {
                wrong(
                    child(&extension_pointer, key),
                    format!("`{key}` must name a query parameter"),
                )
            })
    };
    Ok(PageBounds {
        page: parameter_bounds(manifest, operation, name("page_parameter")?)?,
        per_page: parameter_bounds(manifest, operation, name("per_page_parameter")?)?,
    })
}

/// The bounds of the query parameter `name` of `operation`.
fn parameter_bounds(manifest: &Value, operation: &Operation<'_>, name: &str) -> Result<IntegerBounds, ManifestError> {
    let parameter = operation.query_parameter(manifest, name)?.ok_or_else(|| {
        wrong(
            operation.found.child("parameters"),
            format!("a paginated operation (`x-kimoby-pagination`) takes a `{name}` query parameter"),
        )
    })?;
    let schema = parameter
        .value
        .get("schema")
        .ok_or_else(|| wrong(&parameter.pointer, format!("the `{name}` parameter has no `schema`")))?;
    let schema = resolve(manifest, parameter.child("schema"), schema)?;
    if schema.value.get("type").and_then(Value::as_str) != Some("integer") {
        return Err(wrong(
            schema.child("type"),
            format!("`{name}` must be of type `integer`"),
        ));
    }
    let minimum = lower_bound(&schema)?.ok_or_else(|| {
        wrong(
            schema.child("minimum"),
            format!("`{name}` needs a `minimum` (at least 1: pages and page sizes count from 1)"),
        )
    })?;
    if minimum == 0 {
        return Err(wrong(
            schema.child("minimum"),
            format!("`{name}` must have a minimum of at least 1: pages and page sizes count from 1"),
        ));
    }
    let maximum = upper_bound(&schema)?;
    if let Some(maximum) = maximum
        && maximum < minimum
    {
        return Err(wrong(
            schema.child("maximum"),
            format!("`{name}` has a maximum ({maximum}) below its minimum ({minimum})"),
        ));
    }
    let default = integer(&schema, "default")?.ok_or_else(|| {
        wrong(
            schema.child("default"),
            format!("`{name}` needs a `default`: the value used when the parameter is absent"),
        )
    })?;
    if default < minimum || maximum.is_some_and(|maximum| default > maximum) {
        return Err(wrong(
            schema.child("default"),
            format!("the default of `{name}` ({default}) is outside its bounds"),
        ));
    }
    Ok(IntegerBounds {
        name: name.to_owned(),
        minimum,
        maximum,
        default,
    })
}

/// The smallest value `minimum` and `exclusiveMinimum` allow.
fn lower_bound(schema: &Found<'_>) -> Result<Option<u64>, ManifestError> {
    let inclusive = integer(schema, "minimum")?;
    let exclusive = integer(schema, "exclusiveMinimum")?.map(|bound| bound.saturating_add(1));
    Ok(inclusive.into_iter().chain(exclusive).max())
}

/// The largest value `maximum` and `exclusiveMaximum` allow.
fn upper_bound(schema: &Found<'_>) -> Result<Option<u64>, ManifestError> {
    let inclusive = integer(schema, "maximum")?;
    let exclusive = match integer(schema, "exclusiveMaximum")? {
        Some(0) => {
            return Err(wrong(
                schema.child("exclusiveMaximum"),
                "an exclusive maximum of 0 allows no page",
            ));
        }
        bound => bound.map(|bound| bound - 1),
    };
    Ok(inclusive.into_iter().chain(exclusive).min())
}

/// The keyword `keyword` of `schema` as a non-negative integer (`25` or `25.0`).
fn integer(schema: &Found<'_>, keyword: &str) -> Result<Option<u64>, ManifestError> {
    let Some(value) = schema.value.get(keyword) else {
        return Ok(None);
    };
    let whole = value.as_u64().or_else(|| {
        value
            .as_f64()
            .filter(|number| number.fract() == 0.0 && *number >= 0.0 && *number < 1.8e19)
            .map(|number| number as u64)
    });
    whole.map(Some).ok_or_else(|| {
        wrong(
            schema.child(keyword),
            format!("must be a non-negative integer, not {value}"),
        )
    })
}

/// The largest page number or page size the mock accepts whatever the
/// manifest says: `pagination` holds 64-bit signed integers.
pub const LARGEST_PAGE_VALUE: u64 = i64::MAX.unsigned_abs();

/// The integers one query parameter accepts, and its value when absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegerBounds {
    /// The query parameter's name (`page_parameter` or `per_page_parameter`
    /// of the operation's `x-kimoby-pagination`).
    pub name: String,
    /// The smallest value (at least 1).
    pub minimum: u64,
    /// The largest value, if the manifest gives one.
    pub maximum: Option<u64>,
    /// The value when the parameter is absent.
    pub default: u64,
}

impl IntegerBounds {
    /// The largest value accepted: the manifest's maximum, or [`LARGEST_PAGE_VALUE`].
    pub fn largest(&self) -> u64 {
        self.maximum.unwrap_or(LARGEST_PAGE_VALUE).min(LARGEST_PAGE_VALUE)
    }
}

/// The bounds and defaults of `page` and `per_page` for one paginated list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageBounds {
    /// `page`.
    pub page: IntegerBounds,
    /// `per_page`.
    pub per_page: IntegerBounds,
}
