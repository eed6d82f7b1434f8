//! One operation of `paths` ([`Operation`]) and one webhook event of
//! `webhooks` ([`Webhook`]), read from the manifest.

use serde_json::Value;

use crate::body::Body;
use crate::extensions::Extensions;
use crate::location::{ContractError, Location, Result};
use crate::manifest::resolve_internal;
use crate::parameters::Parameter;
use crate::path::{HttpMethod, PathTemplate};

/// One operation of the manifest.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`.
    pub id: String,
    /// The method.
    pub method: HttpMethod,
    /// The path template, the key of `paths`.
    pub path: PathTemplate,
    /// First tag: the resource the operation belongs to.
    pub tag: String,
    /// `summary`, if any.
    pub summary: Option<String>,
    /// `description`, if any.
    pub description: Option<String>,
    /// Parameters of the path item and of the operation, references
    /// followed (the operation's replace the path item's of the same name).
    pub parameters: Vec<Parameter>,
    /// The request body, if any.
    pub request_body: Option<Body>,
    /// Every documented response by status key (`200`, `4XX`, `default`),
    /// in the manifest's order, with its body if it has one.
    pub responses: Vec<Response>,
    /// The `x-kimoby-*` extensions.
    pub extensions: Extensions,
    /// Where the operation is in the manifest.
    pub location: Location,
}

/// One documented response.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status key: `200`, `4XX` or `default`.
    pub status: String,
    /// The body, if the response has `content`.
    pub body: Option<Body>,
    /// Where the response is (in the operation, even when it refers to
    /// `components/responses`).
    pub location: Location,
}

impl Operation {
    /// The success responses (2xx), in the manifest's order.
    pub fn success_responses(&self) -> impl Iterator<Item = &Response> {
        self.responses
            .iter()
            .filter(|response| response.status.starts_with('2'))
    }

    /// The response for `status`: the exact status, else its class
    /// (`4XX`), else `default`.
    pub fn response_for(&self, status: u16) -> Option<&Response> {
        let exact = status.to_string();
        let class = format!("{}XX", status / 100);
        [exact.as_str(), class.as_str(), "default"].into_iter().find_map(|key| {
            self.responses
                .iter()
                .find(|response| response.status.eq_ignore_ascii_case(key))
        })
    }
}

/// A webhook event of the manifest's `webhooks`: what Kimoby POSTs.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// The event name, the key of `webhooks` (`message_created`).
    pub event_name: String,
    /// `summary` of its `post`, if any.
    pub summary: Option<String>,
    /// `description` of its `post`, if any.
    pub description: Option<String>,
    /// The body POSTed, if the manifest gives one.
    pub body: Option<Body>,
    /// Where the event is (`/webhooks/message_created`).
    pub location: Location,
}

/// Reads `operation` (at `location`) of the path item holding `shared_parameters`.
pub(crate) fn read_operation(
    document: &Value,
    template: &PathTemplate,
    method: HttpMethod,
    operation: &Value,
    shared_parameters: &[Value],
    components: &[Parameter],
    location: &Location,
) -> Result<Operation> {
    let object = operation
        .as_object()
        .ok_or_else(|| ContractError::new(location, "must be an object (an operation)"))?;
    let text = |key: &str| operation.get(key).and_then(Value::as_str).map(str::to_owned);
    let id = text("operationId")
        .ok_or_else(|| ContractError::new(&location.child("operationId"), "every operation needs an `operationId`"))?;
    let tag = operation
        .pointer("/tags/0")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            ContractError::new(
                &location.child("tags"),
                "every operation needs a tag naming its resource",
            )
        })?
        .to_owned();
    let own_parameters = operation
        .get("parameters")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut parameters: Vec<Parameter> = Vec::new();
    for (index, raw) in shared_parameters.iter().chain(own_parameters).enumerate() {
        let parameter_location = if index < shared_parameters.len() {
            location.parent().child("parameters").child(&index.to_string())
        } else {
            location
                .child("parameters")
                .child(&(index - shared_parameters.len()).to_string())
        };
        let parameter = resolve_internal(document, raw, &parameter_location)?;
        let source = match raw
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix('#'))
        {
            Some(pointer) => location.at(pointer),
            None => parameter_location.clone(),
        };
        let parameter = Parameter::read(parameter, source)?;
        parameters.retain(|existing| !(existing.name == parameter.name && existing.placement == parameter.placement));
        parameters.push(parameter);
    }
    let request_body = match operation.get("requestBody") {
        Some(raw) => {
            let body_location = location.child("requestBody");
            Body::read(resolve_internal(document, raw, &body_location)?, &body_location)?
        }
        None => None,
    };
    let mut responses = Vec::new();
    if let Some(listed) = operation.get("responses").and_then(Value::as_object) {
        for (status, raw) in listed {
            let response_location = location.child("responses").child(status);
            let response = resolve_internal(document, raw, &response_location)?;
            responses.push(Response {
                status: status.clone(),
                body: Body::read(response, &response_location)?,
                location: response_location,
            });
        }
    }
    if !responses.iter().any(|response| response.status.starts_with('2')) {
        return Err(ContractError::new(
            &location.child("responses"),
            "no 2xx response is documented",
        ));
    }
    if object.contains_key("x-kimoby-pagination")
        && !responses
            .iter()
            .any(|response| response.status.starts_with('2') && response.body.is_some())
    {
        return Err(ContractError::new(
            &location.child("responses"),
            "a paginated list needs a JSON response body",
        ));
    }
    let extensions = Extensions::read(object, location, template, &parameters, components)?;
    Ok(Operation {
        id,
        method,
        path: template.clone(),
        tag,
        summary: text("summary"),
        description: text("description"),
        parameters,
        request_body,
        responses,
        extensions,
        location: location.clone(),
    })
}

/// Reads the webhook event `event_name` (its path item at `location`).
pub(crate) fn read_webhook(document: &Value, event_name: &str, item: &Value, location: &Location) -> Result<Webhook> {
    let item = resolve_internal(document, item, location)?;
    let post = item.get("post");
    let text = |key: &str| {
        post.and_then(|post| post.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let body = match post.and_then(|post| post.get("requestBody")) {
        Some(raw) => {
            let body_location = location.child("post").child("requestBody");
            Body::read(resolve_internal(document, raw, &body_location)?, &body_location)?
        }
        None => None,
    };
    Ok(Webhook {
        event_name: event_name.to_owned(),
        summary: text("summary"),
        description: text("description"),
        body,
        location: location.clone(),
    })
}
