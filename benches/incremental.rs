//! Re-extraction after a one-character edit of a 1 MB briefing, with the chunk cache warm
//! (SPEC §8 budgets the whole edit at 5 ms). `cargo bench --bench incremental`.

use briefing_ls::prose::Language;
use briefing_ls::{figures, Config};
use criterion::{criterion_group, criterion_main, Criterion};

mod corpus;

fn bench(c: &mut Criterion) {
    let base = corpus::corpus(1 << 20);
    let config = Config::default();
    let mut cache = figures::ChunkCache::default();
    let _ = figures::extract_cached(&base, &config, Language::Markdown, &mut cache);
    let mut g = c.benchmark_group("incremental");
    g.sample_size(30);
    let mut n: usize = 0;
    g.bench_function("extract_after_one_char_edit_1MB", |b| {
        b.iter_batched(
            || {
                // A different place each time; insert one character on a char boundary.
                n = n
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let mut at = (n >> 11) % base.len();
                while !base.is_char_boundary(at) {
                    at -= 1;
                }
                let mut t = base.clone();
                t.insert(at, 'x');
                t
            },
            |t| figures::extract_cached(&t, &config, Language::Markdown, &mut cache),
            criterion::BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

/// The allocator of the `briefing-ls` binary, so that the core is measured as the product
/// runs it (glibc's malloc costs the checks about a third more time).
#[cfg(all(unix, not(target_env = "musl")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
