//! The bounds of `page` and `per_page` of a paginated list
//! (`x-kimoby-pagination`): the contract model gives each page parameter's
//! `minimum`, `maximum` (exclusive bounds folded in) and `default`; the mock
//! also needs a default, and pages and page sizes that count from 1.

use kimoby_contract::{PageParameter, Pagination};

use super::ManifestError;

/// The bounds of a paginated operation's page parameters.
pub(super) fn page_bounds(pagination: &Pagination) -> Result<PageBounds, ManifestError> {
    Ok(PageBounds {
        page: parameter_bounds(&pagination.page)?,
        per_page: parameter_bounds(&pagination.per_page)?,
    })
}

/// The bounds of one page parameter.
fn parameter_bounds(parameter: &PageParameter) -> Result<IntegerBounds, ManifestError> {
    let name = &parameter.name;
    let schema = parameter.source.child("schema");
    let wrong = |keyword: &str, problem: String| ManifestError::at(&schema.child(keyword), problem);
    let integer = &parameter.integer;
    // The contract refuses a page parameter without a minimum of 0 or more.
    let minimum = integer.minimum.and_then(whole).unwrap_or_default();
    if minimum == 0 {
        return Err(wrong(
            "minimum",
            format!("`{name}` must have a minimum of at least 1: pages and page sizes count from 1"),
        ));
    }
    let maximum = integer.maximum.map(|maximum| whole(maximum).unwrap_or(u64::MAX));
    let default = integer.default.and_then(whole).ok_or_else(|| {
        wrong(
            "default",
            format!("`{name}` needs a `default`: the value used when the parameter is absent"),
        )
    })?;
    Ok(IntegerBounds {
        name: name.clone(),
        minimum,
        maximum,
        default,
    })
}

/// `value` as a `u64`, if it is one.
fn whole(value: i128) -> Option<u64> {
    u64::try_from(value).ok()
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
