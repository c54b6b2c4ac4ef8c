//! Throughput of the analysis core on a generated multi-megabyte briefing corpus
//! (SPEC §8: at least 50 MB/s on one core). `cargo bench --bench extract`.

use briefing_ls::{analyse, figures, Config};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

mod corpus;

fn bench(c: &mut Criterion) {
    let text = corpus::corpus(4 << 20);
    let config = Config::default();
    let mut g = c.benchmark_group("core");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function("extract_4MB", |b| {
        b.iter(|| figures::extract(std::hint::black_box(&text), &config))
    });
    g.bench_function("analyse_4MB", |b| {
        b.iter(|| analyse(std::hint::black_box(&text), &config))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
