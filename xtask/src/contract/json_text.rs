//! Edits of a JSON file's text that keep its formatting: the value at a
//! JSON pointer is replaced in place, or a new member is added after the
//! last one of its object, and every other byte of the file stays as it
//! was (the schemas are hand-formatted: short arrays on one line, small
//! objects such as `{ "$ref": "x.json" }` inline). New text is written in
//! the same style: 2-space indentation, arrays of scalars on one line when
//! they fit, an object of one scalar member inline.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use serde_json::Value;

/// Beyond this column an array of scalars is written one item a line.
const LINE_WIDTH: usize = 100;

/// Where each value of a JSON text is, by JSON pointer: its byte range.
type Spans = BTreeMap<String, (usize, usize)>;

/// Sets the value at `pointer` in `text` to `value`: replaces it if it
/// exists, else adds it as the last member of its parent object (which
/// must exist). Returns the new text.
pub fn set(text: &str, pointer: &str, value: &Value) -> anyhow::Result<String> {
    let spans = spans(text).context("reading the file's JSON")?;
    if let Some(&(start, end)) = spans.get(pointer) {
        let was_multiline = text[start..end].contains('\n');
        let all_scalars = value
            .as_array()
            .is_some_and(|items| items.iter().all(|item| !item.is_array() && !item.is_object()));
        // An array written on one line stays on one line, however long.
        let written = if all_scalars && !was_multiline {
            compact(value)
        } else {
            format_value(value, line_indent(text, start), was_multiline)
        };
        return Ok(format!("{}{written}{}", &text[..start], &text[end..]));
    }
    let (parent, key) = split_pointer(pointer).with_context(|| format!("`{pointer}` has no parent"))?;
    let &(start, end) = spans
        .get(&parent)
        .with_context(|| format!("no value at `{parent}` to add `{key}` to"))?;
    if !text[start..end].starts_with('{') {
        bail!("`{parent}` is not an object");
    }
    let key_text = serde_json::to_string(&key).context("writing a key")?;
    // A `$comment` follows the `description`, as the schemas write it;
    // anything else goes after the last member.
    let description = format!("{parent}/description");
    let last_member = match spans.get(&description) {
        Some(span) if key == "$comment" => Some(span.1),
        _ => spans
            .iter()
            .filter(|(member, _)| split_pointer(member).is_some_and(|(member_parent, _)| member_parent == parent))
            .map(|(_, span)| span.1)
            .max(),
    };
    let inline_parent = !text[start..end].contains('\n');
    let insertion = match last_member {
        None => {
            let indent = line_indent(text, start);
            let inner = " ".repeat(indent + 2);
            let member = format_value(value, indent + 2, false);
            let object = format!("{{\n{inner}{key_text}: {member}\n{}}}", " ".repeat(indent));
            return Ok(format!("{}{object}{}", &text[..start], &text[end..]));
        }
        Some(after) if inline_parent => {
            let member = format_value(value, line_indent(text, start), false);
            (after, format!(", {key_text}: {member}"))
        }
        Some(after) => {
            let indent = line_indent(text, after);
            let member = format_value(value, indent, false);
            (after, format!(",\n{}{key_text}: {member}", " ".repeat(indent)))
        }
    };
    let (at, added) = insertion;
    Ok(format!("{}{added}{}", &text[..at], &text[at..]))
}

/// `/a/b` into `/a` and `b` (unescaped).
fn split_pointer(pointer: &str) -> Option<(String, String)> {
    let (parent, last) = pointer.rsplit_once('/')?;
    Some((parent.to_owned(), last.replace("~1", "/").replace("~0", "~")))
}

/// The number of spaces at the start of the line holding byte `at`.
fn line_indent(text: &str, at: usize) -> usize {
    let line_start = text[..at].rfind('\n').map_or(0, |newline| newline + 1);
    text[line_start..].bytes().take_while(|byte| *byte == b' ').count()
}

