//! Look-ups (`x-kimoby-lookup`): which query parameters find one record on a
//! collection path, for each method, each with the pointer it is written at
//! (the domain layer maps each to a store index, and names that pointer when
//! it cannot).

use axum::http::Method;

use super::{Collection, ManifestError};

/// The query parameters that find one record on a collection path with one
/// method, in the manifest's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LookupParameters {
    parameters: Vec<LookupParameter>,
}

/// One look-up query parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupParameter {
    /// Its name (`reference`): the field of the same name finds the record.
    pub name: String,
    /// The JSON pointer of the name in the manifest.
    pub pointer: String,
}

impl LookupParameters {
    /// No look-up parameters (the manifest gives no look-up for the method).
    pub const NONE: Self = Self { parameters: Vec::new() };

    /// The parameters' names, in the manifest's order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.parameters.iter().map(|parameter| parameter.name.as_str())
    }

    /// The parameters, in the manifest's order.
    pub fn parameters(&self) -> &[LookupParameter] {
        &self.parameters
    }
}

/// The query form one operation's `x-kimoby-lookup` describes.
#[derive(Debug, Clone)]
pub struct LookupForm {
    /// The collection path the query form is sent to.
    pub collection: Collection,
    /// The JSON pointer of `collection_path` in the manifest.
    pub collection_pointer: String,
    /// Its method (the operation's).
    pub method: Method,
    /// Its parameters.
    pub parameters: LookupParameters,
}

/// The methods the mock serves look-ups with on a collection path.
const LOOKUP_METHODS: [Method; 3] = [Method::GET, Method::PUT, Method::DELETE];

/// The look-up form of `lookup`, the `x-kimoby-lookup` of an operation with
/// `method` (checked by the contract model: its path parameter, its
/// collection path a key of `paths`, its names unique).
pub(super) fn lookup_form(lookup: &kimoby_contract::Lookup, method: &Method) -> Result<LookupForm, ManifestError> {
    let at = lookup.location.child("collection_path");
    let collection = Collection::from_path(&lookup.collection_path).ok_or_else(|| {
        ManifestError::at(
            &at,
            format!(
                "the mock serves look-ups on {}, not on `{}`",
                super::served_paths(),
                lookup.collection_path
            ),
        )
    })?;
    if !LOOKUP_METHODS.contains(method) {
        return Err(ManifestError::at(
            &lookup.location,
            format!("the mock serves look-ups with GET, PUT and DELETE, not {method}"),
        ));
    }
    let parameters = lookup
        .query_parameters
        .iter()
        .map(|parameter| LookupParameter {
            name: parameter.name.clone(),
            pointer: parameter.location.pointer.clone(),
        })
        .collect();
    Ok(LookupForm {
        collection,
        collection_pointer: at.pointer,
        method: method.clone(),
        parameters: LookupParameters { parameters },
    })
}
