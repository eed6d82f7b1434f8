//! Query strings and pagination: `page` and `per_page` within the bounds the
//! manifest gives each paginated list ([`PageBounds`], read by
//! [`crate::contract`]); anything else is a 400.

use chrono::{DateTime, FixedOffset};
use kimoby_generated::types::{Pagination, PaginationRequired};

pub use crate::contract::{IntegerBounds, LARGEST_PAGE_VALUE, PageBounds};
use crate::domain::error::{ApiError, ApiResult};

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

    /// The page asked for, within `bounds`.
    pub fn page(&self, bounds: &PageBounds) -> ApiResult<PageRequest> {
        let page = read_bounded(&bounds.page, self)?;
        let per_page = read_bounded(&bounds.per_page, self)?;
        Ok(PageRequest { page, per_page })
    }
}

/// `name` read from `query`: the default when absent, a 400 saying the
/// bounds when it is not an integer within them.
fn read_bounded(bounds: &IntegerBounds, query: &QueryParams) -> ApiResult<u64> {
    let name = bounds.name.as_str();
    let Some(raw) = query.get(name) else {
        return Ok(bounds.default);
    };
    let bad = |maximum: Option<u64>| ApiError::bad_request(format!("{name}: {}", requirement(bounds, maximum)));
    match raw.trim().parse::<u64>() {
        Ok(value) if (bounds.minimum..=bounds.largest()).contains(&value) => Ok(value),
        // Past the largest value a page can have: say that bound.
        Ok(value) if value > bounds.largest() => Err(bad(Some(bounds.largest()))),
        _ => Err(bad(bounds.maximum)),
    }
}

/// `must be an integer greater than 0 and less or equal to 50`.
fn requirement(bounds: &IntegerBounds, maximum: Option<u64>) -> String {
    let above = bounds.minimum.saturating_sub(1);
    match maximum {
        Some(maximum) => format!("must be an integer greater than {above} and less or equal to {maximum}"),
        None => format!("must be an integer greater than {above}"),
    }
}

/// A valid `page` and `per_page`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// From 1.
    pub page: u64,
    /// From 1.
    pub per_page: u64,
}

impl PageRequest {
    /// The page of a collection of `total` items that can be read from any
    /// position (a whole table, oldest first), and the pagination of the
    /// collection: `items_from(n)` gives the items from the `n`-th (0 for the
    /// first) on, and only the page's items are taken from it.
    ///
    /// Give references and clone or convert only what comes back, so that a
    /// page costs the same whatever page it is.
    pub fn select_page_from<I: Iterator>(
        self,
        total: usize,
        items_from: impl FnOnce(usize) -> I,
    ) -> (Vec<I::Item>, Pagination) {
        let first = self.items_before();
        let page = if first < total {
            items_from(first).take(self.items_per_page()).collect()
        } else {
            Vec::new()
        };
        (page, self.pagination(total))
    }

    /// The page of the items an iterator yields (a filtered table), and the
    /// pagination of all of them: every item is looked at, the items before
    /// the page are stepped over and those after it counted, not collected.
    /// As for [`PageRequest::select_page_from`], give references.
    pub fn select_page_counting_matches<I: Iterator>(self, mut items: I) -> (Vec<I::Item>, Pagination) {
        let before = items.by_ref().take(self.items_before()).count();
        let page: Vec<I::Item> = items.by_ref().take(self.items_per_page()).collect();
        let after = items.count();
        let total = before + page.len() + after;
        (page, self.pagination(total))
    }

    /// How many items come before this page.
    fn items_before(self) -> usize {
        let before = (self.page - 1).saturating_mul(self.per_page);
        usize::try_from(before).unwrap_or(usize::MAX)
    }

    fn items_per_page(self) -> usize {
        usize::try_from(self.per_page).unwrap_or(usize::MAX)
    }

