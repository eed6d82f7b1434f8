//! Edits of typify's output as a `syn` tree, for what typify has no setting
//! for: response enums get a catch-all `Other(String)` variant so a value the
//! server adds later deserializes (and serializes back unchanged) instead of
//! failing the whole payload. typify's maintainers decline such a variant, so
//! the generator rewrites the enum and its string conversions here. The
//! generated code holds only each enum's table of wire values; the shared
//! conversions and serde code are the hand-written `crate::open_enum` of
//! `kimoby-generated`.
//!
//! Request fields that are optional and nullable become `Option<Option<T>>`,
//! so "leave as is" (absent) and "clear it" (`null`) can both be sent.

use std::collections::BTreeSet;

use quote::quote;
use serde_json::Value;
use syn::{Attribute, Fields, Item, ItemEnum, LitStr, Meta, Token, punctuated::Punctuated};

use crate::prepare::bundle::Bundle;

/// Rewrites every simple string enum named in `open` into an open enum.
pub fn open_enums(file: &mut syn::File, open: &BTreeSet<String>) {
    if open.is_empty() {
        return;
    }
    let mut extra_items = Vec::new();
    let mut items = Vec::with_capacity(file.items.len());
    for item in std::mem::take(&mut file.items) {
        match item {
            Item::Enum(mut item_enum) if open.contains(&item_enum.ident.to_string()) && is_simple(&item_enum) => {
                let wire_names = open_enum_definition(&mut item_enum);
                extra_items.push(open_enum_impls(&item_enum, &wire_names));
                items.push(Item::Enum(item_enum));
            }
            Item::Impl(item_impl) if is_replaced_string_impl(&item_impl, open) => {}
            other => items.push(other),
        }
    }
    file.items = items;
    for tokens in extra_items {
        let parsed: syn::File = syn::parse2(tokens).expect("open enum impls are valid Rust");
        file.items.extend(parsed.items);
    }
}

fn is_simple(item_enum: &ItemEnum) -> bool {
    item_enum
        .variants
        .iter()
        .all(|variant| matches!(variant.fields, Fields::Unit))
}

/// Drops serde derives and attributes and `Copy`, adds `Other(String)`; returns
/// `(variant, wire name)` pairs.
fn open_enum_definition(item_enum: &mut ItemEnum) -> Vec<(syn::Ident, String)> {
    for attribute in &mut item_enum.attrs {
        remove_derives(attribute, &["Copy", "Serialize", "Deserialize"]);
    }
    item_enum.attrs.retain(|attribute| !attribute.path().is_ident("serde"));
    let mut wire_names = Vec::new();
    for variant in &mut item_enum.variants {
        let wire = serde_rename(&variant.attrs).unwrap_or_else(|| variant.ident.to_string());
        variant.attrs.retain(|attribute| !attribute.path().is_ident("serde"));
        wire_names.push((variant.ident.clone(), wire));
    }
    item_enum.attrs.push(syn::parse_quote!(#[non_exhaustive]));
    item_enum.variants.push(syn::parse_quote! {
        /// A value this version of the crate does not know yet, kept exactly as sent.
        Other(::std::string::String)
    });
    wire_names
}

fn remove_derives(attribute: &mut Attribute, unwanted: &[&str]) {
    if !attribute.path().is_ident("derive") {
        return;
    }
    let Ok(paths) = attribute.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated) else {
        return;
    };
    let kept: Punctuated<syn::Path, Token![,]> = paths
        .into_iter()
        .filter(|path| {
            let last = path
                .segments
                .last()
                .map(|segment| segment.ident.to_string())
                .unwrap_or_default();
            !unwanted.contains(&last.as_str())
        })
        .collect();
    *attribute = syn::parse_quote!(#[derive(#kept)]);
}

fn serde_rename(attributes: &[Attribute]) -> Option<String> {
    let mut found = None;
    for attribute in attributes.iter().filter(|attribute| attribute.path().is_ident("serde")) {
        if let Meta::List(_) = &attribute.meta {
            let _ = attribute.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    let value: LitStr = meta.value()?.parse()?;
                    found = Some(value.value());
                }
                Ok(())
            });
        }
    }
    found
}

