//! Query strings and the documented pagination: `page` (from 1) and `per_page`
//! (1 to 50, 25 by default); anything else is a 400.

use chrono::{DateTime, FixedOffset};
use kimoby_generated::types::Pagination;

use crate::error::{ApiError, ApiResult};

/// Items per page when `per_page` is not given.
pub const DEFAULT_PER_PAGE: u64 = 25;
/// The largest `per_page`.
pub const MAX_PER_PAGE: u64 = 50;

/// A decoded query string (`+` is a space, `%2B` a plus, as in any form encoding).
#[derive(Debug, Clone, Default)]
pub struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    /// Decodes a raw query string (without `?`).
    pub fn parse(raw: Option<&str>) -> Self {
        Self(
            raw.map(|raw| url::form_urlencoded::parse(raw.as_bytes()).into_owned().collect())
                .unwrap_or_default(),
        )
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// `name` as an RFC 3339 date, if present.
    pub fn date(&self, name: &str) -> ApiResult<Option<DateTime<FixedOffset>>> {
        self.get(name)
            .map(|raw| {
                DateTime::parse_from_rfc3339(raw)
                    .map_err(|_| ApiError::bad_request(format!("{name}: `{raw}` is not an RFC 3339 date-time")))
            })
            .transpose()
    }

    /// The page asked for.
    pub fn page(&self) -> ApiResult<PageRequest> {
        let number = |name: &str, default: u64| -> ApiResult<u64> {
            match self.get(name) {
                None => Ok(default),
                Some(raw) => raw
                    .trim()
                    .parse::<u64>()
                    .map_err(|_| ApiError::bad_request(format!("{name}: must be an integer greater than 0"))),
            }
        };
        let page = number("page", 1)?;
        if page == 0 || i64::try_from(page).is_err() {
            return Err(ApiError::bad_request("page: must be an integer greater than 0"));
        }
        let per_page = number("per_page", DEFAULT_PER_PAGE)?;
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            return Err(ApiError::bad_request(format!(
                "per_page: must be greater than 0 and less or equal to {MAX_PER_PAGE}"
            )));
        }
        Ok(PageRequest { page, per_page })
    }
}

/// A valid `page` and `per_page`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// From 1.
    pub page: u64,
    /// 1 to 50.
    pub per_page: u64,
}

impl PageRequest {
    /// The items of the page and the pagination of the whole collection.
    pub fn slice<T>(self, items: Vec<T>) -> (Vec<T>, Pagination) {
        let total = items.len() as u64;
        let pages = total.div_ceil(self.per_page);
        let skip = (self.page - 1).saturating_mul(self.per_page);
        let page: Vec<T> = items
            .into_iter()
            .skip(usize::try_from(skip).unwrap_or(usize::MAX))
            .take(usize::try_from(self.per_page).unwrap_or(usize::MAX))
            .collect();
        let signed = |value: u64| i64::try_from(value).unwrap_or(i64::MAX);
        let pagination = Pagination {
            page: signed(self.page),
            pages: signed(pages),
            items: signed(total),
            per_page: signed(self.per_page),
        };
        (page, pagination)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(raw: &str) -> ApiResult<PageRequest> {
        QueryParams::parse(Some(raw)).page()
    }

    #[test]
    fn defaults_bounds_and_slices() {
        assert_eq!(page("").ok(), Some(PageRequest { page: 1, per_page: 25 }));
        assert_eq!(
            page("page=2&per_page=50").ok(),
            Some(PageRequest { page: 2, per_page: 50 })
        );
        for bad in [
            "page=0",
            "per_page=0",
            "per_page=51",
            "page=-1",
            "page=x",
            "page=99999999999999999999",
        ] {
            assert!(page(bad).is_err(), "{bad}");
        }
        let (items, pagination) = PageRequest { page: 2, per_page: 2 }.slice(vec![1, 2, 3, 4, 5]);
        assert_eq!(items, vec![3, 4]);
        assert_eq!((pagination.pages, pagination.items), (3, 5));
        let (items, pagination) = PageRequest { page: 9, per_page: 25 }.slice(Vec::<u8>::new());
        assert!(items.is_empty());
        assert_eq!((pagination.page, pagination.pages), (9, 0));
        assert_eq!(QueryParams::parse(Some("a=%2B1&b=+1")).get("a"), Some("+1"));
        assert_eq!(QueryParams::parse(Some("a=%2B1&b=+1")).get("b"), Some(" 1"));
    }
}
