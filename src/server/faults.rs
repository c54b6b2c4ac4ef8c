//! Fault injection for tests: make a handler panic on purpose, to prove that one failing
//! request gets an error and the server carries on (SPEC §9).
//!
//! Inert in production twice over: the hook exists only in builds with debug assertions
//! (`cargo test` builds the binary that way; `cargo build --release` compiles it out), and
//! even there it fires only when the server was started with the environment variable
//! `BRIEFING_LS_TEST_PANIC` set, and only for documents whose URI contains its value.
//! `tests/robustness.rs` starts the binary with `BRIEFING_LS_TEST_PANIC=inject-panic` and
//! hovers over `file:///.../inject-panic.md`.

use tower_lsp_server::ls_types::Uri;

/// Panic at `point` if the test hook asks for it for `uri`.
#[cfg(debug_assertions)]
pub(crate) fn panic_point(point: &str, uri: &Uri) {
    static TARGET: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let target = TARGET.get_or_init(|| {
        std::env::var("BRIEFING_LS_TEST_PANIC")
            .ok()
            .filter(|v| !v.is_empty())
    });
    if let Some(t) = target {
        if uri.as_str().contains(t.as_str()) {
            panic!(
                "injected panic in {point} for {} (BRIEFING_LS_TEST_PANIC)",
                uri.as_str()
            );
        }
    }
}

/// Release builds: nothing.
#[cfg(not(debug_assertions))]
#[inline(always)]
pub(crate) fn panic_point(_point: &str, _uri: &Uri) {}