/// typify's `Display`, `FromStr` and `TryFrom<&str | String>` impls of an
/// enum that is being opened: replaced by infallible ones.
fn is_replaced_string_impl(item_impl: &syn::ItemImpl, open: &BTreeSet<String>) -> bool {
    let syn::Type::Path(self_type) = item_impl.self_ty.as_ref() else {
        return false;
    };
    let Some(self_name) = self_type.path.get_ident().map(ToString::to_string) else {
        return false;
    };
    if !open.contains(&self_name) {
        return false;
    }
    let Some((trait_path, _)) = &item_impl.trait_ else {
        return false;
    };
    let trait_name = trait_path
        .segments
        .last()
        .map(|segment| segment.ident.to_string())
        .unwrap_or_default();
    matches!(trait_name.as_str(), "Display" | "FromStr" | "TryFrom")
}

/// Path of the hand-written module (`kimoby-generated/src/open_enum.rs`) that
/// holds the conversions and serde code every open enum shares.
const OPEN_ENUM_MODULE: &str = "crate::open_enum";

/// What differs from one open enum to the next, its table of variants and
/// wire values, as an `OpenEnum` impl; one `impl_open_enum_traits!` line adds
/// the conversions and serde impls every open enum shares.
fn open_enum_impls(item_enum: &ItemEnum, wire_names: &[(syn::Ident, String)]) -> proc_macro2::TokenStream {
    let name = &item_enum.ident;
    let type_name = name.to_string();
    let variants: Vec<_> = wire_names.iter().map(|(variant, _)| variant).collect();
    let wires: Vec<_> = wire_names.iter().map(|(_, wire)| wire).collect();
    let module: syn::Path = syn::parse_str(OPEN_ENUM_MODULE).expect("the open enum module path is a valid path");
    quote! {
        impl #module::OpenEnum for #name {
            const TYPE_NAME: &'static str = #type_name;
            const KNOWN_VALUES: &'static [&'static str] = &[#(#wires),*];
            fn from_known(value: &str) -> ::std::option::Option<Self> {
                match value {
                    #(#wires => ::std::option::Option::Some(Self::#variants),)*
                    _ => ::std::option::Option::None,
                }
            }
            fn from_unknown(value: ::std::string::String) -> Self {
                Self::Other(value)
            }
            fn wire_value(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::Other(value) => value.as_str(),
                }
            }
        }
        #module::impl_open_enum_traits!(#name);
    }
}

/// Optional *and* nullable properties of request definitions, as
/// `(type name, property name)`: for those, absent ("leave as is") and `null`
/// ("clear it") mean different things to the API, so they become
/// `Option<Option<T>>`.
pub fn clearable_fields(bundle: &Bundle, lenient: &BTreeSet<String>) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for (name, definition) in &bundle.definitions {
        if lenient.contains(name) {
            continue;
        }
        let Some(properties) = definition.schema.get("properties").and_then(Value::as_object) else {
            continue;
        };
        let required: BTreeSet<&str> = definition
            .schema
            .get("required")
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (property, schema) in properties {
            if !required.contains(property.as_str()) && allows_null(schema) {
                found.insert((name.clone(), property.clone()));
            }
        }
    }
    found
}

fn allows_null(schema: &Value) -> bool {
    let type_allows = match schema.get("type") {
        Some(Value::String(kind)) => kind == "null",
        Some(Value::Array(kinds)) => kinds.iter().any(|kind| kind == "null"),
        _ => false,
    };
    let branch_allows = ["oneOf", "anyOf"].iter().any(|keyword| {
        schema
            .get(*keyword)
            .and_then(Value::as_array)
            .is_some_and(|branches| branches.iter().any(allows_null))
    });
    type_allows || branch_allows
}

/// The hand-written serde helper for `Option<Option<T>>` fields
/// (`kimoby-generated/src/clearable.rs`).
const CLEARABLE_MODULE: &str = "crate::clearable";

