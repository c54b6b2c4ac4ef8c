//! Configuration: `.briefing-ls.toml` under `initializationOptions` under
//! `workspace/configuration` (section `briefing-ls`), per document, reloaded on change.
//!
//! Layers, lowest first: the defaults; the nearest `.briefing-ls.toml` walking up from the
//! document (stopping at its workspace folder); `initializationOptions`; the settings pulled
//! with `workspace/configuration` (or pushed with `workspace/didChangeConfiguration` by
//! clients that cannot be asked). A broken file gives one diagnostic on the file and the
//! defaults; broken editor settings give one `window/showMessage` and are ignored.
//! Requests to the client are made from spawned tasks with a timeout.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tower_lsp_server::ls_types::*;
use tracing::{debug, warn};

use super::convert;
use super::state::{ClientCaps, LoadedConfig, State};
use super::Inner;
use crate::position::Encoding;
use crate::Config;

/// The settings section the server reads.
pub(crate) const SECTION: &str = "briefing-ls";

/// How long to wait for the client to answer one of the server's requests.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(5);

impl Inner {
    pub(crate) fn initialize(&self, params: &InitializeParams, encoding: Encoding) {
        let caps = &params.capabilities;
        let ws = caps.workspace.as_ref();
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| convert::uri_path(&f.uri))
            .collect();
        #[allow(deprecated)] // `rootUri` is what older clients send instead of folders.
        let root_uri = params.root_uri.as_ref();
        if roots.is_empty() {
            roots.extend(root_uri.and_then(convert::uri_path));
        }
        let init = section(params.initialization_options.clone().unwrap_or(Value::Null));
        let mut st = self.lock();
        st.encoding = encoding;
        st.roots = roots;
        st.init_settings = init;
        st.caps = ClientCaps {
            configuration: ws.and_then(|w| w.configuration).unwrap_or(false),
            watch_files: ws
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            change_configuration: ws
                .and_then(|w| w.did_change_configuration.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            resolve_edits: caps
                .text_document
                .as_ref()
                .and_then(|t| t.code_action.as_ref())
                .is_some_and(|c| {
                    c.data_support == Some(true)
                        && c.resolve_support
                            .as_ref()
                            .is_some_and(|r| r.properties.iter().any(|p| p == "edit"))
                }),
        };
    }

    /// After `initialized`: register for configuration-file and settings changes, and pull
    /// the settings, all from a spawned task.
    pub(crate) fn after_initialized(self: Arc<Self>) {
        let (caps, init) = {
            let st = self.lock();
            (st.caps.clone(), st.init_settings.clone())
        };
        tokio::spawn(async move {
            if let Err(e) = Config::default().apply_json(&init) {
                let message =
                    format!("briefing-ls initializationOptions: {e}; these settings are ignored");
                self.client
                    .show_message(MessageType::WARNING, message)
                    .await;
            }
            let mut registrations = Vec::new();
            if caps.watch_files {
                let watchers = DidChangeWatchedFilesRegistrationOptions {
                    watchers: vec![FileSystemWatcher {
                        glob_pattern: GlobPattern::String(format!(
                            "**/{}",
                            crate::config::FILE_NAME
                        )),
                        kind: None,
                    }],
                };
                registrations.push(Registration {
                    id: "briefing-ls/config-file".into(),
                    method: "workspace/didChangeWatchedFiles".into(),
                    register_options: serde_json::to_value(watchers).ok(),
                });
            }
            if caps.change_configuration {
                registrations.push(Registration {
                    id: "briefing-ls/settings".into(),
                    method: "workspace/didChangeConfiguration".into(),
                    register_options: None,
                });
            }
            if !registrations.is_empty() {
                match tokio::time::timeout(
                    CLIENT_TIMEOUT,
                    self.client.register_capability(registrations),
                )
                .await
                {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => warn!("client/registerCapability failed: {e}"),
                    Err(_) => warn!("client/registerCapability: no answer in time"),
                }
            }
            if caps.configuration {
                self.pull_settings(Value::Null).await;
            }
        });
    }

