//! [`IntegerParameter`]: an integer query parameter and the bounds of its
//! schema, as the generated code declares it, checked before anything is sent.

use super::error::InvalidRequestReason;

/// An integer query parameter and the bounds of its schema (`minimum`,
/// `maximum`, `default`), as the generated code declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IntegerParameter {
    /// The name on the wire.
    pub name: &'static str,
    /// The smallest value the API accepts, if any.
    pub minimum: Option<i128>,
    /// The largest value the API accepts, if any.
    pub maximum: Option<i128>,
    /// What the server uses when the parameter is not sent, if documented.
    pub default: Option<i128>,
}

impl IntegerParameter {
    /// Checks `value` against the bounds.
    pub fn check(&self, value: i128) -> Result<(), InvalidRequestReason> {
        let below = self.minimum.is_some_and(|minimum| value < minimum);
        let above = self.maximum.is_some_and(|maximum| value > maximum);
        if below || above {
            return Err(InvalidRequestReason::OutOfRange {
                parameter: self.name,
                value,
                minimum: self.minimum,
                maximum: self.maximum,
            });
        }
        Ok(())
    }
}
