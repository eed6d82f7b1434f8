//! The client emitter: reads the typed [`crate::model::Api`] and
//! writes the client module of `kimoby-generated`, on top of the
//! hand-written runtime (`crate::runtime`), which the generated code only
//! declares against and calls, the way progenitor's output uses
//! `progenitor-client`.
//!
//! - `mod.rs`: the `Client` (a wrapper of the runtime's `Transport`, built
//!   with the manifest's first server as default base URL), its
//!   `ClientBuilder`, and the look-up types.
//! - one file per resource: the accessor on `Client`, the resource struct,
//!   and one builder per operation, which implements the runtime's
//!   `Operation` (and `ListOperation` for a paginated list) and gets
//!   `send()`, `.await` and `stream()` from `impl_operation!`.

mod builder;
mod resource;
mod tokens;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Api, Lookup};

/// Module documentation of the generated `client/mod.rs`.
const DOCS: &str = "The API client: one builder per operation of `schemas/openapi.json`, grouped
by resource, on top of the hand-written runtime in `crate::runtime`.";

/// One generated file of the client module.
pub struct ClientFile {
    /// File name inside the client folder: `mod.rs`, or `<resource>.rs`.
    pub name: String,
    /// Module documentation.
    pub docs: String,
    /// The file's items.
    pub tokens: TokenStream,
}

/// What the emitted docs need beyond the model.
#[derive(Debug, Clone)]
pub struct EmitSettings {
    /// The crate the generated code lives in, as doc examples name it.
    pub crate_name: String,
}

/// Builds the files of the client module: `mod.rs` and one file per
/// resource, so no file grows with the whole API.
pub fn emit(api: &Api, settings: &EmitSettings) -> Vec<ClientFile> {
    let mut files: Vec<ClientFile> = api
        .resources
        .iter()
        .map(|resource| resource::emit(resource, api, settings))
        .collect();
    files.push(ClientFile {
        name: "mod.rs".to_owned(),
        docs: DOCS.to_owned(),
        tokens: root(api, settings),
    });
    files.sort_by(|left, right| left.name.cmp(&right.name));
    files
}

/// `mod.rs`: the modules, `Client`, `ClientBuilder`, the look-up types.
fn root(api: &Api, settings: &EmitSettings) -> TokenStream {
    let modules: Vec<_> = api
        .resources
        .iter()
        .map(|resource| format_ident!("{}", resource.accessor))
        .collect();
    let base_url = &api.default_base_url;
    let crate_name = &settings.crate_name;
    let accessors: Vec<String> = api
        .resources
        .iter()
        .map(|resource| format!("`client.{}()`", resource.accessor))
        .collect();
    let client_doc = format!(
        "A client of the {}: one accessor per resource ({}), each returning the builders of its \
         operations.\n\nCheap to clone (clones share the connection pool), safe to share between tasks; \
         its `Debug` output never shows the API secret.\n\n```no_run\nlet client = {crate_name}::Client::builder(\"api-key\", \
         \"api-secret\").build()?;\n# Ok::<(), {crate_name}::Error>(())\n```",
        api.title,
        accessors.join(", ")
    );
    let base_url_doc = format!(
        "The server the client talks to unless [`ClientBuilder::base_url`](crate::runtime::ClientBuilder::base_url) \
         says otherwise: `{base_url}`, the first of the manifest's `servers`."
    );
    let lookups = api.lookups.values().map(lookup);
    quote! {
        use crate::runtime;

        #(mod #modules;)*
        #(pub use #modules::*;)*

        #[doc = #base_url_doc]
        pub const DEFAULT_BASE_URL: &str = #base_url;

        #[doc = #client_doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: runtime::Transport,
        }

        /// Settings for a [`Client`]: timeouts, retries, base URL, user agent
        /// (see [`runtime::ClientBuilder`]).
        pub type ClientBuilder = runtime::ClientBuilder<Client>;

        impl Client {
            /// A builder for a client of [`DEFAULT_BASE_URL`] with the account's API key and secret
            /// (sent as HTTP Basic authentication on every request).
            pub fn builder(
                api_key: impl Into<String>,
                api_secret: impl Into<String>,
            ) -> ClientBuilder {
                ClientBuilder::new(DEFAULT_BASE_URL, api_key, api_secret)
            }

            /// The transport every request goes through: its base URL and settings, and
            /// [`execute_json`](runtime::Transport::execute_json) for requests described by hand.
            pub fn transport(&self) -> &runtime::Transport {
                &self.transport
            }
        }

        impl runtime::ApiClient for Client {
            fn from_transport(transport: runtime::Transport) -> Self {
                Self { transport }
            }
        }

        #(#lookups)*
    }
}

/// A look-up type: its variants and constructors, and its `Lookup` impl.
fn lookup(lookup: &Lookup) -> TokenStream {
    let type_name = format_ident!("{}", lookup.type_name);
    let doc = format!(
        "How to find one {}: by the id in the path, or by one of the other unique keys (sent in the \
         query string of `{}`, percent-encoded).",
        lookup.record_type, lookup.collection_path
    );
    let id_doc = format!("The `{}` sent in the path.", lookup.path_parameter);
    let mut variants = vec![quote! {
        #[doc = #id_doc]
        Id(String),
    }];
    let mut constructors = vec![quote! {
        /// By the id in the path.
        pub fn id(id: impl Into<String>) -> Self {
            Self::Id(id.into())
        }
    }];
    let mut keys = vec![quote! {
        Self::Id(value) => runtime::LookupKey::Path(value),
    }];
    for variant in &lookup.variants {
        let name = format_ident!("{}", variant.variant);
        let constructor = format_ident!("{}", variant.constructor);
        let wire = &variant.wire;
        let variant_doc = variant
            .description
            .clone()
            .unwrap_or_else(|| format!("By `{wire}`, sent in the query string."));
        let constructor_doc = format!("By `{wire}` (sent as `?{wire}=…`).");
        variants.push(quote! {
            #[doc = #variant_doc]
            #name(String),
        });
        constructors.push(quote! {
            #[doc = #constructor_doc]
            pub fn #constructor(value: impl Into<String>) -> Self {
                Self::#name(value.into())
            }
        });
        keys.push(quote! {
            Self::#name(value) => runtime::LookupKey::Query { name: #wire, value },
        });
    }
    let collection = &lookup.collection_path;
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #type_name {
            #(#variants)*
        }

        impl #type_name {
            #(#constructors)*
        }

        impl runtime::Lookup for #type_name {
            const COLLECTION_PATH: &'static str = #collection;

            fn key(&self) -> runtime::LookupKey<'_> {
                match self {
                    #(#keys)*
                }
            }
        }
    }
}
