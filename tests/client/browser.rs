//! Headless Chromium for the search-page tests: the DOM after the page's
//! scripts ran, from `file://` or from a tiny static HTTP server that
//! serves a folder under a sub-path.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Chromium binary, if one is installed (`$CHROMIUM` first).
pub fn chromium() -> Option<String> {
    let candidates = [
        std::env::var("CHROMIUM").ok(),
        Some("chromium".into()),
        Some("chromium-browser".into()),
    ];
    candidates.into_iter().flatten().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// The DOM of `url` after its scripts ran (virtual time, no network).
pub fn dump_dom(chromium: &str, url: &str) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--virtual-time-budget=15000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&output.stdout).to_string()
}

/// The values of `attribute="…"` in document order.
pub fn attributes(html: &str, attribute: &str) -> Vec<String> {
    let needle = format!("{attribute}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| rest[..end].to_string())
        })
        .collect()
}

/// `file://` URL of a file.
pub fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Serves `dir` at `http://127.0.0.1:PORT/<prefix>/` until the test ends;
/// returns the base URL (ending with `/`).
pub fn serve(dir: &Path, prefix: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let dir: PathBuf = dir.to_path_buf();
    let prefix = format!("/{}/", prefix.trim_matches('/'));
    let base = format!("http://127.0.0.1:{port}{prefix}");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            let prefix = prefix.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                let path = target.split('?').next().unwrap_or("/");
                let decoded = percent_encoding::percent_decode_str(path)
                    .decode_utf8_lossy()
                    .to_string();
                let file = decoded
                    .strip_prefix(&prefix)
                    .filter(|rest| !rest.split('/').any(|s| s == ".."))
                    .map(|rest| {
                        dir.join(if rest.is_empty() || rest.ends_with('/') {
                            format!("{rest}index.html")
                        } else {
                            rest.to_string()
                        })
                    });
                let (status, body, kind) = match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
                    Some((f, body)) => {
                        let kind = match f.extension().and_then(|e| e.to_str()) {
                            Some("html") => "text/html; charset=utf-8",
                            Some("js") => "text/javascript; charset=utf-8",
                            Some("css") => "text/css; charset=utf-8",
                            _ => "application/octet-stream",
                        };
                        ("200 OK", body, kind)
                    }
                    None => ("404 Not Found", b"not found".to_vec(), "text/plain"),
                };
                let mut stream = &stream;
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(&body);
            });
        }
    });
    base
}
