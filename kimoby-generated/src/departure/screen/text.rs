//! What the screen decides about a string without the validator:
//! [`TextRule`], compiled from a subschema that only asks things of strings
//! (`type`, `minLength`, `maxLength`, `format`, `if`/`then`/`else`, `allOf`).
//! A rule answers `Some(verdict)` only when the verdict is certain, and
//! `None` otherwise; the screen then asks the validator.
//!
//! A `pattern` is read here only if it is written with the simplest
//! syntax, whose meaning is the same in ECMA-262 (the schemas' dialect) and
//! in the `regex` crate ([`native_pattern`]); any other is left to the
//! validator.
//!
//! The formats are read conservatively: [`is_plain_date_time`] and
//! [`is_plain_email`] accept only the plainest writings of a date-time and
//! of an address (what servers send), each a subset of what the validator
//! accepts, and answer "not sure" for anything else, never "invalid".

use serde_json::Value;

use super::{ANNOTATIONS, Types};

/// What a subschema asks of a string.
pub(super) enum TextRule {
    /// Whether its `type` admits strings.
    Type(bool),
    /// `minLength` and `maxLength`, in characters.
    Length { min: usize, max: usize },
    /// `pattern`, one [`native_pattern`] reads.
    Pattern(regex::Regex),
    /// A format read here.
    Format(Format),
    /// A format this reading leaves to the validator.
    OtherFormat,
    /// `if`, `then` (absent: accepted) and `else` (absent: accepted).
    Condition {
        condition: Box<TextRule>,
        then: Option<Box<TextRule>>,
        otherwise: Option<Box<TextRule>>,
    },
    /// Every rule holds.
    All(Vec<TextRule>),
}

/// The formats read here.
#[derive(Clone, Copy)]
pub(super) enum Format {
    DateTime,
    Email,
}

impl TextRule {
    /// The rule of `schema`, or `None` if it asks something this reading
    /// cannot decide (a `pattern`, a `$ref`, an `enum`, ...).
    pub(super) fn of(schema: &Value) -> Option<Self> {
        let keywords = match schema {
            Value::Bool(admits) => return Some(Self::Type(*admits)),
            Value::Object(keywords) => keywords,
            _ => return None,
        };
        let mut rules = Vec::new();
        let count = |name: &str| {
            keywords
                .get(name)
                .and_then(Value::as_u64)
                .and_then(|count| usize::try_from(count).ok())
        };
        for (name, value) in keywords {
            match name.as_str() {
                name if ANNOTATIONS.contains(&name) => {}
                "type" => rules.push(Self::Type(Types::of_keyword(value)?.allows(Types::STRING))),
                "minLength" | "maxLength" => {
                    count(name)?;
                }
                "pattern" => rules.push(Self::Pattern(native_pattern(value.as_str()?)?)),
                "format" => rules.push(match value.as_str()? {
                    "date-time" => Self::Format(Format::DateTime),
                    "email" => Self::Format(Format::Email),
                    _ => Self::OtherFormat,
                }),
                "if" => rules.push(Self::Condition {
                    condition: Box::new(Self::of(value)?),
                    then: optional(keywords.get("then"))?,
                    otherwise: optional(keywords.get("else"))?,
                }),
                // Without an `if`, `then` and `else` are ignored.
                "then" | "else" => {}
                "allOf" => {
                    for branch in value.as_array()? {
                        rules.push(Self::of(branch)?);
                    }
                }
                _ => return None,
            }
        }
        if keywords.contains_key("minLength") || keywords.contains_key("maxLength") {
            rules.push(Self::Length {
                min: count("minLength").unwrap_or(0),
                max: count("maxLength").unwrap_or(usize::MAX),
            });
        }
        Some(Self::All(rules))
    }

    /// Whether `text` matches: `Some` when certain, `None` when only the
    /// validator can say.
    pub(super) fn decide(&self, text: &str) -> Option<bool> {
        match self {
            Self::Type(admits) => Some(*admits),
            Self::Length { min, max } => {
                let length = text.chars().count();
                Some(*min <= length && length <= *max)
            }
            Self::Pattern(pattern) => Some(pattern.is_match(text)),
            Self::Format(Format::DateTime) => is_plain_date_time(text).then_some(true),
            Self::Format(Format::Email) => is_plain_email(text).then_some(true),
            Self::OtherFormat => None,
            Self::Condition {
                condition,
                then,
                otherwise,
            } => {
                let branch = if condition.decide(text)? { then } else { otherwise };
                branch.as_ref().map_or(Some(true), |rule| rule.decide(text))
            }
            Self::All(rules) => {
                let mut certain = true;
                for rule in rules {
                    match rule.decide(text) {
                        Some(false) => return Some(false),
                        Some(true) => {}
                        None => certain = false,
                    }
                }
                certain.then_some(true)
            }
        }
    }
}

