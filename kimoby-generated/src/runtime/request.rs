//! How the generated code describes a request: [`RequestSpec`], [`Method`]
//! and the percent-encoding of path segments and query values.
//!
//! The path in a [`RequestSpec`] is already encoded (the generated code calls
//! [`encode_path_segment`] on every value it puts in it); query pairs are raw
//! and encoded by the runtime, so a phone number `+14182031234` goes out as
//! `%2B14182031234` (a raw `+` would be read as a space by the server).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use super::body::Body;
use super::error::{Error, InvalidRequestReason};
use super::method::Method;
use super::parameter::IntegerParameter;

/// Everything but RFC 3986 "unreserved" (`A-Z a-z 0-9 - . _ ~`) is encoded,
/// in path segments and in query names and values alike: `+`, `/`, `?`, `#`,
/// `&`, `=`, `%`, spaces and non-ASCII all become `%XX`.
const STRICT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes one path segment: `a/b+c d` becomes `a%2Fb%2Bc%20d`.
///
/// The generated code calls it on every value it puts in a path, e.g.
/// `format!("/customers/{}", encode_path_segment(id))`.
///
/// ```
/// use kimoby_generated::runtime::encode_path_segment;
/// assert_eq!(encode_path_segment("CU 1/+2"), "CU%201%2F%2B2");
/// ```
pub fn encode_path_segment(segment: &str) -> String {
    utf8_percent_encode(segment, STRICT).to_string()
}

/// Percent-encodes one query name or value: `+14182031234` becomes
/// `%2B14182031234`. The runtime does this itself for
/// [`RequestSpec::query`]; it is public for callers building URLs by hand.
///
/// ```
/// use kimoby_generated::runtime::encode_query_component;
/// assert_eq!(encode_query_component("+1 418&x=y"), "%2B1%20418%26x%3Dy");
/// ```
pub fn encode_query_component(value: &str) -> String {
    utf8_percent_encode(value, STRICT).to_string()
}

/// One request, as the generated operation builders describe it.
///
/// ```
/// use kimoby_generated::runtime::{encode_path_segment, Body, Method, RequestSpec};
///
/// let id = "CU 42";
/// let spec = RequestSpec::new(
///     "update_customer",
///     Method::Put,
///     format!("/customers/{}", encode_path_segment(id)),
/// )
/// .body(Body::Json(serde_json::json!({ "name": "Jane" })));
/// assert_eq!(spec.path, "/customers/CU%2042");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RequestSpec {
    /// The operation id from the manifest (`list_customers`): in errors
    /// and tracing.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path relative to the base URL, starting with `/`, every dynamic
    /// segment already encoded with [`encode_path_segment`]. Empty segments,
    /// `.`/`..`, `?`, `#`, spaces and non-ASCII are refused.
    pub path: String,
    /// Query pairs, raw (not encoded): the runtime encodes them.
    pub query: Vec<(String, String)>,
    /// The body.
    pub body: Body,
    /// Whether sending the request twice does no more than sending it once,
    /// so a 5xx, a timeout or a broken connection may be retried. Defaults
    /// from the method ([`Method::is_idempotent`]); the generated client
    /// turns it off for `PUT` operations that create something (see
    /// [`RetryPolicy`](super::RetryPolicy)).
    pub repeatable: bool,
    /// The schema file a success body should match (`customer.json`): what
    /// a client built with `report_drift` (feature `validate`) checks the
    /// answer against.
    pub response_schema: Option<&'static str>,
}

impl RequestSpec {
    /// A request without query or body.
    pub fn new(operation_id: &'static str, method: Method, path: impl Into<String>) -> Self {
        Self {
            operation_id,
            method,
            path: path.into(),
            query: Vec::new(),
            body: Body::None,
            repeatable: method.is_idempotent(),
            response_schema: None,
        }
    }

    /// Names the schema file a success body should match.
    #[must_use]
    pub fn response_schema(mut self, schema: &'static str) -> Self {
        self.response_schema = Some(schema);
        self
    }

