//! Generator wall time: the whole DMS model, and DeleteConnection alone (parse, validate,
//! resolve, emit, format), as a build script runs it.

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::PathBuf;

fn model() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../models/dms/2016-01-01")
}

fn generator(c: &mut Criterion) {
    let mut g = c.benchmark_group("generator");
    g.sample_size(20);
    g.bench_function("dms_whole_model", |b| {
        b.iter(|| {
            awsgen_codegen::Config::new()
                .model(model())
                .generate()
                .expect("generate")
        })
    });
    g.bench_function("dms_delete_connection_only", |b| {
        b.iter(|| {
            awsgen_codegen::Config::new()
                .model(model())
                .operations(["DeleteConnection"])
                .generate()
                .expect("generate")
        })
    });
    g.finish();
}

criterion_group!(benches, generator);
criterion_main!(benches);
