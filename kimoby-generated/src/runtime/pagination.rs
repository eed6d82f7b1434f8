//! Paginated lists: the [`Pagination`] a generated list operation declares
//! (its page parameters and their bounds, read from the manifest), the
//! [`PageInfo`] a page answers with, and [`paginate_from`], a stream over
//! every item of a list.
//!
//! Nothing here names a parameter or a bound: the generated code passes them
//! as data, so a list with other page parameters works the same.

use std::future::Future;

use futures_core::Stream;

use super::error::Error;
use super::parameter::IntegerParameter;
use super::request::RequestSpec;

/// How a list operation pages: its page-number and page-size parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pagination {
    /// The page number parameter (`page`).
    pub page: IntegerParameter,
    /// The page size parameter (`per_page`).
    pub per_page: IntegerParameter,
}

impl Pagination {
    /// The page a stream starts from when none is set: the parameter's
    /// default, else its minimum, else 1.
    pub fn first_page(&self) -> i128 {
        self.page.default.or(self.page.minimum).unwrap_or(1)
    }

    /// The page size a stream asks for when none is set: the largest the API
    /// allows (the fewest requests), else its default; `None` sends none.
    pub fn stream_per_page(&self) -> Option<i128> {
        self.per_page.maximum.or(self.per_page.default)
    }

    /// Adds `page` and `per_page` to `spec` when given, after checking them.
    pub fn apply(
        &self,
        mut spec: RequestSpec,
        page: Option<i128>,
        per_page: Option<i128>,
    ) -> Result<RequestSpec, Error> {
        if let Some(page) = page {
            spec = spec.query_integer(&self.page, page)?;
        }
        if let Some(per_page) = per_page {
            spec = spec.query_integer(&self.per_page, per_page)?;
        }
        Ok(spec)
    }
}

/// What a page says of the list: the page it holds and how many there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PageInfo {
    /// The page this response holds.
    pub page: i128,
    /// How many pages the list has.
    pub pages: i128,
}

impl PageInfo {
    /// From the integer fields of a generated pagination type, whatever
    /// their width.
    pub fn new(page: impl Into<i128>, pages: impl Into<i128>) -> Self {
        Self {
            page: page.into(),
            pages: pages.into(),
        }
    }
}

/// Every item of a paginated list from `first_page` on, as a stream.
///
/// `fetch(page)` requests one page and returns its items and its
/// [`PageInfo`]; the next page is requested only once every item of the
/// current one was taken, so at most one page is held in memory. The
/// stream follows `pages` and ends after the last page. It yields one
/// [`Error`] and ends:
///
/// - when `fetch` fails (the error as it is; retries happen inside it);
/// - with [`Error::Pagination`] when the server's answers cannot be
///   followed safely: a page other than the one requested, a page count
///   that moves away from the first one by more than 10% (at least 1 page)
///   while listing, or an empty page before the last one.
///
/// So it never loops forever: it makes at most `first pages + 10% + 1`
/// requests. An empty list (`pages` 0 or 1, no items) is an empty stream.
///
/// ```no_run
/// use futures_util::TryStreamExt;
/// use kimoby_generated::runtime::{Method, PageInfo, RequestSpec, Transport, paginate_from};
///
/// #[derive(serde::Deserialize)]
/// struct Pagination { page: i64, pages: i64 }
/// #[derive(serde::Deserialize)]
/// struct Things { things: Vec<serde_json::Value>, pagination: Pagination }
///
/// # async fn demo(transport: Transport) -> Result<(), kimoby_generated::runtime::Error> {
/// let things = paginate_from("listThings", 1, |page| {
///     let transport = transport.clone();
///     async move {
///         let spec = RequestSpec::new("listThings", Method::Get, "/things").query("page", page.to_string());
///         let list: Things = transport.execute_json(spec).await?;
///         Ok((list.things, PageInfo::new(list.pagination.page, list.pagination.pages)))
///     }
/// });
/// let all: Vec<serde_json::Value> = things.try_collect().await?;
/// # Ok(())
/// # }
/// ```
pub fn paginate_from<T, F, Fut>(
    operation_id: &'static str,
    first_page: i128,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>>
where
    F: FnMut(i128) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, PageInfo), Error>>,
{
    let state = State {
        fetch,
        buffer: Vec::new().into_iter(),
        next: Some(first_page),
        bounds: None,
    };
    futures_util::stream::unfold(state, move |mut state| async move {
        loop {
            if let Some(item) = state.buffer.next() {
                return Some((Ok(item), state));
            }
            let page = state.next.take()?;
            let (items, info) = match (state.fetch)(page).await {
                Ok(answer) => answer,
                Err(err) => return Some((Err(err), state)),
            };
            match state.check(page, items.is_empty(), &info) {
                Ok(next) => state.next = next,
                Err(reason) => {
                    let error = Error::Pagination {
                        operation_id,
                        page,
                        reason,
                    };
                    return Some((Err(error), state));
                }
            }
            state.buffer = items.into_iter();
        }
    })
}

