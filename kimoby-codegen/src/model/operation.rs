//! One operation, resolved: [`OperationMethod`] with its [`HttpMethod`],
//! [`PathTemplate`], target (collection, typed path parameters or a
//! look-up), query parameters, groups, pagination, body, response and
//! repeatability.

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::Value;

use crate::bundle::Bundle;
use crate::error::{Error, Location, Result};
use crate::manifest::{Body, Operation};

use super::lookup::Lookup;
use super::pagination::Pagination;
use super::parameters::{
    ParameterGroup, ParameterType, PathParameter, QueryParameter, parameter_groups, rust_field_name,
};

/// An HTTP method the client can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `PATCH`.
    Patch,
}

impl HttpMethod {
    fn parse(method: &str, location: &Location) -> Result<Self> {
        Ok(match method {
            "GET" => Self::Get,
            "PUT" => Self::Put,
            "POST" => Self::Post,
            "DELETE" => Self::Delete,
            "PATCH" => Self::Patch,
            other => {
                return Err(Error::Manifest {
                    location: location.clone(),
                    message: format!("the client cannot send `{other}` operations"),
                });
            }
        })
    }

    /// The upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Patch => "PATCH",
        }
    }

    /// The runtime's `Method` variant.
    pub fn variant(self) -> &'static str {
        match self {
            Self::Get => "Get",
            Self::Put => "Put",
            Self::Post => "Post",
            Self::Delete => "Delete",
            Self::Patch => "Patch",
        }
    }

    /// Whether the runtime retries it after a failure the server may have
    /// seen, unless told otherwise (`GET`, `PUT`, `DELETE`).
    pub fn is_idempotent(self) -> bool {
        matches!(self, Self::Get | Self::Put | Self::Delete)
    }
}

/// A path template such as `/customers/{id}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    /// As written.
    pub template: String,
    /// Its segments.
    pub segments: Vec<PathSegment>,
}

/// One segment of a [`PathTemplate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Text, sent as it is.
    Literal(String),
    /// A `{parameter}`: the whole segment.
    Parameter(String),
}

impl PathTemplate {
    fn parse(template: &str, location: &Location) -> Result<Self> {
        let malformed = |why: &str| Error::Manifest {
            location: location.clone(),
            message: format!("path `{template}` {why}"),
        };
        let rest = template
            .strip_prefix('/')
            .ok_or_else(|| malformed("must start with `/`"))?;
        let mut segments = Vec::new();
        for segment in rest.split('/') {
            if let Some(name) = segment.strip_prefix('{').and_then(|inner| inner.strip_suffix('}')) {
                if name.is_empty() || name.contains(['{', '}']) {
                    return Err(malformed("has a malformed `{parameter}`"));
                }
                segments.push(PathSegment::Parameter(name.to_owned()));
            } else if segment.contains(['{', '}']) {
                return Err(malformed("has a parameter that is not a whole segment"));
            } else if segment.is_empty() && !rest.is_empty() {
                return Err(malformed("has an empty segment"));
            } else if !segment.is_empty() {
                segments.push(PathSegment::Literal(segment.to_owned()));
            }
        }
        Ok(Self {
            template: template.to_owned(),
            segments,
        })
    }

    /// The parameter names, in order.
    pub fn parameters(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|segment| match segment {
            PathSegment::Parameter(name) => Some(name.as_str()),
            PathSegment::Literal(_) => None,
        })
    }

    /// The template with every parameter as `{}`, for `format!`.
    pub fn format_string(&self) -> String {
        let mut text = String::new();
        for segment in &self.segments {
            text.push('/');
            match segment {
                PathSegment::Literal(literal) => text.push_str(literal),
                PathSegment::Parameter(_) => text.push_str("{}"),
            }
        }
        if text.is_empty() {
            text.push('/');
        }
        text
    }
}

/// What the request is sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A path without parameters.
    Collection,
    /// A path with typed parameters, constructor arguments.
    PathParameters(Vec<PathParameter>),
    /// A record found through a look-up type (the id in the path, or one
    /// query parameter on the collection path).
    Lookup {
        /// The look-up type.
        type_name: String,
    },
}

/// The request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestBody {
    /// No body.
    None,
    /// A JSON body of this type.
    Json {
        /// The request type.
        type_name: String,
    },
    /// A `multipart/form-data` file upload.
    Multipart,
}

