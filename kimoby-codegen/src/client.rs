//! The client emitter: one builder per manifest operation, grouped by resource
//! (the operation's tag), on top of the hand-written runtime
//! (`crate::runtime` in kimoby-generated), which the generated code only
//! imports, the way progenitor's output imports `progenitor-client`.
//!
//! For every operation it emits a builder struct with typed setters for the
//! optional parameters and `send()`; paginated lists (`x-kimoby-pagination`)
//! also get `stream()`. Operations that find a record by id *or* by a query
//! parameter (`x-kimoby-lookup`) take one typed look-up value; parameters that
//! go together (`x-kimoby-parameter-groups`) get one setter taking all of them.
//! Operations that must not be sent twice (`x-kimoby-repeatable: false`, the
//! creates) are sent not repeatable: never retried after the server may have
//! received them.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::bundle::{Bundle, DEFINITIONS_PREFIX};
use crate::error::{Error, Location, Result};
use crate::manifest::{Manifest, Operation, Parameter};

/// Module documentation of the generated client file.
pub const DOCS: &str = "The Kimoby API client: one builder per operation of `schemas/openapi.json`,
grouped by resource (`client.customers()`, `client.messages()`, …), on top of
the hand-written runtime in `crate::runtime`.";

/// One generated file of the client module.
pub struct ClientFile {
    /// File name inside the client folder: `mod.rs`, or `<resource>.rs`.
    pub name: String,
    /// Module documentation.
    pub docs: String,
    /// The file's items.
    pub tokens: TokenStream,
}

/// Builds the files of the client module: `mod.rs` (the look-up types) and
/// one file per resource (its accessor on `Client`, its struct and one builder
/// per operation), so no file grows with the whole API.
pub fn emit(manifest: &Manifest, document: &Value, bundle: &Bundle) -> Result<Vec<ClientFile>> {
    let context = Context { document, bundle };
    let mut resources: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
    for operation in &manifest.operations {
        resources.entry(operation.tag.clone()).or_default().push(operation);
    }
    let mut lookups: BTreeMap<String, TokenStream> = BTreeMap::new();
    let mut modules = Vec::new();
    let mut files = Vec::new();
    for (tag, operations) in &resources {
        let resource = Resource::new(tag, operations, &context)?;
        let accessor = resource.accessor();
        let module = resource.accessor_name.clone();
        let used_lookups: Vec<Ident> = resource
            .operations
            .iter()
            .filter_map(|operation| operation.lookup.as_ref().map(|lookup| lookup.type_name.clone()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let definition = resource.definition(&context, &mut lookups)?;
        files.push(ClientFile {
            name: format!("{module}.rs"),
            docs: format!(
                "The `{tag}` operations of the client: [`{}`] and its builders.",
                resource.struct_name
            ),
            tokens: quote! {
                use crate::runtime::{
                    Body, Client, Error, Method, MultipartFile, RequestSpec, encode_path_segment,
                };
                use crate::types;
                #(use super::#used_lookups;)*

                impl Client {
                    #accessor
                }

                #definition
            },
        });
        modules.push(module);
    }
    let lookups = lookups.into_values();
    files.push(ClientFile {
        name: "mod.rs".to_owned(),
        docs: DOCS.to_owned(),
        tokens: quote! {
            use crate::runtime::{Method, RequestSpec, encode_path_segment};

            #(mod #modules;)*
            #(pub use #modules::*;)*

            #(#lookups)*
        },
    });
    files.sort_by(|left, right| left.name.cmp(&right.name));
    Ok(files)
}

struct Context<'a> {
    document: &'a Value,
    bundle: &'a Bundle,
}

impl Context<'_> {
    /// The Rust type of a body that is a `$ref` to a schema file.
    fn body_type(&self, schema: &Value, location: &Location) -> Result<Ident> {
        let reference = schema.get("$ref").and_then(Value::as_str).unwrap_or_default();
        let file = reference.split('#').next().unwrap_or_default();
        let name = self.bundle.file_roots.get(file).ok_or_else(|| Error::Manifest {
            location: location.clone(),
            message: format!("the body must be a `$ref` to a schema file, found `{schema}`"),
        })?;
        Ok(format_ident!("{name}"))
    }

    /// The element type of the array property `items` of the list type `list`.
    fn item_type(&self, list: &Ident, items: &str, location: &Location) -> Result<Ident> {
        let reference = self
            .bundle
            .definitions
            .get(&list.to_string())
            .and_then(|definition| definition.schema.pointer(&format!("/properties/{items}/items/$ref")))
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix(DEFINITIONS_PREFIX))
            .ok_or_else(|| Error::Manifest {
                location: location.child("x-kimoby-pagination"),
                message: format!("`{list}` has no array property `{items}` of referenced items"),
            })?;
        Ok(format_ident!("{reference}"))
    }

    /// The description of the component query parameter called `name`.
    fn query_parameter_description(&self, name: &str) -> Option<String> {
        self.document
            .pointer("/components/parameters")?
            .as_object()?
            .values()
            .find(|parameter| parameter["name"] == name && parameter["in"] == "query")?
            .get("description")?
            .as_str()
            .map(str::to_owned)
    }

    fn tag_description(&self, tag: &str) -> Option<String> {
        self.document
            .get("tags")?
            .as_array()?
            .iter()
            .find(|entry| entry["name"] == tag)?
            .get("description")?
            .as_str()
            .map(str::to_owned)
    }
}