    /// `pagination` for a collection of `total` items.
    fn pagination(self, total: usize) -> Pagination {
        let total = u64::try_from(total).unwrap_or(u64::MAX);
        let signed = |value: u64| i64::try_from(value).unwrap_or(i64::MAX);
        Pagination::new(PaginationRequired {
            page: signed(self.page),
            pages: signed(total.div_ceil(self.per_page)),
            items: signed(total),
            per_page: signed(self.per_page),
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The bounds of the embedded manifest: `page` from 1, `per_page` 1 to 50, 25 by default
    /// (`contract::tests` checks the manifest gives them).
    pub(crate) fn documented() -> PageBounds {
        PageBounds {
            page: IntegerBounds {
                name: "page".to_owned(),
                minimum: 1,
                maximum: None,
                default: 1,
            },
            per_page: IntegerBounds {
                name: "per_page".to_owned(),
                minimum: 1,
                maximum: Some(50),
                default: 25,
            },
        }
    }

    fn page(raw: &str) -> ApiResult<PageRequest> {
        QueryParams::parse(Some(raw)).page(&documented())
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
        let items = [1, 2, 3, 4, 5];
        let (items, pagination) =
            PageRequest { page: 2, per_page: 2 }.select_page_from(5, |first| items[first..].iter());
        assert_eq!(items, vec![&3, &4]);
        assert_eq!((pagination.pages, pagination.items), (3, 5));
        let (items, pagination) =
            PageRequest { page: 9, per_page: 25 }.select_page_from(0, |first| std::iter::empty::<u8>().skip(first));
        assert!(items.is_empty());
        assert_eq!((pagination.page, pagination.pages), (9, 0));
        assert_eq!(QueryParams::parse(Some("a=%2B1&b=+1")).get("a"), Some("+1"));
        assert_eq!(QueryParams::parse(Some("a=%2B1&b=+1")).get("b"), Some(" 1"));
    }

    #[test]
    fn other_bounds_and_messages_that_say_them() {
        assert_eq!(
            page("per_page=51").unwrap_err().to_string(),
            "per_page: must be an integer greater than 0 and less or equal to 50"
        );
        assert_eq!(
            page("page=0").unwrap_err().to_string(),
            "page: must be an integer greater than 0"
        );
        let wide = PageBounds {
            page: IntegerBounds {
                name: "page".to_owned(),
                minimum: 2,
                maximum: None,
                default: 3,
            },
            per_page: IntegerBounds {
                name: "per_page".to_owned(),
                minimum: 1,
                maximum: Some(100),
                default: 30,
            },
        };
        let read = |raw: &str| QueryParams::parse(Some(raw)).page(&wide);
        assert_eq!(read("").ok(), Some(PageRequest { page: 3, per_page: 30 }));
        assert_eq!(read("per_page=100").ok(), Some(PageRequest { page: 3, per_page: 100 }));
        assert_eq!(
            read("page=1").unwrap_err().to_string(),
            "page: must be an integer greater than 1"
        );
        assert_eq!(
            read("per_page=101").unwrap_err().to_string(),
            "per_page: must be an integer greater than 0 and less or equal to 100"
        );
        assert_eq!(
            read("page=9223372036854775807").ok().map(|request| request.page),
            Some(LARGEST_PAGE_VALUE)
        );
        assert_eq!(
            read("page=9223372036854775808").unwrap_err().to_string(),
            "page: must be an integer greater than 1 and less or equal to 9223372036854775807"
        );
    }

    /// The page and the pagination (`page`, `pages`, `items`, `per_page`) as
    /// slicing the whole list would give them.
    fn expected_page(items: &[u32], request: PageRequest) -> (Vec<u32>, [i64; 4]) {
        let per_page = usize::try_from(request.per_page).unwrap();
        let page = usize::try_from(request.page).unwrap();
        let items_of_page = items
            .chunks(per_page)
            .nth(page - 1)
            .map(<[u32]>::to_vec)
            .unwrap_or_default();
        let total = items.len();
        let signed = |value: usize| i64::try_from(value).unwrap();
        (
            items_of_page,
            [
                signed(page),
                signed(total.div_ceil(per_page)),
                signed(total),
                signed(per_page),
            ],
        )
    }

    fn as_array(pagination: &Pagination) -> [i64; 4] {
        [pagination.page, pagination.pages, pagination.items, pagination.per_page]
    }

    #[test]
    fn every_page_of_a_whole_or_filtered_list_is_the_slice_of_it() {
        let all: Vec<u32> = (0..1_000).collect();
        let multiples_of_three: Vec<u32> = all.iter().copied().filter(|n| n % 3 == 0).collect();
        let largest_page = u64::try_from(i64::MAX).unwrap();
        for (page, per_page) in [
            (1, 50),
            (7, 50),
            (20, 50),
            (21, 50),
            (3, 7),
            (48, 7),
            (143, 7),
            (144, 7),
            (largest_page, 50),
        ] {
            let request = PageRequest { page, per_page };

            let (items, pagination) = request.select_page_from(all.len(), |first| all[first..].iter());
            let (expected_items, expected_pagination) = expected_page(&all, request);
            assert_eq!(
                items.into_iter().copied().collect::<Vec<_>>(),
                expected_items,
                "{request:?}"
            );
            assert_eq!(as_array(&pagination), expected_pagination, "{request:?}");

            let (items, pagination) = request.select_page_counting_matches(all.iter().filter(|n| *n % 3 == 0));
            let (expected_items, expected_pagination) = expected_page(&multiples_of_three, request);
            assert_eq!(
                items.into_iter().copied().collect::<Vec<_>>(),
                expected_items,
                "{request:?}"
            );
            assert_eq!(as_array(&pagination), expected_pagination, "{request:?}");
        }
    }
}