/// What a success answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// No body.
    Empty,
    /// A JSON body of this type.
    Json {
        /// The response type.
        type_name: String,
        /// The schema file of the body (`customer.json`), which the client
        /// checks answers against when asked to report drift.
        schema_file: String,
    },
}

/// One operation, ready to emit.
#[derive(Debug, Clone)]
pub struct OperationMethod {
    /// `operationId`.
    pub id: String,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template.
    pub path: PathTemplate,
    /// `summary`, if any.
    pub summary: Option<String>,
    /// `description`, if any.
    pub description: Option<String>,
    /// The method on the resource: the operationId's first word (`list`).
    pub method_name: String,
    /// The builder type (`ListCustomers`).
    pub builder_name: String,
    /// Where the request goes.
    pub target: Target,
    /// Optional query parameters with setters (not the page or look-up ones).
    pub query: Vec<QueryParameter>,
    /// Query parameters set together.
    pub groups: Vec<ParameterGroup>,
    /// How the list pages, for a paginated list.
    pub pagination: Option<Pagination>,
    /// The request body.
    pub body: RequestBody,
    /// The success response.
    pub response: Response,
    /// Whether it may be sent again after a failure the server may have seen.
    pub repeatable: bool,
    /// Where the operation is in the manifest.
    pub location: Location,
}

impl OperationMethod {
    /// Resolves `operation`; `siblings` are the operations of its tag. Also
    /// returns the look-up it describes, if any.
    pub fn new(
        operation: &Operation,
        siblings: &[&Operation],
        components: &[crate::manifest::Parameter],
        bundle: &Bundle,
    ) -> Result<(Self, Option<Lookup>)> {
        let location = &operation.location;
        let method = HttpMethod::parse(&operation.method, location)?;
        let path = PathTemplate::parse(&operation.path, &location.parent())?;
        let verb = operation.id.to_snake_case();
        let method_name = verb.split('_').next().unwrap_or(&verb).to_owned();
        let response = response(operation, bundle)?;
        let body = match &operation.request_body {
            None => RequestBody::None,
            Some(body) if body.content_type.starts_with("multipart/form-data") => RequestBody::Multipart,
            Some(body) => RequestBody::Json {
                type_name: body_type(body, bundle, &location.child("requestBody"))?,
            },
        };
        let lookup = match operation.extensions.get("x-kimoby-lookup") {
            Some(extension) => {
                let record_type = siblings
                    .iter()
                    .find(|sibling| sibling.path == operation.path && sibling.method == "GET")
                    .and_then(|sibling| sibling.success_responses.values().flatten().next())
                    .map(|body| body_type(body, bundle, &location.child("x-kimoby-lookup")))
                    .transpose()?
                    .ok_or_else(|| Error::Manifest {
                        location: location.child("x-kimoby-lookup"),
                        message: "a look-up path needs a GET operation returning the record".to_owned(),
                    })?;
                Some(Lookup::new(extension, operation, &record_type, components)?)
            }
            None => None,
        };
        let path_parameters = path_parameters(operation, &path)?;
        let target = match (&lookup, path_parameters.is_empty()) {
            (Some(lookup), _) => {
                if path_parameters.len() != 1 {
                    return Err(Error::Manifest {
                        location: location.child("x-kimoby-lookup"),
                        message: "a look-up path must have exactly one path parameter".to_owned(),
                    });
                }
                Target::Lookup {
                    type_name: lookup.type_name.clone(),
                }
            }
            (None, true) => Target::Collection,
            (None, false) => Target::PathParameters(path_parameters),
        };
        let pagination = match operation.extensions.get("x-kimoby-pagination") {
            Some(extension) => {
                let Response::Json { type_name, .. } = &response else {
                    return Err(Error::Manifest {
                        location: location.child("responses"),
                        message: "a paginated list needs a JSON response body".to_owned(),
                    });
                };
                Some(Pagination::new(
                    extension,
                    type_name,
                    &operation.parameters,
                    bundle,
                    &location.child("x-kimoby-pagination"),
                )?)
            }
            None => None,
        };
        let mut query = Vec::new();
        for parameter in operation
            .parameters
            .iter()
            .filter(|parameter| parameter.location == "query")
        {
            let paging = pagination
                .as_ref()
                .is_some_and(|pagination| pagination.is_page_parameter(&parameter.name));
            let looked_up = lookup
                .as_ref()
                .is_some_and(|lookup| lookup.covers_query_parameter(&parameter.name));
            if !paging && !looked_up {
                query.push(QueryParameter::new(parameter)?);
            }
        }
        let groups = match operation.extensions.get("x-kimoby-parameter-groups") {
            Some(extension) => parameter_groups(extension, &query, &location.child("x-kimoby-parameter-groups"))?,
            None => Vec::new(),
        };
        let repeatable = match operation.extensions.get("x-kimoby-repeatable") {
            None => method.is_idempotent(),
            Some(Value::Bool(repeatable)) => *repeatable,
            Some(other) => {
                return Err(Error::Manifest {
                    location: location.child("x-kimoby-repeatable"),
                    message: format!("must be `true` or `false`, found `{other}`"),
                });
            }
        };
        Ok((
            Self {
                id: operation.id.clone(),
                method,
                path,
                summary: operation.summary.clone(),
                description: operation.description.clone(),
                method_name,
                builder_name: operation.id.to_upper_camel_case(),
                target,
                query,
                groups,
                pagination,
                body,
                response,
                repeatable,
                location: location.clone(),
            },
            lookup,
        ))
    }

