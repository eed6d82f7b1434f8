//! One resource file: the accessor on `Client`, the resource struct with
//! one method per operation (each starting a builder), a doc example, and
//! the builders.

use quote::{format_ident, quote};

use crate::model::{Api, OperationMethod, Resource, Target};

use super::{ClientFile, EmitSettings, builder};

/// The file of `resource`.
pub fn emit(resource: &Resource, api: &Api, settings: &EmitSettings) -> ClientFile {
    let struct_name = format_ident!("{}", resource.struct_name);
    let accessor = format_ident!("{}", resource.accessor);
    let used_lookups: std::collections::BTreeSet<_> = resource
        .operations
        .iter()
        .filter_map(|operation| match &operation.target {
            Target::Lookup { type_name } => Some(format_ident!("{type_name}")),
            _ => None,
        })
        .collect();
    let used_lookups = used_lookups.into_iter();
    let accessor_doc = format!("Operations on {}: see [`{}`].", resource.tag, resource.struct_name);
    let mut doc = resource
        .description
        .clone()
        .unwrap_or_else(|| format!("Operations on {}.", resource.tag));
    doc.push_str(&format!("\n\nGet one with `client.{}()`.", resource.accessor));
    if let Some(example) = example(resource, api, settings) {
        doc.push_str("\n\n```no_run\n");
        doc.push_str(&example);
        doc.push_str("```");
    }
    let constructors = resource.operations.iter().map(builder::constructor);
    let builders = resource
        .operations
        .iter()
        .map(|operation| builder::builder(operation, resource));
    let tokens = quote! {
        use crate::runtime;
        use super::super::types;
        use super::Client;
        #(use super::#used_lookups;)*

        impl Client {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> #struct_name {
                #struct_name { transport: self.transport.clone() }
            }
        }

        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct #struct_name {
            transport: runtime::Transport,
        }

        impl #struct_name {
            #(#constructors)*
        }

        #(#builders)*
    };
    ClientFile {
        name: format!("{}.rs", resource.accessor),
        docs: format!(
            "The `{}` operations of the client: [`{}`] and its builders.",
            resource.tag, resource.struct_name
        ),
        tokens,
    }
}

/// A compiled (not run) example: a look-up, else a stream of a list, else a
/// plain `GET` of the collection.
fn example(resource: &Resource, api: &Api, settings: &EmitSettings) -> Option<String> {
    let accessor = &resource.accessor;
    let crate_name = &settings.crate_name;
    let prelude = format!("# async fn example(client: {crate_name}::Client) -> Result<(), {crate_name}::Error> {{\n");
    let is_get = |operation: &&OperationMethod| operation.method == crate::model::HttpMethod::Get;
    let lookup = resource
        .operations
        .iter()
        .filter(is_get)
        .find_map(|operation| match &operation.target {
            Target::Lookup { type_name } => Some((operation, api.lookups.get(type_name)?)),
            _ => None,
        });
    if let Some((operation, lookup)) = lookup {
        let (constructor, value) = match lookup.variants.iter().find(|variant| variant.example.is_some()) {
            Some(variant) => (variant.constructor.clone(), variant.example.clone().unwrap_or_default()),
            None => ("id".to_owned(), "id-from-the-api".to_owned()),
        };
        return Some(format!(
            "use {crate_name}::client::{type_name};\n{prelude}let found = client\n    .{accessor}()\n    .{method}({type_name}::{constructor}({value:?}))\n    .send()\n    .await?;\nprintln!(\"{{found:?}}\");\n# Ok(())\n# }}\n",
            type_name = lookup.type_name,
            method = operation.method_name,
        ));
    }
    if let Some(operation) = resource
        .operations
        .iter()
        .find(|operation| operation.pagination.is_some())
    {
        return Some(format!(
            "use futures_util::TryStreamExt;\n{prelude}let mut all = std::pin::pin!(client.{accessor}().{}().stream());\nwhile let Some(item) = all.try_next().await? {{\n    println!(\"{{item:?}}\");\n}}\n# Ok(())\n# }}\n",
            operation.method_name
        ));
    }
    let operation = resource
        .operations
        .iter()
        .filter(is_get)
        .find(|operation| operation.target == Target::Collection)?;
    Some(format!(
        "{prelude}let listed = client.{accessor}().{}().send().await?;\nprintln!(\"{{listed:?}}\");\n# Ok(())\n# }}\n",
        operation.method_name
    ))
}
