//! The corpus, built from a seeded PRNG (SplitMix64) so that it is the same
//! on every run: messages, customers (with phones and custom attributes),
//! appointments and customer requests, as list responses of [`PER_PAGE`].

use super::*;

/// SplitMix64: a small, seeded, reproducible PRNG.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound`.
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }

    fn hex(&mut self, len: usize) -> String {
        let mut out = String::with_capacity(len);
        while out.len() < len {
            out.push_str(&format!("{:016x}", self.next()));
        }
        out.truncate(len);
        out
    }

    /// A date between 2016 and 2024 with this offset (in hours).
    fn date(&mut self, offset_hours: i32) -> DateTime<FixedOffset> {
        let offset = FixedOffset::east_opt(offset_hours * 3600).expect("offset in range");
        let seconds = 1_451_606_400 + i64::try_from(self.below(9 * 365 * 86_400)).unwrap_or(0);
        offset.timestamp_opt(seconds, 0).single().expect("valid timestamp")
    }
}

const FIRST_NAMES: &[&str] = &[
    "John", "Marie", "Luc", "Sophie", "Amélie", "Karim", "Chen", "Olivia", "Noah", "Zoé",
];
const LAST_NAMES: &[&str] = &[
    "Doe", "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Nguyen", "Smith", "Leblanc",
];
const CITIES: &[&str] = &[
    "Quebec",
    "Montreal",
    "Levis",
    "Sherbrooke",
    "Gatineau",
    "Trois-Rivieres",
    "Saguenay",
];
const STREETS: &[&str] = &[
    "Saint-joseph E.",
    "rue du Pont",
    "boul. Laurier",
    "av. Cartier",
    "ch. Sainte-Foy",
];
const BODIES: &[&str] = &[
    "Test message",
    "Your appointment is confirmed for tomorrow at 10:00.",
    "Reply STOP to unsubscribe.",
    "Bonjour! Votre véhicule est prêt. Merci de votre confiance.",
    "Can we move my appointment to Friday afternoon? Thanks",
    "OK",
];
const MESSAGE_STATUSES: &[&str] = &[
    "queued",
    "sending",
    "sent",
    "receiving",
    "received",
    "delivered",
    "undelivered",
    "failed",
];
const APPOINTMENT_STATUSES: &[&str] = &["confirmed", "canceled", "not_confirmed"];
const PRODUCTS: &[&str] = &["Premium", "Lite", "Oil Change", "Tires", "Inspection", "Detailing"];

fn custom_attributes(rng: &mut Rng) -> Value {
    let mut attributes = serde_json::Map::new();
    attributes.insert("vehicle_year".into(), json!((2000 + rng.below(25)).to_string()));
    if rng.chance(70) {
        attributes.insert("num_of_visits".into(), json!(rng.below(40) as f64));
    }
    if rng.chance(80) {
        attributes.insert("last_visit_date".into(), json!(rng.date(0).to_rfc3339()));
    }
    if rng.chance(60) {
        let count = 1 + rng.below(3);
        let products: Vec<&str> = (0..count).map(|_| rng.pick(PRODUCTS)).collect();
        attributes.insert("product_names_array".into(), json!(products));
    }
    if rng.chance(40) {
        attributes.insert(
            "comment".into(),
            json!(format!("Work needs to be done for {}.", rng.pick(CITIES))),
        );
    }
    Value::Object(attributes)
}

fn phone(rng: &mut Rng) -> String {
    format!("+1418{:07}", rng.below(10_000_000))
}

fn customer(rng: &mut Rng, index: usize) -> Value {
    let created = rng.date(0);
    let name = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
    let email = if rng.chance(85) {
        format!("{}.{index}@example.com", name.to_lowercase().replace(' ', "."))
    } else {
        String::new()
    };
    let mut customer = json!({
        "id": format!("cu{}", rng.hex(32)),
        "reference": format!("CU{index:06}"),
        "name": name,
        "cell_phone_number": phone(rng),
        "email": email,
        "address": format!("{} {}", 1 + rng.below(2000), rng.pick(STREETS)),
        "city": rng.pick(CITIES),
        "state": "QC",
        "zipcode": format!("G{}K {}C{}", rng.below(10), rng.below(10), rng.below(10)),
        "country": "CA",
        "is_unsubscribed": rng.chance(5),
        "phones": {
            "home": if rng.chance(50) { phone(rng) } else { String::new() },
            "work": "+1 (877) 247-9367",
            "other": format!("(418) 394-{:04} x{}", rng.below(10_000), rng.below(100_000)),
        },
        "custom_attributes": custom_attributes(rng),
        "created_at": created.to_rfc3339(),
        "updated_at": (created + chrono::Duration::seconds(i64::try_from(rng.below(86_400)).unwrap_or(0))).to_rfc3339(),
    });
    if rng.chance(10) {
        // Only `name` is required on create: some customers lack the optional fields.
        if let Value::Object(fields) = &mut customer {
            for field in ["reference", "address", "zipcode", "state"] {
                fields.remove(field);
            }
        }
    }
    customer
}

