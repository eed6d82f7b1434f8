//! [`Contract`]: the whole manifest read, from `servers` to `webhooks`, and
//! which schema files travel towards the server (request bodies) or come
//! from it (responses, error bodies, webhook deliveries).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::location::{ContractError, Location, Result};
use crate::operation::{Operation, Webhook, read_operation, read_webhook};
use crate::parameters::Parameter;
use crate::path::{HttpMethod, PathTemplate};

/// The file name of the manifest in the schema folder.
pub const MANIFEST_FILE: &str = "openapi.json";

/// How many internal references in a row are followed before giving up.
const MAX_REFERENCE_DEPTH: usize = 32;

/// A server of the manifest's `servers`.
#[derive(Debug, Clone)]
pub struct Server {
    /// `url` as written (it may hold `{variables}`).
    pub url: String,
    /// The default of each server variable, by name.
    pub variable_defaults: BTreeMap<String, String>,
    /// Where it is in the manifest.
    pub location: Location,
}

impl Server {
    /// The URL with every `{variable}` replaced by its default.
    ///
    /// # Errors
    ///
    /// A `{` without its `}`, or a variable without a string default, at
    /// the pointer to fix.
    pub fn resolved_url(&self) -> Result<String> {
        let url_location = self.location.child("url");
        let mut url = self.url.clone();
        while let Some(start) = url.find('{') {
            let end = url[start..]
                .find('}')
                .map(|end| start + end)
                .ok_or_else(|| ContractError::new(&url_location, "has a `{` without its `}`"))?;
            let name = url[start + 1..end].to_owned();
            let value = self.variable_defaults.get(&name).ok_or_else(|| {
                ContractError::new(
                    &self.location.child("variables").child(&name).child("default"),
                    format!("the server variable `{name}` needs a string default"),
                )
            })?;
            url.replace_range(start..=end, value);
        }
        Ok(url)
    }
}

/// The contract: every fact of the manifest, read and checked.
#[derive(Debug, Clone)]
pub struct Contract {
    /// `info.title`.
    pub title: String,
    /// `servers`, in order.
    pub servers: Vec<Server>,
    /// The description of every tag of `tags` that has one.
    pub tag_descriptions: BTreeMap<String, String>,
    /// Every operation under `paths`, in path then method order.
    pub operations: Vec<Operation>,
    /// Every entry of `components/parameters`, in manifest order: where the
    /// query forms of look-ups are described (they are sent to the
    /// collection path, whose `GET` is the list, so no operation lists them).
    pub component_parameters: Vec<Parameter>,
    /// The webhook events of `webhooks`, in manifest order.
    pub webhooks: Vec<Webhook>,
    /// Schema files the server sends (responses, error bodies, webhook
    /// deliveries), each with the first place the manifest refers to it.
    pub server_sent_files: BTreeMap<String, Location>,
    /// Schema files the client sends (request bodies), likewise.
    pub client_sent_files: BTreeMap<String, Location>,
}

impl Contract {
    /// Reads the manifest document (`openapi.json`).
    ///
    /// # Errors
    ///
    /// Whatever cannot be read, at its JSON pointer.
    pub fn from_document(document: &Value) -> Result<Self> {
        let root = Location::root(MANIFEST_FILE);
        if !document.is_object() {
            return Err(ContractError::new(
                &root,
                "the manifest must be a JSON object (an OpenAPI document)",
            ));
        }
        let paths = document
            .get("paths")
            .and_then(Value::as_object)
            .ok_or_else(|| ContractError::new(&root.child("paths"), "the manifest needs a `paths` object"))?;
        let mut component_parameters = Vec::new();
        if let Some(components) = document.pointer("/components/parameters").and_then(Value::as_object) {
            let components_location = root.child("components").child("parameters");
            for (key, raw) in components {
                let location = components_location.child(key);
                let parameter = resolve_internal(document, raw, &location)?;
                component_parameters.push(Parameter::read(parameter, location)?);
            }
        }
        let mut operations = Vec::new();
        let mut server_sent_files = BTreeMap::new();
        let mut client_sent_files = BTreeMap::new();
        for (path, item) in paths {
            let item_location = root.child("paths").child(path);
            let item = resolve_internal(document, item, &item_location)?;
            let template = PathTemplate::parse(path, &item_location)?;
            let shared_parameters = item
                .get("parameters")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            for method in HttpMethod::ALL {
                let Some(operation) = item.get(method.key()) else {
                    continue;
                };
                let location = item_location.child(method.key());
                let parsed = read_operation(
                    document,
                    &template,
                    method,
                    operation,
                    shared_parameters,
                    &component_parameters,
                    &location,
                )?;
                if let Some(file) = parsed
                    .request_body
                    .as_ref()
                    .and_then(|body| body.preferred().schema_file())
                {
                    client_sent_files
                        .entry(file.to_owned())
                        .or_insert(location.child("requestBody"));
                }
                collect_files(
                    operation.get("responses"),
                    &location.child("responses"),
                    document,
                    &mut server_sent_files,
                    &mut BTreeSet::new(),
                );
                operations.push(parsed);
            }
        }
        check_collection_paths(&operations, paths)?;
        // Webhook deliveries come from the server, like responses.
        collect_files(
            document.get("webhooks"),
            &root.child("webhooks"),
            document,
            &mut server_sent_files,
            &mut BTreeSet::new(),
        );
        let mut webhooks = Vec::new();
        if let Some(listed) = document.get("webhooks") {
            let listed = listed.as_object().ok_or_else(|| {
                ContractError::new(
                    &root.child("webhooks"),
                    "must be an object (the webhook events by name)",
                )
            })?;
            for (event_name, item) in listed {
                webhooks.push(read_webhook(
                    document,
                    event_name,
                    item,
                    &root.child("webhooks").child(event_name),
                )?);
            }
        }
        Ok(Self {
            title: document
                .pointer("/info/title")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            servers: read_servers(document, &root)?,
            tag_descriptions: read_tag_descriptions(document),
            operations,
            component_parameters,
            webhooks,
            server_sent_files,
            client_sent_files,
        })
    }

