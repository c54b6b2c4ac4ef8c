//! What the server tells its allocator.
//!
//! jemalloc (the binary's allocator, `src/main.rs`) keeps each thread's recently freed small
//! blocks in a cache of that thread, for its next allocations. A thread that then sits idle
//! keeps them for good: freed, yet holding their pages, which the allocator cannot give
//! back to the system. After an analysis (and after the previous one was freed) the
//! analysis thread sits idle until the next edit with its cache full; handing it back
//! took 0.2–0.3 bytes per byte off the idle memory of a generated document (README,
//! Benchmarks). [`release_thread_cache`] hands the blocks back to the shared pool, whose
//! unused pages are returned after about a second (`.cargo/config.toml`). Turning the
//! caches off altogether would save more but cost a third of the analysis's speed.

/// Hand the calling thread's cached freed blocks back to the allocator's shared pool. Call
/// it on a thread that is about to sit idle. Without jemalloc (other targets, or a program
/// whose allocator is another) it only clears jemalloc's own cache of this thread, which
/// then holds nothing.
pub(crate) fn release_thread_cache() {
    #[cfg(all(unix, not(target_env = "musl")))]
    {
        use tikv_jemalloc_ctl::{Access, AsName};
        // Turning the thread's cache off flushes it; turned on again it starts empty. A
        // failure (a jemalloc built without thread caches) leaves things as they were.
        let enabled = b"thread.tcache.enabled\0".name();
        if enabled.read() == Ok(true) && enabled.write(false).is_ok() {
            let _ = enabled.write(true);
        }
    }
}

#[cfg(all(test, unix, not(target_env = "musl")))]
mod tests {
    use tikv_jemalloc_ctl::{Access, AsName};

    #[test]
    fn the_thread_keeps_its_cache_after_releasing_it() {
        let enabled = b"thread.tcache.enabled\0".name();
        assert_eq!(enabled.read(), Ok(true));
        super::release_thread_cache();
        // Released, not turned off: the thread's next allocations are cached again.
        assert_eq!(enabled.read(), Ok(true));
        // A thread whose cache is off is left so.
        enabled.write(false).expect("turn the cache off");
        super::release_thread_cache();
        assert_eq!(enabled.read(), Ok(false));
        enabled.write(true).expect("turn the cache on");
    }
}
