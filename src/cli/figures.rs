//! `briefing-ls figures [PATH...|-] [--format table|json|csv]`.

use std::path::PathBuf;
use std::process::ExitCode;

use briefing_ls::position::{Encoding, LineIndex};
use briefing_ls::report;
use serde_json::Value;

#[derive(clap::Args)]
pub struct FiguresArgs {
    /// Files or directories; `-` or nothing reads standard input.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, default_value = "table", value_parser = ["table", "json", "csv"])]
    pub format: String,
    /// Configuration file (default: `.briefing-ls.toml` found by walking up).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

pub fn run(a: FiguresArgs) -> ExitCode {
    let (inputs, failed) = super::read_inputs(&a.paths);
    if failed && inputs.is_empty() {
        return ExitCode::from(2);
    }
    let mut files = Vec::new();
    for input in &inputs {
        let config = match super::config_for(a.config.as_deref(), &input.path) {
            Ok(c) => c,
            Err(()) => return ExitCode::from(2),
        };
        let figs = briefing_ls::figures::extract_lang(&input.text, &config, input.lang);
        files.push((input, figs));
    }
    let out = match a.format.as_str() {
        "json" => {
            let files: Vec<Value> = files
                .iter()
                .map(|(i, f)| report::file_figures_json(&i.path, &i.text, f))
                .collect();
            let mut s = serde_json::to_string_pretty(&serde_json::json!({"files": files}))
                .unwrap_or_default();
            s.push('\n');
            s
        }
        "csv" => csv(&files),
        _ => table(&files),
    };
    if !super::emit(&out) {
        return ExitCode::from(2);
    }
    if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn num(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        v => v.to_string(),
    }
}

fn rows(files: &[(&super::Input, Vec<briefing_ls::Figure>)]) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (input, figs) in files {
        let idx = LineIndex::new(&input.text);
        let tags = briefing_ls::tags::find(&input.text);
        for f in figs {
            out.push((
                input.path.clone(),
                report::figure_json(&input.text, &idx, f, report::tag_of(&tags, f)),
            ));
        }
    }
    let _ = Encoding::Chars;
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv(files: &[(&super::Input, Vec<briefing_ls::Figure>)]) -> String {
    let mut s = String::from(
        "path,line,column,start,end,text,value,low,high,qualifier,unit,per,noun,dimension,normalized_value,normalized_unit,id,cat\n",
    );
    for (path, j) in rows(files) {
        let g = |k: &str| j.get(k).map(num).unwrap_or_default();
        let st = |k: &str| j.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let tag = |k: &str| {
            j["tag"]
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let fields = [
            path,
            g("line"),
            g("column"),
            g("start"),
            g("end"),
            st("text"),
            g("value"),
            g("low"),
            g("high"),
            st("qualifier"),
            st("unit"),
            st("per"),
            st("noun"),
            st("dimension"),
            num(&j["normalized"]["value"]),
            j["normalized"]["unit"].as_str().unwrap_or("").to_string(),
            tag("id"),
            tag("cat"),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        s.push_str(&line.join(","));
        s.push('\n');
    }
    s
}

fn table(files: &[(&super::Input, Vec<briefing_ls::Figure>)]) -> String {
    let multi = files.len() > 1;
    let mut rows_out: Vec<[String; 6]> = vec![[
        "at".into(),
        "text".into(),
        "value".into(),
        "unit".into(),
        "normalized".into(),
        "qualifier".into(),
    ]];
    for (path, j) in rows(files) {
        let at = if multi {
            format!("{path}:{}:{}", j["line"], j["column"])
        } else {
            format!("{}:{}", j["line"], j["column"])
        };
        let text = j["text"].as_str().unwrap_or("").replace(['\n', '\r'], " ");
        let value = if j["value"].is_null() {
            format!(
                "{}–{}",
                thousands(&num(&j["low"])),
                thousands(&num(&j["high"]))
            )
        } else {
            thousands(&num(&j["value"]))
        };
        let mut unit = j["unit"].as_str().map(str::to_string).unwrap_or_else(|| {
            j["noun"]
                .as_str()
                .map(|n| format!("({n})"))
                .unwrap_or_default()
        });
        if let Some(p) = j["per"].as_str() {
            unit = format!("{unit}/{p}");
        }
        let norm = match (&j["normalized"]["value"], j["normalized"]["unit"].as_str()) {
            (Value::Null, _) => String::new(),
            (v, Some(u)) => format!("{} {u}", thousands(&num(v))),
            (v, None) => thousands(&num(v)),
        };
        rows_out.push([
            at,
            text,
            value,
            unit,
            norm,
            j["qualifier"].as_str().unwrap_or("").to_string(),
        ]);
    }
    let mut widths = [0usize; 6];
    for r in &rows_out {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut s = String::new();
    for r in &rows_out {
        let mut line = String::new();
        for (i, (w, c)) in widths.iter().zip(r).enumerate() {
            let pad = w - c.chars().count();
            let right = i == 2 || i == 4;
            if right {
                line.push_str(&" ".repeat(pad));
                line.push_str(c);
            } else {
                line.push_str(c);
                line.push_str(&" ".repeat(pad));
            }
            line.push_str("  ");
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    if rows_out.len() == 1 {
        s.push_str("(no figures)\n");
    }
    s
}

/// `1234567.5` → `1,234,567.5` for display.
pub fn thousands(n: &str) -> String {
    let (sign, rest) = n.strip_prefix('-').map(|r| ("-", r)).unwrap_or(("", n));
    let (int, frac) = rest
        .split_once('.')
        .map(|(a, b)| (a, Some(b)))
        .unwrap_or((rest, None));
    if !int.bytes().all(|b| b.is_ascii_digit()) {
        return n.to_string();
    }
    let mut out = String::new();
    briefing_ls::figures::number::push_grouped(&mut out, int, ',');
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}
