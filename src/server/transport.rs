//! JSON-RPC over a byte stream, built to survive whatever the other end sends (SPEC §9).
//!
//! `tower-lsp-server`'s own `Server` stops reading at the first message it cannot decode
//! (its framed reader ends the stream after a decoder error), and a panic inside a handler
//! unwinds through its message loop and takes the process down. This loop replaces it, with
//! the same shape (handlers start in arrival order, up to `concurrency` run at a time,
//! server-to-client requests interleave with responses) and these differences:
//!
//! - **Framing never gives up.** Headers are read case-insensitively and `Content-Type` is
//!   not enforced. Bytes that are not a frame are skipped up to the next `Content-Length`
//!   (logged, not answered: nothing asked). A frame whose body is not JSON (truncated by a
//!   `Content-Length` that is too short, invalid UTF-8, plain junk) is answered with a
//!   JSON-RPC *parse error*, with the request's id when it can still be read from the bytes,
//!   and reading carries on. A `Content-Length` that is too long is noticed when the next
//!   header shows up inside the body, or when the sender stalls with a complete JSON value
//!   buffered; the message is then taken as it is. A frame over [`MAX_FRAME`] bytes is
//!   refused (parse error) and skipped, so a lying header cannot make the server buffer
//!   without bound.
//! - **Valid JSON that is not a message** (an array, a number, a request without
//!   `"jsonrpc": "2.0"` or with a non-string `method`) gets an *invalid request* error with
//!   its id when it has one.
//! - **`initialize` is finished before anything after it is read**, so a client that does
//!   not wait for its answer loses nothing.
//! - **A panicking handler answers its request with an internal error** (the panic is caught
//!   around the handler's future) and the loop goes on; a panicking notification is logged.
//!   The server's state stays consistent because handlers change it only in short
//!   synchronous sections that leave it whole (see [`super::documents`]).

use std::borrow::Cow;
use std::ops::ControlFlow;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use futures::channel::mpsc;
use futures::future::{self, BoxFuture};
use futures::{FutureExt, SinkExt, StreamExt};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tower::Service;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_lsp_server::{ClientSocket, Loopback};
use tracing::{error, warn};

/// The largest message body accepted (a 10 MB document travels in about 10 MB of JSON).
pub(crate) const MAX_FRAME: usize = 256 << 20;

/// The longest header block kept while looking for its end; longer runs are junk.
const MAX_HEADER: usize = 8 << 10;

/// How long a sender may pause in the middle of a body before a complete JSON value already
/// buffered is taken as the whole message (its `Content-Length` was too long).
const STALL: Duration = Duration::from_secs(1);

/// Messages waiting for a handler slot before reading pauses (as in `tower-lsp-server`).
const QUEUE: usize = 100;

/// Where responses from the client to the server's own requests go.
type ResponseSink = <ClientSocket as Loopback>::ResponseSink;

/// What the frame decoder makes of the bytes it was given.
#[derive(Debug, PartialEq)]
pub(crate) enum Frame {
    /// A message body that parses as JSON.
    Message(Value),
    /// A frame that cannot be used; it is answered with `error`, under `id` when the bytes
    /// still show the id of a request (else `null`).
    Broken { id: Id, error: Error },
}

/// Splits a byte stream into JSON-RPC frames. Pure and synchronous: the async loop feeds it
/// bytes with [`Frames::push`] and takes frames with [`Frames::next`].
#[derive(Debug, Default)]
pub(crate) struct Frames {
    buf: Vec<u8>,
    /// Where unconsumed bytes start in `buf`.
    start: usize,
    /// How far the body being waited for has been scanned for a following header.
    scanned: usize,
}

