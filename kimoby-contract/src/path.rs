//! The method ([`HttpMethod`]) and the path template ([`PathTemplate`]) of
//! an operation.

use crate::location::{ContractError, Location, Result};

/// The method of an operation, as an OpenAPI path item can hold it.
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
    /// `HEAD`.
    Head,
    /// `OPTIONS`.
    Options,
    /// `TRACE`.
    Trace,
}

impl HttpMethod {
    /// Every method, in the order operations of a path item are read.
    pub const ALL: [Self; 8] = [
        Self::Get,
        Self::Put,
        Self::Post,
        Self::Delete,
        Self::Patch,
        Self::Head,
        Self::Options,
        Self::Trace,
    ];

    /// The upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Patch => "PATCH",
            Self::Head => "HEAD",
            Self::Options => "OPTIONS",
            Self::Trace => "TRACE",
        }
    }

    /// The key of the path item (`get`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::Put => "put",
            Self::Post => "post",
            Self::Delete => "delete",
            Self::Patch => "patch",
            Self::Head => "head",
            Self::Options => "options",
            Self::Trace => "trace",
        }
    }

    /// Whether repeating it after a failure the server may have seen does
    /// no harm, unless `x-kimoby-repeatable` says otherwise (`GET`, `PUT`,
    /// `DELETE`, and the methods that change nothing).
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Self::Post | Self::Patch)
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
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
    /// Reads `template`, a key of `paths` at `location`.
    pub fn parse(template: &str, location: &Location) -> Result<Self> {
        let malformed = |why: &str| ContractError::new(location, format!("path `{template}` {why}"));
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

    /// Whether the concrete path `path` is an instance of the template:
    /// same segments, a parameter matching any non-empty one.
    pub fn matches(&self, path: &str) -> bool {
        let Some(rest) = path.strip_prefix('/') else {
            return false;
        };
        // Segment by segment, without collecting the written ones: every
        // request the proxy sees is matched against every template.
        let mut written = (!rest.is_empty()).then(|| rest.split('/')).into_iter().flatten();
        let every_segment_matches = self.segments.iter().all(|segment| match (segment, written.next()) {
            (_, None) => false,
            (PathSegment::Literal(literal), Some(part)) => literal == part,
            (PathSegment::Parameter(_), Some(part)) => !part.is_empty(),
        });
        every_segment_matches && written.next().is_none()
    }
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
        assert!(path.matches("/customers/cu1/notes"));
        assert!(!path.matches("/customers//notes"));
        assert!(!path.matches("/customers/cu1"));
        for bad in ["customers", "/a/{id", "/a/x{id}", "/a//b", "/a/{}"] {
            assert!(PathTemplate::parse(bad, &location).is_err(), "{bad}");
        }
    }
}
