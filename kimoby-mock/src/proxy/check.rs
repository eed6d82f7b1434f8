//! What the proxy checks, through the contract model: which operation a
//! request is (look-up forms included), its query parameters against their
//! types and bounds, its JSON body against the strict schema, the response's
//! status against the documented ones and its JSON body against the strict
//! and the tolerant schema. Every finding is a [`Departure`]: a place, a
//! kind, a JSON type and format, never a value.

use std::collections::BTreeSet;

use kimoby_contract::{Contract, HttpMethod, Operation, Parameter, ParameterType, PathSegment, Placement};
use kimoby_generated::departure::{Departure, DepartureKind, Direction, Finder, observed_format, observed_type};
use serde_json::Value;

/// The contract and the schemas, ready to check traffic.
#[derive(Debug)]
pub struct Checker {
    contract: Contract,
    finder: Finder,
    /// Every literal segment of every path template: a segment of an unknown
    /// path that is not one of them is written `*` in the report.
    literals: BTreeSet<String>,
}

/// A request, as the checks need it.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `GET`.
    pub method: &'a str,
    /// The path, without the query (`/customers/cu123`).
    pub path: &'a str,
    /// The raw query, without `?`.
    pub query: Option<&'a str>,
}

/// The operation a request was matched to, and the look-up parameters it may use.
#[derive(Debug, Clone, Copy)]
pub struct Matched<'a> {
    /// The operation.
    pub operation: &'a Operation,
    /// Whether the request is the query form of a look-up (`GET /customers?reference=...`).
    pub lookup: bool,
}

impl Checker {
    /// Checks traffic against `contract` and the schemas embedded in `kimoby-generated`.
    pub fn new(contract: Contract, finder: Finder) -> Self {
        let literals = contract
            .operations
            .iter()
            .flat_map(|operation| &operation.path.segments)
            .filter_map(|segment| match segment {
                PathSegment::Literal(literal) => Some(literal.clone()),
                PathSegment::Parameter(_) => None,
            })
            .collect();
        Self {
            contract,
            finder,
            literals,
        }
    }