/// `value` written at `indent` (the indentation of the line it starts on).
/// `multiline` keeps an array that was written one item a line so.
pub fn format_value(value: &Value, indent: usize, multiline: bool) -> String {
    let scalar = |value: &Value| !value.is_array() && !value.is_object();
    match value {
        Value::Array(items) if items.is_empty() => "[]".to_owned(),
        Value::Array(items) => {
            let inline = format!("[{}]", items.iter().map(compact).collect::<Vec<_>>().join(", "));
            if items.iter().all(scalar) && !multiline && indent + inline.len() <= LINE_WIDTH {
                return inline;
            }
            let inner = " ".repeat(indent + 2);
            // Small objects of scalars in an array are written one a line, inline.
            let lines: Vec<String> = items
                .iter()
                .map(|item| match item {
                    Value::Object(members)
                        if members.values().all(scalar) && indent + 2 + compact(item).len() <= LINE_WIDTH =>
                    {
                        format!("{inner}{}", compact(item))
                    }
                    _ => format!("{inner}{}", format_value(item, indent + 2, false)),
                })
                .collect();
            format!("[\n{}\n{}]", lines.join(",\n"), " ".repeat(indent))
        }
        Value::Object(members) if members.is_empty() => "{}".to_owned(),
        Value::Object(members) if members.len() == 1 && members.values().all(scalar) => {
            format!("{{ {} }}", members_inline(members))
        }
        Value::Object(members) => {
            let inner = " ".repeat(indent + 2);
            let lines: Vec<String> = members
                .iter()
                .map(|(key, member)| {
                    format!(
                        "{inner}{}: {}",
                        compact(&Value::from(key.as_str())),
                        format_value(member, indent + 2, false)
                    )
                })
                .collect();
            format!("{{\n{}\n{}}}", lines.join(",\n"), " ".repeat(indent))
        }
        other => compact(other),
    }
}

