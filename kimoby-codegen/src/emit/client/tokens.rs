//! Model values as Rust tokens: parameter types, setter arguments, and the
//! runtime's `IntegerParameter` declarations.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{IntegerType, ParameterType};

/// The type a builder stores the parameter as.
pub fn field_type(parameter_type: &ParameterType) -> TokenStream {
    match parameter_type {
        ParameterType::DateTime => quote!(::chrono::DateTime<::chrono::FixedOffset>),
        ParameterType::Integer(integer) => integer_type(integer),
        ParameterType::Boolean => quote!(bool),
        ParameterType::Text => quote!(String),
    }
}

/// The Rust integer type.
pub fn integer_type(integer: &IntegerType) -> TokenStream {
    let name = format_ident!("{}", integer.rust.name());
    quote!(#name)
}

/// The type a setter takes.
pub fn setter_argument(parameter_type: &ParameterType) -> TokenStream {
    match parameter_type {
        ParameterType::DateTime => quote!(impl Into<::chrono::DateTime<::chrono::FixedOffset>>),
        ParameterType::Text => quote!(impl Into<String>),
        other => field_type(other),
    }
}

/// `value` as the stored type.
pub fn convert(parameter_type: &ParameterType, value: &TokenStream) -> TokenStream {
    match parameter_type {
        ParameterType::DateTime | ParameterType::Text => quote!(#value.into()),
        _ => quote!(#value),
    }
}

/// A runtime `IntegerParameter` literal for the parameter `wire`.
pub fn integer_parameter(wire: &str, integer: &IntegerType) -> TokenStream {
    let option = |value: Option<i128>| match value {
        Some(value) => {
            let value = proc_macro2::Literal::i128_unsuffixed(value);
            quote!(Some(#value))
        }
        None => quote!(None),
    };
    let minimum = option(integer.minimum);
    let maximum = option(integer.maximum);
    let default = option(integer.default);
    quote! {
        runtime::IntegerParameter {
            name: #wire,
            minimum: #minimum,
            maximum: #maximum,
            default: #default,
        }
    }
}

/// Adds the query pair `wire` from the stored `value` (a reference) to `spec`.
pub fn push_query(wire: &str, parameter_type: &ParameterType, value: &TokenStream) -> TokenStream {
    match parameter_type {
        ParameterType::Integer(integer) if integer.is_bounded() => {
            let parameter = integer_parameter(wire, integer);
            quote!(spec = spec.query_integer(&#parameter, *#value)?;)
        }
        ParameterType::DateTime => quote!(spec = spec.query(#wire, #value.to_rfc3339());),
        ParameterType::Text => quote!(spec = spec.query(#wire, #value.as_str());),
        ParameterType::Integer(_) | ParameterType::Boolean => quote!(spec = spec.query(#wire, #value.to_string());),
    }
}