    /// The operation `request` is: a look-up form first (a collection path
    /// with one of an operation's look-up query parameters), else the
    /// operation whose template matches, literal segments before parameters.
    pub fn operation(&self, request: &Request<'_>) -> Option<Matched<'_>> {
        let method = parse_method(request.method)?;
        let names = query_names(request.query);
        let lookup = self.contract.operations.iter().find(|operation| {
            operation.method == method
                && operation.extensions.lookup.as_ref().is_some_and(|lookup| {
                    lookup.collection_path == request.path
                        && lookup.names().any(|name| names.iter().any(|sent| sent == name))
                })
        });
        if let Some(operation) = lookup {
            return Some(Matched {
                operation,
                lookup: true,
            });
        }
        self.contract
            .operations
            .iter()
            .filter(|operation| operation.method == method && operation.path.matches(request.path))
            .max_by_key(|operation| {
                operation
                    .path
                    .segments
                    .iter()
                    .filter(|segment| matches!(segment, PathSegment::Literal(_)))
                    .count()
            })
            .map(|operation| Matched {
                operation,
                lookup: false,
            })
    }

    /// The operation with this `operationId`.
    pub fn operation_by_id(&self, id: &str) -> Option<&Operation> {
        self.contract.operations.iter().find(|operation| operation.id == id)
    }

    /// The departure of a request no operation describes.
    pub fn unknown_operation(&self, request: &Request<'_>) -> Departure {
        let path: String = request
            .path
            .split('/')
            .skip(1)
            .map(|segment| if self.literals.contains(segment) { segment } else { "*" })
            .fold(String::new(), |path, segment| path + "/" + segment);
        departure(
            None,
            request.method,
            Some(path),
            Direction::Request,
            DepartureKind::UnknownOperation,
        )
    }

    /// The departures of a request's query and JSON body.
    pub fn check_request(
        &self,
        matched: Matched<'_>,
        request: &Request<'_>,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Vec<Departure> {
        let operation = matched.operation;
        let mut found = Vec::new();
        let known: Vec<&Parameter> = self.query_parameters(matched).collect();
        for (name, value) in url::form_urlencoded::parse(request.query.unwrap_or_default().as_bytes()) {
            let at = format!("?{name}");
            let Some(parameter) = known.iter().find(|parameter| parameter.name == name) else {
                let mut unknown = self.departure_of(operation, Direction::Request, None, DepartureKind::UnknownField);
                unknown.pointer = at;
                unknown.observed_type = Some("string".to_owned());
                found.push(unknown);
                continue;
            };
            if let Some(kind) = query_value_departure(parameter, &value) {
                let mut departure = self.departure_of(operation, Direction::Request, None, kind);
                departure.pointer = at;
                departure.observed_type = Some(query_value_type(&value).to_owned());
                departure.observed_format = observed_format(&value).map(str::to_owned);
                found.push(departure);
            }
        }
        let schema = operation
            .request_body
            .as_ref()
            .and_then(|body| body.json())
            .and_then(|media_type| media_type.schema_file());
        if let Some(schema) = schema
            && content_type.is_none_or(is_json)
            && !body.is_empty()
        {
            found.extend(self.body_departures(operation, Direction::Request, None, schema, body));
        }
        found
    }

    /// The departure of an undocumented status, if the status is one.
    pub fn check_status(&self, operation: &Operation, status: u16, body: &[u8]) -> Option<Departure> {
        if operation.response_for(status).is_some() {
            return None;
        }
        let mut undocumented = self.departure_of(
            operation,
            Direction::Response,
            Some(status),
            DepartureKind::UndocumentedStatus,
        );
        undocumented.observed_type = serde_json::from_slice::<Value>(body)
            .ok()
            .map(|value| observed_type(&value).to_owned());
        Some(undocumented)
    }

    /// The departures of a response's JSON body from the schema of its
    /// (documented) status: the costly part of a check, which the proxy
    /// may run after answering.
    pub fn check_response_body(
        &self,
        operation: &Operation,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Vec<Departure> {
        let Some(response) = operation.response_for(status) else {
            return Vec::new();
        };
        let schema = response
            .body
            .as_ref()
            .and_then(|body| body.json())
            .and_then(|media_type| media_type.schema_file());
        match schema {
            Some(schema) if !body.is_empty() || content_type.is_some_and(is_json) => {
                self.body_departures(operation, Direction::Response, Some(status), schema, body)
            }
            _ => Vec::new(),
        }
    }

    fn body_departures(
        &self,
        operation: &Operation,
        direction: Direction,
        status: Option<u16>,
        schema: &str,
        body: &[u8],
    ) -> Vec<Departure> {
        // Most bodies match, and the screen says so without a `Value`.
        if self.finder.accepts_json(schema, body) {
            return Vec::new();
        }
        let Ok(value) = serde_json::from_slice::<Value>(body) else {
            let mut unreadable = self.departure_of(operation, direction, status, DepartureKind::UnreadableBody);
            unreadable.schema = Some(schema.to_owned());
            return vec![unreadable];
        };
        let found = self.finder.departures(schema, &value);
        if found.is_empty() {
            return Vec::new();
        }
        let tolerated = (direction == Direction::Response).then(|| self.finder.is_tolerated(schema, &value));
        found
            .into_iter()
            .map(|found| Departure {
                schema: Some(schema.to_owned()),
                pointer: found.pointer,
                observed_type: found.observed_type,
                observed_format: found.observed_format,
                enum_value: found.enum_value,
                detail: found.detail,
                tolerated,
                ..self.departure_of(operation, direction, status, found.kind)
            })
            .collect()
    }

    /// A departure of `operation` with nothing but its place in the traffic.
    pub fn departure_of(
        &self,
        operation: &Operation,
        direction: Direction,
        status: Option<u16>,
        kind: DepartureKind,
    ) -> Departure {
        let mut departure = departure(
            Some(operation.id.clone()),
            operation.method.as_str(),
            Some(operation.path.template.clone()),
            direction,
            kind,
        );
        departure.status = status;
        departure
    }

    /// The query parameters `matched` may carry: the operation's, and its
    /// look-up parameters for a look-up form.
    fn query_parameters<'a>(&'a self, matched: Matched<'a>) -> impl Iterator<Item = &'a Parameter> {
        let lookup_names: Vec<&str> = match (&matched.operation.extensions.lookup, matched.lookup) {
            (Some(lookup), true) => lookup.names().collect(),
            _ => Vec::new(),
        };
        let own = matched
            .operation
            .parameters
            .iter()
            .filter(|parameter| parameter.placement == Placement::Query);
        let looked_up = self.contract.component_parameters.iter().filter(move |parameter| {
            parameter.placement == Placement::Query && lookup_names.contains(&parameter.name.as_str())
        });
        own.chain(looked_up)
    }
}

/// A departure with its place in the traffic only.
fn departure(
    operation_id: Option<String>,
    method: &str,
    path: Option<String>,
    direction: Direction,
    kind: DepartureKind,
) -> Departure {
    Departure {
        operation_id,
        method: method.to_owned(),
        path,
        direction,
        status: None,
        schema: None,
        pointer: String::new(),
        kind,
        observed_type: None,
        observed_format: None,
        enum_value: None,
        detail: None,
        tolerated: None,
    }
}

/// What is wrong with the value of a query parameter, if anything.
fn query_value_departure(parameter: &Parameter, value: &str) -> Option<DepartureKind> {
    match parameter.parameter_type().ok()? {
        ParameterType::Integer(integer) => match value.trim().parse::<i128>() {
            Err(_) => Some(DepartureKind::WrongType),
            Ok(number) => {
                let below = integer.minimum.is_some_and(|minimum| number < minimum);
                let above = integer.maximum.is_some_and(|maximum| number > maximum);
                (below || above).then_some(DepartureKind::ConstraintViolated)
            }
        },
        ParameterType::DateTime => chrono::DateTime::parse_from_rfc3339(value)
            .is_err()
            .then_some(DepartureKind::ConstraintViolated),
        ParameterType::Boolean => (!matches!(value, "true" | "false")).then_some(DepartureKind::WrongType),
        ParameterType::Text => None,
    }
}

/// The JSON type a query value reads as.
fn query_value_type(value: &str) -> &'static str {
    if value.trim().parse::<i128>().is_ok() {
        "integer"
    } else if matches!(value, "true" | "false") {
        "boolean"
    } else {
        "string"
    }
}

fn query_names(query: Option<&str>) -> Vec<String> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .map(|(name, _)| name.into_owned())
        .collect()
}

fn parse_method(method: &str) -> Option<HttpMethod> {
    Some(match method {
        "GET" => HttpMethod::Get,
        "PUT" => HttpMethod::Put,
        "POST" => HttpMethod::Post,
        "DELETE" => HttpMethod::Delete,
        "PATCH" => HttpMethod::Patch,
        "HEAD" => HttpMethod::Head,
        _ => return None,
    })
}

fn is_json(content_type: &str) -> bool {
    let essence = kimoby_contract::essence(content_type);
    essence == "application/json" || essence.ends_with("+json")
}
