//! Throughput of the analysis core on one core, on generated briefings of 10 KB, 1 MB and
//! 10 MB (SPEC §8: at least 50 MB/s for extraction plus checks). `cargo bench --bench
//! extract`.

use briefing_ls::{analyse, figures, Config};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

mod corpus;

fn bench(c: &mut Criterion) {
    let config = Config::default();
    let mut g = c.benchmark_group("core");
    g.sample_size(10);
    for (name, bytes) in [("10KB", 10 << 10), ("1MB", 1 << 20), ("10MB", 10 << 20)] {
        let text = corpus::corpus(bytes);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("extract", name), &text, |b, text| {
            b.iter(|| figures::extract(std::hint::black_box(text), &config))
        });
        g.bench_with_input(BenchmarkId::new("analyse", name), &text, |b, text| {
            b.iter(|| analyse(std::hint::black_box(text), &config))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

/// The allocator of the `briefing-ls` binary, so that the core is measured as the product
/// runs it (glibc's malloc costs the checks about a third more time).
#[cfg(all(unix, not(target_env = "musl")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
