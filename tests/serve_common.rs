//! Helpers shared by the `serve_*` tests: a copy of a collection, the real
//! `jirei serve` on a free loopback port, a tiny HTTP/1.1 client, and the
//! library's router for `oneshot` requests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jirei::serve::params::Limits;
use jirei::serve::state::{AppState, StateOptions};
use jirei::serve::workspace::Workspace;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the collection at `from` (cases/, jirei.toml, synonyms.toml).
pub fn copy_collection(from: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    for entry in walkdir::WalkDir::new(from.join("cases")) {
        let entry = entry.expect("walk");
        let relative = entry.path().strip_prefix(from).expect("below");
        let target = tmp.path().join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    for name in ["jirei.toml", "synonyms.toml"] {
        if from.join(name).is_file() {
            std::fs::copy(from.join(name), tmp.path().join(name)).expect("copy");
        }
    }
    tmp
}

/// The repository's own cases.
pub fn repo_collection() -> tempfile::TempDir {
    copy_collection(&repo())
}

/// Runs the jirei binary.
pub fn jirei(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_jirei"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run jirei")
}

/// The library's application for `root` (as `jirei serve` sets it up).
pub fn app(root: &Path, max_searches: usize) -> (Arc<AppState>, axum::Router, Workspace) {
    let root = std::fs::canonicalize(root).expect("canonical root");
    let out = jirei::serve::default_out(&root);
    let workspace = Workspace::open(&root, &out, false).expect("opens");
    let state = AppState::new(
        StateOptions {
            site_dir: out,
            limits: Limits::default(),
            local_hosts_only: true,
            max_searches,
            search_threads: 2,
            cache_entries: 64,
        },
        workspace.snapshot(),
    );
    let router = jirei::serve::router(state.clone());
    (state, router, workspace)
}

/// A running `jirei serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    /// Lines of standard output after the first.
    pub stdout: std::sync::mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `jirei serve --port 0` on `root` and waits for its address.
pub fn serve(root: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jirei"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .args(extra)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start jirei serve");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("serve prints its address");
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {first:?}"));
    let addr: SocketAddr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .expect("address");
    Server {
        child,
        addr,
        stdout: rx,
    }
}

/// A response of the tiny client.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// Sends `request` as is (so tests can send what clients would not) and
/// reads the whole reply.
pub fn raw(addr: SocketAddr, request: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    stream.write_all(request).expect("send");
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&bytes)));
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let mut body = bytes[split + 4..].to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    Reply { status, head, body }
}

fn dechunk(mut bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = bytes.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&bytes[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&bytes[end + 2..end + 2 + size]);
        bytes = &bytes[end + 2 + size + 2..];
    }
    out
}

/// `GET path` with `Connection: close`.
pub fn get(addr: SocketAddr, path: &str) -> Reply {
    raw(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

/// An open `/__jirei/events` stream.
pub struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    pub fn open(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream
            .write_all(
                format!("GET /__jirei/events HTTP/1.0\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n").as_bytes(),
            )
            .expect("send");
        stream
            .set_read_timeout(Some(Duration::from_millis(500)))
            .expect("timeout");
        Events {
            reader: BufReader::new(stream),
        }
    }

    /// Waits for the next event called `name` and returns its data.
    pub fn wait_for(&mut self, name: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        let mut current = String::new();
        let mut line = String::new();
        while Instant::now() < deadline {
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => panic!("the event stream closed"),
                Ok(_) => {}
                Err(_) => continue,
            }
            let text = line.trim_end();
            if let Some(event) = text.strip_prefix("event: ").or_else(|| text.strip_prefix("event:")) {
                current = event.trim().to_string();
            } else if let Some(data) = text.strip_prefix("data: ").or_else(|| text.strip_prefix("data:"))
                && current == name
            {
                return data.to_string();
            }
        }
        panic!("no `{name}` event within {timeout:?}");
    }
}