/// The rule of an optional subschema: `Some(None)` when it is absent,
/// `None` when it is present and cannot be decided here.
fn optional(schema: Option<&Value>) -> Option<Option<Box<TextRule>>> {
    match schema {
        None => Some(None),
        Some(schema) => TextRule::of(schema).map(|rule| Some(Box::new(rule))),
    }
}

/// `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1 to 9 digits, then `Z`
/// or `±HH:MM`: a real day of a real month, hours below 24, minutes and
/// seconds below 60 (a leap second is left to the validator).
pub(super) fn is_plain_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| bytes.get(range).and_then(decimal);
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if bytes.len() < 20 || separators.iter().any(|&(at, byte)| bytes[at] != byte) {
        return false;
    }
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
        number(0..4),
        number(5..7),
        number(8..10),
        number(11..13),
        number(14..16),
        number(17..19),
    ) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days || hour > 23 || minute > 59 || second > 59 {
        return false;
    }
    let mut rest = &bytes[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let digits = fraction.iter().take_while(|byte| byte.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) {
            return false;
        }
        rest = &fraction[digits..];
    }
    match rest {
        b"Z" => true,
        [b'+' | b'-', hour_tens, hour_units, b':', minute_tens, minute_units] => matches!(
            (decimal(&[*hour_tens, *hour_units]), decimal(&[*minute_tens, *minute_units])),
            (Some(hours), Some(minutes)) if hours <= 23 && minutes <= 59
        ),
        _ => false,
    }
}

/// The number `digits` writes in decimal; `None` if one is not a digit.
fn decimal(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0_u32, |value, &digit| {
        digit.is_ascii_digit().then(|| value * 10 + u32::from(digit - b'0'))
    })
}

/// `local@domain` at its plainest: the local part letters, digits and
/// `.`, `_`, `+`, `-` (no dot first, last or doubled), at most 64 of them;
/// the domain two or more labels of letters, digits and single hyphens
/// (none first or last in a label), at most 63 each, the last one letters
/// only; at most 254 in all.
pub(super) fn is_plain_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_is_plain = !local.is_empty()
        && local.len() <= 64
        && local
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'+' | b'-'))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_is_plain = labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
                && !label.contains("--")
        })
        && labels
            .last()
            .is_some_and(|last| last.len() >= 2 && last.bytes().all(|byte| byte.is_ascii_alphabetic()));
    text.len() <= 254 && local_is_plain && domain_is_plain
}

/// `pattern` compiled with the `regex` crate, if it uses only literal
/// letters, digits and `_`, `:`, `/`, `-`, `,`, `@`; anchors; groups without
/// `?` after the `(`; alternation; the quantifiers `?`, `*`, `+` and
/// `{n}`, `{n,}`, `{n,m}`; character classes of those literals and ranges,
/// negated or not; and escaped punctuation. Written so, a pattern means the
/// same in ECMA-262 as in the `regex` crate: no `.`, no class escape such
/// as `\d`, no lookaround, no flag. `None` for anything else.
pub(super) fn native_pattern(pattern: &str) -> Option<regex::Regex> {
    let bytes = pattern.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            byte if byte.is_ascii_alphanumeric() => {}
            b'_' | b':' | b'/' | b'-' | b',' | b'@' | b'^' | b'$' | b')' | b'|' | b'?' | b'*' | b'+' | b'[' | b']' => {}
            b'(' if bytes.get(index + 1) == Some(&b'?') => return None,
            b'(' => {}
            b'{' => {
                // `{n}`, `{n,}` or `{n,m}`, nothing else.
                let close = index + bytes[index..].iter().position(|&byte| byte == b'}')?;
                let inside = &pattern[index + 1..close];
                let (low, high) = inside.split_once(',').unwrap_or((inside, ""));
                let digits = |text: &str| text.bytes().all(|byte| byte.is_ascii_digit());
                if low.is_empty() || !digits(low) || !digits(high) {
                    return None;
                }
                index = close;
            }
            // `\<` and `\>` are word boundaries in the `regex` crate.
            b'\\'
                if bytes
                    .get(index + 1)
                    .is_some_and(|next| next.is_ascii_punctuation() && !matches!(next, b'<' | b'>')) =>
            {
                index += 1;
            }
            _ => return None,
        }
        index += 1;
    }
    if pattern.contains("[]") || pattern.contains("[^]") {
        return None;
    }
    regex::Regex::new(pattern).ok()
}
