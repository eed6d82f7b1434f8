//! Constructors and setters for the request types (the structs only the client
//! sends), so a request reads
//! `CustomerRequest::new("John Doe").email("john.doe@example.com")` instead of
//! a struct literal listing every optional field as `None`.
//!
//! `new` takes the required fields; each optional field gets a setter taking
//! `impl Into<T>`; a clearable field (`Option<Option<T>>`) also gets
//! `clear_<field>()`, which sends `null`.

use std::collections::BTreeSet;

use quote::{format_ident, quote};
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

/// `new` and setters for every named-field struct of `types` not in
/// `server_sent`, as the items of a separate file that imports the types.
pub fn request_constructors(types: &syn::File, server_sent: &BTreeSet<String>) -> proc_macro2::TokenStream {
    let mut additions = Vec::new();
    for item in &types.items {
        let Item::Struct(item_struct) = item else {
            continue;
        };
        if server_sent.contains(&item_struct.ident.to_string()) {
            continue;
        }
        if let Some(tokens) = constructors(item_struct) {
            additions.push(tokens);
        }
    }
    quote! {
        use super::types::*;
        #(#additions)*
    }
}

fn constructors(item_struct: &ItemStruct) -> Option<proc_macro2::TokenStream> {
    let Fields::Named(named) = &item_struct.fields else {
        return None;
    };
    let name = &item_struct.ident;
    let mut parameters = Vec::new();
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
                initializers.push(quote!(#ident: #ident.into()));
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
    let new_doc = format!("A `{name}` with the required fields; every optional field is left out.");
    Some(quote! {
        impl #name {
            #[doc = #new_doc]
            pub fn new(#(#parameters),*) -> Self {
                Self { #(#initializers),* }
            }
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
