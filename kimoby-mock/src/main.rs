//! The `kimoby-mock` binary.

fn main() {}