fn members_inline(members: &serde_json::Map<String, Value>) -> String {
    members
        .iter()
        .map(|(key, member)| format!("{}: {}", compact(&Value::from(key.as_str())), compact(member)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line, with a space after each `,` and `:` of arrays and objects.
fn compact(value: &Value) -> String {
    match value {
        Value::Array(items) => format!("[{}]", items.iter().map(compact).collect::<Vec<_>>().join(", ")),
        Value::Object(members) if members.is_empty() => "{}".to_owned(),
        Value::Object(members) => format!("{{ {} }}", members_inline(members)),
        other => other.to_string(),
    }
}

/// The byte range of every value of `text`, by JSON pointer.
fn spans(text: &str) -> anyhow::Result<Spans> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        at: 0,
        spans: Spans::new(),
    };
    scanner.value(String::new())?;
    scanner.skip_whitespace();
    if scanner.at != scanner.bytes.len() {
        bail!("text after the JSON value at byte {}", scanner.at);
    }
    Ok(scanner.spans)
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    spans: Spans,
}

impl Scanner<'_> {
    fn skip_whitespace(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> anyhow::Result<()> {
        self.skip_whitespace();
        if self.bytes.get(self.at) != Some(&byte) {
            bail!("expected `{}` at byte {}", byte as char, self.at);
        }
        self.at += 1;
        Ok(())
    }

    fn value(&mut self, pointer: String) -> anyhow::Result<()> {
        self.skip_whitespace();
        let start = self.at;
        match self.bytes.get(self.at) {
            Some(b'{') => self.object(&pointer)?,
            Some(b'[') => self.array(&pointer)?,
            Some(b'"') => {
                self.string()?;
            }
            Some(_) => {
                while self
                    .bytes
                    .get(self.at)
                    .is_some_and(|byte| !matches!(byte, b',' | b'}' | b']') && !byte.is_ascii_whitespace())
                {
                    self.at += 1;
                }
            }
            None => bail!("the text ends where a value was expected"),
        }
        if self.at == start {
            bail!("no value at byte {start}");
        }
        self.spans.insert(pointer, (start, self.at));
        Ok(())
    }

    fn object(&mut self, pointer: &str) -> anyhow::Result<()> {
        self.at += 1;
        self.skip_whitespace();
        if self.bytes.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Ok(());
        }
        loop {
            self.skip_whitespace();
            let key = self.string()?;
            self.expect(b':')?;
            self.value(format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1")))?;
            self.skip_whitespace();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(());
                }
                _ => bail!("expected `,` or `}}` at byte {}", self.at),
            }
        }
    }

    fn array(&mut self, pointer: &str) -> anyhow::Result<()> {
        self.at += 1;
        self.skip_whitespace();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Ok(());
        }
        let mut index = 0;
        loop {
            self.value(format!("{pointer}/{index}"))?;
            index += 1;
            self.skip_whitespace();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(());
                }
                _ => bail!("expected `,` or `]` at byte {}", self.at),
            }
        }
    }

    /// A string starting at the cursor, decoded.
    fn string(&mut self) -> anyhow::Result<String> {
        let start = self.at;
        if self.bytes.get(self.at) != Some(&b'"') {
            bail!("expected a string at byte {start}");
        }
        self.at += 1;
        while let Some(&byte) = self.bytes.get(self.at) {
            self.at += 1;
            match byte {
                b'\\' => self.at += 1,
                b'"' => {
                    let raw = std::str::from_utf8(&self.bytes[start..self.at]).context("UTF-8")?;
                    return serde_json::from_str(raw).with_context(|| format!("the string at byte {start}"));
                }
                _ => {}
            }
        }
        bail!("the string at byte {start} is not closed")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const TEXT: &str = "{\n  \"type\": \"object\",\n  \"properties\": {\n    \"card\": {\n      \"oneOf\": [\n        { \"$ref\": \"card.json\" },\n        { \"type\": \"null\" }\n      ]\n    },\n    \"state\": {\n      \"type\": \"string\",\n      \"enum\": [\"paid\", \"unpaid\"]\n    }\n  },\n  \"required\": [\n    \"card\",\n    \"state\"\n  ]\n}\n";

    #[test]
    fn replacing_a_value_keeps_every_other_byte() {
        let edited = set(TEXT, "/properties/state/enum", &json!(["paid", "unpaid", "voided"])).unwrap();
        assert_eq!(
            edited,
            TEXT.replace("[\"paid\", \"unpaid\"]", "[\"paid\", \"unpaid\", \"voided\"]")
        );
        let edited = set(TEXT, "/required", &json!(["state"])).unwrap();
        assert_eq!(
            edited,
            TEXT.replace("    \"card\",\n", ""),
            "a multi-line array stays multi-line"
        );
    }

    #[test]
    fn a_new_member_goes_after_the_last_one_at_its_indentation() {
        let edited = set(
            TEXT,
            "/properties/tier",
            &json!({"description": "Tier.", "type": "string"}),
        )
        .unwrap();
        let expected = TEXT.replace(
            "      \"enum\": [\"paid\", \"unpaid\"]\n    }\n",
            "      \"enum\": [\"paid\", \"unpaid\"]\n    },\n    \"tier\": {\n      \"description\": \"Tier.\",\n      \"type\": \"string\"\n    }\n",
        );
        assert_eq!(edited, expected);
        assert_eq!(
            serde_json::from_str::<Value>(&edited).unwrap()["properties"]["tier"]["type"],
            "string"
        );
    }

    #[test]
    fn an_inline_object_gets_an_inline_member_and_an_empty_one_opens() {
        let edited = set(TEXT, "/properties/card/oneOf/0/$comment", &json!("note")).unwrap();
        assert!(
            edited.contains("{ \"$ref\": \"card.json\", \"$comment\": \"note\" }"),
            "{edited}"
        );
        let edited = set("{\n  \"a\": {}\n}\n", "/a/b", &json!(1)).unwrap();
        assert_eq!(edited, "{\n  \"a\": {\n    \"b\": 1\n  }\n}\n");
    }

    #[test]
    fn a_comment_follows_the_description_and_small_objects_in_arrays_stay_inline() {
        let text = "{\n  \"description\": \"A.\",\n  \"type\": \"string\"\n}\n";
        let edited = set(text, "/$comment", &json!("Learned.")).unwrap();
        assert_eq!(
            edited,
            "{\n  \"description\": \"A.\",\n  \"$comment\": \"Learned.\",\n  \"type\": \"string\"\n}\n"
        );
        let branches = json!([{"type": "string", "format": "email"}, {"type": "null"}]);
        assert_eq!(
            format_value(&branches, 0, false),
            "[\n  { \"type\": \"string\", \"format\": \"email\" },\n  { \"type\": \"null\" }\n]"
        );
    }

    #[test]
    fn a_missing_parent_or_broken_text_is_an_error() {
        assert!(set(TEXT, "/nowhere/at/all", &json!(1)).is_err());
        assert!(set("{\"a\": [1, 2", "/a", &json!(1)).is_err());
        assert!(set(TEXT, "/required/x", &json!(1)).is_err());
    }

    #[test]
    fn keys_with_slashes_are_escaped_in_pointers() {
        let text = "{\n  \"paths\": {\n    \"/customers\": {}\n  }\n}\n";
        let edited = set(text, "/paths/~1customers/get", &json!({"a": 1})).unwrap();
        assert_eq!(
            edited,
            "{\n  \"paths\": {\n    \"/customers\": {\n      \"get\": { \"a\": 1 }\n    }\n  }\n}\n"
        );
    }
}