fn message(rng: &mut Rng) -> Value {
    let status = rng.pick(MESSAGE_STATUSES);
    let incoming = matches!(status, "receiving" | "received");
    let created = rng.date(-5);
    json!({
        "id": 345_634_563 + rng.below(1_000_000_000),
        "customer_id": format!("CU{}", rng.hex(29)),
        "conversation_id": if rng.chance(70) { json!(23_529_011 + rng.below(1_000_000)) } else { Value::Null },
        "user_sub_user_id": if rng.chance(20) { json!(format!("us{}", rng.hex(20))) } else { Value::Null },
        "body": rng.pick(BODIES),
        "element_type": if incoming { "received_message" } else { "sent_message" },
        "direction": if incoming { "incoming" } else { "outgoing" },
        "status": status,
        "error": if matches!(status, "failed" | "undelivered") { json!("Carrier rejected the message") } else { Value::Null },
        "documents": if rng.chance(10) { json!([format!("https://files.kimoby.com/{}.jpg", rng.hex(16))]) } else { json!([]) },
        "created_at": created.to_rfc3339(),
        "updated_at": (created + chrono::Duration::seconds(i64::try_from(rng.below(600)).unwrap_or(0))).to_rfc3339(),
    })
}

fn appointment(rng: &mut Rng, index: usize) -> Value {
    let start = rng.date(0);
    json!({
        "id": format!("ap{}", rng.hex(32)),
        "reference": format!("AP{index:06}"),
        "start_at": start.to_rfc3339(),
        "end_at": (start + chrono::Duration::hours(1)).to_rfc3339(),
        "status": rng.pick(APPOINTMENT_STATUSES),
        "custom_attributes": custom_attributes(rng),
        "customer": customer(rng, index),
        "created_at": rng.date(0).to_rfc3339(),
        "updated_at": rng.date(0).to_rfc3339(),
    })
}

/// A customer request body as a client sends it (only `name` required).
fn customer_request(rng: &mut Rng, index: usize) -> Value {
    let mut body = json!({
        "name": format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)),
        "reference": format!("CU{index:06}"),
        "cell_phone_number": phone(rng),
        "email": format!("client{index}@example.com"),
        "city": rng.pick(CITIES),
        "country": "CA",
        "phones": {"home": phone(rng), "work": "+1 (877) 247-9367", "other": null},
    });
    if rng.chance(20)
        && let Value::Object(fields) = &mut body
    {
        fields.insert("zipcode".into(), Value::Null);
    }
    body
}

/// `items` as list responses of [`PER_PAGE`] under `key`, serialized.
fn pages(key: &str, items: Vec<Value>) -> Vec<String> {
    let total = items.len();
    let page_count = total.div_ceil(PER_PAGE);
    items
        .chunks(PER_PAGE)
        .enumerate()
        .map(|(index, chunk)| {
            json!({
                key: chunk,
                "pagination": {"page": index + 1, "pages": page_count, "items": total, "per_page": PER_PAGE},
            })
            .to_string()
        })
        .collect()
}

/// The whole corpus, the same on every run.
pub(crate) struct Corpus {
    pub(crate) messages: Vec<String>,
    pub(crate) customers: Vec<String>,
    pub(crate) appointments: Vec<String>,
    pub(crate) customer_requests: Vec<String>,
}

impl Corpus {
    pub(crate) fn new() -> Self {
        let mut rng = Rng(0x4B49_4D4F_4259);
        let messages = (0..ITEMS).map(|_| message(&mut rng)).collect();
        let customers = (0..ITEMS).map(|index| customer(&mut rng, index)).collect();
        let appointments = (0..ITEMS).map(|index| appointment(&mut rng, index)).collect();
        let customer_requests = (0..ITEMS)
            .map(|index| customer_request(&mut rng, index).to_string())
            .collect();
        Self {
            messages: pages("messages", messages),
            customers: pages("customers", customers),
            appointments: pages("appointments", appointments),
            customer_requests,
        }
    }
}
