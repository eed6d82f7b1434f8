//! Paginated lists: validated [`PageRequest`]s, the [`PaginationInfo`] the
//! server returns, and [`paginate`], a stream over every item of a list.
//!
//! The Kimoby API pages its collections with `page` (1 or more) and
//! `per_page` (1 to 50, 25 by default) and answers with
//! `"pagination": {"page", "pages", "items", "per_page"}`.

use std::future::Future;

use futures_core::Stream;

use super::error::{Error, InvalidRequestReason};

/// The largest `per_page` the API accepts, and the one [`paginate`] uses.
pub const MAX_PER_PAGE: u8 = 50;

/// The API's `per_page` when none is given.
pub const DEFAULT_PER_PAGE: u8 = 25;

/// A valid `page` (1 or more) and `per_page` (1 to [`MAX_PER_PAGE`]).
///
/// ```
/// use kimoby_generated::runtime::PageRequest;
///
/// let page = PageRequest::new(2, 50)?;
/// assert_eq!((page.page(), page.per_page()), (2, 50));
/// assert!(PageRequest::new(0, 25).is_err());
/// assert!(PageRequest::new(1, 51).is_err());
/// # Ok::<(), kimoby_generated::runtime::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageRequest {
    page: u32,
    per_page: u8,
}

impl Default for PageRequest {
    /// Page 1, [`DEFAULT_PER_PAGE`] items.
    fn default() -> Self {
        Self {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl PageRequest {
    /// Checks `page` and `per_page` before anything is sent.
    pub fn new(page: u32, per_page: u8) -> Result<Self, Error> {
        let invalid = |reason| Error::invalid(None, reason);
        Self::check_page(u64::from(page)).map_err(invalid)?;
        Self::check_per_page(u64::from(per_page)).map_err(invalid)?;
        Ok(Self { page, per_page })
    }

    /// The first page with [`MAX_PER_PAGE`] items: the fewest requests.
    pub fn first_max() -> Self {
        Self {
            page: 1,
            per_page: MAX_PER_PAGE,
        }
    }

    /// The page number, 1 or more.
    pub fn page(&self) -> u32 {
        self.page
    }

    /// Items per page, 1 to [`MAX_PER_PAGE`].
    pub fn per_page(&self) -> u8 {
        self.per_page
    }

    pub(crate) fn check_page(page: u64) -> Result<(), InvalidRequestReason> {
        if page >= 1 {
            Ok(())
        } else {
            Err(InvalidRequestReason::Page(page))
        }
    }

    pub(crate) fn check_per_page(per_page: u64) -> Result<(), InvalidRequestReason> {
        if (1..=u64::from(MAX_PER_PAGE)).contains(&per_page) {
            Ok(())
        } else {
            Err(InvalidRequestReason::PerPage(per_page))
        }
    }
}

/// The `pagination` object of a list response.
///
/// The generated [`types::Pagination`](crate::types::Pagination) converts
/// into it (`From`), so that [`paginate`] can follow any list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PaginationInfo {
    /// The page this response holds, from 1.
    pub page: u64,
    /// How many pages the list has.
    pub pages: u64,
    /// How many items the list has.
    pub items: u64,
    /// Items per page.
    pub per_page: u64,
}

impl PaginationInfo {
    /// From signed integers, as a generated type may hold them; a negative
    /// value becomes 0, which [`paginate`] then treats as inconsistent or
    /// as the end.
    pub fn from_signed(page: i64, pages: i64, items: i64, per_page: i64) -> Self {
        let u = |v: i64| u64::try_from(v).unwrap_or(0);
        Self {
            page: u(page),
            pages: u(pages),
            items: u(items),
            per_page: u(per_page),
        }
    }
}

impl From<crate::types::Pagination> for PaginationInfo {
    fn from(p: crate::types::Pagination) -> Self {
        Self::from_signed(p.page, p.pages, p.items, p.per_page)
    }
}

impl From<&crate::types::Pagination> for PaginationInfo {
    fn from(p: &crate::types::Pagination) -> Self {
        Self::from_signed(p.page, p.pages, p.items, p.per_page)
    }
}

/// Every item of a paginated list, fetching [`MAX_PER_PAGE`] items a
/// request from page 1. See [`paginate_from`].
///
/// ```no_run
/// use futures_util::TryStreamExt;
/// use kimoby_generated::runtime::{paginate, Client, Method, PageRequest, PaginationInfo, RequestSpec};
///
/// #[derive(serde::Deserialize)]
/// struct Pagination { page: u64, pages: u64, items: u64, per_page: u64 }
/// #[derive(serde::Deserialize)]
/// struct Customers { customers: Vec<serde_json::Value>, pagination: Pagination }
///
/// # async fn demo(client: Client) -> Result<(), kimoby_generated::runtime::Error> {
/// let customers = paginate("list_customers", |page, per_page| {
///     let client = client.clone();
///     async move {
///         let spec = RequestSpec::new("list_customers", Method::Get, "/customers")
///             .page(PageRequest::new(page, per_page)?);
///         let list: Customers = client.execute_json(spec).await?;
///         let p = list.pagination;
///         let info = PaginationInfo { page: p.page, pages: p.pages, items: p.items, per_page: p.per_page };
///         Ok((list.customers, info))
///     }
/// });
/// let all: Vec<serde_json::Value> = customers.try_collect().await?;
/// # Ok(())
/// # }
/// ```
pub fn paginate<T, P, F, Fut>(operation_id: &'static str, fetch: F) -> impl Stream<Item = Result<T, Error>>
where
    F: FnMut(u32, u8) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, P), Error>>,
    P: Into<PaginationInfo>,
{
    paginate_from(operation_id, PageRequest::first_max(), fetch)
}

/// Every item of a paginated list from `start` on, as a stream.
///
/// `fetch(page, per_page)` requests one page; the next page is requested
/// only once every item of the current one was taken, so at most one page
/// is held in memory. The stream follows `pagination.pages` and ends after
/// the last page. It yields one [`Error`] and ends:
///
/// - when `fetch` fails (the error as it is; retries happen inside it);
/// - with [`Error::Pagination`] when the server's answers cannot be
///   followed safely: a `page` other than the one requested, a page count
///   that moves away from the first one by more than 10% (at least 1 page)
///   while listing, more pages than a `u32` holds, or an empty page before
///   the last one.
///
/// So it never loops forever: it makes at most `first pages + 10% + 1`
/// requests. An empty list (`pages` 0 or 1, no items) is an empty stream.
pub fn paginate_from<T, P, F, Fut>(
    operation_id: &'static str,
    start: PageRequest,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>>
where
    F: FnMut(u32, u8) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, P), Error>>,
    P: Into<PaginationInfo>,
{
    let state = State {
        fetch,
        buffer: Vec::new().into_iter(),
        next: Some(start.page),
        per_page: start.per_page,
        bounds: None,
    };
    futures_util::stream::unfold(state, move |mut state| async move {
        loop {
            if let Some(item) = state.buffer.next() {
                return Some((Ok(item), state));
            }
            let page = state.next.take()?;
            let fail = |reason: String| Error::Pagination {
                operation_id,
                page: u64::from(page),
                reason,
            };
            let (items, info) = match (state.fetch)(page, state.per_page).await {
                Ok((items, info)) => (items, info.into()),
                Err(err) => return Some((Err(err), state)),
            };
            match state.check(page, items.is_empty(), &info) {
                Ok(next) => state.next = next,
                Err(reason) => return Some((Err(fail(reason)), state)),
            }
            state.buffer = items.into_iter();
        }
    })
}

/// The stream behind every generated `stream()` method: every item of the
/// list operation `operation_id`, from `page` (default 1) with `per_page`
/// items a request (default [`MAX_PER_PAGE`], the fewest requests), as
/// [`paginate_from`] fetches them. A refused `page` or `per_page` is the
/// stream's one error, naming the operation, and nothing is sent.
pub fn list_stream<T, P, F, Fut>(
    operation_id: &'static str,
    page: Option<u32>,
    per_page: Option<u8>,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>>
where
    F: FnMut(u32, u8) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, P), Error>>,
    P: Into<PaginationInfo>,
{
    let start = PageRequest::new(page.unwrap_or(1), per_page.unwrap_or(MAX_PER_PAGE)).map_err(|error| match error {
        Error::InvalidRequest { reason, .. } => Error::invalid(Some(operation_id), reason),
        other => other,
    });
    match start {
        Ok(start) => futures_util::future::Either::Left(paginate_from(operation_id, start, fetch)),
        Err(error) => futures_util::future::Either::Right(futures_util::stream::once(std::future::ready(Err(error)))),
    }
}

struct State<T, F> {
    fetch: F,
    buffer: std::vec::IntoIter<T>,
    /// The page to request once `buffer` is empty; `None` when done.
    next: Option<u32>,
    per_page: u8,
    /// `(lowest, highest)` page count accepted, from the first response.
    bounds: Option<(u64, u64)>,
}

impl<T, F> State<T, F> {
    /// Checks one response; returns the page to request after it.
    fn check(&mut self, page: u32, empty: bool, info: &PaginationInfo) -> Result<Option<u32>, String> {
        if info.page != u64::from(page) {
            return Err(format!("requested page {page}, the server answered page {}", info.page));
        }
        let (low, high) = *self.bounds.get_or_insert_with(|| {
            let drift = 1 + info.pages / 10;
            (info.pages.saturating_sub(drift), info.pages.saturating_add(drift))
        });
        if info.pages < low || info.pages > high {
            return Err(format!(
                "the page count moved to {} while listing (accepted {low} to {high})",
                info.pages
            ));
        }
        if u64::from(page) >= info.pages {
            return Ok(None);
        }
        if empty {
            return Err(format!("page {page} of {} is empty", info.pages));
        }
        match page.checked_add(1) {
            Some(next) => Ok(Some(next)),
            None => Err(format!("{} pages do not fit in a u32 page number", info.pages)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(page: u64, pages: u64) -> PaginationInfo {
        PaginationInfo {
            page,
            pages,
            items: 0,
            per_page: 50,
        }
    }

    fn state() -> State<(), ()> {
        State {
            fetch: (),
            buffer: Vec::new().into_iter(),
            next: None,
            per_page: 50,
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
    }

    #[test]
    fn generated_pagination_converts() {
        let p = crate::types::Pagination {
            page: 2,
            pages: 3,
            items: 110,
            per_page: 50,
        };
        assert_eq!(
            PaginationInfo::from(&p),
            PaginationInfo {
                page: 2,
                pages: 3,
                items: 110,
                per_page: 50
            }
        );
        let negative = crate::types::Pagination { page: -1, ..p };
        assert_eq!(PaginationInfo::from(negative).page, 0);
    }

    #[test]
    fn page_numbers_validated() {
        assert!(PageRequest::new(1, 1).is_ok());
        assert!(PageRequest::new(u32::MAX, 50).is_ok());
        assert!(matches!(
            PageRequest::new(0, 10),
            Err(Error::InvalidRequest {
                reason: InvalidRequestReason::Page(0),
                ..
            })
        ));
        assert!(matches!(
            PageRequest::new(1, 0),
            Err(Error::InvalidRequest {
                reason: InvalidRequestReason::PerPage(0),
                ..
            })
        ));
    }
}
