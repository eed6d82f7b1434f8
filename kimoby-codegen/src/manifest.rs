//! The endpoint manifest (`schemas/openapi.json`) as written: operations
//! with their parameters (component references resolved), bodies and
//! responses, the servers and tags, and which schema files travel towards
//! the server (requests) or come from it (responses, webhook deliveries).
//! [`crate::model`] resolves it into the typed model the emitters read.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::{Error, Location, Result};
use crate::load::MANIFEST_FILE;

/// HTTP methods an OpenAPI path item can hold, in output order.
const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/// One operation of the manifest.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`.
    pub id: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template, such as `/customers/{id}`.
    pub path: String,
    /// First tag: the resource the operation belongs to.
    pub tag: String,
    /// `summary`, if any.
    pub summary: Option<String>,
    /// `description`, if any.
    pub description: Option<String>,
    /// Parameters, with component references resolved.
    pub parameters: Vec<Parameter>,
    /// The request body, if any.
    pub request_body: Option<Body>,
    /// Success responses (2xx) by status code.
    pub success_responses: BTreeMap<String, Option<Body>>,
    /// Vendor extensions (`x-…`) of the operation.
    pub extensions: BTreeMap<String, Value>,
    /// Where the operation is in the manifest.
    pub location: Location,
}

/// A parameter of an operation.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// Name on the wire.
    pub name: String,
    /// `path`, `query` or `header`.
    pub location: String,
    /// Whether it must be given.
    pub required: bool,
    /// Its schema.
    pub schema: Value,
    /// `description`, if any.
    pub description: Option<String>,
    /// `example`, if any.
    pub example: Option<Value>,
    /// Where the parameter is written (in `components` when referenced).
    pub source: Location,
}

/// A server of the manifest's `servers`.
#[derive(Debug, Clone)]
pub struct Server {
    /// `url`.
    pub url: String,
    /// Where it is in the manifest.
    pub location: Location,
}

/// A request or response body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Media type, such as `application/json`.
    pub content_type: String,
    /// Its schema as written (a `$ref` to a schema file, or inline).
    pub schema: Value,
}

impl Body {
    /// The schema file the body refers to, if it is a plain `$ref` to one.
    pub fn schema_file(&self) -> Option<&str> {
        let reference = self.schema.get("$ref")?.as_str()?;
        (!reference.starts_with('#')).then(|| reference.split('#').next().unwrap_or(reference))
    }
}

/// The parsed manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// Every operation under `paths`, in path then method order.
    pub operations: Vec<Operation>,
    /// Schema files the server sends (responses, error bodies, webhook
    /// deliveries), each with the first place the manifest refers to it.
    pub server_sent_files: BTreeMap<String, Location>,
    /// Schema files the client sends (request bodies), likewise.
    pub client_sent_files: BTreeMap<String, Location>,
    /// `info.title`.
    pub title: String,
    /// `servers`, in order.
    pub servers: Vec<Server>,
    /// The description of every tag of `tags` that has one.
    pub tag_descriptions: BTreeMap<String, String>,
    /// Every entry of `components/parameters`, in manifest order: where the
    /// query forms of look-ups are described (they are sent to the
    /// collection path, whose `GET` is the list, so no operation lists them).
    pub component_parameters: Vec<Parameter>,
}

impl Manifest {
    /// Reads the manifest document.
    pub fn new(document: &Value) -> Result<Self> {
        let root = Location::root(MANIFEST_FILE);
        let paths = document
            .get("paths")
            .and_then(Value::as_object)
            .ok_or_else(|| manifest_error(&root.child("paths"), "the manifest needs a `paths` object"))?;
        let mut operations = Vec::new();
        let mut server_sent_files = BTreeMap::new();
        let mut client_sent_files = BTreeMap::new();
        for (path, item) in paths {
            let item_location = root.child("paths").child(path);
            let shared_parameters = item.get("parameters").cloned().unwrap_or(Value::Array(Vec::new()));
            for method in METHODS {
                let Some(operation) = item.get(*method) else {
                    continue;
                };
                let location = item_location.child(method);
                let parsed = parse_operation(document, path, method, operation, &shared_parameters, &location)?;
                if let Some(file) = parsed.request_body.as_ref().and_then(Body::schema_file) {
                    let body_location = location.child("requestBody");
                    client_sent_files.entry(file.to_owned()).or_insert(body_location);
                }
                let responses = location.child("responses");
                collect_files(
                    operation.get("responses"),
                    &responses,
                    document,
                    &mut server_sent_files,
                    &mut BTreeSet::new(),
                );
                operations.push(parsed);
            }
        }
        // Webhook deliveries come from the server, like responses.
        collect_files(
            document.get("webhooks"),
            &root.child("webhooks"),
            document,
            &mut server_sent_files,
            &mut BTreeSet::new(),
        );
        let title = document
            .pointer("/info/title")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let mut servers = Vec::new();
        if let Some(listed) = document.get("servers").and_then(Value::as_array) {
            for (index, server) in listed.iter().enumerate() {
                let location = root.child("servers").child(&index.to_string());
                let url = server
                    .get("url")
                    .and_then(Value::as_str)
                    .ok_or_else(|| manifest_error(&location.child("url"), "a server needs a `url` string"))?;
                servers.push(Server {
                    url: url.to_owned(),
                    location,
                });
            }
        }
        let tag_descriptions = document
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
            .unwrap_or_default();
        let mut component_parameters = Vec::new();
        if let Some(components) = document.pointer("/components/parameters").and_then(Value::as_object) {
            let components_location = root.child("components").child("parameters");
            for (key, raw) in components {
                let location = components_location.child(key);
                let parameter = resolve_internal(document, raw, &location)?;
                component_parameters.push(read_parameter(parameter, location)?);
            }
        }
        Ok(Self {
            operations,
            server_sent_files,
            client_sent_files,
            title,
            servers,
            tag_descriptions,
            component_parameters,
        })
    }
}

