//! Which of the store's indexes each look-up query parameter of the manifest
//! reads (`x-kimoby-lookup`; a parameter finds records by the field of the
//! same name), checked once when the server starts, and the look-up a
//! request's query asks for.

use axum::http::Method;

use crate::contract::{Collection, Contract, LookupForm, ManifestError};
use crate::domain::error::{ApiError, ApiResult};
use crate::domain::pagination::QueryParams;
use crate::domain::store::{Lookup, LookupKey, LookupRecord};

/// The records found by look-ups on `collection`, if the store finds any there.
pub fn lookup_record(collection: Collection) -> Option<LookupRecord> {
    match collection {
        Collection::Customers => Some(LookupRecord::Customer),
        Collection::Appointments => Some(LookupRecord::Appointment),
        Collection::Events => Some(LookupRecord::Event),
        Collection::Messages | Collection::Invoices => None,
    }
}

/// Every look-up form of a contract, each parameter mapped to its index.
#[derive(Debug, Clone, Default)]
pub struct LookupIndexes {
    forms: Vec<IndexedForm>,
}

/// One look-up form: where, with which method, which record, and the
/// parameters with their indexes, in the manifest's order.
#[derive(Debug, Clone)]
struct IndexedForm {
    collection: Collection,
    method: Method,
    record: LookupRecord,
    parameters: Vec<(String, LookupKey)>,
}

impl LookupIndexes {
    /// Maps every look-up parameter of `contract` to the store's index of the
    /// field of the same name; an error at the manifest's pointer for a
    /// collection the store finds no record on, or a field it keeps no index for.
    pub fn new(contract: &Contract) -> Result<Self, ManifestError> {
        let forms = contract.lookup_forms().map(indexed_form).collect::<Result<_, _>>()?;
        Ok(Self { forms })
    }

    /// The look-up the query asks for on `collection` with `method`: `None`
    /// without any of its parameters, a 400 with more than one.
    pub fn find(&self, collection: Collection, method: &Method, query: &QueryParams) -> ApiResult<Option<Lookup>> {
        let Some(form) = self.form(collection, method) else {
            return Ok(None);
        };
        let present: Vec<(&str, LookupKey, &str)> = form
            .parameters
            .iter()
            .filter_map(|(name, key)| query.get(name).map(|value| (name.as_str(), *key, value)))
            .collect();
        match present.as_slice() {
            [] => Ok(None),
            [(_, key, value)] => Ok(Some(key.lookup((*value).to_owned()))),
            _ => Err(ApiError::bad_request(format!(
                "send exactly one look-up parameter, not {}",
                present.iter().map(|(name, ..)| *name).collect::<Vec<_>>().join(" and ")
            ))),
        }
    }

