//! A generated briefing corpus for benchmarks: paragraphs in the style of agency and police
//! briefings, with figures of every kind, varied by a fixed pseudo-random sequence so every
//! run measures the same bytes.

#[allow(dead_code)]
pub fn corpus(bytes: usize) -> String {
    const TEMPLATES: &[&str] = &[
        "Since the start of the year officers detained {a} people and {b} more were placed under investigation. More than {c},{d} rounds of ammunition and {e} firearms were seized.",
        "The damage prevented exceeded {a}{b} billion tenge, of which {c}.{d} billion tenge was returned to the budget. Fines came to KZT {e} mln (${a}{d},000).",
        "Revenue rose {a}.{e}% to ${b}.{c}bn from ${b}.{d}bn a year earlier, while operating costs fell {e} pct to {c}{d} mln dlrs.",
        "Customs seized over {a}{b}0kg of synthetic drugs, {c} tons of precursors and about {d},{e}00 litres of fuel at {e} crossings.",
        "Output averaged {a}.{b} million barrels per day, up {c} percentage points on the quarter, at prices of ${d}{e} a barrel.",
        "- {a}{b} inspections at the northern border;\n- {c} smuggling routes closed;\n- {d}.{e} hectares of poppy destroyed.",
        "Between {a} and {a}{b} tonnes were shipped, roughly {c}{d} kilometres, in {e} weeks. Some {d}{e} vehicles were checked in 20{a}{b}.",
        "In a statement on 12 March the ministry said seven thousand volunteers and twenty-five teams took part; see Article {a} of Resolution {b}{c}.",
    ];
    // Real briefings carry about one figure per 125 bytes; prose without figures fills the
    // rest, so the corpus has the figure density of the labelled briefings.
    const PROSE: &[&str] = &[
        "The Head of State was informed about the measures aimed at improving the work of the committee in accordance with current challenges and threats.",
        "Officials said the operation was carried out jointly with the interior ministry and regional prosecutors, and that investigations are continuing.",
        "According to the ministry, the results were in line with expectations, although analysts cautioned that the outlook remains uncertain.",
        "The department noted that cooperation with neighbouring states had improved and that further joint exercises are planned for the coming months.",
    ];
    let mut out = String::with_capacity(bytes + 1024);
    let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
    out.push_str("# Weekly situation report\n\n");
    while out.len() < bytes {
        let t = TEMPLATES[(next() % TEMPLATES.len() as u64) as usize];
        let mut p = String::with_capacity(t.len() + 16);
        let mut chars = t.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '{' {
                let _ = chars.next();
                let _ = chars.next();
                p.push(char::from(b'1' + (next() % 9) as u8));
            } else {
                p.push(c);
            }
        }
        out.push_str(&p);
        for _ in 0..2 {
            out.push(' ');
            out.push_str(PROSE[(next() % PROSE.len() as u64) as usize]);
        }
        out.push_str("\n\n");
    }
    out
}

/// A fixed pseudo-random sequence (xorshift64) from a non-zero seed.
#[allow(dead_code)]
pub fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}

/// The text the profiling examples read: `SIZE` bytes (1 MB by default) of the generated
/// corpus, or with `REAL=1` of the labelled briefings (see [`real_text`]).
#[allow(dead_code)]
pub fn from_env() -> String {
    let size: usize = std::env::var("SIZE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1 << 20);
    match std::env::var_os("REAL") {
        Some(_) => real_text(size).expect("the labelled briefings"),
        None => corpus(size),
    }
}

/// The labelled briefings of the shared measurement set (read where they lie, never copied
/// into the project), one after another and over again until `bytes`: real text, with the
/// diagnostics real text gets. `None` when the set is not there.
#[allow(dead_code)]
pub fn real_text(bytes: usize) -> Option<String> {
    let dir = std::env::var("LSP_BENCH_REAL")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/briefings").into());
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let texts: Vec<String> = files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    if texts.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(bytes + 4096);
    'fill: loop {
        for t in &texts {
            out.push_str(t.trim_end());
            out.push_str("\n\n");
            if out.len() >= bytes {
                break 'fill;
            }
        }
    }
    Some(out)
}
