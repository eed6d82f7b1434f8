//! Validated string newtypes (`PhoneNumber`, `CustomerRequestCountry`, ...):
//! typify 0.8 writes their checks in `FromStr`, which ends by copying the
//! `&str` into a new `String`, and routes `TryFrom<String>` and `Deserialize`
//! through it. So deserializing such a field reads a `String`, validates it,
//! and copies it again (measured in `BENCHMARKS.md`).
//!
//! This step moves the checks into a private `validate(&str)` and lets
//! `TryFrom<String>` and `Deserialize` keep the `String` they already own.
//! The checks, their order and their error messages stay typify's.

use std::collections::BTreeSet;

use quote::quote;
use syn::{ImplItem, Item, ItemImpl, Stmt};

/// The last expression of typify's `FromStr::from_str` for a string newtype.
const TYPIFY_COPY_INTO_SELF: &str = "Ok (Self (value . to_string ()))";

/// Rewrites the `FromStr`, `TryFrom<String>` and `Deserialize` impls of every
/// validated string newtype, and adds its `validate`.
pub fn move_validated_strings(file: &mut syn::File) {
    let mut newtypes = BTreeSet::new();
    let mut items = Vec::with_capacity(file.items.len());
    for mut item in std::mem::take(&mut file.items) {
        let validator = match &mut item {
            Item::Impl(item_impl) if trait_name(item_impl).as_deref() == Some("FromStr") => {
                split_from_str(item_impl).inspect(|_| newtypes.extend(self_name(item_impl)))
            }
            _ => None,
        };
        items.push(item);
        // The checks go right after the `FromStr` they came from.
        items.extend(validator.map(Item::Impl));
    }
    file.items = items;
    for item in &mut file.items {
        let Item::Impl(item_impl) = item else {
            continue;
        };
        if !self_name(item_impl).is_some_and(|name| newtypes.contains(&name)) {
            continue;
        }
        match trait_name(item_impl).as_deref() {
            Some("TryFrom") if converts_from_owned_string(item_impl) => {
                replace_body(item_impl, quote! { Self::validate(&value)?; Ok(Self(value)) });
            }
            Some("Deserialize") => replace_body(
                item_impl,
                quote! {
                    let value = ::std::string::String::deserialize(deserializer)?;
                    Self::try_from(value).map_err(<D::Error as ::serde::de::Error>::custom)
                },
            ),
            _ => {}
        }
    }
}

/// When `item_impl` is typify's `FromStr` of a string newtype, turns its body
/// into `Self::validate(value)?; Ok(Self(value.to_string()))` and returns the
/// `impl Name { fn validate(value: &str) -> Result<(), Err> }` that holds the
/// checks.
fn split_from_str(item_impl: &mut ItemImpl) -> Option<ItemImpl> {
    let self_type = item_impl.self_ty.clone();
    let error_type = item_impl.items.iter().find_map(|item| match item {
        ImplItem::Type(associated) if associated.ident == "Err" => Some(associated.ty.clone()),
        _ => None,
    })?;
    let function = item_impl.items.iter_mut().find_map(|item| match item {
        ImplItem::Fn(function) if function.sig.ident == "from_str" => Some(function),
        _ => None,
    })?;
    let Some(Stmt::Expr(last, None)) = function.block.stmts.last() else {
        return None;
    };
    // A newtype without constraints (`Infallible`) has nothing to move out.
    if quote!(#last).to_string() != TYPIFY_COPY_INTO_SELF || function.block.stmts.len() < 2 {
        return None;
    }
    let mut checks = std::mem::take(&mut function.block.stmts);
    checks.pop();
    function.block = syn::parse_quote!({
        Self::validate(value)?;
        Ok(Self(value.to_string()))
    });
    Some(syn::parse_quote! {
        impl #self_type {
            /// Checks `value` against the schema's constraints.
            fn validate(value: &str) -> ::std::result::Result<(), #error_type> {
                #(#checks)*
                Ok(())
            }
        }
    })
}

fn replace_body(item_impl: &mut ItemImpl, body: proc_macro2::TokenStream) {
    for item in &mut item_impl.items {
        if let ImplItem::Fn(function) = item {
            function.block = syn::parse_quote!({ #body });
        }
    }
}

fn trait_name(item_impl: &ItemImpl) -> Option<String> {
    let (path, _) = item_impl.trait_.as_ref()?;
    path.segments.last().map(|segment| segment.ident.to_string())
}

fn self_name(item_impl: &ItemImpl) -> Option<String> {
    let syn::Type::Path(self_type) = item_impl.self_ty.as_ref() else {
        return None;
    };
    self_type.path.get_ident().map(ToString::to_string)
}

/// `TryFrom<String>` (not `TryFrom<&str>` or `TryFrom<&String>`).
fn converts_from_owned_string(item_impl: &ItemImpl) -> bool {
    let Some((path, _)) = &item_impl.trait_ else {
        return false;
    };
    let Some(syn::PathArguments::AngleBracketed(arguments)) = path.segments.last().map(|segment| &segment.arguments)
    else {
        return false;
    };
    let Some(syn::GenericArgument::Type(syn::Type::Path(argument))) = arguments.args.first() else {
        return false;
    };
    argument
        .path
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "String")
}
