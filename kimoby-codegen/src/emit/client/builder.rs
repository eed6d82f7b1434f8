//! One operation's builder: the method on the resource that starts it, the
//! struct with its setters, and its declarations to the runtime
//! (`Operation`, `ListOperation`, `impl_operation!`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{OperationMethod, PageParameter, ParameterType, RequestBody, Resource, Response, Target};

use super::tokens;

/// `summary: METHOD /path (operationId).` and the description.
fn summary_doc(operation: &OperationMethod) -> String {
    let mut doc = operation.summary.clone().unwrap_or_else(|| operation.id.clone());
    doc.push_str(&format!(
        ": `{} {}` (`{}`).",
        operation.method.as_str(),
        operation.path.template,
        operation.id
    ));
    if let Some(description) = &operation.description {
        doc.push_str("\n\n");
        doc.push_str(description);
    }
    doc
}

/// The constructor arguments and the struct fields they fill.
fn arguments(operation: &OperationMethod) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut arguments = Vec::new();
    let mut fields = vec![quote!(transport: self.transport.clone())];
    match &operation.target {
        Target::Collection => {}
        Target::Lookup { type_name } => {
            let type_name = format_ident!("{type_name}");
            arguments.push(quote!(lookup: #type_name));
            fields.push(quote!(lookup));
        }
        Target::PathParameters(parameters) => {
            for parameter in parameters {
                let name = format_ident!("{}", parameter.field);
                let argument = tokens::setter_argument(&parameter.parameter_type);
                let value = tokens::convert(&parameter.parameter_type, &quote!(#name));
                arguments.push(quote!(#name: #argument));
                fields.push(quote!(#name: #value));
            }
        }
    }
    match &operation.body {
        RequestBody::None => {}
        RequestBody::Json { type_name } => {
            let type_name = format_ident!("{type_name}");
            arguments.push(quote!(body: types::#type_name));
            fields.push(quote!(body));
        }
        RequestBody::Multipart => {
            arguments.push(quote!(file: runtime::MultipartFile));
            fields.push(quote!(file));
        }
    }
    for parameter in &operation.query {
        let field = format_ident!("{}", parameter.field);
        fields.push(quote!(#field: None));
    }
    if let Some(pagination) = &operation.pagination {
        for page_parameter in [&pagination.page, &pagination.per_page] {
            let field = format_ident!("{}", page_parameter.field);
            fields.push(quote!(#field: None));
        }
    }
    (arguments, fields)
}

/// The method on the resource struct that starts the builder.
pub fn constructor(operation: &OperationMethod) -> TokenStream {
    let method_name = format_ident!("{}", operation.method_name);
    let builder_name = format_ident!("{}", operation.builder_name);
    let (arguments, fields) = arguments(operation);
    let doc = format!(
        "{}\n\nReturns a [`{}`]: set options, then `.send().await` (or `.await` it).",
        summary_doc(operation),
        operation.builder_name
    );
    quote! {
        #[doc = #doc]
        pub fn #method_name(&self, #(#arguments),*) -> #builder_name {
            #builder_name { #(#fields),* }
        }
    }
}

/// The builder struct, its setters and its runtime declarations.
pub fn builder(operation: &OperationMethod, resource: &Resource) -> TokenStream {
    let builder_name = format_ident!("{}", operation.builder_name);
    let operation_id = &operation.id;
    let fields = struct_fields(operation);
    let setters = setters(operation);
    let request = request_body(operation);
    let answer = match &operation.response {
        Response::Empty => "The server answers without a body.".to_owned(),
        Response::Json { type_name, .. } => format!("The server answers a [`types::{type_name}`]."),
    };
    let doc = format!(
        "Builder for `{operation_id}`, from [`{}::{}`]. {answer}\n\n{}",
        resource.struct_name,
        operation.method_name,
        summary_doc(operation)
    );
    let list = operation.pagination.as_ref().map(|pagination| {
        let list_type = format_ident!("{}", pagination.list_type);
        let item_type = format_ident!("{}", pagination.item_type);
        let items = format_ident!("{}", pagination.items_field);
        let holder = format_ident!("{}", pagination.pagination_field);
        let page_field = format_ident!("{}", pagination.page_field);
        let pages_field = format_ident!("{}", pagination.pages_field);
        let page = tokens::integer_parameter(&pagination.page.wire, &pagination.page.integer);
        let per_page = tokens::integer_parameter(&pagination.per_page.wire, &pagination.per_page.integer);
        let page_value = format_ident!("{}", pagination.page.field);
        let per_page_value = format_ident!("{}", pagination.per_page.field);
        quote! {
            impl runtime::ListOperation for #builder_name {
                type List = types::#list_type;
                type Item = types::#item_type;
                const PAGINATION: runtime::Pagination = runtime::Pagination {
                    page: #page,
                    per_page: #per_page,
                };

                fn selected_page(&self) -> runtime::PageSelection {
                    runtime::PageSelection {
                        page: self.#page_value.map(i128::from),
                        per_page: self.#per_page_value.map(i128::from),
                    }
                }

                fn into_page(list: types::#list_type) -> runtime::Page<types::#item_type> {
                    runtime::Page {
                        info: runtime::PageInfo::new(list.#holder.#page_field, list.#holder.#pages_field),
                        items: list.#items,
                    }
                }
            }
        }
    });
    let implementation = match (&operation.response, &operation.pagination) {
        (_, Some(pagination)) => {
            let list_type = format_ident!("{}", pagination.list_type);
            quote!(runtime::impl_operation!(#builder_name => list types::#list_type);)
        }
        (Response::Empty, None) => quote!(runtime::impl_operation!(#builder_name => ());),
        (Response::Json { type_name, .. }, None) => {
            let type_name = format_ident!("{type_name}");
            quote!(runtime::impl_operation!(#builder_name => types::#type_name);)
        }
    };
    let setters_block = if setters.is_empty() {
        quote!()
    } else {
        quote! {
            impl #builder_name {
                #(#setters)*
            }
        }
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[must_use = "nothing is sent until `.send().await`"]
        pub struct #builder_name {
            #(#fields,)*
        }

        #setters_block

        impl runtime::Operation for #builder_name {
            const OPERATION_ID: &'static str = #operation_id;

            fn transport(&self) -> &runtime::Transport {
                &self.transport
            }

            fn request(&self) -> Result<runtime::RequestSpec, runtime::Error> {
                #request
            }
        }

        #list

        #implementation
    }
}

fn struct_fields(operation: &OperationMethod) -> Vec<TokenStream> {
    let mut fields = vec![quote!(transport: runtime::Transport)];
    match &operation.target {
        Target::Collection => {}
        Target::Lookup { type_name } => {
            let type_name = format_ident!("{type_name}");
            fields.push(quote!(lookup: #type_name));
        }
        Target::PathParameters(parameters) => {
            for parameter in parameters {
                let name = format_ident!("{}", parameter.field);
                let field_type = tokens::field_type(&parameter.parameter_type);
                fields.push(quote!(#name: #field_type));
            }
        }
    }
    match &operation.body {
        RequestBody::None => {}
        RequestBody::Json { type_name } => {
            let type_name = format_ident!("{type_name}");
            fields.push(quote!(body: types::#type_name));
        }
        RequestBody::Multipart => fields.push(quote!(file: runtime::MultipartFile)),
    }
    for parameter in &operation.query {
        let field = format_ident!("{}", parameter.field);
        let field_type = tokens::field_type(&parameter.parameter_type);
        fields.push(quote!(#field: Option<#field_type>));
    }
    if let Some(pagination) = &operation.pagination {
        for page_parameter in [&pagination.page, &pagination.per_page] {
            let field = format_ident!("{}", page_parameter.field);
            let field_type = tokens::integer_type(&page_parameter.integer);
            fields.push(quote!(#field: Option<#field_type>));
        }
    }
    fields
}

/// The body of `Operation::request`.
fn request_body(operation: &OperationMethod) -> TokenStream {
    let method = format_ident!("{}", operation.method.variant());
    let template = &operation.path.template;
    let start = match &operation.target {
        Target::Collection => {
            quote!(runtime::RequestSpec::new(Self::OPERATION_ID, runtime::Method::#method, #template))
        }
        Target::Lookup { .. } => quote!(runtime::RequestSpec::for_lookup(
            Self::OPERATION_ID,
            runtime::Method::#method,
            #template,
            &self.lookup,
        )),
        Target::PathParameters(parameters) => {
            let format_string = operation.path.format_string();
            let values = parameters.iter().map(|parameter| {
                let field = format_ident!("{}", parameter.field);
                match parameter.parameter_type {
                    ParameterType::Text => quote!(runtime::encode_path_segment(&self.#field)),
                    _ => quote!(self.#field),
                }
            });
            quote!(runtime::RequestSpec::new(
                Self::OPERATION_ID,
                runtime::Method::#method,
                format!(#format_string, #(#values),*),
            ))
        }
    };
    let start = match (operation.repeatable, operation.method.is_idempotent()) {
        (false, true) => quote!(#start.not_repeatable()),
        (true, false) => quote!(#start.repeatable()),
        _ => start,
    };
    let start = match &operation.response {
        Response::Json { schema_file, .. } => quote!(#start.response_schema(#schema_file)),
        Response::Empty => start,
    };
    let queries: Vec<TokenStream> = operation
        .query
        .iter()
        .map(|parameter| {
            let field = format_ident!("{}", parameter.field);
            let push = tokens::push_query(&parameter.wire, &parameter.parameter_type, &quote!(value));
            quote! {
                if let Some(value) = &self.#field {
                    #push
                }
            }
        })
        .collect();
    let body = match &operation.body {
        RequestBody::None => quote!(),
        RequestBody::Json { .. } => quote!(let spec = spec.body(runtime::Body::json(&self.body)?);),
        RequestBody::Multipart => quote!(let spec = spec.body(runtime::Body::Multipart(self.file.clone()));),
    };
    let binding = if queries.is_empty() { quote!() } else { quote!(mut) };
    quote! {
        let #binding spec = #start;
        #(#queries)*
        #body
        Ok(spec)
    }
}

fn setters(operation: &OperationMethod) -> Vec<TokenStream> {
    let mut setters = Vec::new();
    for parameter in operation.ungrouped_query() {
        let field = format_ident!("{}", parameter.field);
        let argument = tokens::setter_argument(&parameter.parameter_type);
        let value = tokens::convert(&parameter.parameter_type, &quote!(value));
        let doc = parameter
            .description
            .clone()
            .unwrap_or_else(|| format!("Sets `{}`.", parameter.wire));
        setters.push(quote! {
            #[doc = #doc]
            pub fn #field(mut self, value: #argument) -> Self {
                self.#field = Some(#value);
                self
            }
        });
    }
    for group in &operation.groups {
        let members: Vec<_> = group
            .members
            .iter()
            .filter_map(|name| operation.query.iter().find(|parameter| &parameter.wire == name))
            .collect();
        let setter = format_ident!("{}", group.setter);
        let arguments = members.iter().map(|parameter| {
            let field = format_ident!("{}", parameter.field);
            let argument = tokens::setter_argument(&parameter.parameter_type);
            quote!(#field: #argument)
        });
        let assignments = members.iter().map(|parameter| {
            let field = format_ident!("{}", parameter.field);
            let value = tokens::convert(&parameter.parameter_type, &quote!(#field));
            quote!(self.#field = Some(#value);)
        });
        let names: Vec<String> = group.members.iter().map(|name| format!("`{name}`")).collect();
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
    if let Some(pagination) = &operation.pagination {
        setters.push(page_setter(&pagination.page, "The page to fetch", None));
        let stream_note = pagination
            .per_page
            .integer
            .maximum
            .or(pagination.per_page.integer.default)
            .map(|per_page| format!("; `stream()` asks for {per_page} unless this is set"));
        setters.push(page_setter(&pagination.per_page, "Items per page", stream_note));
    }
    setters
}

fn page_setter(parameter: &PageParameter, what: &str, stream_note: Option<String>) -> TokenStream {
    let field = format_ident!("{}", parameter.field);
    let argument = tokens::integer_type(&parameter.integer);
    let mut doc = format!("{what} (`{}`)", parameter.wire);
    if let Some(bounds) = parameter.integer.bounds_text() {
        doc.push_str(&format!(": {bounds}, checked before sending"));
    }
    if let Some(default) = parameter.integer.default {
        doc.push_str(&format!("; the server's default is {default}"));
    }
    if let Some(note) = stream_note {
        doc.push_str(&note);
    }
    doc.push('.');
    if let Some(description) = &parameter.description {
        doc.push_str("\n\n");
        doc.push_str(description);
    }
    quote! {
        #[doc = #doc]
        pub fn #field(mut self, #field: #argument) -> Self {
            self.#field = Some(#field);
            self
        }
    }
}