    /// Marks the request as not safe to send twice: after a 5xx, a timeout
    /// or a broken connection it is not retried (a 429 still is).
    #[must_use]
    pub fn not_repeatable(mut self) -> Self {
        self.repeatable = false;
        self
    }

    /// Marks the request as safe to send twice, whatever its method (a
    /// `POST` the manifest declares `x-kimoby-repeatable: true`).
    #[must_use]
    pub fn repeatable(mut self) -> Self {
        self.repeatable = true;
        self
    }

    /// Appends a raw query pair (encoded when sent).
    #[must_use]
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Appends a raw query pair when `value` is `Some`.
    #[must_use]
    pub fn query_opt(self, name: impl Into<String>, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Appends an integer query pair after checking it against the bounds
    /// the parameter's schema gives; a value out of bounds is
    /// [`Error::InvalidRequest`] naming the operation, and nothing is sent.
    pub fn query_integer(self, parameter: &IntegerParameter, value: impl Into<i128>) -> Result<Self, Error> {
        let value = value.into();
        parameter
            .check(value)
            .map_err(|reason| Error::invalid(Some(self.operation_id), reason))?;
        Ok(self.query(parameter.name, value.to_string()))
    }

    /// The request of an operation that finds one record through a
    /// [`Lookup`]: its key in the path (the one `{parameter}` of
    /// `item_path`, percent-encoded), or one query pair on the lookup's
    /// collection path.
    ///
    /// ```
    /// use kimoby_generated::runtime::{Lookup, LookupKey, Method, RequestSpec};
    ///
    /// enum ThingLookup { Id(String), Code(String) }
    /// impl Lookup for ThingLookup {
    ///     const COLLECTION_PATH: &'static str = "/things";
    ///     fn key(&self) -> LookupKey<'_> {
    ///         match self {
    ///             Self::Id(id) => LookupKey::Path(id),
    ///             Self::Code(code) => LookupKey::Query { name: "code", value: code },
    ///         }
    ///     }
    /// }
    /// let by_id = RequestSpec::for_lookup("getThing", Method::Get, "/things/{id}", &ThingLookup::Id("a/b".into()));
    /// assert_eq!(by_id.path, "/things/a%2Fb");
    /// let by_code = RequestSpec::for_lookup("getThing", Method::Get, "/things/{id}", &ThingLookup::Code("+1".into()));
    /// assert_eq!((by_code.path.as_str(), by_code.query[0].1.as_str()), ("/things", "+1"));
    /// ```
    pub fn for_lookup<L: Lookup>(operation_id: &'static str, method: Method, item_path: &str, lookup: &L) -> Self {
        match lookup.key() {
            LookupKey::Path(value) => Self::new(operation_id, method, fill_path_parameter(item_path, value)),
            LookupKey::Query { name, value } => Self::new(operation_id, method, L::COLLECTION_PATH).query(name, value),
        }
    }

    /// Sets the body.
    #[must_use]
    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// Checks the path; returns the encoded query string (without `?`).
    pub(crate) fn validate(&self) -> Result<String, Error> {
        validate_path(&self.path)
            .map_err(|why| Error::invalid(Some(self.operation_id), InvalidRequestReason::Path(why)))?;
        Ok(self
            .query
            .iter()
            .map(|(n, v)| format!("{}={}", encode_query_component(n), encode_query_component(v)))
            .collect::<Vec<_>>()
            .join("&"))
    }
}

/// How a generated look-up type (`CustomerLookup`, ...) finds a record:
/// by the key that goes in the path, or by one query parameter on the
/// collection path. The generated code declares it from the operation's
/// `x-kimoby-lookup`; [`RequestSpec::for_lookup`] builds the request.
pub trait Lookup {
    /// The collection path the query forms are sent to (`/customers`).
    const COLLECTION_PATH: &'static str;

