//! The Rust snippets of README.md's "Use the client" section are copies of
//! code in `examples/use_the_client.rs`, which cargo compiles: so every
//! snippet of the guide compiles, and the guide cannot drift from the example.

use std::path::Path;

#[test]
fn guide_snippets_are_copied_from_the_compiled_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |name: &str| std::fs::read_to_string(root.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let readme = read("../README.md");
    let section = readme
        .split("\n## Use the client\n")
        .nth(1)
        .expect("README.md has a `## Use the client` section");
    let guide = section.split("\n## ").next().unwrap_or(section);
    let example = read("examples/use_the_client.rs");
    let snippets: Vec<&str> = guide
        .split("```rust\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap())
        .collect();
    assert_eq!(snippets.len(), 5, "build, upsert, send, stream, errors");
    for snippet in snippets {
        assert!(
            example.contains(snippet),
            "not in examples/use_the_client.rs:\n{snippet}"
        );
    }
}