    /// Ask the client for section `briefing-ls`; fall back to `pushed` when it has none.
    async fn pull_settings(self: Arc<Self>, pushed: Value) {
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some(SECTION.into()),
        };
        let pulled =
            match tokio::time::timeout(CLIENT_TIMEOUT, self.client.configuration(vec![item])).await
            {
                Ok(Ok(mut values)) if !values.is_empty() => values.swap_remove(0),
                Ok(Ok(_)) => Value::Null,
                Ok(Err(e)) => {
                    warn!("workspace/configuration failed: {e}");
                    Value::Null
                }
                Err(_) => {
                    warn!("workspace/configuration: no answer in time");
                    Value::Null
                }
            };
        let settings = if pulled.is_null() { pushed } else { pulled };
        self.set_dynamic_settings(settings).await;
    }

    async fn set_dynamic_settings(self: Arc<Self>, settings: Value) {
        if let Err(e) = Config::default().apply_json(&settings) {
            warn!("settings: {e}");
            self.client
                .show_message(
                    MessageType::WARNING,
                    format!("briefing-ls settings: {e}; these settings are ignored"),
                )
                .await;
        }
        {
            let mut st = self.lock();
            if st.dynamic_settings == settings {
                return;
            }
            debug!("settings: {settings}");
            st.dynamic_settings = settings;
        }
        self.republish_all();
    }

    pub(crate) fn did_change_configuration(self: Arc<Self>, params: DidChangeConfigurationParams) {
        let pushed = section(params.settings);
        let pull = self.lock().caps.configuration;
        tokio::spawn(async move {
            if pull {
                self.pull_settings(pushed).await;
            } else {
                self.set_dynamic_settings(pushed).await;
            }
        });
    }

    pub(crate) fn did_change_watched_files(self: Arc<Self>, params: DidChangeWatchedFilesParams) {
        if params
            .changes
            .iter()
            .any(|c| convert::is_config_uri(&c.uri))
        {
            self.reload_configs();
        }
    }

    /// Forget every configuration file read, re-read them for every open document, and
    /// republish (the files' own diagnostics too).
    pub(crate) fn reload_configs(self: Arc<Self>) {
        self.lock().config_files.clear();
        self.republish_all();
        tokio::spawn(async move { self.publish_config_errors().await });
    }

    /// The configuration of a document: its file's, then the editor's settings on top.
    pub(crate) fn config_for(&self, st: &mut State, uri: &Uri) -> Arc<Config> {
        let mut config = match convert::uri_path(uri).and_then(|p| find_config(&p, &st.roots)) {
            Some(file) => {
                // Clients without file watching still see edits to the file when a document
                // opens or settings change: a new modification time means read it again.
                let changed = st
                    .config_files
                    .get(&file)
                    .is_some_and(|l| l.modified != modified(&file));
                if changed {
                    st.config_files.remove(&file);
                }
                st.config_files
                    .entry(file.clone())
                    .or_insert_with(|| load(&file))
                    .config
                    .clone()
            }
            None => Config::default(),
        };
        // Bad editor settings were reported when they arrived; here they leave `config` as is.
        let _ = config.apply_json(&st.init_settings);
        let _ = config.apply_json(&st.dynamic_settings);
        Arc::new(config)
    }
}

/// The nearest `.briefing-ls.toml` above `doc`, not above the workspace folder holding it.
fn find_config(doc: &Path, roots: &[PathBuf]) -> Option<PathBuf> {
    let root = roots
        .iter()
        .filter(|r| doc.starts_with(r))
        .max_by_key(|r| r.as_os_str().len());
    crate::config::find_file(doc, root.map(PathBuf::as_path))
}

/// Read and parse a configuration file; a broken or unreadable one gives the defaults.
fn load(path: &Path) -> LoadedConfig {
    let modified = modified(path);
    let (config, error) = match std::fs::read_to_string(path) {
        Ok(text) => match Config::from_toml(&text) {
            Ok(config) => (config, None),
            Err(error) => (Config::default(), Some((text, error))),
        },
        Err(e) => {
            let message = format!("cannot read the file: {e}");
            let error = crate::config::ConfigError {
                span: None,
                message,
            };
            (Config::default(), Some((String::new(), error)))
        }
    };
    LoadedConfig {
        modified,
        config,
        error,
    }
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The settings in force, in the shape of `initializationOptions` (for [`super::DEBUG_DOCUMENT`]).
pub(crate) fn config_json(c: &Config) -> Value {
    use crate::config::{Style, TagStyle, Tons};
    let checks: serde_json::Map<String, Value> = c
        .checks
        .iter()
        .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
        .collect();
    serde_json::json!({
        "style": match c.style { Style::Ap => "ap", Style::Chicago => "chicago", Style::None => "none" },
        "tags": match c.tags { TagStyle::Span => "span", TagStyle::Html => "html" },
        "tons": match c.tons { Tons::Metric => "metric", Tons::Short => "short", Tons::Long => "long" },
        "decimal": c.decimal.to_string(),
        "debounce": c.debounce,
        "categories": c.categories,
        "checks": checks,
        "rates": c.rates,
    })
}

/// Our section of a settings object: `{"briefing-ls": {...}}` → `{...}`; an object without
/// that key is taken as the section itself (Neovim users often pass it bare).
pub(crate) fn section(v: Value) -> Value {
    match v {
        Value::Object(mut m) if m.contains_key(SECTION) => m.remove(SECTION).unwrap_or(Value::Null),
        v => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_is_unwrapped_or_taken_as_is() {
        let inner = serde_json::json!({"style": "none"});
        assert_eq!(
            section(serde_json::json!({"briefing-ls": inner.clone()})),
            inner
        );
        assert_eq!(section(inner.clone()), inner);
        assert_eq!(section(Value::Null), Value::Null);
    }
}