    /// The key this look-up holds.
    fn key(&self) -> LookupKey<'_>;
}

/// One way to find a record, as a [`Lookup`] gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LookupKey<'a> {
    /// The value of the item path's one parameter (encoded when sent).
    Path(&'a str),
    /// One query pair on the collection path (encoded when sent).
    Query {
        /// The query parameter's name.
        name: &'static str,
        /// Its value, raw.
        value: &'a str,
    },
}

/// `template` with its first `{parameter}` replaced by `value`,
/// percent-encoded as one segment.
///
/// Called on every request by id, so it looks for the braces byte by byte
/// (both are ASCII, so the positions are character boundaries; `str::find`
/// with a `char` cost about 200 instructions each on a short path) and
/// writes the encoded value straight into the path, without an
/// intermediate `String`.
fn fill_path_parameter(template: &str, value: &str) -> String {
    let position = |brace: u8| template.bytes().position(|byte| byte == brace);
    match (position(b'{'), position(b'}')) {
        (Some(open), Some(close)) if open < close => {
            let mut path = String::with_capacity(template.len() + value.len());
            path.push_str(&template[..open]);
            path.extend(utf8_percent_encode(value, STRICT));
            path.push_str(&template[close + 1..]);
            path
        }
        _ => template.to_owned(),
    }
}

/// A path must be absolute, ASCII, with well-formed `%XX` escapes and no
/// empty, `.` or `..` segment: `DELETE /customers/` with an empty id, or an
/// id of `..`, must not reach another resource.
fn validate_path(path: &str) -> Result<(), String> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err("must start with `/`".to_owned());
    };
    if let Some(c) = path
        .chars()
        .find(|c| !c.is_ascii_graphic() || matches!(c, '?' | '#' | '\\'))
    {
        return Err(format!("character {c:?} must be percent-encoded"));
    }
    let bytes = path.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return Err("`%` not followed by two hex digits".to_owned());
        }
    }
    for segment in rest.split('/') {
        let decoded = percent_decode_str(segment).decode_utf8_lossy();
        if decoded.is_empty() {
            return Err("empty segment (an empty id?)".to_owned());
        }
        if decoded == "." || decoded == ".." {
            return Err("`.` or `..` segment".to_owned());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert!(validate_path("/customers").is_ok());
        assert!(validate_path("/customers/CU%2F1%2B").is_ok());
        for bad in [
            "customers",
            "/customers/",
            "/customers//x",
            "/a/..",
            "/a/%2e%2E",
            "/a/.",
            "/a b",
            "/a?x=1",
            "/a#b",
            "/é",
            "/a%2",
            "/a%zz",
        ] {
            assert!(validate_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn query_is_strictly_encoded() {
        let spec = RequestSpec::new("op", Method::Get, "/customers")
            .query("cell_phone_number", "+14182031234")
            .query("q", "a b&c=d/é");
        assert_eq!(
            spec.validate().unwrap(),
            "cell_phone_number=%2B14182031234&q=a%20b%26c%3Dd%2F%C3%A9"
        );
    }

    #[test]
    fn integer_queries_are_checked_against_their_declared_bounds() {
        let size = IntegerParameter {
            name: "size",
            minimum: Some(1),
            maximum: Some(10),
            default: None,
        };
        let spec = || RequestSpec::new("op", Method::Get, "/x");
        assert_eq!(
            spec().query_integer(&size, 10u8).unwrap().query,
            [("size".to_owned(), "10".to_owned())]
        );
        let error = spec().query_integer(&size, 11u8).unwrap_err();
        assert_eq!(
            error.to_string(),
            "op: invalid request: size must be between 1 and 10, got 11"
        );
        assert!(spec().query_integer(&size, 0u8).is_err());
    }

    #[test]
    fn path_parameters_are_filled_and_encoded() {
        assert_eq!(fill_path_parameter("/things/{id}", "a b/+"), "/things/a%20b%2F%2B");
        assert_eq!(fill_path_parameter("/a/{id}/b", "x"), "/a/x/b");
        assert_eq!(fill_path_parameter("/plain", "x"), "/plain");
    }
}
