//! A tiny static HTTP server for the browser tests: it serves a folder
//! below a sub-path (such as `/portal/dx/`) on `127.0.0.1`, as an intranet
//! portal would, and logs every request.
//!
//! - `GET` and `HEAD` only; one request per connection (`Connection: close`).
//! - `…/` serves the folder's `index.html`; `..` segments are refused.
//! - Known types only (html, css, js, json, csv, png, svg, xml, txt, ico);
//!   anything else, and anything outside the sub-path, is 404. Below the
//!   sub-path a 404 shows the site's `404.html`, as a portal configured
//!   with an error page would.
//! - `X-Content-Type-Options: nosniff` (a wrong type breaks, as on real
//!   servers) and `Cache-Control: no-store` (every load is measured).

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Served {
    pub method: String,
    /// The request target as sent (still percent-encoded, with the query).
    pub target: String,
    pub status: u16,
    /// Body bytes sent.
    pub bytes: usize,
}

/// A running server; stops when dropped.
pub struct StaticServer {
    address: SocketAddr,
    prefix: String,
    log: Arc<Mutex<Vec<Served>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Serves `root` at `http://127.0.0.1:<free port><prefix>`; `prefix`
    /// starts and ends with `/`.
    pub fn start(root: &Path, prefix: &str) -> std::io::Result<StaticServer> {
        assert!(prefix.starts_with('/') && prefix.ends_with('/'), "prefix {prefix:?}");
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let address = listener.local_addr()?;
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let site = Site {
            root: root.to_path_buf(),
            prefix: prefix.to_string(),
        };
        let thread = {
            let (log, stop) = (log.clone(), stop.clone());
            std::thread::Builder::new()
                .name("static-server".into())
                .spawn(move || accept_loop(listener, site, log, stop))?
        };
        Ok(StaticServer {
            address,
            prefix: prefix.to_string(),
            log,
            stop,
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:<port>`
    pub fn origin(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The URL of `relative` (a path inside the served folder, already
    /// percent-encoded where needed).
    pub fn url(&self, relative: &str) -> String {
        format!("{}{}{}", self.origin(), self.prefix, relative.trim_start_matches('/'))
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Served> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.address, Duration::from_secs(1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[derive(Clone)]
struct Site {
    root: PathBuf,
    prefix: String,
}

fn accept_loop(listener: TcpListener, site: Site, log: Arc<Mutex<Vec<Served>>>, stop: Arc<AtomicBool>) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let (site, log) = (site.clone(), log.clone());
        let _ = std::thread::Builder::new()
            .name("static-server-conn".into())
            .spawn(move || {
                if let Some(served) = handle(stream, &site)
                    && let Ok(mut log) = log.lock()
                {
                    log.push(served);
                }
            });
    }
}

/// Answers one request; `None` if the client sent nothing usable.
fn handle(stream: TcpStream, site: &Site) -> Option<Served> {
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    stream.set_write_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    // Skip the headers; nothing in them changes the answer.
    let mut header = String::new();
    while reader.read_line(&mut header).ok()? > 2 {
        header.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next()?.to_string(), parts.next()?.to_string());
    let (status, content_type, body) = match method.as_str() {
        "GET" | "HEAD" => match resolve(site, &target) {
            Some((path, content_type)) => match fs::read(&path) {
                Ok(body) => (200, content_type, body),
                Err(_) => not_found(site, &target),
            },
            None => not_found(site, &target),
        },
        _ => (405, "text/plain; charset=utf-8", b"method not allowed\n".to_vec()),
    };
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut stream = stream;
    let sent = if method == "HEAD" { 0 } else { body.len() };
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body[..sent]);
    let _ = stream.flush();
    Some(Served {
        method,
        target,
        status,
        bytes: sent,
    })
}

/// The site's `404.html` below the sub-path, plain text elsewhere.
fn not_found(site: &Site, target: &str) -> (u16, &'static str, Vec<u8>) {
    if target.starts_with(&site.prefix)
        && let Ok(page) = fs::read(site.root.join("404.html"))
    {
        return (404, "text/html; charset=utf-8", page);
    }
    (404, "text/plain; charset=utf-8", b"not found\n".to_vec())
}

/// The file a request target names, with its content type; `None` for 404.
fn resolve(site: &Site, target: &str) -> Option<(PathBuf, &'static str)> {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let relative = path.strip_prefix(&site.prefix)?;
    let decoded = percent_encoding::percent_decode_str(relative).decode_utf8().ok()?;
    let mut file = site.root.clone();
    for segment in decoded.split('/') {
        if segment == ".." || segment == "." || segment.contains(['\\', '\0']) {
            return None;
        }
        if !segment.is_empty() {
            file.push(segment);
        }
    }
    if decoded.is_empty() || decoded.ends_with('/') {
        file.push("index.html");
    }
    let content_type = content_type(&file)?;
    file.is_file().then_some((file, content_type))
}

/// The `Content-Type` of the file types a site may contain.
pub fn content_type(path: &Path) -> Option<&'static str> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match extension.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "ico" => "image/x-icon",
        _ => return None,
    })
}
