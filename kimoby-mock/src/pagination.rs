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
        Pagination {
            page: signed(self.page),
            pages: signed(total.div_ceil(self.per_page)),
            items: signed(total),
            per_page: signed(self.per_page),
        }
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
