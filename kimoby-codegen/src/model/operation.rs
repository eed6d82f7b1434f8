//! One operation, resolved: [`OperationMethod`] with its [`HttpMethod`],
//! [`PathTemplate`], target (collection, typed path parameters or a
//! look-up), query parameters, groups, pagination, body, response and
//! repeatability.

use heck::{ToSnakeCase, ToUpperCamelCase};
use kimoby_contract::{Body, Operation};

pub use kimoby_contract::{PathSegment, PathTemplate};

use crate::error::{Error, Location, Result};
use crate::prepare::bundle::Bundle;

use super::lookup::Lookup;
use super::pagination::Pagination;
use super::parameters::{
    ParameterGroup, ParameterType, PathParameter, QueryParameter, is_path, is_query, parameter_groups, rust_field_name,
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
    fn parse(method: kimoby_contract::HttpMethod, location: &Location) -> Result<Self> {
        use kimoby_contract::HttpMethod as Contract;
        Ok(match method {
            Contract::Get => Self::Get,
            Contract::Put => Self::Put,
            Contract::Post => Self::Post,
            Contract::Delete => Self::Delete,
            Contract::Patch => Self::Patch,
            other @ (Contract::Head | Contract::Options | Contract::Trace) => {
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
    pub fn new(operation: &Operation, siblings: &[&Operation], bundle: &Bundle) -> Result<(Self, Option<Lookup>)> {
        let location = &operation.location;
        let method = HttpMethod::parse(operation.method, location)?;
        let path = operation.path.clone();
        let verb = operation.id.to_snake_case();
        let method_name = verb.split('_').next().unwrap_or(&verb).to_owned();
        let response = response(operation, bundle)?;
        let body = match &operation.request_body {
            None => RequestBody::None,
            Some(body) if body.preferred().name.starts_with("multipart/form-data") => RequestBody::Multipart,
            Some(body) => RequestBody::Json {
                type_name: body_type(body, bundle, &location.child("requestBody"))?,
            },
        };
        let lookup = match &operation.extensions.lookup {
            Some(extension) => {
                let record_type = siblings
                    .iter()
                    .find(|sibling| {
                        sibling.path == operation.path && sibling.method == kimoby_contract::HttpMethod::Get
                    })
                    .and_then(|sibling| sibling.success_responses().find_map(|response| response.body.as_ref()))
                    .map(|body| body_type(body, bundle, &extension.location))
                    .transpose()?
                    .ok_or_else(|| Error::Manifest {
                        location: extension.location.clone(),
                        message: "a look-up path needs a GET operation returning the record".to_owned(),
                    })?;
                Some(Lookup::new(extension, &operation.id, &record_type)?)
            }
            None => None,
        };
        let path_parameters = path_parameters(operation, &path)?;
        let target = match (&lookup, path_parameters.is_empty()) {
            (Some(lookup), _) => {
                if path_parameters.len() != 1 {
                    return Err(Error::Manifest {
                        location: lookup.location.clone(),
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
        let pagination = match &operation.extensions.pagination {
            Some(extension) => {
                let Response::Json { type_name, .. } = &response else {
                    return Err(Error::Manifest {
                        location: location.child("responses"),
                        message: "a paginated list needs a JSON response body".to_owned(),
                    });
                };
                Some(Pagination::new(extension, type_name, bundle)?)
            }
            None => None,
        };
        let mut query = Vec::new();
        for parameter in operation.parameters.iter().filter(|parameter| is_query(parameter)) {
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
        let groups = parameter_groups(&operation.extensions.parameter_groups, &query)?;
        let repeatable = operation
            .extensions
            .repeatable
            .unwrap_or_else(|| method.is_idempotent());
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
    for success in operation.success_responses() {
        let status = &success.status;
        let response = match &success.body {
            None => Response::Empty,
            Some(body) => Response::Json {
                type_name: body_type(body, bundle, &location.child(status))?,
                schema_file: body.preferred().schema_file().unwrap_or_default().to_owned(),
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
    let media = body.preferred();
    media
        .schema_file()
        .and_then(|file| bundle.file_roots.get(file))
        .cloned()
        .ok_or_else(|| Error::Manifest {
            location: location.clone(),
            message: format!("the body must be a `$ref` to a schema file, found `{}`", media.schema),
        })
}

/// Every `{parameter}` of the path, declared as a path parameter.
fn path_parameters(operation: &Operation, path: &PathTemplate) -> Result<Vec<PathParameter>> {
    let mut parameters = Vec::new();
    for name in path.parameters() {
        let parameter = operation
            .parameters
            .iter()
            .find(|parameter| is_path(parameter) && parameter.name == name)
            .ok_or_else(|| Error::Manifest {
                location: operation.location.child("parameters"),
                message: format!(
                    "path parameter `{name}` of `{}` is not declared",
                    operation.path.template
                ),
            })?;
        let parameter_type = parameter.parameter_type()?;
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
    for parameter in operation.parameters.iter().filter(|parameter| is_path(parameter)) {
        if !path.parameters().any(|name| name == parameter.name) {
            return Err(Error::Manifest {
                location: parameter.source.clone(),
                message: format!(
                    "path parameter `{}` does not appear in `{}`",
                    parameter.name, operation.path.template
                ),
            });
        }
    }
    Ok(parameters)
}