/// One page of a list: its items and what it says of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items of the page.
    pub items: Vec<T>,
    /// The page number and page count the server answered.
    pub info: PageInfo,
}

/// The page and page size set on a list builder, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PageSelection {
    /// The page to fetch.
    pub page: Option<i128>,
    /// Items per page.
    pub per_page: Option<i128>,
}

struct State<T, F> {
    fetch: F,
    buffer: std::vec::IntoIter<T>,
    /// The page to request once `buffer` is empty; `None` when done.
    next: Option<i128>,
    /// `(lowest, highest)` page count accepted, from the first response.
    bounds: Option<(i128, i128)>,
}

impl<T, F> State<T, F> {
    /// Checks one response; returns the page to request after it.
    fn check(&mut self, page: i128, empty: bool, info: &PageInfo) -> Result<Option<i128>, String> {
        if info.page != page {
            return Err(format!("requested page {page}, the server answered page {}", info.page));
        }
        let (low, high) = *self.bounds.get_or_insert_with(|| {
            let drift = 1 + info.pages.max(0) / 10;
            (info.pages.saturating_sub(drift), info.pages.saturating_add(drift))
        });
        if info.pages < low || info.pages > high {
            return Err(format!(
                "the page count moved to {} while listing (accepted {low} to {high})",
                info.pages
            ));
        }
        if page >= info.pages {
            return Ok(None);
        }
        if empty {
            return Err(format!("page {page} of {} is empty", info.pages));
        }
        match page.checked_add(1) {
            Some(next) => Ok(Some(next)),
            None => Err(format!("{} pages are more than a page number can count", info.pages)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::InvalidRequestReason;

    fn info(page: i128, pages: i128) -> PageInfo {
        PageInfo { page, pages }
    }

    fn state() -> State<(), ()> {
        State {
            fetch: (),
            buffer: Vec::new().into_iter(),
            next: None,
            bounds: None,
        }
    }

    #[test]
    fn follows_pages() {
        let mut s = state();
        assert_eq!(s.check(1, false, &info(1, 3)), Ok(Some(2)));
        assert_eq!(s.check(2, false, &info(2, 3)), Ok(Some(3)));
        assert_eq!(s.check(3, false, &info(3, 3)), Ok(None));
    }

    #[test]
    fn empty_list_ends() {
        assert_eq!(state().check(1, true, &info(1, 0)), Ok(None));
        assert_eq!(state().check(1, true, &info(1, 1)), Ok(None));
    }

    #[test]
    fn inconsistencies_are_errors() {
        assert!(state().check(1, false, &info(2, 3)).is_err());
        assert!(state().check(1, true, &info(1, 3)).is_err());
        let mut s = state();
        assert_eq!(s.check(1, false, &info(1, 3)), Ok(Some(2)));
        assert!(s.check(2, false, &info(2, 1_000_000)).is_err());
        let mut s = state();
        assert_eq!(s.check(1, false, &info(1, 30)), Ok(Some(2)));
        assert_eq!(s.check(2, false, &info(2, 34)), Ok(Some(3)));
        assert!(s.check(3, false, &info(3, 35)).is_err());
        assert!(s.check(3, false, &info(3, 25)).is_err());
        assert!(state().check(i128::MAX, false, &info(i128::MAX, i128::MAX)).is_ok());
    }

    const BOUNDED: IntegerParameter = IntegerParameter {
        name: "size",
        minimum: Some(1),
        maximum: Some(100),
        default: Some(30),
    };

    #[test]
    fn bounds_are_the_declared_ones() {
        assert!(BOUNDED.check(1).is_ok());
        assert!(BOUNDED.check(100).is_ok());
        assert_eq!(
            BOUNDED.check(101),
            Err(InvalidRequestReason::OutOfRange {
                parameter: "size",
                value: 101,
                minimum: Some(1),
                maximum: Some(100),
            })
        );
        assert!(BOUNDED.check(0).is_err());
        let unbounded = IntegerParameter {
            name: "n",
            minimum: None,
            maximum: None,
            default: None,
        };
        assert!(unbounded.check(i128::MIN).is_ok());
    }

    #[test]
    fn streams_start_where_the_declaration_says() {
        let pagination = Pagination {
            page: IntegerParameter {
                name: "p",
                minimum: Some(0),
                maximum: None,
                default: None,
            },
            per_page: BOUNDED,
        };
        assert_eq!(pagination.first_page(), 0);
        assert_eq!(pagination.stream_per_page(), Some(100));
        let without_maximum = Pagination {
            per_page: IntegerParameter {
                maximum: None,
                ..BOUNDED
            },
            ..pagination
        };
        assert_eq!(without_maximum.stream_per_page(), Some(30));
    }
}