    /// The look-up the query asks for, or a 400 saying how to find the record.
    pub fn require(&self, collection: Collection, method: &Method, query: &QueryParams) -> ApiResult<Lookup> {
        self.find(collection, method, query)?.ok_or_else(|| {
            let form = self.form(collection, method);
            let record = form
                .map(|form| form.record)
                .or_else(|| lookup_record(collection))
                .map_or("record", LookupRecord::name);
            let names = form
                .map(|form| {
                    form.parameters
                        .iter()
                        .map(|(name, _)| name.as_str())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
                .join(", ");
            ApiError::bad_request(if names.is_empty() {
                format!("give the {record}'s id in the path")
            } else {
                format!("give the {record}'s id in the path, or one of {names}")
            })
        })
    }

    fn form(&self, collection: Collection, method: &Method) -> Option<&IndexedForm> {
        self.forms
            .iter()
            .find(|form| form.collection == collection && form.method == *method)
    }
}

/// `form` with each parameter's index.
fn indexed_form(form: &LookupForm) -> Result<IndexedForm, ManifestError> {
    let record = lookup_record(form.collection).ok_or_else(|| {
        let served: Vec<&str> = Collection::ALL
            .into_iter()
            .filter(|collection| lookup_record(*collection).is_some())
            .map(Collection::path)
            .collect();
        ManifestError {
            pointer: form.collection_pointer.clone(),
            problem: format!(
                "the mock serves look-ups on {}, not on `{}`",
                served.join(", "),
                form.collection.path()
            ),
        }
    })?;
    let parameters = form
        .parameters
        .parameters()
        .iter()
        .map(|parameter| {
            record
                .keys()
                .iter()
                .copied()
                .find(|key| key.field() == parameter.name)
                .map(|key| (parameter.name.clone(), key))
                .ok_or_else(|| {
                    let indexes: Vec<&str> = record.keys().iter().map(|key| key.field()).collect();
                    ManifestError {
                        pointer: parameter.pointer.clone(),
                        problem: format!(
                            "the mock's store cannot find a {} by `{}`: it indexes them by {} only",
                            record.name(),
                            parameter.name,
                            indexes.join(", ")
                        ),
                    }
                })
        })
        .collect::<Result<_, _>>()?;
    Ok(IndexedForm {
        collection: form.collection,
        method: form.method.clone(),
        record,
        parameters,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn embedded() -> Value {
        serde_json::from_str(kimoby_generated::schemas::manifest()).unwrap()
    }

    fn indexes_of(manifest: &Value) -> Result<LookupIndexes, ManifestError> {
        LookupIndexes::new(&Contract::from_manifest(manifest)?)
    }

    #[test]
    fn look_ups_map_to_the_store_indexes() {
        let mut manifest = embedded();
        manifest["paths"]["/customers/{id}"]["get"]["x-kimoby-lookup"]["query_parameters"] = json!(["reference"]);
        let indexes = indexes_of(&manifest).unwrap();
        let query = QueryParams::parse(Some("reference=R1&id=x"));
        let found = indexes.find(Collection::Customers, &Method::GET, &query).unwrap();
        assert_eq!(found.map(|found| found.key()), Some(LookupKey::Reference));
        let error = indexes.find(Collection::Customers, &Method::PUT, &query).unwrap_err();
        assert!(error.to_string().contains("exactly one look-up parameter"), "{error}");
        let missing = indexes
            .require(Collection::Customers, &Method::DELETE, &QueryParams::parse(None))
            .unwrap_err();
        assert!(
            missing
                .to_string()
                .contains("give the customer's id in the path, or one of id, reference, cell_phone_number"),
            "{missing}"
        );
        assert_eq!(
            indexes.find(Collection::Messages, &Method::GET, &query).unwrap(),
            None,
            "no look-up on messages"
        );
    }

    #[test]
    fn a_field_the_store_does_not_index_is_refused_at_its_pointer() {
        let lookup = "/paths/~1customers~1{id}/get/x-kimoby-lookup";
        let mut manifest = embedded();
        // `date_start` is a query parameter of the manifest (the contract
        // model refuses a name that is none), but no field of a customer.
        manifest["paths"]["/customers/{id}"]["get"]["x-kimoby-lookup"]["query_parameters"] =
            json!(["id", "date_start"]);
        let error = indexes_of(&manifest).unwrap_err();
        assert_eq!(error.pointer, format!("{lookup}/query_parameters/1"));
        assert!(
            error.problem.contains("cannot find a customer by `date_start`"),
            "{error}"
        );

        let mut manifest = embedded();
        manifest["paths"]["/appointments/{id}"]["delete"]["x-kimoby-lookup"]["query_parameters"] =
            json!(["cell_phone_number"]);
        let error = indexes_of(&manifest).unwrap_err();
        assert_eq!(
            error.pointer,
            "/paths/~1appointments~1{id}/delete/x-kimoby-lookup/query_parameters/0"
        );

        let mut manifest = embedded();
        manifest["paths"]["/customers/{id}"]["get"]["x-kimoby-lookup"]["collection_path"] = json!("/messages");
        let error = indexes_of(&manifest).unwrap_err();
        assert_eq!(error.pointer, format!("{lookup}/collection_path"));
        assert!(error.problem.contains("serves look-ups on /customers"), "{error}");
    }
}
