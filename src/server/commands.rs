//! `workspace/executeCommand`: `briefing-ls.exportFigures` with `arguments: [uri]` answers
//! the `figures` JSON of SPEC §6 (`{"files": [{"path", "figures": [...]}]}`) for that
//! document — the open text if it is open, else the file on disk.

use serde_json::{json, Value};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::convert;
use super::Inner;
use crate::report;

impl Inner {
    pub(crate) async fn execute_command(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<LSPAny>> {
        if params.command != super::EXPORT_FIGURES {
            return Err(Error::invalid_params(format!(
                "unknown command `{}`",
                params.command
            )));
        }
        let uri = params
            .arguments
            .first()
            .and_then(|a| a.as_str().or_else(|| a.get("uri").and_then(Value::as_str)))
            .and_then(|s| s.parse::<Uri>().ok())
            .ok_or_else(|| {
                Error::invalid_params(format!(
                    "{}: expected arguments [uri]",
                    super::EXPORT_FIGURES
                ))
            })?;
        let path = convert::uri_path(&uri)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| uri.as_str().to_string());
        if let Some(snap) = self.snapshot(&uri) {
            let a = self.analysed(&snap).await;
            let file = super::guarded("exportFigures", || {
                report::file_figures_json(&path, &a.text(), &a.analysis.figures)
            })?;
            return Ok(Some(json!({ "files": [file] })));
        }
        // Not open: read it from disk with the configuration that applies to it, on the
        // analysis thread (reading and extracting a large file must not hold up messages).
        let Some(file_path) = convert::uri_path(&uri) else {
            return Err(Error::invalid_params(format!(
                "{} is not open and not a local file",
                uri.as_str()
            )));
        };
        let config = {
            let mut st = self.lock();
            self.config_for(&mut st, &uri)
        };
        let job = self.worker.run(move || {
            let text = std::fs::read(&file_path)
                .map_err(|e| format!("{path}: {e}"))
                .and_then(|b| {
                    String::from_utf8(b).map_err(|_| format!("{path}: not valid UTF-8"))
                })?;
            let language = crate::prose::Language::from_path(&file_path);
            let figures = crate::figures::extract_lang(&text, &config, language);
            Ok::<_, String>(report::file_figures_json(&path, &text, &figures))
        });
        let file = match job.await {
            Some(Ok(file)) => file,
            Some(Err(message)) => return Err(Error::invalid_params(message)),
            None => return Err(Error::internal_error()),
        };
        Ok(Some(json!({ "files": [file] })))
    }
}
