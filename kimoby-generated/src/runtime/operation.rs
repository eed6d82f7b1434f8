//! What a generated operation builder declares, and what it gets for it.
//!
//! A builder implements [`Operation`] (the transport it sends with, and the
//! [`RequestSpec`] built from its values); a paginated list also implements
//! [`ListOperation`] (its [`Pagination`], and where the items and the page
//! counts are in a page). One line of the generated code,
//! `impl_operation!(Builder => Response)`, then gives it `send()` and
//! `IntoFuture` (so `.await` sends it) and, for a list, `stream()`: the
//! sending, paging and error handling live here, once, and the generated
//! code only declares.

use futures_core::Stream;
use serde::de::DeserializeOwned;

use super::client::Transport;
use super::error::Error;
use super::pagination::{Page, PageSelection, Pagination, paginate_from};
use super::request::RequestSpec;

/// One operation of the API, as a generated builder declares it.
pub trait Operation: Send + 'static {
    /// The operation id of the manifest: in errors and traces.
    const OPERATION_ID: &'static str;

    /// The transport the builder sends with.
    fn transport(&self) -> &Transport;

    /// The request, built from the builder's values. For a list, without
    /// its page and page size: see [`ListOperation::selected_page`].
    fn request(&self) -> Result<RequestSpec, Error>;
}

/// A paginated list operation (`x-kimoby-pagination` in the manifest).
pub trait ListOperation: Operation + Clone + Sync {
    /// What one page decodes into.
    type List: DeserializeOwned + Send;
    /// One item of the list.
    type Item: Send + 'static;
    /// The page parameters and their bounds.
    const PAGINATION: Pagination;

    /// The page and page size set on the builder, if any.
    fn selected_page(&self) -> PageSelection;

    /// The items of a page, and its page number and page count.
    fn into_page(list: Self::List) -> Page<Self::Item>;
}

/// Sends `operation` and decodes the JSON answer. What the generated
/// `send()` calls.
pub async fn send_json<O: Operation, T: DeserializeOwned>(operation: O) -> Result<T, Error> {
    let spec = operation.request()?;
    operation.transport().execute_json(spec).await
}

/// Sends `operation`; the answer has no body.
pub async fn send_empty<O: Operation>(operation: O) -> Result<(), Error> {
    let spec = operation.request()?;
    operation.transport().execute_empty(spec).await
}

/// Sends one page of the list `operation`: the page and page size set on
/// it (checked against [`ListOperation::PAGINATION`]), or the server's
/// defaults.
pub async fn send_page<L: ListOperation>(operation: L) -> Result<L::List, Error> {
    let selected = operation.selected_page();
    let spec = L::PAGINATION.apply(operation.request()?, selected.page, selected.per_page)?;
    operation.transport().execute_json(spec).await
}

/// The stream behind every generated `stream()` method: every item of
/// `list`, from its page (else [`Pagination::first_page`]) with its page
/// size (else [`Pagination::stream_per_page`]), as [`paginate_from`] fetches
/// them. A refused page or page size is the stream's one error, naming the
/// operation, and nothing is sent.
pub fn list_stream<L: ListOperation>(list: L) -> impl Stream<Item = Result<L::Item, Error>> + Send + 'static {
    let pagination = L::PAGINATION;
    let selected = list.selected_page();
    let first_page = selected.page.unwrap_or_else(|| pagination.first_page());
    let per_page = selected.per_page.or_else(|| pagination.stream_per_page());
    let checked = pagination
        .page
        .check(first_page)
        .and_then(|()| per_page.map_or(Ok(()), |per_page| pagination.per_page.check(per_page)));
    match checked {
        Ok(()) => futures_util::future::Either::Left(paginate_from(L::OPERATION_ID, first_page, move |page| {
            let list = list.clone();
            async move {
                let spec = pagination.apply(list.request()?, Some(page), per_page)?;
                let answer: L::List = list.transport().execute_json(spec).await?;
                let page = L::into_page(answer);
                Ok((page.items, page.info))
            }
        })),
        Err(reason) => futures_util::future::Either::Right(futures_util::stream::once(std::future::ready(Err(
            Error::invalid(Some(L::OPERATION_ID), reason),
        )))),
    }
}

