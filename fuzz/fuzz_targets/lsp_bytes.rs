//! The language server's input on any bytes: whatever arrives, the server neither panics
//! nor hangs, and when the input ends it stops. The bytes are split at `|` boundaries into
//! writes, so frames also arrive in pieces.

#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fuzz_target!(|data: &[u8]| {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (client, server_io) = tokio::io::duplex(1 << 16);
        let (sr, sw) = tokio::io::split(server_io);
        let server = tokio::spawn(briefing_ls::server::serve(sr, sw));
        let (mut cr, mut cw) = tokio::io::split(client);
        // Drain what the server writes so that it never blocks on output.
        let drain = tokio::spawn(async move {
            let mut sink = vec![0u8; 1 << 16];
            while matches!(cr.read(&mut sink).await, Ok(n) if n > 0) {}
        });
        // A session first, so that the bytes reach an initialised server too.
        let init = r#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{}}}"#;
        let _ = cw
            .write_all(format!("Content-Length: {}\r\n\r\n{init}", init.len()).as_bytes())
            .await;
        for piece in data.split(|&b| b == b'|') {
            if cw.write_all(piece).await.is_err() {
                break;
            }
            tokio::task::yield_now().await;
        }
        let _ = cw.shutdown().await;
        drop(cw);
        // With the input closed the server must stop (the stall timer may run once).
        tokio::time::timeout(Duration::from_secs(10), server)
            .await
            .expect("server stops when its input ends")
            .expect("server task");
        drain.abort();
    });
});
