//! A stateful, in-memory mock of the Kimoby REST API.