impl Frames {
    pub fn push(&mut self, bytes: &[u8]) {
        // Compact before growing, so a long session does not keep consumed bytes around.
        if self.start > 0 && (self.start == self.buf.len() || self.start >= self.buf.len() / 2) {
            self.buf.drain(..self.start);
            self.scanned = self.scanned.saturating_sub(self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// Whether unconsumed bytes are buffered.
    pub fn is_empty(&self) -> bool {
        self.start == self.buf.len()
    }

    /// Release the buffer's memory once it is drained (after a 10 MB message, say).
    pub fn shrink(&mut self) {
        if self.is_empty() && self.buf.capacity() > 1 << 20 {
            self.buf = Vec::new();
            self.start = 0;
            self.scanned = 0;
        }
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
        self.scanned = 0;
    }

    /// The next complete frame, or `None` until more bytes arrive.
    pub fn next(&mut self) -> Option<Frame> {
        loop {
            let data = &self.buf[self.start..];
            if data.is_empty() {
                return None;
            }
            // Whitespace between frames (a stray newline after a body) is harmless.
            let ws = data.iter().take_while(|b| b.is_ascii_whitespace()).count();
            if ws > 0 {
                self.consume(ws);
                continue;
            }
            let Some((block_end, body_start)) = header_end(data) else {
                if data.len() > MAX_HEADER {
                    // Junk with no header end in sight: keep only a tail that may begin one.
                    let keep = match rfind_content_length(&data[data.len() - MAX_HEADER..]) {
                        Some(i) => MAX_HEADER - i,
                        None => 16,
                    };
                    let skip = data.len() - keep;
                    warn!("skipped {skip} bytes that are not a message");
                    self.consume(skip);
                }
                return None;
            };
            let block = &data[..block_end];
            // Anything before the last `Content-Length` of the block is junk (the tail of a
            // body whose length was understated, say): skip it and read the header after it.
            let Some(from) = rfind_content_length(block) else {
                warn!("skipped {} bytes with no Content-Length header", body_start);
                self.consume(body_start);
                continue;
            };
            if from > 0 {
                warn!("skipped {from} bytes before a header");
            }
            let len = match content_length(&block[from..]) {
                Ok(len) => len,
                Err(why) => {
                    warn!("bad header: {why}");
                    self.consume(body_start);
                    return Some(broken(Id::Null, ErrorCode::ParseError, why));
                }
            };
            if len > MAX_FRAME {
                // Skip the header only: the body, if any, is junk to the next header.
                self.consume(body_start);
                return Some(broken(
                    Id::Null,
                    ErrorCode::ParseError,
                    format!("message of {len} bytes is larger than the {MAX_FRAME} accepted"),
                ));
            }
            if len == 0 {
                // An empty body says nothing; skip it, as `tower-lsp-server` did (found by
                // fuzzing: reading on past it swallowed the next message).
                self.consume(body_start);
                continue;
            }
            let body = &data[body_start..];
            if body.len() >= len {
                let all = body;
                let body = &body[..len];
                let e = match serde_json::from_slice::<Value>(body) {
                    Ok(v) => {
                        self.consume(body_start + len);
                        return Some(Frame::Message(v));
                    }
                    Err(e) => e,
                };
                // The length was too long, and the next message is already here.
                if let Some((v, end)) = early_end(body, 0) {
                    warn!("Content-Length {len} is longer than its message ({end})");
                    self.consume(body_start + end);
                    return Some(Frame::Message(v));
                }
                // Where the next header starts, if it has arrived (inside the declared length
                // after a truncated body, or past it after an understated one).
                let next = find_content_length(all, 0);
                let id = salvage_id(body);
                let at = match next {
                    Some(at) if e.is_eof() && at >= len => {
                        // The body stops short, and runs on to the next header: the length
                        // was too short (a client counting characters, not bytes).
                        if let Some(v) = json_before(&all[..at]) {
                            warn!("Content-Length {len} is shorter than its message ({at})");
                            self.consume(body_start + at);
                            return Some(Frame::Message(v));
                        }
                        at
                    }
                    Some(at) if at < len => at,
                    // Possibly understated with the rest still coming: wait for the next
                    // header or a stall (see `stalled`), within the size limit.
                    None if e.is_eof() && all.len() - len <= MAX_FRAME => return None,
                    // Junk from where the JSON breaks: skip only that far, so that whatever
                    // follows is read as the stream it is.
                    _ => error_offset(body, &e).clamp(1, len.max(1)),
                };
                self.consume(body_start + at);
                warn!("message is not JSON: {e}");
                return Some(broken(id, ErrorCode::ParseError, format!("not JSON: {e}")));
            }
            // Waiting for the rest of the body. If the next header already arrived inside it,
            // the length was too long: take the complete message before that header.
            let from = self.scanned.max(body_start);
            // Rescan a little: a header may have been split between two reads.
            self.scanned = data.len().saturating_sub(16);
            if let Some((v, end)) = early_end(body, from - body_start) {
                warn!("Content-Length {len} is longer than its message ({end})");
                self.consume(body_start + end);
                return Some(Frame::Message(v));
            }
            // Room for the rest of the body at once. Grown by doubling as it arrived, the
            // buffer of a 1 MB document's `didOpen` was copied five times, and the pages of
            // the earlier copies stayed resident for a while after they were freed. Room
            // not yet written takes no memory, so an overstated length costs none; should
            // the room not be had, the buffer grows as before.
            let end = self.start + body_start + len;
            if end > self.buf.capacity() {
                let _ = self.buf.try_reserve_exact(end - self.buf.len());
            }
            return None;
        }
    }

    /// The sender paused with a frame unfinished. If the body so far is already a whole JSON
    /// value, its `Content-Length` was too long: take it. If the body ran past its length
    /// while waiting for the rest of an understated one, take everything sent, or answer a
    /// parse error when that is not JSON either.
    pub fn stalled(&mut self) -> Option<Frame> {
        let data = &self.buf[self.start..];
        let (block_end, body_start) = header_end(data)?;
        let from = rfind_content_length(&data[..block_end])?;
        let len = content_length(&data[from..block_end]).ok()?;
        let body = &data[body_start..];
        if body.is_empty() {
            return None;
        }
        if body.len() < len {
            // Overstated: what came is the whole message, or the sender is merely slow...
            if let Some(v) = json_before(body) {
                warn!("Content-Length {len} is longer than its message, and nothing more came");
                self.consume(data.len());
                return Some(Frame::Message(v));
            }
            // ...or the body was cut short and another message follows inside its length.
            let at = find_content_length(body, 1)?;
            let id = salvage_id(&body[..at]);
            self.consume(body_start + at);
            return Some(broken(
                id,
                ErrorCode::ParseError,
                "not JSON: the message ends before its value does",
            ));
        }
        // Understated, and no next header came: everything sent is the message, or junk.
        let n = data.len();
        if let Some(v) = json_before(body) {
            warn!("Content-Length {len} is shorter than its message, and nothing more came");
            self.consume(n);
            return Some(Frame::Message(v));
        }
        let id = salvage_id(&body[..len]);
        self.consume(body_start + len);
        Some(broken(
            id,
            ErrorCode::ParseError,
            "not JSON: the message ends before its value does",
        ))
    }
}

/// The byte offset in `body` where `e` was found (serde_json counts lines from 1 and
/// columns in bytes from 1).
fn error_offset(body: &[u8], e: &serde_json::Error) -> usize {
    let line_start = if e.line() <= 1 {
        0
    } else {
        body.iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .nth(e.line() - 2)
            .map_or(body.len(), |(i, _)| i + 1)
    };
    (line_start + e.column().saturating_sub(1)).min(body.len())
}

/// `bytes` as one JSON value, ignoring whitespace after it, if it is one that ends in `}`.
fn json_before(bytes: &[u8]) -> Option<Value> {
    let end = bytes.len()
        - bytes
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
    if end == 0 || bytes[end - 1] != b'}' {
        return None;
    }
    serde_json::from_slice(&bytes[..end]).ok()
}

fn broken(id: Id, code: ErrorCode, message: impl Into<Cow<'static, str>>) -> Frame {
    Frame::Broken {
        id,
        error: Error {
            code,
            message: message.into(),
            data: None,
        },
    }
}

/// The end of the header block (where its terminator starts) and where the body starts.
/// `\r\n\r\n` is the protocol's; a bare `\n\n` is accepted from sloppy senders.
fn header_end(data: &[u8]) -> Option<(usize, usize)> {
    // A header block longer than this is junk; don't scan a 10 MB body for its end.
    let data = &data[..data.len().min(MAX_HEADER + 4)];
    let crlf = memchr::memmem::find(data, b"\r\n\r\n").map(|i| (i, i + 4));
    let lf = memchr::memmem::find(data, b"\n\n").map(|i| (i, i + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// The last `Content-Length` (any case) in `data`.
fn rfind_content_length(data: &[u8]) -> Option<usize> {
    const NAME: &[u8] = b"content-length";
    if data.len() < NAME.len() {
        return None;
    }
    (0..=data.len() - NAME.len())
        .rev()
        .find(|&i| data[i..i + NAME.len()].eq_ignore_ascii_case(NAME))
}

/// The first `Content-Length` header name in `data` at or after `from`, in the spellings
/// clients use (`Content-Length`, `content-length`).
fn find_content_length(data: &[u8], from: usize) -> Option<usize> {
    let rest = data.get(from..)?;
    let exact = memchr::memmem::find(rest, b"Content-Length");
    let lower = memchr::memmem::find(rest, b"content-length");
    let at = match (exact, lower) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    Some(at + from)
}

/// The value of the `Content-Length` header in a header block starting with that header.
fn content_length(block: &[u8]) -> Result<usize, String> {
    let mut len = Err("missing Content-Length header".to_string());
    for line in block.split(|&b| b == b'\n') {
        let line = String::from_utf8_lossy(line);
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let value = value.trim();
            len = value
                .parse::<usize>()
                .map_err(|_| format!("Content-Length `{value}` is not a length"));
        }
    }
    len
}

/// When `body` holds a whole JSON value followed by the next message's header (found at or
/// after `from`), the value and where that header starts.
fn early_end(body: &[u8], from: usize) -> Option<(Value, usize)> {
    let mut search = from;
    loop {
        let at = find_content_length(body, search)?;
        // Only a value ending in `}` is worth parsing (a document that merely mentions
        // `Content-Length` is not parsed again and again).
        if let Some(v) = json_before(&body[..at]) {
            return Some((v, at));
        }
        search = at + 1;
    }
}

/// The id of a request whose body does not parse, read from its bytes when they clearly show
/// one (`"id": 7` or `"id": "x"`), so the client hears back about its request. Only for bodies
/// with a `"method"`: an id in a response is the server's own, not one to answer.
fn salvage_id(body: &[u8]) -> Id {
    if memchr::memmem::find(body, b"\"method\"").is_none() {
        return Id::Null;
    }
    let Some(at) = memchr::memmem::find(body, b"\"id\"") else {
        return Id::Null;
    };
    let rest = &body[at + 4..];
    let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
    let Some(rest) = rest.strip_prefix(b":") else {
        return Id::Null;
    };
    let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
    let mut values = serde_json::Deserializer::from_slice(rest).into_iter::<Value>();
    match values.next() {
        Some(Ok(Value::Number(n))) => n.as_i64().map_or(Id::Null, Id::Number),
        Some(Ok(Value::String(s))) => Id::String(s),
        _ => Id::Null,
    }
}

/// A JSON message sorted into what the loop does with it.
enum Incoming {
    Request(Request),
    Response(Response),
    Invalid(Id, Error),
}

fn classify(v: Value) -> Incoming {
    let id = v
        .get("id")
        .and_then(|id| serde_json::from_value::<Id>(id.clone()).ok())
        .unwrap_or(Id::Null);
    let invalid = |id, why: &str| {
        Incoming::Invalid(
            id,
            Error {
                code: ErrorCode::InvalidRequest,
                message: Cow::Owned(format!("invalid request: {why}")),
                data: None,
            },
        )
    };
    let Some(obj) = v.as_object() else {
        return invalid(Id::Null, "a message must be a JSON object");
    };
    if obj.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return invalid(id, "\"jsonrpc\" must be \"2.0\"");
    }
    if obj.contains_key("method") {
        if !obj["method"].is_string() {
            return invalid(id, "\"method\" must be a string");
        }
        return match serde_json::from_value::<Request>(v) {
            Ok(r) => Incoming::Request(r),
            Err(e) => invalid(id, &e.to_string()),
        };
    }
    if obj.contains_key("result") || obj.contains_key("error") {
        return match serde_json::from_value::<Response>(v) {
            Ok(r) => Incoming::Response(r),
            Err(e) => invalid(Id::Null, &format!("bad response: {e}")),
        };
    }
    invalid(id, "neither a request nor a response")
}

/// Write a message written in pieces if it is still wanted (see [`Pieces::wanted`]).
async fn write_wanted<O: AsyncWrite + ?Sized>(
    output: &mut std::pin::Pin<&mut O>,
    body: Box<dyn Pieces>,
    piece: &mut Vec<u8>,
) -> std::io::Result<()> {
    match body.wanted() {
        true => write_pieces(output, body, piece).await,
        false => {
            free_beside(body);
            Ok(())
        }
    }
}

/// Let go of a body on a blocking thread: it may hold the last reference to a large
/// analysis, whose freeing takes milliseconds.
fn free_beside(body: Box<dyn Pieces>) {
    tokio::task::spawn_blocking(move || {
        drop(body);
        super::memory::release_thread_cache();
    });
}

/// Write one message written in pieces, with its header. The header states the length
/// measured beforehand; should the pieces ever come to a different length (they cannot:
/// the same code writes the same unchanging data), or writing one panic, the message is cut
/// or padded with spaces to the stated length, so that the messages after it stay framed.
/// The body is let go as soon as its last piece is written out of it, before that piece
/// is sent: what it holds (the analysis of its version) is then no longer shared when the
/// client, having read the message, sends its next edit.
async fn write_pieces<O: AsyncWrite + ?Sized>(
    output: &mut std::pin::Pin<&mut O>,
    body: Box<dyn Pieces>,
    piece: &mut Vec<u8>,
) -> std::io::Result<()> {
    let len = body.len();
    let header = format!("Content-Length: {len}\r\n\r\n");
    output.write_all(header.as_bytes()).await?;
    let mut written = 0;
    // Taken (and let go) once its last piece is written out of it.
    let mut body = Some(body);
    while let Some(b) = body.as_mut() {
        piece.clear();
        let more =
            std::panic::catch_unwind(AssertUnwindSafe(|| b.fill(piece))).unwrap_or_else(|_| {
                error!("writing diagnostics: internal error (panic); the message is cut short");
                false
            });
        let take = piece.len().min(len - written);
        if !more || take == len - written {
            if let Some(b) = body.take() {
                free_beside(b);
            }
        }
        if take < piece.len() {
            error!("a message came out longer than measured; cut to its stated length");
        }
        for part in piece[..take].chunks(WRITE_PIECE) {
            output.write_all(part).await?;
        }
        written += take;
    }
    if written < len {
        error!("a message came out shorter than measured; padded to its stated length");
        let spaces = vec![b' '; (len - written).min(WRITE_PIECE)];
        while written < len {
            let n = (len - written).min(spaces.len());
            output.write_all(&spaces[..n]).await?;
            written += n;
        }
    }
    // A piece of a large body is kept for the next one, not grown beyond its size.
    piece.clear();
    piece.shrink_to(WRITE_PIECE + (4 << 10));
    output.flush().await
}

/// The most the output loop hands its writer at once (see `serve`).
const WRITE_PIECE: usize = 64 << 10;

/// Write one message with its header. The body goes in pieces of [`WRITE_PIECE`]: tokio's
/// files and standard output copy what they are given into a buffer of their own (up to
/// 2 MB) for a blocking write, and keep that buffer for good, so a megabyte of diagnostics
/// left 2 MB resident after it was written; given pieces, that buffer stays one piece.
async fn write_message<O: AsyncWrite + ?Sized>(
    output: &mut std::pin::Pin<&mut O>,
    body: &[u8],
) -> std::io::Result<()> {
    let header = format!("Content-Length: {}\r\n\r\n", body.len());
    output.write_all(header.as_bytes()).await?;
    for piece in body.chunks(WRITE_PIECE) {
        output.write_all(piece).await?;
    }
    output.flush().await
}

/// What the output loop writes.
enum Outgoing {
    Response(Response),
    Request(Request),
    /// A message serialised by the server itself.
    Raw(Raw),
}

/// A message the server serialises itself: whole, or written in pieces as it is sent.
pub(crate) enum Raw {
    Whole(Vec<u8>),
    Pieces(Box<dyn Pieces>),
}

/// A message body written piece by piece (see `convert::PublishBody`): its length is
/// known before it is written, and each piece is written as it is sent, so the whole body
/// is never held at once.
pub(crate) trait Pieces: Send {
    /// The length of the whole body in bytes.
    fn len(&self) -> usize;
    /// Append the next piece to `out`; `false` once the body is complete.
    fn fill(&mut self, out: &mut Vec<u8>) -> bool;
    /// Whether it is still worth sending when its turn comes (a publication of a version
    /// the document has moved on from is not: a newer one follows it).
    fn wanted(&self) -> bool {
        true
    }
}

/// Serve `service` on `input`/`output` until `exit` or the end of the input.
pub(crate) async fn serve<I, O, S>(
    mut input: I,
    output: O,
    mut service: S,
    socket: ClientSocket,
    raw: mpsc::UnboundedReceiver<Raw>,
    concurrency: usize,
) where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
    S: Service<Request, Response = Option<Response>> + Send + 'static,
    S::Error: std::fmt::Display,
    S::Future: Send + 'static,
{
    let (client_requests, mut client_responses) = socket.split();
    let (client_requests, client_abort) = futures::stream::abortable(client_requests);
    let (raw, raw_abort) = futures::stream::abortable(raw);
    let (mut responses_tx, responses_rx) = mpsc::channel::<Response>(0);
    let (mut tasks_tx, tasks_rx) = mpsc::channel::<BoxFuture<'static, Option<Response>>>(QUEUE);

    let process_tasks = tasks_rx
        .buffer_unordered(concurrency.max(1))
        .filter_map(future::ready)
        .map(Ok)
        .forward(responses_tx.clone());

    let write_output = async move {
        tokio::pin!(output);
        let mut outgoing = futures::stream::select(
            futures::stream::select(
                responses_rx.map(Outgoing::Response),
                client_requests.map(Outgoing::Request),
            ),
            raw.map(Outgoing::Raw),
        );
        let mut piece = Vec::new();
        while let Some(msg) = outgoing.next().await {
            let body = match msg {
                Outgoing::Response(r) => serde_json::to_vec(&r),
                Outgoing::Request(r) => serde_json::to_vec(&r),
                Outgoing::Raw(Raw::Whole(body)) => Ok(body),
                Outgoing::Raw(Raw::Pieces(body)) => {
                    if let Err(e) = write_wanted(&mut output, body, &mut piece).await {
                        warn!("cannot write to the client: {e}");
                    }
                    continue;
                }
            };
            let Ok(body) = body else {
                error!("cannot serialise an outgoing message");
                continue;
            };
            if let Err(e) = write_message(&mut output, &body).await {
                // The client is gone; keep draining so that handlers never block on output.
                warn!("cannot write to the client: {e}");
            }
        }
    };

    let read_input = async move {
        let mut frames = Frames::default();
        let mut chunk = vec![0u8; 64 << 10];
        // Bytes arrived since the last look at a stalled body.
        let mut fresh = false;
        loop {
            let frame = match frames.next() {
                Some(frame) => frame,
                None => {
                    frames.shrink();
                    // An unfinished body: a stall may mean its length was overstated.
                    let wait = (fresh && !frames.is_empty()).then_some(STALL);
                    match read(&mut input, &mut chunk, wait).await {
                        Read::Bytes(n) => {
                            frames.push(&chunk[..n]);
                            fresh = true;
                            continue;
                        }
                        Read::Stalled => {
                            fresh = false;
                            match frames.stalled() {
                                Some(frame) => frame,
                                None => continue,
                            }
                        }
                        Read::End => break,
                    }
                }
            };
            let flow = dispatch(
                frame,
                &mut service,
                &mut tasks_tx,
                &mut client_responses,
                &mut responses_tx,
            )
            .await;
            if flow.is_break() {
                break;
            }
        }
        tasks_tx.disconnect();
        responses_tx.disconnect();
        client_abort.abort();
        raw_abort.abort();
    };

    futures::join!(process_tasks.map(|_| ()), write_output, read_input);
}

/// What one read of the input gave.
enum Read {
    Bytes(usize),
    /// Nothing within the wait.
    Stalled,
    /// The input closed or failed.
    End,
}

/// Read some bytes, waiting at most `wait` when given (reads are cancel-safe).
async fn read<I: AsyncRead + Unpin>(
    input: &mut I,
    chunk: &mut [u8],
    wait: Option<Duration>,
) -> Read {
    loop {
        let result = match wait {
            Some(wait) => match tokio::time::timeout(wait, input.read(chunk)).await {
                Ok(r) => r,
                Err(_) => return Read::Stalled,
            },
            None => input.read(chunk).await,
        };
        return match result {
            Ok(0) => Read::End,
            Ok(n) => Read::Bytes(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                error!("cannot read from the client: {e}");
                Read::End
            }
        };
    }
}

/// Hand one frame to the service, the client-response sink or the error path. `Break` when
/// reading must stop (after `exit`, or once the service is gone).
async fn dispatch<S>(
    frame: Frame,
    service: &mut S,
    tasks: &mut mpsc::Sender<BoxFuture<'static, Option<Response>>>,
    client_responses: &mut ResponseSink,
    responses: &mut mpsc::Sender<Response>,
) -> ControlFlow<()>
where
    S: Service<Request, Response = Option<Response>>,
    S::Error: std::fmt::Display,
    S::Future: Send + 'static,
{
    let incoming = match frame {
        Frame::Message(v) => classify(v),
        Frame::Broken { id, error } => Incoming::Invalid(id, error),
    };
    match incoming {
        Incoming::Request(req) => {
            if let Err(e) = future::poll_fn(|cx| service.poll_ready(cx)).await {
                // The service has exited (after `exit`).
                warn!("{e}");
                return ControlFlow::Break(());
            }
            // The server must exit right after `exit`; some clients never close their end,
            // so stop reading rather than wait for them.
            let will_exit = req.method() == "exit";
            let initialize = req.method() == "initialize";
            let task = guard(service, req);
            if initialize {
                // Nothing may overtake `initialize`: `tower-lsp-server` never marks the server
                // as initialising, so a message read meanwhile (a client that sends
                // `initialized` and `didOpen` without waiting for the answer) would be
                // refused or dropped as "not initialized" (found by fuzzing). Finish it first.
                if let Some(response) = task.await {
                    let _ = responses.send(response).await;
                }
                return ControlFlow::Continue(());
            }
            if tasks.send(task).await.is_err() || will_exit {
                return ControlFlow::Break(());
            }
        }
        Incoming::Response(res) => {
            if let Err(e) = client_responses.send(res).await {
                error!("{e}");
                return ControlFlow::Break(());
            }
        }
        Incoming::Invalid(id, error) => {
            warn!("answered a broken message with: {}", error.message);
            let _ = responses.send(Response::from_error(id, error)).await;
        }
    }
    ControlFlow::Continue(())
}

/// Call the service for `req`, turning a panic, in the call or in the handler's future,
/// into an internal error for that request (and a log line for a notification).
fn guard<S>(service: &mut S, req: Request) -> BoxFuture<'static, Option<Response>>
where
    S: Service<Request, Response = Option<Response>>,
    S::Error: std::fmt::Display,
    S::Future: Send + 'static,
{
    let id = req.id().cloned();
    let method = req.method().to_owned();
    let call = std::panic::catch_unwind(AssertUnwindSafe(|| service.call(req)));
    let failed = move |id: Option<Id>, method: String| {
        error!("{method}: internal error (panic); the server carries on");
        id.map(|id| {
            Response::from_error(
                id,
                Error {
                    code: ErrorCode::InternalError,
                    message: Cow::Owned(format!(
                        "internal error in briefing-ls while handling {method}; the server \
                         carries on (see its log)"
                    )),
                    data: None,
                },
            )
        })
    };
    match call {
        Ok(fut) => async move {
            match AssertUnwindSafe(fut).catch_unwind().await {
                Ok(Ok(Some(response))) => Some(response),
                // A request must be answered. `tower-lsp-server` drops unknown `$/` requests
                // silently (LSP says: answer them with MethodNotFound), which would leave the
                // client waiting for ever.
                Ok(Ok(None)) => id.map(|id| {
                    Response::from_error(
                        id,
                        Error {
                            code: ErrorCode::MethodNotFound,
                            message: Cow::Owned(format!("unknown request {method}")),
                            data: None,
                        },
                    )
                }),
                Ok(Err(e)) => {
                    warn!("{method}: {e}");
                    None
                }
                Err(_) => failed(id, method),
            }
        }
        .boxed(),
        Err(_) => future::ready(failed(id, method)).boxed(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    fn all(frames: &mut Frames) -> Vec<Frame> {
        std::iter::from_fn(|| frames.next()).collect()
    }

    fn codes(out: &[Frame]) -> Vec<String> {
        out.iter()
            .map(|f| match f {
                Frame::Message(v) => v["id"].to_string(),
                Frame::Broken { id, error } => format!("E{}@{id}", error.code.code()),
            })
            .collect()
    }

    /// A writer that takes everything at once and remembers the most it was handed.
    #[derive(Default)]
    struct Recording {
        out: Vec<u8>,
        most: usize,
    }

    impl AsyncWrite for Recording {
        fn poll_write(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
            buf: &[u8],
        ) -> std::task::Poll<std::io::Result<usize>> {
            self.most = self.most.max(buf.len());
            self.out.extend_from_slice(buf);
            std::task::Poll::Ready(Ok(buf.len()))
        }
        fn poll_flush(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<std::io::Result<()>> {
            std::task::Poll::Ready(Ok(()))
        }
        fn poll_shutdown(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<std::io::Result<()>> {
            std::task::Poll::Ready(Ok(()))
        }
    }

    /// Run a future to its end on a runtime of the test's own.
    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    /// A large message reaches the writer whole and in order, never more than a piece at
    /// a time (the writer's own buffer grows to what it is handed, and stays).
    #[test]
    fn large_messages_are_written_in_pieces() {
        let body: Vec<u8> = (0..(1 << 20) + 123).map(|i| (i % 251) as u8).collect();
        let mut w = Recording::default();
        block_on(write_message(&mut std::pin::Pin::new(&mut w), &body)).unwrap();
        let mut want = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        want.extend_from_slice(&body);
        assert!(w.out == want, "the message as written differs");
        assert!(w.most <= WRITE_PIECE, "handed {} bytes at once", w.most);
    }

    /// A body that gives `pieces` pieces of `size` bytes, says it has `len` bytes, and
    /// panics at piece `panic_at`, if given.
    struct Given {
        len: usize,
        size: usize,
        pieces: usize,
        given: usize,
        panic_at: Option<usize>,
        wanted: bool,
    }

    impl Pieces for Given {
        fn len(&self) -> usize {
            self.len
        }
        fn fill(&mut self, out: &mut Vec<u8>) -> bool {
            if Some(self.given) == self.panic_at {
                panic!("a piece fails");
            }
            out.extend((0..self.size).map(|i| b'a' + ((self.given + i) % 26) as u8));
            self.given += 1;
            self.given < self.pieces
        }
        fn wanted(&self) -> bool {
            self.wanted
        }
    }

    fn written_pieces(body: Given) -> Recording {
        let mut w = Recording::default();
        let mut piece = Vec::new();
        let mut pinned = std::pin::Pin::new(&mut w);
        block_on(write_wanted(&mut pinned, Box::new(body), &mut piece)).unwrap();
        assert!(
            piece.capacity() <= WRITE_PIECE + (4 << 10),
            "the piece is kept small"
        );
        w
    }

    /// A body in pieces is written as the pieces say, after a header of its stated length;
    /// one that came out longer or shorter than stated, or failed midway, still fills
    /// exactly its stated length (cut, or padded with spaces), so the next message stays
    /// framed.
    #[test]
    fn a_body_in_pieces_keeps_to_its_stated_length() {
        let piece = |k: usize, size: usize| -> Vec<u8> {
            (0..size).map(|i| b'a' + ((k + i) % 26) as u8).collect()
        };
        let body =
            |n: usize, size: usize| -> Vec<u8> { (0..n).flat_map(|k| piece(k, size)).collect() };
        let cases = [
            // (stated length, piece size, pieces, panic at, the body written)
            (3 * 70_000, 70_000, 3, None, body(3, 70_000)),
            (0, 0, 1, None, Vec::new()),
            (100, 60, 2, None, body(2, 60)[..100].to_vec()),
            (150, 60, 2, None, [body(2, 60), vec![b' '; 30]].concat()),
            (150, 60, 3, Some(1), [body(1, 60), vec![b' '; 90]].concat()),
        ];
        for (len, size, pieces, panic_at, want_body) in cases {
            let w = written_pieces(Given {
                len,
                size,
                pieces,
                given: 0,
                panic_at,
                wanted: true,
            });
            let mut want = format!("Content-Length: {len}\r\n\r\n").into_bytes();
            want.extend_from_slice(&want_body);
            assert!(
                w.out == want,
                "stated {len}, {pieces} pieces of {size}: written differs"
            );
            assert!(w.most <= WRITE_PIECE, "handed {} bytes at once", w.most);
        }
    }

    /// A body no longer wanted when its turn comes is not written at all.
    #[test]
    fn a_body_no_longer_wanted_is_not_written() {
        for wanted in [false, true] {
            let w = written_pieces(Given {
                len: 10,
                size: 10,
                pieces: 1,
                given: 0,
                panic_at: None,
                wanted,
            });
            let want: &[u8] = if wanted {
                b"Content-Length: 10\r\n\r\nabcdefghij"
            } else {
                b""
            };
            assert_eq!(w.out, want, "wanted: {wanted}");
        }
    }

    #[test]
    fn splits_frames_fed_byte_by_byte() {
        let mut f = Frames::default();
        let mut bytes = frame(r#"{"jsonrpc":"2.0","id":1,"method":"a"}"#);
        bytes.extend(frame(r#"{"jsonrpc":"2.0","id":2,"method":"b"}"#));
        let mut out = Vec::new();
        for b in bytes {
            f.push(&[b]);
            out.extend(all(&mut f));
        }
        assert_eq!(codes(&out), ["1", "2"]);
        assert!(f.is_empty());
    }

    #[test]
    fn a_large_body_arriving_in_pieces_is_buffered_without_moving() {
        let mut f = Frames::default();
        let text = "Police seized 148 weapons. ".repeat(40_000);
        let bytes = frame(&format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"text":"{text}"}}}}"#
        ));
        let (head, rest) = bytes.split_at(64 << 10);
        f.push(head);
        assert!(f.next().is_none());
        // Room for the whole frame once its header is read: the rest lands in place.
        assert!(f.buf.capacity() >= bytes.len());
        let at = f.buf.as_ptr();
        for piece in rest.chunks(64 << 10) {
            f.push(piece);
            assert_eq!(f.buf.as_ptr(), at);
        }
        assert_eq!(f.buf.capacity(), bytes.len());
        let out = all(&mut f);
        assert!(matches!(&out[..], [Frame::Message(v)] if v["params"]["text"] == text.as_str()));
        assert!(f.is_empty());
    }

    #[test]
    fn junk_json_and_bad_headers_are_answered_and_reading_goes_on() {
        let mut f = Frames::default();
        f.push(b"garbage with no header\r\n\r\n");
        f.push(&frame("{not json"));
        f.push(b"Content-Length: twelve\r\n\r\n");
        f.push(b"Content-Type: application/vscode-jsonrpc; charset=latin1\r\ncontent-length: 34\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"c\"}");
        f.push(&frame(r#"{"jsonrpc":"2.0","id":4,"method":"d"}"#));
        // A header of 34 is too short for message 3: its tail runs on to message 4's header.
        assert_eq!(
            codes(&all(&mut f)),
            ["E-32700@null", "E-32700@null", "3", "4"]
        );
    }

    #[test]
    fn invalid_utf8_is_a_parse_error_with_the_request_id() {
        let mut f = Frames::default();
        let mut body = br#"{"jsonrpc":"2.0","id":9,"method":"x","params":{"t":""#.to_vec();
        body.extend([0xff, 0xfe]);
        body.extend(br#""}}"#);
        f.push(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        f.push(&body);
        assert_eq!(codes(&all(&mut f)), ["E-32700@9"]);
    }

    #[test]
    fn an_overlong_length_yields_to_the_next_header() {
        let mut f = Frames::default();
        let one = r#"{"jsonrpc":"2.0","id":1,"method":"a"}"#;
        f.push(format!("Content-Length: {}\r\n\r\n{one}", one.len() + 40).as_bytes());
        assert_eq!(codes(&all(&mut f)), Vec::<String>::new());
        f.push(&frame(r#"{"jsonrpc":"2.0","id":2,"method":"b"}"#));
        assert_eq!(codes(&all(&mut f)), ["1", "2"]);
        // With nothing after it, a stall gives it up.
        f.push(format!("Content-Length: {}\r\n\r\n{one}", one.len() + 40).as_bytes());
        assert_eq!(codes(&all(&mut f)), Vec::<String>::new());
        assert_eq!(codes(&f.stalled().into_iter().collect::<Vec<_>>()), ["1"]);
        assert!(f.is_empty());
    }

    #[test]
    fn an_understated_length_runs_on_to_the_next_header_or_a_stall() {
        let mut f = Frames::default();
        // A client that counts characters: "é" is one character and two bytes.
        let one = r#"{"jsonrpc":"2.0","id":1,"method":"a","params":"é"}"#;
        let short = one.chars().count();
        f.push(format!("Content-Length: {short}\r\n\r\n{one}").as_bytes());
        assert_eq!(codes(&all(&mut f)), Vec::<String>::new(), "waits for more");
        f.push(&frame(r#"{"jsonrpc":"2.0","id":2,"method":"b"}"#));
        assert_eq!(codes(&all(&mut f)), ["1", "2"]);
        // Nothing after it: a stall takes what came.
        f.push(format!("Content-Length: {short}\r\n\r\n{one}").as_bytes());
        assert_eq!(codes(&all(&mut f)), Vec::<String>::new());
        assert_eq!(codes(&f.stalled().into_iter().collect::<Vec<_>>()), ["1"]);
        assert!(f.is_empty());
        // A body that is cut short for good is a parse error after the stall, with its id.
        f.push(
            b"Content-Length: 40\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"x\",\"params\":",
        );
        assert_eq!(codes(&all(&mut f)), Vec::<String>::new());
        assert_eq!(
            codes(&f.stalled().into_iter().collect::<Vec<_>>()),
            ["E-32700@5"]
        );
    }

    #[test]
    fn a_truncated_body_gives_way_to_the_next_header_inside_its_length() {
        let mut f = Frames::default();
        let one = r#"{"jsonrpc":"2.0","id":1,"method":"a","params":{"x":[1,2,3]}}"#;
        let cut = &one[..one.len() - 10];
        f.push(format!("Content-Length: {}\r\n\r\n{cut}", one.len()).as_bytes());
        f.push(&frame(r#"{"jsonrpc":"2.0","id":2,"method":"b"}"#));
        assert_eq!(codes(&all(&mut f)), ["E-32700@1", "2"]);
        // Over several lines, too.
        let one = "{\"jsonrpc\": \"2.0\",\n \"id\": 3,\n \"method\": \"a\",\n \"params\": [1, 2";
        f.push(format!("Content-Length: {}\r\n\r\n{one}", one.len() + 20).as_bytes());
        f.push(&frame(r#"{"jsonrpc":"2.0","id":4,"method":"b"}"#));
        assert_eq!(codes(&all(&mut f)), ["E-32700@3", "4"]);
        // Cut inside a string, with a short message after it that does not fill the length:
        // the stall settles it.
        let one = r#"{"jsonrpc":"2.0","id":5,"method":"a","params":{"text":"abc"#;
        f.push(format!("Content-Length: {}\r\n\r\n{one}", one.len() + 200).as_bytes());
        f.push(&frame(r#"{"jsonrpc":"2.0","id":6,"method":"b"}"#));
        assert_eq!(codes(&all(&mut f)), Vec::<String>::new());
        assert_eq!(
            codes(&f.stalled().into_iter().collect::<Vec<_>>()),
            ["E-32700@5"]
        );
        assert_eq!(codes(&all(&mut f)), ["6"]);
    }

    #[test]
    fn an_empty_body_is_skipped_and_the_next_message_kept() {
        let mut f = Frames::default();
        f.push(b"Content-Length: 0\r\n\r\n");
        f.push(&frame(r#"{"jsonrpc":"2.0","id":1,"method":"a"}"#));
        f.push(b"Content-Length: 3\r\n\r\n");
        f.push(&frame(r#"{"jsonrpc":"2.0","id":2,"method":"b"}"#));
        assert_eq!(codes(&all(&mut f)), ["1", "E-32700@null", "2"]);
    }

    #[test]
    fn a_huge_length_is_refused_without_buffering() {
        let mut f = Frames::default();
        f.push(b"Content-Length: 99999999999999\r\n\r\n");
        f.push(&frame(r#"{"jsonrpc":"2.0","id":2,"method":"b"}"#));
        assert_eq!(codes(&all(&mut f)), ["E-32700@null", "2"]);
        f.push(b"Content-Length: 123456789012345678901234567890\r\n\r\n");
        assert_eq!(codes(&all(&mut f)), ["E-32700@null"]);
    }

    #[test]
    fn endless_junk_is_dropped_as_it_comes() {
        let mut f = Frames::default();
        for _ in 0..100 {
            f.push(&[b'x'; 4096]);
            assert!(f.next().is_none());
        }
        assert!(f.buf.len() - f.start <= MAX_HEADER);
        f.push(b"\r\n\r\n");
        f.push(&frame(r#"{"jsonrpc":"2.0","id":2,"method":"b"}"#));
        assert_eq!(codes(&all(&mut f)), ["2"]);
    }

    #[test]
    fn messages_are_classified() {
        let id = |i: Incoming| match i {
            Incoming::Request(r) => format!("req {}", r.method()),
            Incoming::Response(r) => format!("res {}", r.id()),
            Incoming::Invalid(id, e) => format!("bad {id} {}", e.code.code()),
        };
        assert_eq!(id(classify(json!([1, 2]))), "bad null -32600");
        assert_eq!(
            id(classify(json!({"id": 3, "method": "x"}))),
            "bad 3 -32600"
        );
        assert_eq!(
            id(classify(json!({"jsonrpc": "2.0", "id": 4, "method": 5}))),
            "bad 4 -32600"
        );
        assert_eq!(
            id(classify(json!({"jsonrpc": "2.0", "id": 5, "method": "m"}))),
            "req m"
        );
        assert_eq!(
            id(classify(json!({"jsonrpc": "2.0", "id": 6, "result": null}))),
            "res 6"
        );
        assert_eq!(
            id(classify(json!({"jsonrpc": "2.0", "id": 7}))),
            "bad 7 -32600"
        );
    }
}