/// One resource: the operations of one tag.
struct Resource<'a> {
    tag: &'a str,
    struct_name: Ident,
    accessor_name: Ident,
    operations: Vec<Emitted<'a>>,
}

impl<'a> Resource<'a> {
    fn new(tag: &'a str, operations: &[&'a Operation], context: &Context<'_>) -> Result<Self> {
        let mut emitted = Vec::new();
        for operation in operations {
            emitted.push(Emitted::new(operation, operations, context)?);
        }
        let mut seen = BTreeMap::new();
        for operation in &mut emitted {
            if let Some(previous) = seen.insert(operation.method_name.to_string(), operation.operation.id.clone()) {
                return Err(Error::Manifest {
                    location: operation.operation.location.child("operationId"),
                    message: format!(
                        "`{}` and `{previous}` would both be `{}()` on `{tag}`: rename one operationId's verb",
                        operation.operation.id, operation.method_name
                    ),
                });
            }
        }
        Ok(Self {
            tag,
            struct_name: format_ident!("{}", tag.to_upper_camel_case()),
            accessor_name: format_ident!("{}", tag.to_snake_case()),
            operations: emitted,
        })
    }

    fn accessor(&self) -> TokenStream {
        let Self {
            struct_name,
            accessor_name,
            tag,
            ..
        } = self;
        let doc = format!("Operations on {tag}: see [`{struct_name}`].");
        quote! {
            #[doc = #doc]
            pub fn #accessor_name(&self) -> #struct_name {
                #struct_name { client: self.clone() }
            }
        }
    }

    fn definition(&self, context: &Context<'_>, lookups: &mut BTreeMap<String, TokenStream>) -> Result<TokenStream> {
        let struct_name = &self.struct_name;
        let mut doc = context
            .tag_description(self.tag)
            .unwrap_or_else(|| format!("Operations on {}.", self.tag));
        doc.push_str(&format!("\n\nGet one with `client.{}()`.", self.accessor_name));
        if let Some(example) = self.example() {
            doc.push_str("\n\n```no_run\n");
            doc.push_str(&example);
            doc.push_str("```");
        }
        let mut methods = Vec::new();
        let mut builders = Vec::new();
        for operation in &self.operations {
            methods.push(operation.constructor());
            builders.push(operation.builder()?);
            if let Some(lookup) = &operation.lookup {
                lookups
                    .entry(lookup.type_name.to_string())
                    .or_insert_with(|| lookup.definition(context));
            }
        }
        Ok(quote! {
            #[doc = #doc]
            #[derive(Debug, Clone)]
            pub struct #struct_name {
                client: Client,
            }

            impl #struct_name {
                #(#methods)*
            }

            #(#builders)*
        })
    }

    /// A compiled (not run) example: a look-up, else a stream of a list, else a plain call.
    fn example(&self) -> Option<String> {
        let accessor = &self.accessor_name;
        let prelude = "# async fn example(client: kimoby_generated::Client) -> Result<(), kimoby_generated::Error> {\n";
        let lookup = self
            .operations
            .iter()
            .find(|operation| operation.lookup.is_some() && operation.operation.method == "GET");
        if let Some(operation) = lookup {
            let lookup = operation.lookup.as_ref()?;
            let variant = lookup
                .query_variants
                .first()
                .map(|(variant, _)| variant.to_string().to_snake_case());
            let (constructor, value) = match variant {
                Some(variant) => (variant, "\"REF-0001\""),
                None => ("id".to_owned(), "\"id-from-kimoby\""),
            };
            return Some(format!(
                "use kimoby_generated::client::{};\n{prelude}let found = client\n    .{accessor}()\n    .{}({}::{constructor}({value}))\n    .send()\n    .await?;\nprintln!(\"{{found:?}}\");\n# Ok(())\n# }}\n",
                lookup.type_name, operation.method_name, lookup.type_name
            ));
        }
        if let Some(operation) = self.operations.iter().find(|operation| operation.pagination.is_some()) {
            return Some(format!(
                "use futures_util::TryStreamExt;\n{prelude}let mut all = std::pin::pin!(client.{accessor}().{}().stream());\nwhile let Some(item) = all.try_next().await? {{\n    println!(\"{{item:?}}\");\n}}\n# Ok(())\n# }}\n",
                operation.method_name
            ));
        }
        let operation = self
            .operations
            .iter()
            .find(|operation| operation.operation.method == "GET" && operation.path_parameter.is_none())?;
        Some(format!(
            "{prelude}let listed = client.{accessor}().{}().send().await?;\nprintln!(\"{{listed:?}}\");\n# Ok(())\n# }}\n",
            operation.method_name
        ))
    }
}

