//! `briefing-ls rules [CODE]`: every check (code, default severity, summary), or one
//! check's documentation. An unknown code is bad usage (exit 2).

use std::process::ExitCode;

use briefing_ls::checks;

pub fn run(code: Option<&str>) -> ExitCode {
    match code {
        None => {
            let width = checks::REGISTRY
                .iter()
                .map(|c| c.code.len())
                .max()
                .unwrap_or(0);
            let mut s = String::new();
            for c in checks::REGISTRY {
                s.push_str(&format!(
                    "{:width$}  {:7}  {}\n",
                    c.code,
                    c.severity.as_str(),
                    c.summary
                ));
            }
            if !super::emit(&s) {
                return ExitCode::from(2);
            }
            ExitCode::SUCCESS
        }
        Some(code) => match checks::check(code) {
            Some(c) => {
                let text = format!(
                    "{}: {}\n\ndefault severity: {}\n\n{}\n\n{}\n",
                    c.code,
                    c.summary,
                    c.severity.as_str(),
                    c.explanation,
                    checks::doc_url(c.code)
                );
                if !super::emit(&text) {
                    return ExitCode::from(2);
                }
                ExitCode::SUCCESS
            }
            None => {
                super::error(
                    "rules",
                    format!("unknown check `{code}` (run `briefing-ls rules` for the list)"),
                );
                ExitCode::from(2)
            }
        },
    }
}