/// Turns the `Option<T>` fields named in `fields` into `Option<Option<T>>`
/// (`None`: not sent; `Some(None)`: sent as `null`), serialized with the
/// hand-written `CLEARABLE_MODULE`.
pub fn clearable_options(file: &mut syn::File, fields: &BTreeSet<(String, String)>) {
    for item in &mut file.items {
        let Item::Struct(item_struct) = item else {
            continue;
        };
        let struct_name = item_struct.ident.to_string();
        let Fields::Named(named) = &mut item_struct.fields else {
            continue;
        };
        for field in &mut named.named {
            let wire = serde_rename(&field.attrs)
                .or_else(|| field.ident.as_ref().map(|ident| ident.to_string()))
                .unwrap_or_default();
            if !fields.contains(&(struct_name.clone(), wire)) {
                continue;
            }
            let inner = &field.ty;
            field.ty = syn::parse_quote!(::std::option::Option<#inner>);
            field.attrs.retain(|attribute| !attribute.path().is_ident("serde"));
            let helper = CLEARABLE_MODULE;
            field.attrs.push(syn::parse_quote! {
                #[serde(default, skip_serializing_if = "::std::option::Option::is_none", with = #helper)]
            });
        }
    }
}

/// `pub use` of every hand-written type that replaced a definition, so the
/// types module names every schema's type.
pub fn reexport_replacements(
    file: &mut syn::File,
    replaced: &BTreeSet<String>,
    replacements: &std::collections::BTreeMap<String, String>,
) {
    for name in replaced {
        let Some(path) = replacements.get(name) else {
            continue;
        };
        let Ok(path) = syn::parse_str::<syn::Path>(path) else {
            continue;
        };
        let doc = format!(
            "Hand-written: see [`{name}`]({}).",
            quote!(#path).to_string().replace(' ', "")
        );
        file.items.push(syn::parse_quote! {
            #[doc = #doc]
            pub use #path;
        });
    }
}

/// Gives every undocumented variant of a plain string enum a doc line naming
/// its wire value, so the generated crate documents every public item.
pub fn document_variants(file: &mut syn::File) {
    for item in &mut file.items {
        let Item::Enum(item_enum) = item else {
            continue;
        };
        if !is_simple(item_enum) {
            continue;
        }
        for variant in &mut item_enum.variants {
            if variant.attrs.iter().any(|attribute| attribute.path().is_ident("doc")) {
                continue;
            }
            let wire = serde_rename(&variant.attrs).unwrap_or_else(|| variant.ident.to_string());
            let doc = format!("`{wire}`");
            variant.attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
        }
    }
}

/// typify's validated newtypes refuse a value with a message that names only
/// the broken rule (`doesn't match pattern "…"`); prefix it with the type, so
/// `"x".parse::<PhoneNumber>()` fails with `PhoneNumber: doesn't match …`.
pub fn name_conversion_errors(file: &mut syn::File) {
    use syn::visit_mut::VisitMut;

    struct Prefixer<'a>(&'a str);
    impl VisitMut for Prefixer<'_> {
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            if call.method == "into"
                && let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) = call.receiver.as_mut()
            {
                let prefixed = format!("{}: {}", self.0, text.value());
                *text = LitStr::new(&prefixed, text.span());
            }
            syn::visit_mut::visit_expr_method_call_mut(self, call);
        }
    }

    for item in &mut file.items {
        let Item::Impl(item_impl) = item else {
            continue;
        };
        let is_from_str = item_impl
            .trait_
            .as_ref()
            .and_then(|(path, _)| path.segments.last())
            .is_some_and(|segment| segment.ident == "FromStr");
        let syn::Type::Path(self_type) = item_impl.self_ty.as_ref() else {
            continue;
        };
        let Some(name) = self_type.path.get_ident().map(ToString::to_string) else {
            continue;
        };
        if is_from_str {
            Prefixer(&name).visit_item_impl_mut(item_impl);
        }
    }
}
