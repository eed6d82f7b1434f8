//! Request and response bodies: the media types of a `content` map and the
//! schema of each, with the schema file a `$ref` names.

use serde_json::Value;

use crate::location::{ContractError, Location, Result};

/// One media type of a `content` map and its schema.
#[derive(Debug, Clone)]
pub struct MediaType {
    /// The media type as written, such as `application/json`.
    pub name: String,
    /// Its schema as written (a `$ref` to a schema file, or inline).
    pub schema: Value,
    /// Where the schema is (`.../content/application~1json/schema`).
    pub schema_location: Location,
}

impl MediaType {
    /// The schema file the body refers to, if its schema is a plain `$ref`
    /// to one (`customer.json`).
    pub fn schema_file(&self) -> Option<&str> {
        let reference = self.schema.get("$ref")?.as_str()?;
        (!reference.starts_with('#')).then(|| reference.split('#').next().unwrap_or(reference))
    }

    /// The `$ref` to a schema file as written (`customer.json#/$defs/x`), if any.
    pub fn schema_reference(&self) -> Option<&str> {
        let reference = self.schema.get("$ref")?.as_str()?;
        (!reference.starts_with('#')).then_some(reference)
    }

    /// Whether it is `application/json` or a `+json` media type.
    pub fn is_json(&self) -> bool {
        let essence = essence(&self.name);
        essence == "application/json" || essence.ends_with("+json")
    }
}

/// A body: the media types it may be sent in.
#[derive(Debug, Clone)]
pub struct Body {
    /// Every media type of `content`, in the manifest's order.
    pub media_types: Vec<MediaType>,
}

impl Body {
    /// The `content` of `holder` (a request body or response, references
    /// followed, at `location`); `None` when it has no `content`.
    pub(crate) fn read(holder: &Value, location: &Location) -> Result<Option<Self>> {
        let Some(content) = holder.get("content") else {
            return Ok(None);
        };
        let content_location = location.child("content");
        let content = content
            .as_object()
            .ok_or_else(|| ContractError::new(&content_location, "must be an object (the media types)"))?;
        if content.is_empty() {
            return Err(ContractError::new(&content_location, "empty `content`"));
        }
        let media_types = content
            .iter()
            .map(|(name, media)| MediaType {
                name: name.clone(),
                schema: media.get("schema").cloned().unwrap_or(Value::Bool(true)),
                schema_location: content_location.child(name).child("schema"),
            })
            .collect();
        Ok(Some(Self { media_types }))
    }

    /// The media type a client sends or reads: `application/json` if
    /// given, else the first.
    pub fn preferred(&self) -> &MediaType {
        self.media_types
            .iter()
            .find(|media| media.name == "application/json")
            .unwrap_or(&self.media_types[0])
    }

    /// The first JSON media type (`application/json`, `+json`), if any.
    pub fn json(&self) -> Option<&MediaType> {
        self.media_types.iter().find(|media| media.is_json())
    }
}

/// The media type of a `Content-Type` value, lowercase, without parameters.
pub fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}