/// A look-up type: the record's id in the path, or one query parameter.
struct Lookup {
    type_name: Ident,
    collection_path: String,
    /// `(variant, wire name)` for the query forms other than the path parameter.
    query_variants: Vec<(Ident, String)>,
    resource_type: Ident,
}

impl Lookup {
    fn definition(&self, context: &Context<'_>) -> TokenStream {
        let type_name = &self.type_name;
        let doc = format!(
            "How to find one {}: by the id Kimoby generated (sent in the path) or by one of the \
             other unique keys (sent in the query string of `{}`, percent-encoded).",
            self.resource_type, self.collection_path
        );
        let mut variants = vec![quote! {
            /// The id generated by Kimoby, sent in the path.
            Id(::std::string::String),
        }];
        let mut constructors = vec![quote! {
            /// By the id Kimoby generated.
            pub fn id(id: impl Into<::std::string::String>) -> Self {
                Self::Id(id.into())
            }
        }];
        for (variant, wire) in &self.query_variants {
            let variant_doc = context
                .query_parameter_description(wire)
                .unwrap_or_else(|| format!("By `{wire}`, sent in the query string."));
            let constructor = format_ident!("{}", wire.to_snake_case());
            let constructor_doc = format!("By `{wire}` (sent as `?{wire}=…`).");
            variants.push(quote! {
                #[doc = #variant_doc]
                #variant(::std::string::String),
            });
            constructors.push(quote! {
                #[doc = #constructor_doc]
                pub fn #constructor(value: impl Into<::std::string::String>) -> Self {
                    Self::#variant(value.into())
                }
            });
        }
        let collection = &self.collection_path;
        let query_arms = self.query_variants.iter().map(|(variant, wire)| {
            quote! {
                Self::#variant(value) => RequestSpec::new(operation_id, method, #collection).query(#wire, value.as_str()),
            }
        });
        let id_path = format!("{collection}/{{}}");
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum #type_name {
                #(#variants)*
            }

            impl #type_name {
                #(#constructors)*

                fn request(&self, operation_id: &'static str, method: Method) -> RequestSpec {
                    match self {
                        Self::Id(id) => RequestSpec::new(operation_id, method, format!(#id_path, encode_path_segment(id))),
                        #(#query_arms)*
                    }
                }
            }
        }
    }
}