fn manifest_error(location: &Location, message: &str) -> Error {
    Error::Manifest {
        location: location.clone(),
        message: message.to_owned(),
    }
}

/// Follows an internal `#/components/...` reference, once or repeatedly.
fn resolve_internal<'a>(document: &'a Value, mut value: &'a Value, location: &Location) -> Result<&'a Value> {
    for _ in 0..8 {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return Ok(value);
        };
        let Some(pointer) = reference.strip_prefix('#') else {
            return Ok(value);
        };
        value = document
            .pointer(pointer)
            .ok_or_else(|| manifest_error(location, &format!("`{reference}` does not exist in the manifest")))?;
    }
    Err(manifest_error(location, "reference chain too long"))
}

fn parse_operation(
    document: &Value,
    path: &str,
    method: &str,
    operation: &Value,
    shared_parameters: &Value,
    location: &Location,
) -> Result<Operation> {
    let text = |key: &str| operation.get(key).and_then(Value::as_str).map(str::to_owned);
    let id = text("operationId")
        .ok_or_else(|| manifest_error(&location.child("operationId"), "every operation needs an `operationId`"))?;
    let tag = operation
        .pointer("/tags/0")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            manifest_error(
                &location.child("tags"),
                "every operation needs a tag naming its resource",
            )
        })?
        .to_owned();
    let mut parameters = Vec::new();
    let own_parameters = operation
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let inherited = shared_parameters.as_array().cloned().unwrap_or_default();
    for (index, raw) in inherited.iter().chain(own_parameters.iter()).enumerate() {
        let parameter_location = if index < inherited.len() {
            location.parent().child("parameters").child(&index.to_string())
        } else {
            location
                .child("parameters")
                .child(&(index - inherited.len()).to_string())
        };
        let parameter = resolve_internal(document, raw, &parameter_location)?;
        let source = match raw
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix('#'))
        {
            Some(pointer) => Location {
                file: location.file.clone(),
                pointer: pointer.to_owned(),
            },
            None => parameter_location.clone(),
        };
        let parameter = read_parameter(parameter, source)?;
        parameters.retain(|existing: &Parameter| {
            !(existing.name == parameter.name && existing.location == parameter.location)
        });
        parameters.push(parameter);
    }
    let request_body = match operation.get("requestBody") {
        Some(raw) => {
            let body_location = location.child("requestBody");
            first_body(resolve_internal(document, raw, &body_location)?, &body_location)?
        }
        None => None,
    };
    let mut success_responses = BTreeMap::new();
    if let Some(responses) = operation.get("responses").and_then(Value::as_object) {
        for (status, raw) in responses {
            if !status.starts_with('2') {
                continue;
            }
            let response_location = location.child("responses").child(status);
            let response = resolve_internal(document, raw, &response_location)?;
            success_responses.insert(status.clone(), first_body(response, &response_location)?);
        }
    }
    if success_responses.is_empty() {
        return Err(manifest_error(
            &location.child("responses"),
            "no 2xx response is documented",
        ));
    }
    let extensions = operation
        .as_object()
        .map(|object| {
            object
                .iter()
                .filter(|(key, _)| key.starts_with("x-"))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect()
        })
        .unwrap_or_default();
    Ok(Operation {
        id,
        method: method.to_ascii_uppercase(),
        path: path.to_owned(),
        tag,
        summary: text("summary"),
        description: text("description"),
        parameters,
        request_body,
        success_responses,
        extensions,
        location: location.clone(),
    })
}

/// One parameter object (references already followed), written at `source`.
fn read_parameter(parameter: &Value, source: Location) -> Result<Parameter> {
    let field = |key: &str| parameter.get(key).and_then(Value::as_str).map(str::to_owned);
    let name = field("name").ok_or_else(|| manifest_error(&source, "parameter without `name`"))?;
    let kind = field("in").ok_or_else(|| manifest_error(&source, "parameter without `in`"))?;
    Ok(Parameter {
        required: parameter
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(kind == "path"),
        schema: parameter.get("schema").cloned().unwrap_or(Value::Bool(true)),
        description: field("description"),
        example: parameter.get("example").cloned(),
        source,
        name,
        location: kind,
    })
}

/// The first media type of a `content` map (JSON first if present).
fn first_body(holder: &Value, location: &Location) -> Result<Option<Body>> {
    let Some(content) = holder.get("content").and_then(Value::as_object) else {
        return Ok(None);
    };
    let chosen = content
        .get_key_value("application/json")
        .or_else(|| content.iter().next())
        .ok_or_else(|| manifest_error(&location.child("content"), "empty `content`"))?;
    Ok(Some(Body {
        content_type: chosen.0.clone(),
        schema: chosen.1.get("schema").cloned().unwrap_or(Value::Bool(true)),
    }))
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
                let reference_location = location.child("$ref");
                if let Some(pointer) = reference.strip_prefix('#') {
                    if followed.insert(pointer.to_owned()) {
                        let target = Location {
                            file: location.file.clone(),
                            pointer: pointer.to_owned(),
                        };
                        collect_files(document.pointer(pointer), &target, document, found, followed);
                    }
                } else {
                    let file = reference.split('#').next().unwrap_or(reference).to_owned();
                    found.entry(file).or_insert(reference_location);
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
