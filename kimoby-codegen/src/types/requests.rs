//! Constructors and setters for the generated structs. Every struct is
//! `#[non_exhaustive]` (so a new optional field is not a breaking change), so
//! outside the crate these are the way to build one.
//!
//! - Request types (the structs only the client sends) read
//!   `CustomerRequest::new("John Doe").email("john.doe@example.com")`: `new`
//!   takes the required fields; each optional field gets a setter taking
//!   `impl Into<T>`; a clearable field (`Option<Option<T>>`) also gets
//!   `clear_<field>()`, which sends `null`.
//! - Types the server sends, which an application builds only in its tests
//!   or mocks, have many required fields (fourteen for an invoice), so their
//!   `new` takes them by name, in a `<Type>Required` struct of plain public
//!   fields written into `types.rs` beside the type; the optional fields have
//!   the same setters. A new required field changes that struct: a breaking
//!   change, as it is for anyone who builds the type.

use std::collections::BTreeSet;

use quote::{format_ident, quote};

use crate::error::{Error, Result};
use crate::prepare::bundle::Bundle;
use syn::{Attribute, Fields, GenericArgument, Item, ItemStruct, PathArguments, Type};

/// How a field is filled.
enum FieldKind<'a> {
    /// Required: a parameter of `new`.
    Required(&'a Type),
    /// `Option<T>` that may be left out.
    Optional(&'a Type),
    /// `Option<Option<T>>`: left out, `null`, or a value.
    Clearable(&'a Type),
    /// A collection left empty by default (`Vec`, map).
    Collection(&'a Type),
}

/// Module documentation of the generated file.
pub const DOCS: &str = "Constructors and setters for the request types of `types` (the structs only
the client sends): `new` takes the required fields, each optional field has a
setter, and a field the API lets you clear has `clear_<field>()`, which sends
`null`.

```
use kimoby_generated::types::CustomerRequest;

let request = CustomerRequest::new(\"John Doe\").city(\"Quebec\").clear_email();
let body = serde_json::to_value(&request)?;
assert_eq!(body, serde_json::json!({\"name\": \"John Doe\", \"city\": \"Quebec\", \"email\": null}));
# Ok::<(), serde_json::Error>(())
```";

/// Module documentation of the generated file of the server-sent types'
/// constructors.
pub const RESPONSE_DOCS: &str = "Constructors and setters for the types of `types` that the server sends.

An application reads these from responses and webhook deliveries; it builds
them only to test its own code (a fake of its Kimoby calls, a webhook handler
fed by hand). Every field that is always present is named in the type's
`<Type>Required` struct; each optional field has a setter.

```
use kimoby_generated::types::{Webhook, WebhookRequired};

let created_at: chrono::DateTime<chrono::FixedOffset> = \"2024-05-01T12:00:00-04:00\".parse()?;
let webhook = Webhook::new(WebhookRequired {
    id: \"wh_1\".to_owned(),
    url: \"https://example.com/kimoby\".to_owned(),
    created_at,
    updated_at: created_at,
});
assert_eq!(webhook.url, \"https://example.com/kimoby\");
# Ok::<(), chrono::ParseError>(())
```";

/// Marks every named-field struct of `types` `#[non_exhaustive]`: a field the
/// schemas gain later is then not a breaking change for users, who build the
/// structs with the constructors of this module.
pub fn mark_non_exhaustive(types: &mut syn::File) {
    for item in &mut types.items {
        if let Item::Struct(item_struct) = item
            && matches!(item_struct.fields, Fields::Named(_))
        {
            item_struct.attrs.push(syn::parse_quote!(#[non_exhaustive]));
        }
    }
}

/// Which structs get constructors, and of which kind.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The structs only the client sends: `new` takes the required fields.
    Requests,
    /// The structs the server sends: `new` takes a `<Type>Required`.
    Responses,
}

/// The name of the struct holding the required fields of `type_name`.
pub fn required_struct_name(type_name: &str) -> String {
    format!("{type_name}Required")
}

/// The `<Type>Required` struct of every server-sent struct that has required
/// fields, each placed after its type. A schema whose type already has that
/// name is a [`ReservedTypeName`](crate::Error::ReservedTypeName) error.
pub fn add_required_structs(types: &mut syn::File, server_sent: &BTreeSet<String>, bundle: &Bundle) -> Result<()> {
    let mut items = Vec::with_capacity(types.items.len());
    for item in std::mem::take(&mut types.items) {
        let required = match &item {
            Item::Struct(item_struct) if server_sent.contains(&item_struct.ident.to_string()) => {
                required_struct(item_struct)
            }
            _ => None,
        };
        if let (Some(required), Item::Struct(owner)) = (&required, &item) {
            let name = required.ident.to_string();
            if let Some(clash) = bundle.definitions.get(&name) {
                return Err(Error::ReservedTypeName {
                    name,
                    location: clash.location.clone(),
                    owner: owner.ident.to_string(),
                });
            }
        }
        items.push(item);
        items.extend(required.map(Item::Struct));
    }
    types.items = items;
    Ok(())
}

fn required_struct(item_struct: &ItemStruct) -> Option<ItemStruct> {
    let Fields::Named(named) = &item_struct.fields else {
        return None;
    };
    let fields: Vec<proc_macro2::TokenStream> = named
        .named
        .iter()
        .filter_map(|field| match classify(field) {
            FieldKind::Required(field_type) => {
                let ident = field.ident.as_ref()?;
                let docs = field.attrs.iter().filter(|attribute| attribute.path().is_ident("doc"));
                Some(quote!(#(#docs)* pub #ident: #field_type))
            }
            _ => None,
        })
        .collect();
    if fields.is_empty() {
        return None;
    }
    let type_name = &item_struct.ident;
    let name = format_ident!("{}", required_struct_name(&type_name.to_string()));
    let doc = format!(
        "The fields every [`{type_name}`] has, by name: what [`{type_name}::new`] takes. Build a `{type_name}` only to test your own code; the API's are decoded."
    );
    Some(syn::parse_quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq)]
        pub struct #name {
            #(#fields),*
        }
    })
}

/// `new` and setters for every named-field struct of `types` on `side`, as
/// the items of a separate file that imports the types.
pub fn constructors_for(types: &syn::File, server_sent: &BTreeSet<String>, side: Side) -> proc_macro2::TokenStream {
    let mut additions = Vec::new();
    for item in &types.items {
        let Item::Struct(item_struct) = item else {
            continue;
        };
        let name = item_struct.ident.to_string();
        let is_required_struct = name
            .strip_suffix("Required")
            .is_some_and(|owner| server_sent.contains(owner));
        if is_required_struct || server_sent.contains(&name) != (side == Side::Responses) {
            continue;
        }
        if let Some(tokens) = constructors(item_struct, side) {
            additions.push(tokens);
        }
    }
    quote! {
        use super::types::*;
        #(#additions)*
    }
}

fn constructors(item_struct: &ItemStruct, side: Side) -> Option<proc_macro2::TokenStream> {
    let Fields::Named(named) = &item_struct.fields else {
        return None;
    };
    let name = &item_struct.ident;
    let mut parameters = Vec::new();
    let mut required_names = Vec::new();
    let mut initializers = Vec::new();
    let mut setters = Vec::new();
    for field in &named.named {
        let ident = field.ident.as_ref()?;
        let docs: Vec<&Attribute> = field
            .attrs
            .iter()
            .filter(|attribute| attribute.path().is_ident("doc"))
            .collect();
        match classify(field) {
            FieldKind::Required(field_type) => {
                parameters.push(quote!(#ident: impl ::std::convert::Into<#field_type>));
                required_names.push(ident);
                initializers.push(match side {
                    Side::Requests => quote!(#ident: #ident.into()),
                    Side::Responses => quote!(#ident),
                });
            }
            FieldKind::Optional(inner) => {
                initializers.push(quote!(#ident: ::std::option::Option::None));
                setters.push(quote! {
                    #(#docs)*
                    pub fn #ident(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
                        self.#ident = ::std::option::Option::Some(value.into());
                        self
                    }
                });
            }
            FieldKind::Clearable(inner) => {
                initializers.push(quote!(#ident: ::std::option::Option::None));
                let clear = format_ident!("clear_{}", ident.to_string().trim_end_matches('_'));
                let clear_doc = format!("Sends `{}: null`, which clears it.", wire_name(field));
                setters.push(quote! {
                    #(#docs)*
                    pub fn #ident(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
                        self.#ident = ::std::option::Option::Some(::std::option::Option::Some(value.into()));
                        self
                    }
                    #[doc = #clear_doc]
                    pub fn #clear(mut self) -> Self {
                        self.#ident = ::std::option::Option::Some(::std::option::Option::None);
                        self
                    }
                });
            }
            FieldKind::Collection(field_type) => {
                initializers.push(quote!(#ident: ::std::default::Default::default()));
                setters.push(quote! {
                    #(#docs)*
                    pub fn #ident(mut self, value: impl ::std::convert::Into<#field_type>) -> Self {
                        self.#ident = value.into();
                        self
                    }
                });
            }
        }
    }
    let new_doc = format!("Builds a `{name}` from its required fields; every optional field is left out.");
    // A server-sent type with no required field takes nothing, like a request.
    let new = if side == Side::Requests || required_names.is_empty() {
        quote! {
            #[doc = #new_doc]
            pub fn new(#(#parameters),*) -> Self {
                Self { #(#initializers),* }
            }
        }
    } else {
        let required = format_ident!("{}", required_struct_name(&name.to_string()));
        quote! {
            #[doc = #new_doc]
            pub fn new(required: #required) -> Self {
                let #required { #(#required_names),* } = required;
                Self { #(#initializers),* }
            }
        }
    };
    Some(quote! {
        impl #name {
            #new
            #(#setters)*
        }
    })
}

fn classify(field: &syn::Field) -> FieldKind<'_> {
    let has_default = field.attrs.iter().any(|attribute| {
        attribute.path().is_ident("serde") && {
            let text = quote!(#attribute).to_string();
            text.contains("default") || text.contains("skip_serializing_if")
        }
    });
    if !has_default {
        return FieldKind::Required(&field.ty);
    }
    match generic_argument(&field.ty, "Option") {
        Some(inner) => match generic_argument(inner, "Option") {
            Some(innermost) => FieldKind::Clearable(innermost),
            None => FieldKind::Optional(inner),
        },
        None if is_collection(&field.ty) => FieldKind::Collection(&field.ty),
        None => FieldKind::Required(&field.ty),
    }
}

/// `T` when `field_type` is `…::wrapper<T>`.
fn generic_argument<'a>(field_type: &'a Type, wrapper: &str) -> Option<&'a Type> {
    let Type::Path(path) = field_type else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.first()? {
        GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

fn is_collection(field_type: &Type) -> bool {
    let Type::Path(path) = field_type else {
        return false;
    };
    path.path
        .segments
        .last()
        .is_some_and(|segment| ["Vec", "BTreeMap", "HashMap", "BTreeSet"].contains(&segment.ident.to_string().as_str()))
}

/// The JSON name of a field: its `serde(rename)` or its identifier.
fn wire_name(field: &syn::Field) -> String {
    let mut found = None;
    for attribute in field
        .attrs
        .iter()
        .filter(|attribute| attribute.path().is_ident("serde"))
    {
        let _ = attribute.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                found = Some(value.value());
            } else if let Ok(value) = meta.value() {
                // Skip the values of the other keys (`skip_serializing_if = "…"`).
                let _: syn::Expr = value.parse()?;
            }
            Ok(())
        });
    }
    found.unwrap_or_else(|| field.ident.as_ref().map(ToString::to_string).unwrap_or_default())
}
