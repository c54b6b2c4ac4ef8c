//! The server's runtime threads hand the freed blocks they cache back to the allocator
//! when they park, once they freed 64 KB or more since they last did
//! (`briefing_ls::server::runtime`), so that what a worker freed while handling an edit
//! does not keep its pages while the server sits idle. A test binary of
//! its own, with jemalloc as its allocator (as the `briefing-ls` binary has), so that no
//! other test's threads fill caches meanwhile.
#![cfg(all(unix, not(target_env = "musl")))]

use tikv_jemalloc_ctl::{Access, AsName};

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Bytes all threads' caches hold.
fn cached() -> i64 {
    tikv_jemalloc_ctl::epoch::advance().expect("jemalloc epoch");
    Access::<usize>::read(b"stats.arenas.4096.tcache_bytes\0".name()).expect("jemalloc stats")
        as i64
}

/// Blocks of every small size, allocated and freed (far more than a worker frees before it
/// hands its cache back), then a few of one size last: a thread's cache keeps up to 16 of
/// a size, and gives some back on its own as the thread allocates, which the churn before
/// may have done for the others.
fn churn() {
    for size in (16..=4096).step_by(16) {
        let blocks: Vec<Box<[u8]>> = (0..64)
            .map(|i| vec![i as u8; size].into_boxed_slice())
            .collect();
        drop(std::hint::black_box(blocks));
    }
    let last: Vec<Box<[u8]>> = (0..16)
        .map(|i| vec![i as u8; 2048].into_boxed_slice())
        .collect();
    drop(std::hint::black_box(last));
}

/// How many bytes more the threads' caches hold once a task that allocated and freed
/// blocks ran on one of `runtime`'s workers, and the workers went idle.
fn left_cached(runtime: &tokio::runtime::Runtime) -> i64 {
    let before = cached();
    runtime.block_on(async { tokio::spawn(async { churn() }).await.expect("the task") });
    std::thread::sleep(std::time::Duration::from_millis(200));
    cached() - before
}

#[test]
fn the_servers_workers_hand_back_what_they_freed_when_they_go_idle() {
    // Without the hook, a worker keeps what it freed: the measure can see it.
    let plain = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let kept = left_cached(&plain);
    drop(plain);
    assert!(
        kept > 8 << 10,
        "a plain runtime's worker keeps the blocks it freed ({kept} bytes)"
    );

    let server = briefing_ls::server::runtime().expect("the server's runtime");
    let left = left_cached(&server);
    assert!(
        left < kept / 8,
        "the server's workers hand back what they freed: {left} bytes left, \
         {kept} without the hook"
    );
}

#[test]
fn the_builds_thread_caches_hold_a_few_blocks_of_a_size() {
    // `.cargo/config.toml`: long batches spread what a document keeps over more pages.
    let most = Access::<u32>::read(b"opt.tcache_nslots_small_max\0".name()).expect("jemalloc");
    let least = Access::<u32>::read(b"opt.tcache_nslots_small_min\0".name()).expect("jemalloc");
    assert_eq!((most, least), (16, 8));
}