/// Gives a generated builder that implements [`Operation`] (and, with
/// `list`, [`ListOperation`]) its `send()`, its `IntoFuture` and, for a
/// list, its `stream()`:
///
/// - `impl_operation!(Builder => ())`: the answer has no body;
/// - `impl_operation!(Builder => list Type)`: a paginated list, whose one
///   page decodes as `Type`;
/// - `impl_operation!(Builder => Type)`: the answer decodes as `Type`.
///
/// `send()` returns the runtime function's future itself rather than being
/// an `async fn` that awaits it: an `async` wrapper would be one more future
/// layer, whose whole state (over a kilobyte, the request in flight
/// included) is copied when the call is made, about 400 instructions a call.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_operation {
    ($builder:ident => ()) => {
        impl $builder {
            /// Sends the request; the server answers without a body.
            ///
            /// Failures are [`Error`](crate::runtime::Error)s; retries follow
            /// the client's [`RetryPolicy`](crate::runtime::RetryPolicy).
            pub fn send(
                self,
            ) -> impl ::core::future::Future<Output = ::core::result::Result<(), $crate::runtime::Error>> + Send + 'static
            {
                $crate::runtime::send_empty(self)
            }
        }
        $crate::runtime::impl_operation!(@into_future $builder => ());
    };
    ($builder:ident => list $list:ty) => {
        impl $builder {
            /// Sends the request for one page (the one set with `page`, else
            /// the server's first) and decodes it.
            ///
            /// Failures are [`Error`](crate::runtime::Error)s; retries follow
            /// the client's [`RetryPolicy`](crate::runtime::RetryPolicy).
            pub fn send(
                self,
            ) -> impl ::core::future::Future<Output = ::core::result::Result<$list, $crate::runtime::Error>> + Send + 'static
            {
                $crate::runtime::send_page(self)
            }

            /// Every item of the list, page after page, from the page set
            /// with `page` (else the first), with the page size set with
            /// `per_page` (else the largest the API allows: the fewest
            /// requests). At most one page is held in memory; the stream ends
            /// with an error if the server's page counts cannot be followed
            /// safely (see [`paginate_from`](crate::runtime::paginate_from)).
            ///
            /// The stream is not `Unpin`: pin it (`std::pin::pin!`) before
            /// calling `next()`.
            pub fn stream(
                self,
            ) -> impl $crate::runtime::Stream<
                Item = ::core::result::Result<<Self as $crate::runtime::ListOperation>::Item, $crate::runtime::Error>,
            > + Send
            + 'static {
                $crate::runtime::list_stream(self)
            }
        }
        $crate::runtime::impl_operation!(@into_future $builder => $list);
    };
    ($builder:ident => $output:ty) => {
        impl $builder {
            /// Sends the request and decodes the answer.
            ///
            /// Failures are [`Error`](crate::runtime::Error)s; retries follow
            /// the client's [`RetryPolicy`](crate::runtime::RetryPolicy).
            pub fn send(
                self,
            ) -> impl ::core::future::Future<Output = ::core::result::Result<$output, $crate::runtime::Error>> + Send + 'static
            {
                $crate::runtime::send_json(self)
            }
        }
        $crate::runtime::impl_operation!(@into_future $builder => $output);
    };
    (@into_future $builder:ident => $output:ty) => {
        impl ::core::future::IntoFuture for $builder {
            type Output = ::core::result::Result<$output, $crate::runtime::Error>;
            type IntoFuture = ::core::pin::Pin<
                ::std::boxed::Box<dyn ::core::future::Future<Output = Self::Output> + Send>,
            >;

            /// `.await` on the builder is `.send().await`.
            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    };
}

#[doc(inline)]
pub use crate::__impl_operation as impl_operation;