    /// The operation `method` on the path template `path` (a key of `paths`).
    pub fn operation(&self, method: HttpMethod, path: &str) -> Option<&Operation> {
        self.operations
            .iter()
            .find(|operation| operation.method == method && operation.path.template == path)
    }

    /// The webhook event `event_name`, if the manifest describes it.
    pub fn webhook(&self, event_name: &str) -> Option<&Webhook> {
        self.webhooks.iter().find(|webhook| webhook.event_name == event_name)
    }
}

/// The collection path of every look-up is a key of `paths`.
fn check_collection_paths(operations: &[Operation], paths: &serde_json::Map<String, Value>) -> Result<()> {
    for lookup in operations
        .iter()
        .filter_map(|operation| operation.extensions.lookup.as_ref())
    {
        if !paths.contains_key(&lookup.collection_path) {
            return Err(ContractError::new(
                &lookup.location.child("collection_path"),
                format!("`{}` is not a key of `paths`", lookup.collection_path),
            ));
        }
    }
    Ok(())
}

fn read_servers(document: &Value, root: &Location) -> Result<Vec<Server>> {
    let mut servers = Vec::new();
    let Some(listed) = document.get("servers") else {
        return Ok(servers);
    };
    let listed = listed
        .as_array()
        .ok_or_else(|| ContractError::new(&root.child("servers"), "must be an array of servers"))?;
    for (index, server) in listed.iter().enumerate() {
        let location = root.child("servers").child(&index.to_string());
        let url = server
            .get("url")
            .and_then(Value::as_str)
            .ok_or_else(|| ContractError::new(&location.child("url"), "a server needs a `url` string"))?;
        let variable_defaults = server
            .get("variables")
            .and_then(Value::as_object)
            .map(|variables| {
                variables
                    .iter()
                    .filter_map(|(name, variable)| {
                        let default = variable.get("default")?.as_str()?;
                        Some((name.clone(), default.to_owned()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        servers.push(Server {
            url: url.to_owned(),
            variable_defaults,
            location,
        });
    }
    Ok(servers)
}

fn read_tag_descriptions(document: &Value) -> BTreeMap<String, String> {
    document
        .get("tags")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .filter_map(|tag| {
                    let name = tag.get("name")?.as_str()?;
                    let description = tag.get("description")?.as_str()?;
                    Some((name.to_owned(), description.to_owned()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Follows an internal `#/...` reference, once or repeatedly; an error at
/// the `$ref` that names nothing or another document.
pub(crate) fn resolve_internal<'a>(
    document: &'a Value,
    mut value: &'a Value,
    location: &Location,
) -> Result<&'a Value> {
    let mut current = location.clone();
    for _ in 0..MAX_REFERENCE_DEPTH {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return Ok(value);
        };
        let Some(pointer) = reference.strip_prefix('#') else {
            return Err(ContractError::new(
                &current.child("$ref"),
                format!("only references inside the manifest (`#/...`) are read here, not `{reference}`"),
            ));
        };
        value = document.pointer(pointer).ok_or_else(|| {
            ContractError::new(
                &current.child("$ref"),
                format!("`{reference}` does not exist in the manifest"),
            )
        })?;
        current = current.at(pointer);
    }
    Err(ContractError::new(
        &current,
        format!("more than {MAX_REFERENCE_DEPTH} references in a row (a cycle?)"),
    ))
}

/// Every schema file referenced under `value` (at `location`), following
/// internal references, with the first place each is referred to.
fn collect_files(
    value: Option<&Value>,
    location: &Location,
    document: &Value,
    found: &mut BTreeMap<String, Location>,
    followed: &mut BTreeSet<String>,
) {
    match value {
        Some(Value::Object(object)) => {
            if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
                if let Some(pointer) = reference.strip_prefix('#') {
                    if followed.insert(pointer.to_owned()) {
                        collect_files(
                            document.pointer(pointer),
                            &location.at(pointer),
                            document,
                            found,
                            followed,
                        );
                    }
                } else {
                    let file = reference.split('#').next().unwrap_or(reference).to_owned();
                    found.entry(file).or_insert(location.child("$ref"));
                }
            }
            for (key, nested) in object {
                collect_files(Some(nested), &location.child(key), document, found, followed);
            }
        }
        Some(Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                collect_files(
                    Some(item),
                    &location.child(&index.to_string()),
                    document,
                    found,
                    followed,
                );
            }
        }
        _ => {}
    }
}
