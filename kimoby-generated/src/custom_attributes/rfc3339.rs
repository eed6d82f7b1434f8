//! Writing a date attribute: the exact text `DateTime::to_rfc3339` gives,
//! built in a buffer on the stack instead of a new `String` per date.

use chrono::{DateTime, Datelike as _, FixedOffset, Timelike as _};

/// The bytes every [`Rfc3339Text`] starts from: the longest text
/// `to_rfc3339` writes (nine fraction digits and an offset, 35 bytes), then
/// spaces up to 48. Writing a date only replaces ASCII bytes with ASCII bytes,
/// so the whole buffer stays valid UTF-8 and `str::from_utf8` checks it in
/// three 16-byte steps (its fast path for ASCII) rather than byte by byte.
const RFC3339_TEMPLATE: &[u8; 48] = b"0000-00-00T00:00:00.000000000+00:00             ";

/// `"00"` to `"99"`: the two digits of every number below 100.
const DIGIT_PAIRS: [[u8; 2]; 100] = {
    let mut pairs = [[0; 2]; 100];
    let mut value = 0;
    while value < 100 {
        // Both are single digits, so the casts keep them whole.
        pairs[value] = [b'0' + (value / 10) as u8, b'0' + (value % 10) as u8];
        value += 1;
    }
    pairs
};

/// A date as [`DateTime::to_rfc3339`] writes it, in a buffer on the stack.
///
/// That text is `YYYY-MM-DDTHH:MM:SS`, then a dot and 3, 6 or 9 digits when
/// the nanoseconds are not zero (the fewest that keep them exact), then the
/// offset as `+HH:MM` or `-HH:MM`, rounded to the nearest minute (`+00:00`
/// for UTC, never `Z`). A leap second is written as second 60.
pub(super) struct Rfc3339Text {
    /// [`RFC3339_TEMPLATE`] with the date written over its start.
    bytes: [u8; RFC3339_TEMPLATE.len()],
    /// How many bytes of `bytes` are the text.
    length: usize,
}

impl Rfc3339Text {
    /// The text of `date`, or `None` for the years chrono writes with a sign
    /// (before 0 or after 9999): those are left to `to_rfc3339` itself.
    pub(super) fn new(date: &DateTime<FixedOffset>) -> Option<Self> {
        // An offset moves the local date by less than a day, so a UTC year in
        // this range keeps the local year in 0..=9999 and `naive_local` in range.
        if !(1..=9998).contains(&date.naive_utc().year()) {
            return None;
        }
        let local = date.naive_local();
        let year = u32::try_from(local.year()).ok()?;
        // chrono keeps a leap second as nanoseconds past 1,000,000,000 of
        // second 59, and writes it as second 60.
        let (mut second, mut nanoseconds) = (local.second(), local.nanosecond());
        if nanoseconds >= 1_000_000_000 {
            second += 1;
            nanoseconds -= 1_000_000_000;
        }

        let mut bytes = *RFC3339_TEMPLATE;
        write_two_digits(&mut bytes[0..2], year / 100);
        write_two_digits(&mut bytes[2..4], year % 100);
        write_two_digits(&mut bytes[5..7], local.month());
        write_two_digits(&mut bytes[8..10], local.day());
        write_two_digits(&mut bytes[11..13], local.hour());
        write_two_digits(&mut bytes[14..16], local.minute());
        write_two_digits(&mut bytes[17..19], second);

        // The template has the dot at 19: the fraction, when there is one, follows it.
        let mut length = 19;
        if nanoseconds != 0 {
            let (fraction, digits) = if nanoseconds % 1_000_000 == 0 {
                (nanoseconds / 1_000_000, 3)
            } else if nanoseconds % 1_000 == 0 {
                (nanoseconds / 1_000, 6)
            } else {
                (nanoseconds, 9)
            };
            write_digits(&mut bytes[20..20 + digits], fraction);
            length = 20 + digits;
        }

        let offset = date.offset().local_minus_utc();
        let minutes = (offset.unsigned_abs() + 30) / 60;
        let text_of_offset = &mut bytes[length..length + 6];
        text_of_offset[0] = if offset < 0 { b'-' } else { b'+' };
        write_two_digits(&mut text_of_offset[1..3], minutes / 60);
        text_of_offset[3] = b':';
        write_two_digits(&mut text_of_offset[4..6], minutes % 60);
        Some(Self {
            bytes,
            length: length + 6,
        })
    }

    /// The text written.
    pub(super) fn as_str(&self) -> &str {
        let buffer = std::str::from_utf8(&self.bytes).expect("only ASCII is written over an ASCII template");
        &buffer[..self.length]
    }
}

/// Writes `value` (below 100) into the two bytes of `slots`.
fn write_two_digits(slots: &mut [u8], value: u32) {
    // Below 100 by contract; `% 100` lets the compiler see the index is in range.
    let pair = DIGIT_PAIRS[(value % 100) as usize];
    slots.copy_from_slice(&pair);
}

/// Writes the last `slots.len()` decimal digits of `value` into `slots`, zero-padded.
fn write_digits(slots: &mut [u8], mut value: u32) {
    for slot in slots.iter_mut().rev() {
        // `value % 10` is a single digit, so the cast keeps it whole.
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}