/// A query parameter with a builder setter.
struct QueryParameter {
    wire: String,
    field: Ident,
    kind: ParameterKind,
    description: Option<String>,
}

#[derive(Clone, Copy)]
enum ParameterKind {
    DateTime,
    Integer,
    Boolean,
    Text,
}

impl ParameterKind {
    fn of(parameter: &Parameter) -> Self {
        let schema = &parameter.schema;
        match (
            schema.get("type").and_then(Value::as_str),
            schema.get("format").and_then(Value::as_str),
        ) {
            (Some("string"), Some("date-time")) => Self::DateTime,
            (Some("integer"), _) => Self::Integer,
            (Some("boolean"), _) => Self::Boolean,
            _ => Self::Text,
        }
    }

    fn field_type(self) -> TokenStream {
        match self {
            Self::DateTime => quote!(::chrono::DateTime<::chrono::FixedOffset>),
            Self::Integer => quote!(i64),
            Self::Boolean => quote!(bool),
            Self::Text => quote!(::std::string::String),
        }
    }

    fn setter_argument(self) -> TokenStream {
        match self {
            Self::DateTime => quote!(impl Into<::chrono::DateTime<::chrono::FixedOffset>>),
            Self::Text => quote!(impl Into<::std::string::String>),
            other => other.field_type(),
        }
    }

