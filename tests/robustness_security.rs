//! Security (SPEC §9, issue 8; `docs/security.md`): the language server reads only the
//! documents the client sends and the configuration files of SPEC §7, runs no programs and
//! opens no network connections.
//!
//! - The configuration walk stops at the workspace folder and at the filesystem root.
//! - A running server holds no socket, no child process and no open file beyond its pipes.
//! - The source cannot do otherwise: no process spawning or networking API is named in
//!   `src/`, and tokio is built without its `net` and `process` features.

mod robustness_support;

use std::fs;
use std::path::{Path, PathBuf};

use briefing_ls::config::{find_file, FILE_NAME};
use robustness_support::*;
use serde_json::json;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "briefing-ls-security-{}-{name}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn the_configuration_walk_stops_at_the_workspace_and_at_the_filesystem_root() {
    let top = scratch("walk");
    let ws = top.join("workspace");
    let doc_dir = ws.join("a/b");
    fs::create_dir_all(&doc_dir).unwrap();
    let doc = doc_dir.join("brief.md");
    fs::write(&doc, "Seized 5 tons.").unwrap();
    // A configuration above the workspace: not the workspace's to use.
    fs::write(top.join(FILE_NAME), "style = \"none\"\n").unwrap();
    assert_eq!(
        find_file(&doc, Some(&ws)),
        None,
        "stops at the workspace folder"
    );
    // Without a workspace, the walk goes up to it.
    assert_eq!(find_file(&doc, None), Some(top.join(FILE_NAME)));
    // Inside the workspace, the nearest one wins.
    fs::write(ws.join(FILE_NAME), "style = \"ap\"\n").unwrap();
    assert_eq!(find_file(&doc, Some(&ws)), Some(ws.join(FILE_NAME)));
    fs::write(doc_dir.join(FILE_NAME), "").unwrap();
    assert_eq!(find_file(&doc, Some(&ws)), Some(doc_dir.join(FILE_NAME)));
    // The filesystem root ends the walk, from a path that does not exist and from relative
    // and empty paths, with or without a root that is not above the document.
    let nowhere = Path::new("/no/such/dir/for/briefing-ls/brief.md");
    let found = find_file(nowhere, None);
    assert!(
        found.is_none() || found == Some(Path::new("/").join(FILE_NAME)),
        "{found:?}"
    );
    let _ = find_file(Path::new("brief.md"), None);
    let _ = find_file(Path::new(""), None);
    let _ = find_file(nowhere, Some(&ws));
    fs::remove_dir_all(top).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_uses_no_configuration_above_its_workspace() {
    let top = scratch("server-walk");
    let ws = top.join("workspace");
    fs::create_dir_all(ws.join("sub")).unwrap();
    fs::write(top.join(FILE_NAME), "style = \"chicago\"\n").unwrap();
    let mut c = Client::start();
    let ws_uri = format!("file://{}", ws.display());
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": ws_uri, "capabilities": {},
               "workspaceFolders": [{"uri": ws_uri, "name": "ws"}]}),
    )
    .await;
    c.notify("initialized", json!({})).await;
    let uri = format!("file://{}/sub/brief.md", ws.display());
    c.open(&uri, "Seized 5 tons.").await;
    let held = c.held(&uri).await;
    assert_eq!(
        held["settings"]["style"], "ap",
        "the file above the workspace is ignored"
    );
    // A document outside every workspace folder walks up to the filesystem root.
    let outside = format!("file://{}/outside.md", top.display());
    c.open(&outside, "Seized 5 tons.").await;
    assert_eq!(c.held(&outside).await["settings"]["style"], "chicago");
    c.shutdown_and_exit().await;
    fs::remove_dir_all(top).unwrap();
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_server_holds_no_socket_child_or_stray_file() {
    let dir = scratch("fds");
    fs::write(dir.join(FILE_NAME), "style = \"ap\"\n").unwrap();
    let mut c = Client::start();
    c.initialize().await;
    let uri = format!("file://{}/brief.md", dir.display());
    c.open(&uri, "Police seized 148 weapons and 800kg of drugs.")
        .await;
    c.diagnostics(&uri, 1).await;
    let r = c
        .request_raw("textDocument/hover", hover_params(&uri, 0, 15))
        .await;
    assert!(r.get("error").is_none(), "{r}");
    let pid = c.pid();
    let mut kinds = Vec::new();
    for fd in fs::read_dir(format!("/proc/{pid}/fd")).unwrap() {
        let fd = fd.unwrap().path();
        let Ok(target) = fs::read_link(&fd) else {
            continue;
        };
        let n: u32 = fd.file_name().unwrap().to_str().unwrap().parse().unwrap();
        let t = target.display().to_string();
        kinds.push(format!("{n}: {t}"));
        // Standard input and output are whatever the client made them (tokio's process
        // spawning makes them Unix socket pairs); the server opens no socket of its own.
        if n <= 2 {
            continue;
        }
        if let Some(inode) = t.strip_prefix("socket:[").and_then(|r| r.strip_suffix(']')) {
            // tokio's signal driver (in test builds, where the tests' `process` feature is
            // unified into tokio) keeps a Unix socket pair to itself: allowed, since it reaches
            // nothing outside the process. Anything on TCP or UDP is not.
            for table in ["tcp", "tcp6", "udp", "udp6", "raw", "raw6"] {
                let net =
                    fs::read_to_string(format!("/proc/{pid}/net/{table}")).unwrap_or_default();
                assert!(
                    !net.split_whitespace().any(|w| w == inode),
                    "a {table} socket is open: {n}: {t}"
                );
            }
            let unix = fs::read_to_string(format!("/proc/{pid}/net/unix")).unwrap_or_default();
            let line = unix
                .lines()
                .find(|l| l.split_whitespace().nth(6) == Some(inode))
                .unwrap_or_else(|| panic!("socket {inode} is not a Unix socket: {kinds:?}"));
            // A socket pair has no path: it is bound to nothing anyone else can reach.
            assert_eq!(
                line.split_whitespace().count(),
                7,
                "a named Unix socket: {line}"
            );
            continue;
        }
        // Pipes (stdio), the runtime's event fds, /dev/null: nothing else may stay open.
        assert!(
            t.starts_with("pipe:") || t.starts_with("anon_inode:") || t.starts_with("/dev/"),
            "an open file: {n}: {t}"
        );
    }
    // No child processes, in any thread.
    for task in fs::read_dir(format!("/proc/{pid}/task")).unwrap() {
        let children = task.unwrap().path().join("children");
        if let Ok(list) = fs::read_to_string(children) {
            assert!(list.trim().is_empty(), "child processes: {list}");
        }
    }
    eprintln!("server file descriptors: {kinds:?}");
    c.shutdown_and_exit().await;
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_source_names_no_way_to_run_programs_or_reach_the_network() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("src"), &mut files);
    let banned = [
        "process::Command",
        "Command::new",
        "std::net",
        "tokio::net",
        "TcpStream",
        "TcpListener",
        "UdpSocket",
        "UnixStream",
        "libc::",
        "execv",
    ];
    for f in files {
        let text = fs::read_to_string(&f).unwrap();
        for b in banned {
            assert!(!text.contains(b), "{} names `{b}`", f.display());
        }
    }
    // tokio without `net` and `process` (the test build's tokio has `process` for these
    // tests; the library's own dependency line must not).
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|s| s.split("\n[").next())
        .unwrap();
    let tokio = deps.lines().find(|l| l.starts_with("tokio ")).unwrap();
    assert!(
        !tokio.contains("\"net\"") && !tokio.contains("\"process\"") && !tokio.contains("full"),
        "{tokio}"
    );
}
