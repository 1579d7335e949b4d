//! Generator throughput on synthetic specs (see `xtask/src/bench_specs.rs`, included below so
//! that this bench and `cargo xtask bench-specs` measure the same input).
//!
//! `cargo bench -p api-codegen --bench throughput` measures, for N = 100 and 1,000 operations:
//!
//! * `generate/N`: the whole of `api_codegen::generate_files`, every file made and dropped as
//!   `cargo xtask codegen` does (load → lower → check → emit → format); criterion's throughput
//!   line is operations per second;
//! * `stages/…/1000`: each public stage alone (`spec::load` of every file, `lower::lower`,
//!   `check::check`), and two floors no design built on these libraries goes below:
//!   `serde_yaml`, which only deserializes every spec file into the spec structs, and
//!   `reformat`, which parses the generated files with `syn` and prints them with `prettyplease`
//!   again — a stand-in for the formatting part of the private emit stage.
//!
//! Times are the CPU time of the benchmarking thread (`support/cpu_time.rs`), so that other
//! processes on the machine do not inflate them; "on one core" is what the targets ask for.
//!
//! N = 10,000 is a single timed run in `cargo run --release -p xtask -- bench-specs 10000 DIR`
//! (criterion's minimum of 10 samples would take four minutes there).

#[allow(dead_code)]
#[path = "../../xtask/src/bench_specs.rs"]
mod bench_specs;
mod support {
    pub mod cpu_time;
}

use std::hint::black_box;
use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use support::cpu_time::CpuTime;

fn generate(c: &mut Criterion<CpuTime>) {
    let mut group = c.benchmark_group("generate");
    group.sampling_mode(SamplingMode::Flat).warm_up_time(Duration::from_secs(1));
    for n in [100, 1_000] {
        let sources = bench_specs::synthetic_specs(n);
        // Fail loudly if the synthetic specs stop being valid.
        if let Err(errors) = api_codegen::generate(&sources) {
            panic!("synthetic specs for {n} operations do not generate: {:?}", &errors[..1]);
        }
        group
            .throughput(Throughput::Elements(n as u64))
            .sample_size(if n >= 1_000 { 10 } else { 20 })
            .measurement_time(Duration::from_secs(if n >= 1_000 { 4 } else { 3 }));
        group.bench_with_input(BenchmarkId::from_parameter(n), &sources, |b, sources| {
            b.iter(|| black_box(api_codegen::generate_files(sources).map(|files| files.count())))
        });
    }
    group.finish();
}

fn stages(c: &mut Criterion<CpuTime>) {
    let n = 1_000;
    let sources = bench_specs::synthetic_specs(n);
    let load_all = || -> Vec<_> {
        sources
            .iter()
            .map(|s| api_codegen::spec::load(&s.name, &s.text).expect("the specs load"))
            .collect()
    };
    let loaded = load_all();
    let ir = api_codegen::lower::lower(&loaded).expect("the specs lower");
    let files = api_codegen::generate(&sources).expect("the specs generate");

    let mut group = c.benchmark_group("stages");
    group
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(10)
        .throughput(Throughput::Elements(n as u64));
    group.bench_function(BenchmarkId::new("load", n), |b| b.iter(|| black_box(load_all())));
    group.bench_function(BenchmarkId::new("serde_yaml", n), |b| {
        b.iter(|| {
            for source in &sources {
                black_box(serde_yaml::from_str::<api_codegen::spec::Spec>(&source.text).ok());
            }
        })
    });
    group.bench_function(BenchmarkId::new("lower", n), |b| {
        b.iter(|| black_box(api_codegen::lower::lower(&loaded).ok()))
    });
    group.bench_function(BenchmarkId::new("check", n), |b| {
        b.iter(|| black_box(api_codegen::check::check(&ir, &loaded).ok()))
    });
    group.bench_function(BenchmarkId::new("reformat", n), |b| {
        b.iter(|| {
            for text in files.values() {
                let file = syn::parse_file(text).expect("generated files parse");
                black_box(prettyplease::unparse(&file));
            }
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(CpuTime);
    targets = generate, stages
}
criterion_main!(benches);