    /// The query parameters that have their own setter (not in a group).
    pub fn ungrouped_query(&self) -> impl Iterator<Item = &QueryParameter> {
        self.query
            .iter()
            .filter(|parameter| !self.groups.iter().any(|group| group.members.contains(&parameter.wire)))
    }
}

/// The type of the one JSON success body, or `Empty`; several success
/// statuses must agree.
fn response(operation: &Operation, bundle: &Bundle) -> Result<Response> {
    let location = operation.location.child("responses");
    let mut found: Option<(String, Response)> = None;
    for (status, body) in &operation.success_responses {
        let response = match body {
            None => Response::Empty,
            Some(body) => Response::Json {
                type_name: body_type(body, bundle, &location.child(status))?,
                schema_file: body.schema_file().unwrap_or_default().to_owned(),
            },
        };
        match &found {
            Some((first, existing)) if *existing != response => {
                return Err(Error::Manifest {
                    location: location.child(status),
                    message: format!("answers another body than the `{first}` response: the client decodes one type"),
                });
            }
            Some(_) => {}
            None => found = Some((status.clone(), response)),
        }
    }
    Ok(found.map_or(Response::Empty, |(_, response)| response))
}

/// The Rust type of a body that is a `$ref` to a schema file.
fn body_type(body: &Body, bundle: &Bundle, location: &Location) -> Result<String> {
    body.schema_file()
        .and_then(|file| bundle.file_roots.get(file))
        .cloned()
        .ok_or_else(|| Error::Manifest {
            location: location.clone(),
            message: format!("the body must be a `$ref` to a schema file, found `{}`", body.schema),
        })
}

/// Every `{parameter}` of the path, declared as a path parameter.
fn path_parameters(operation: &Operation, path: &PathTemplate) -> Result<Vec<PathParameter>> {
    let mut parameters = Vec::new();
    for name in path.parameters() {
        let parameter = operation
            .parameters
            .iter()
            .find(|parameter| parameter.location == "path" && parameter.name == name)
            .ok_or_else(|| Error::Manifest {
                location: operation.location.child("parameters"),
                message: format!("path parameter `{name}` of `{}` is not declared", operation.path),
            })?;
        let parameter_type = ParameterType::of(parameter)?;
        if !matches!(parameter_type, ParameterType::Text | ParameterType::Integer(_)) {
            return Err(Error::Manifest {
                location: parameter.source.child("schema"),
                message: format!("path parameter `{name}` must be a string or an integer"),
            });
        }
        parameters.push(PathParameter {
            wire: name.to_owned(),
            field: rust_field_name(name),
            parameter_type,
        });
    }
    for parameter in operation
        .parameters
        .iter()
        .filter(|parameter| parameter.location == "path")
    {
        if !path.parameters().any(|name| name == parameter.name) {
            return Err(Error::Manifest {
                location: parameter.source.clone(),
                message: format!(
                    "path parameter `{}` does not appear in `{}`",
                    parameter.name, operation.path
                ),
            });
        }
    }
    Ok(parameters)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_templates() {
        let location = Location::root("openapi.json");
        let path = PathTemplate::parse("/customers/{id}/notes", &location).unwrap();
        assert_eq!(path.parameters().collect::<Vec<_>>(), ["id"]);
        assert_eq!(path.format_string(), "/customers/{}/notes");
        for bad in ["customers", "/a/{id", "/a/x{id}", "/a//b", "/a/{}"] {
            assert!(PathTemplate::parse(bad, &location).is_err(), "{bad}");
        }
    }
}
