//! How a request finds one record ([`Lookup`]): the store's keyed indexes
//! ([`LookupKey`]) and the kinds of record found by a look-up
//! ([`LookupRecord`]).

/// How a request finds one record: by id, or by one look-up query parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The record's id (path or query).
    Id(String),
    /// The record's reference.
    Reference(String),
    /// The customer's cell phone number (customers only).
    CellPhoneNumber(String),
}

impl Lookup {
    /// The index the look-up reads.
    pub fn key(&self) -> LookupKey {
        match self {
            Self::Id(_) => LookupKey::Id,
            Self::Reference(_) => LookupKey::Reference,
            Self::CellPhoneNumber(_) => LookupKey::CellPhoneNumber,
        }
    }

    /// The value looked for.
    pub fn value(&self) -> &str {
        match self {
            Self::Id(value) | Self::Reference(value) | Self::CellPhoneNumber(value) => value,
        }
    }
}

impl std::fmt::Display for Lookup {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{} {}", self.key().field(), self.value())
    }
}

/// A keyed index of the store: what a [`Lookup`] can find one record by.
/// Which look-up query parameter uses which index is read from the manifest
/// (`x-kimoby-lookup`, see [`crate::contract`]): a parameter finds records by
/// the field of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LookupKey {
    /// The id of any record (the table's own key).
    Id,
    /// The reference of customers (unique), appointments (unique) and events
    /// (unique per customer and name only).
    Reference,
    /// The cell phone number of customers (unique).
    CellPhoneNumber,
}

impl LookupKey {
    /// Every index.
    pub const ALL: [Self; 3] = [Self::Id, Self::Reference, Self::CellPhoneNumber];

    /// The field of the generated record types (`Customer`, `Appointment`,
    /// `Event`) that the index holds.
    pub fn field(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Reference => "reference",
            Self::CellPhoneNumber => "cell_phone_number",
        }
    }

    /// A look-up of `value` in this index.
    pub fn lookup(self, value: String) -> Lookup {
        match self {
            Self::Id => Lookup::Id(value),
            Self::Reference => Lookup::Reference(value),
            Self::CellPhoneNumber => Lookup::CellPhoneNumber(value),
        }
    }
}

/// The kinds of record the store finds by a look-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LookupRecord {
    /// Customers.
    Customer,
    /// Appointments.
    Appointment,
    /// Events.
    Event,
}

impl LookupRecord {
    /// The indexes the store keeps for this kind of record.
    pub fn keys(self) -> &'static [LookupKey] {
        match self {
            Self::Customer => &LookupKey::ALL,
            Self::Appointment | Self::Event => &[LookupKey::Id, LookupKey::Reference],
        }
    }

    /// `customer`, `appointment`, `event`: for messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Appointment => "appointment",
            Self::Event => "event",
        }
    }
}