    fn convert(self, value: &TokenStream) -> TokenStream {
        match self {
            Self::DateTime | Self::Text => quote!(#value.into()),
            _ => quote!(#value),
        }
    }

    fn to_query(self, value: &TokenStream) -> TokenStream {
        match self {
            Self::DateTime => quote!(#value.to_rfc3339()),
            Self::Text => quote!(#value.clone()),
            _ => quote!(#value.to_string()),
        }
    }
}

enum RequestBody {
    None,
    Json(Ident),
    Multipart,
}

/// An operation ready to be emitted.
struct Emitted<'a> {
    operation: &'a Operation,
    method_name: Ident,
    builder_name: Ident,
    lookup: Option<Lookup>,
    /// A typed path parameter when there is no look-up: `(name, is integer)`.
    path_parameter: Option<(String, bool)>,
    query: Vec<QueryParameter>,
    groups: Vec<Vec<String>>,
    pagination: Option<(Ident, Ident)>,
    body: RequestBody,
    response: Option<Ident>,
}

impl<'a> Emitted<'a> {
    fn new(operation: &'a Operation, siblings: &[&'a Operation], context: &Context<'_>) -> Result<Self> {
        let verb = operation.id.to_snake_case();
        let verb = verb.split('_').next().unwrap_or(&verb).to_owned();
        let method_name = format_ident!("{verb}");
        let builder_name = format_ident!("{}", operation.id.to_upper_camel_case());
        let location = &operation.location;
        let response = match operation.success_responses.values().flatten().next() {
            Some(body) => Some(context.body_type(&body.schema, &location.child("responses"))?),
            None => None,
        };
        let body = match &operation.request_body {
            None => RequestBody::None,
            Some(body) if body.content_type.starts_with("multipart/form-data") => RequestBody::Multipart,
            Some(body) => RequestBody::Json(context.body_type(&body.schema, &location.child("requestBody"))?),
        };
        let lookup = match operation.extensions.get("x-kimoby-lookup") {
            Some(extension) => Some(lookup(operation, extension, siblings, context)?),
            None => None,
        };
        let path_parameter = if lookup.is_some() {
            None
        } else {
            operation
                .parameters
                .iter()
                .find(|parameter| parameter.location == "path")
                .map(|parameter| {
                    (
                        parameter.name.clone(),
                        matches!(ParameterKind::of(parameter), ParameterKind::Integer),
                    )
                })
        };
        let pagination = match operation.extensions.get("x-kimoby-pagination") {
            Some(extension) => {
                let items = extension
                    .get("items")
                    .and_then(Value::as_str)
                    .ok_or_else(|| Error::Manifest {
                        location: location.child("x-kimoby-pagination"),
                        message: "`items` must name the array property of the list".to_owned(),
                    })?;
                let list = response.as_ref().ok_or_else(|| Error::Manifest {
                    location: location.child("responses"),
                    message: "a paginated list needs a response body".to_owned(),
                })?;
                Some((format_ident!("{items}"), context.item_type(list, items, location)?))
            }
            None => None,
        };
        let query = operation
            .parameters
            .iter()
            .filter(|parameter| parameter.location == "query")
            .filter(|parameter| pagination.is_none() || (parameter.name != "page" && parameter.name != "per_page"))
            .map(|parameter| QueryParameter {
                wire: parameter.name.clone(),
                field: format_ident!("{}", parameter.name.to_snake_case()),
                kind: ParameterKind::of(parameter),
                description: parameter.description.clone(),
            })
            .collect();
        let groups = match operation.extensions.get("x-kimoby-parameter-groups") {
            Some(extension) => serde_json::from_value(extension.clone()).map_err(|error| Error::Manifest {
                location: location.child("x-kimoby-parameter-groups"),
                message: format!("must be an array of arrays of parameter names: {error}"),
            })?,
            None => Vec::new(),
        };
        Ok(Self {
            operation,
            method_name,
            builder_name,
            lookup,
            path_parameter,
            query,
            groups,
            pagination,
            body,
            response,
        })
    }

    fn summary_doc(&self) -> String {
        let operation = self.operation;
        let mut doc = operation.summary.clone().unwrap_or_else(|| operation.id.clone());
        doc.push_str(&format!(
            ": `{} {}` (`{}`).",
            operation.method, operation.path, operation.id
        ));
        if let Some(description) = &operation.description {
            doc.push_str("\n\n");
            doc.push_str(description);
        }
        doc
    }

    /// The method on the resource that starts the builder.
    fn constructor(&self) -> TokenStream {
        let Self {
            method_name,
            builder_name,
            ..
        } = self;
        let mut arguments = Vec::new();
        let mut fields = vec![quote!(client: self.client.clone())];
        if let Some(lookup) = &self.lookup {
            let type_name = &lookup.type_name;
            arguments.push(quote!(lookup: #type_name));
            fields.push(quote!(lookup));
        }
        if let Some((name, integer)) = &self.path_parameter {
            let name = format_ident!("{}", name.to_snake_case());
            if *integer {
                arguments.push(quote!(#name: i64));
                fields.push(quote!(#name));
            } else {
                arguments.push(quote!(#name: impl Into<::std::string::String>));
                fields.push(quote!(#name: #name.into()));
            }
        }
        match &self.body {
            RequestBody::None => {}
            RequestBody::Json(body_type) => {
                arguments.push(quote!(body: types::#body_type));
                fields.push(quote!(body));
            }
            RequestBody::Multipart => {
                arguments.push(quote!(file: MultipartFile));
                fields.push(quote!(file));
            }
        }
        for parameter in &self.query {
            let field = &parameter.field;
            fields.push(quote!(#field: None));
        }
        if self.pagination.is_some() {
            fields.push(quote!(page: None));
            fields.push(quote!(per_page: None));
        }
        let doc = format!(
            "{}\n\nReturns a [`{builder_name}`]: set options, then `.send().await` (or `.await` it).",
            self.summary_doc()
        );
        quote! {
            #[doc = #doc]
            pub fn #method_name(&self, #(#arguments),*) -> #builder_name {
                #builder_name { #(#fields),* }
            }
        }
    }

    fn builder(&self) -> Result<TokenStream> {
        let Self {
            builder_name,
            operation,
            ..
        } = self;
        let operation_id = &operation.id;
        let method = format_ident!("{}", operation.method.to_lowercase().to_upper_camel_case());
        let mut fields = vec![quote!(client: Client)];
        if let Some(lookup) = &self.lookup {
            let type_name = &lookup.type_name;
            fields.push(quote!(lookup: #type_name));
        }
        if let Some((name, integer)) = &self.path_parameter {
            let name = format_ident!("{}", name.to_snake_case());
            let field_type = if *integer {
                quote!(i64)
            } else {
                quote!(::std::string::String)
            };
            fields.push(quote!(#name: #field_type));
        }
        match &self.body {
            RequestBody::None => {}
            RequestBody::Json(body_type) => fields.push(quote!(body: types::#body_type)),
            RequestBody::Multipart => fields.push(quote!(file: MultipartFile)),
        }
        for parameter in &self.query {
            let field = &parameter.field;
            let field_type = parameter.kind.field_type();
            fields.push(quote!(#field: ::std::option::Option<#field_type>));
        }
        if self.pagination.is_some() {
            fields.push(quote!(page: ::std::option::Option<u32>));
            fields.push(quote!(per_page: ::std::option::Option<u8>));
        }
        let setters = self.setters();
        let start = self.start_request(&method, operation_id);
        let body = match &self.body {
            RequestBody::None => quote!(),
            RequestBody::Json(_) => quote!(let spec = spec.body(Body::json(&self.body)?);),
            RequestBody::Multipart => quote!(let spec = spec.body(Body::Multipart(self.file.clone()));),
        };
        let query_pairs = self.query.iter().map(|parameter| {
            let wire = &parameter.wire;
            let field = &parameter.field;
            let value = parameter.kind.to_query(&quote!(value));
            quote! {
                if let ::std::option::Option::Some(value) = &self.#field {
                    spec = spec.query(#wire, #value);
                }
            }
        });
        let (send_return, send_call) = match &self.response {
            Some(response) => (quote!(types::#response), quote!(self.client.execute_json(spec).await)),
            None => (quote!(()), quote!(self.client.execute_empty(spec).await)),
        };
        let page_arguments = if self.pagination.is_some() {
            quote!(self.page, self.per_page)
        } else {
            quote!()
        };
        let page_parameters = if self.pagination.is_some() {
            quote!(page: ::std::option::Option<u32>, per_page: ::std::option::Option<u8>)
        } else {
            quote!()
        };
        let page_query = if self.pagination.is_some() {
            quote! {
                if let ::std::option::Option::Some(page) = page {
                    spec = spec.query("page", page.to_string());
                }
                if let ::std::option::Option::Some(per_page) = per_page {
                    spec = spec.query("per_page", per_page.to_string());
                }
            }
        } else {
            quote!()
        };
        let stream = self.stream(&send_return);
        let send_doc = match &self.response {
            Some(response) => format!(
                "Sends the request and decodes the [`types::{response}`] the server answers.\n\n\
                 Failures are [`Error`]s; retries follow the client's \
                 [`RetryPolicy`](crate::runtime::RetryPolicy)."
            ),
            None => "Sends the request; the server answers without a body.\n\nFailures are [`Error`]s; retries \
                     follow the client's [`RetryPolicy`](crate::runtime::RetryPolicy)."
                .to_owned(),
        };
        let doc = format!(
            "Builder for `{operation_id}`, from [`{}`].\n\n{}",
            self.resource_path(),
            self.summary_doc()
        );
        let mutable = if self.query.is_empty() && self.pagination.is_none() {
            quote!()
        } else {
            quote!(mut)
        };
        Ok(quote! {
            #[doc = #doc]
            #[derive(Debug, Clone)]
            #[must_use = "nothing is sent until `.send().await`"]
            pub struct #builder_name {
                #(#fields,)*
            }

            impl #builder_name {
                #(#setters)*

                fn request(&self, #page_parameters) -> ::std::result::Result<RequestSpec, Error> {
                    let #mutable spec = #start;
                    #(#query_pairs)*
                    #page_query
                    #body
                    Ok(spec)
                }

                #[doc = #send_doc]
                pub async fn send(self) -> ::std::result::Result<#send_return, Error> {
                    let spec = self.request(#page_arguments)?;
                    #send_call
                }

                #stream
            }

            impl ::std::future::IntoFuture for #builder_name {
                type Output = ::std::result::Result<#send_return, Error>;
                type IntoFuture = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = Self::Output> + Send>>;

                /// `.await` on the builder is `.send().await`.
                fn into_future(self) -> Self::IntoFuture {
                    ::std::boxed::Box::pin(self.send())
                }
            }
        })
    }

    fn resource_path(&self) -> String {
        let verb = &self.method_name;
        format!("{}::{verb}", self.operation.tag.to_upper_camel_case())
    }

    fn start_request(&self, method: &Ident, operation_id: &str) -> TokenStream {
        let start = self.start_request_line(method, operation_id);
        let repeatable = self
            .operation
            .extensions
            .get("x-kimoby-repeatable")
            .and_then(Value::as_bool);
        if repeatable == Some(false) {
            quote!(#start.not_repeatable())
        } else {
            start
        }
    }

    fn start_request_line(&self, method: &Ident, operation_id: &str) -> TokenStream {
        if self.lookup.is_some() {
            return quote!(self.lookup.request(#operation_id, Method::#method));
        }
        match &self.path_parameter {
            Some((name, integer)) => {
                let field = format_ident!("{}", name.to_snake_case());
                let template = self.operation.path.replace(&format!("{{{name}}}"), "{}");
                let value = if *integer {
                    quote!(self.#field)
                } else {
                    quote!(encode_path_segment(&self.#field))
                };
                quote!(RequestSpec::new(#operation_id, Method::#method, format!(#template, #value)))
            }
            None => {
                let path = &self.operation.path;
                quote!(RequestSpec::new(#operation_id, Method::#method, #path))
            }
        }
    }

    fn setters(&self) -> Vec<TokenStream> {
        let mut setters = Vec::new();
        let grouped: Vec<&String> = self.groups.iter().flatten().collect();
        for parameter in self
            .query
            .iter()
            .filter(|parameter| !grouped.contains(&&parameter.wire))
        {
            let field = &parameter.field;
            let argument = parameter.kind.setter_argument();
            let value = parameter.kind.convert(&quote!(value));
            let doc = parameter
                .description
                .clone()
                .unwrap_or_else(|| format!("Sets `{}`.", parameter.wire));
            setters.push(quote! {
                #[doc = #doc]
                pub fn #field(mut self, value: #argument) -> Self {
                    self.#field = ::std::option::Option::Some(#value);
                    self
                }
            });
        }
        for group in &self.groups {
            let members: Vec<&QueryParameter> = group
                .iter()
                .filter_map(|name| self.query.iter().find(|parameter| &parameter.wire == name))
                .collect();
            if members.is_empty() {
                continue;
            }
            let setter = group_setter_name(group);
            let arguments = members.iter().map(|parameter| {
                let field = &parameter.field;
                let argument = parameter.kind.setter_argument();
                quote!(#field: #argument)
            });
            let assignments = members.iter().map(|parameter| {
                let field = &parameter.field;
                let value = parameter.kind.convert(&quote!(#field));
                quote!(self.#field = ::std::option::Option::Some(#value);)
            });
            let names: Vec<String> = group.iter().map(|name| format!("`{name}`")).collect();
            let doc = format!(
                "Sets {} together: the API accepts them only together.",
                names.join(" and ")
            );
            setters.push(quote! {
                #[doc = #doc]
                pub fn #setter(mut self, #(#arguments),*) -> Self {
                    #(#assignments)*
                    self
                }
            });
        }
        if self.pagination.is_some() {
            setters.push(quote! {
                /// The page to fetch, from 1 (checked before sending).
                pub fn page(mut self, page: u32) -> Self {
                    self.page = ::std::option::Option::Some(page);
                    self
                }
                /// Items per page, 1 to 50 (checked before sending). The server's default is 25;
                /// [`Self::stream`] asks for 50 unless this is set.
                pub fn per_page(mut self, per_page: u8) -> Self {
                    self.per_page = ::std::option::Option::Some(per_page);
                    self
                }
            });
        }
        setters
    }

    fn stream(&self, list_type: &TokenStream) -> TokenStream {
        let Some((items, item_type)) = &self.pagination else {
            return quote!();
        };
        let operation_id = &self.operation.id;
        let doc = format!(
            "Every [`types::{item_type}`] of the list, following `pagination` page after page, from the \
             page set with [`Self::page`] (default 1), with the `per_page` set with [`Self::per_page`] \
             (default 50, the most the API allows: the fewest requests). At most one page is held in \
             memory; the stream ends with an error if the server's page counts cannot be followed safely \
             (see [`paginate_from`](crate::runtime::paginate_from)).\n\n\
             The stream is not `Unpin`: pin it (`std::pin::pin!`) before calling `next()`."
        );
        quote! {
            #[doc = #doc]
            pub fn stream(self) -> impl ::futures_core::Stream<Item = ::std::result::Result<types::#item_type, Error>> + Send + 'static {
                let (page, per_page) = (self.page, self.per_page);
                crate::runtime::list_stream(#operation_id, page, per_page, move |page: u32, per_page: u8| {
                    let builder = self.clone();
                    async move {
                        let spec = builder.request(::std::option::Option::Some(page), ::std::option::Option::Some(per_page))?;
                        let list: #list_type = builder.client.execute_json(spec).await?;
                        ::std::result::Result::Ok((list.#items, list.pagination))
                    }
                })
            }
        }
    }
}

/// `date_start` + `date_end` → `date_range`; otherwise the names joined.
fn group_setter_name(group: &[String]) -> Ident {
    let stems: Vec<&str> = group
        .iter()
        .map(|name| name.trim_end_matches("_start").trim_end_matches("_end"))
        .collect();
    if group.len() == 2 && stems[0] == stems[1] && group[0].ends_with("_start") && group[1].ends_with("_end") {
        format_ident!("{}_range", stems[0])
    } else {
        format_ident!("{}", group.join("_and_"))
    }
}

fn lookup(operation: &Operation, extension: &Value, siblings: &[&Operation], context: &Context<'_>) -> Result<Lookup> {
    let location = operation.location.child("x-kimoby-lookup");
    let malformed = |message: &str| Error::Manifest {
        location: location.clone(),
        message: message.to_owned(),
    };
    let path_parameter = extension
        .get("path_parameter")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("`path_parameter` must name the path parameter"))?;
    let collection_path = extension
        .get("collection_path")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("`collection_path` must be the collection's path"))?
        .to_owned();
    let query_parameters: Vec<String> = extension
        .get("query_parameters")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("`query_parameters` must list the look-up query parameters"))?
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    // The look-up is named after the record the path's GET returns.
    let resource_type = siblings
        .iter()
        .find(|sibling| sibling.path == operation.path && sibling.method == "GET")
        .and_then(|sibling| sibling.success_responses.values().flatten().next())
        .map(|body| context.body_type(&body.schema, &location))
        .transpose()?
        .ok_or_else(|| malformed("a look-up path needs a GET operation returning the record"))?;
    Ok(Lookup {
        type_name: format_ident!("{resource_type}Lookup"),
        collection_path,
        query_variants: query_parameters
            .iter()
            .filter(|name| name.as_str() != path_parameter)
            .map(|name| (Ident::new(&name.to_upper_camel_case(), Span::call_site()), name.clone()))
            .collect(),
        resource_type,
    })
}
