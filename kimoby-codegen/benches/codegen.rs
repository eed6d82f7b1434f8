//! Code generation in process: the whole `schemas/` folder to the formatted
//! files of `kimoby-generated/src/generated/`, as `cargo xtask codegen` does
//! before writing (`kimoby_codegen::generate`). The target is under 50 ms.
//!
//! Baseline, in the same run: reading and parsing the folder alone
//! (`SchemaFolder::read`), the floor any generator pays; `generate_from`
//! measures the pipeline without the file system (bundle, normalize, typify,
//! post-process, client, prettyplease).
//!
//! Run: `cargo bench -p kimoby-codegen --bench codegen`.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use kimoby_codegen::{Options, SchemaFolder, generate, generate_from};

fn schema_directory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("kimoby-codegen lives inside the workspace")
        .join("schemas")
}

fn codegen_benches(c: &mut Criterion) {
    let directory = schema_directory();
    let files = generate(&directory).expect("schemas/ generates");
    let bytes: usize = files.files.values().map(String::len).sum();
    println!("codegen: {} files, {bytes} bytes of Rust", files.files.len());
    let folder = SchemaFolder::read(&directory).expect("schemas/ reads");
    let options = Options::default();

    let mut group = c.benchmark_group("codegen");
    group.bench_function("generate_schemas_dir", |b| {
        b.iter(|| black_box(generate(black_box(&directory)).expect("generates")));
    });
    group.bench_function("generate_from_loaded", |b| {
        b.iter(|| black_box(generate_from(black_box(&folder), &options).expect("generates")));
    });
    group.bench_function("read_schemas_dir_only", |b| {
        b.iter(|| black_box(SchemaFolder::read(black_box(&directory)).expect("reads")));
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = codegen_benches
}
criterion_main!(benches);
