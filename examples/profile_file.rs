//! Extraction over a file, for profilers: `cargo run --release --example profile_file -- FILE`.
fn main() {
    let path = std::env::args().nth(1).expect("FILE");
    let text = std::fs::read_to_string(path).expect("readable UTF-8");
    let t = std::time::Instant::now();
    let n = briefing_ls::figures::extract(&text, &briefing_ls::Config::default()).len();
    let secs = t.elapsed().as_secs_f64();
    eprintln!("{n} figures; {:.1} MB/s", text.len() as f64 / secs / 1e6);
}
