//! Serving the built site's files, and only those.
//!
//! A request path is accepted only if every segment, once percent-decoded,
//! is a plain name: no `..` or `.`, no `/`, `\` or NUL inside (so `%2e%2e`,
//! `%2f` and `..\..\` are refused), valid UTF-8, not hidden (`.jirei-build`).
//! The file found is then canonicalised and must still lie inside the
//! canonical site folder, so a symbolic link pointing outside is never
//! followed out. Folders are served as their `index.html`.
//!
//! HTML is served with the live-reload script tag added before `</body>`:
//! the script is a same-origin file (the pages' `default-src 'self'`
//! policy forbids inline scripts) and it is added only here, never to the
//! files `jirei build` writes.

use std::path::{Path, PathBuf};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The tag that loads the live-reload script.
pub const LIVE_RELOAD_TAG: &str = "<script src=\"/__jirei/livereload.js\" defer></script>";

/// Where a request path leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A file inside the site (canonical path).
    File(PathBuf),
    /// A folder asked for without its trailing slash: redirect here.
    Redirect(String),
    /// Nothing (or nothing that may be served).
    NotFound,
    /// A path that is malformed or tries to leave the site.
    Refused,
}

/// The decoded segments of a request path, or `None` if any is unsafe.
/// Hidden names give `Some(None)` (not found rather than refused).
fn segments(raw: &str) -> Option<Option<Vec<String>>> {
    if !raw.starts_with('/') || raw.contains('\\') {
        return None;
    }
    let mut out = Vec::new();
    let mut hidden = false;
    for part in raw.split('/').filter(|p| !p.is_empty()) {
        let bytes: Vec<u8> = percent_encoding::percent_decode_str(part).collect();
        let text = String::from_utf8(bytes).ok()?;
        let unsafe_char = |c: char| c == '/' || c == '\\' || c == '\0' || c.is_control();
        if text == "." || text == ".." || text.is_empty() || text.contains(unsafe_char) {
            return None;
        }
        hidden |= text.starts_with('.');
        out.push(text);
    }
    Some((!hidden).then_some(out))
}

/// Maps a request path to a file of the site in `site`.
pub fn resolve(site: &Path, raw_path: &str) -> Resolved {
    let Some(segments) = segments(raw_path) else {
        return Resolved::Refused;
    };
    let Some(segments) = segments else {
        return Resolved::NotFound;
    };
    let Ok(root) = std::fs::canonicalize(site) else {
        return Resolved::NotFound;
    };
    let mut path = root.clone();
    path.extend(&segments);
    let Ok(found) = std::fs::canonicalize(&path) else {
        return Resolved::NotFound;
    };
    if !found.starts_with(&root) {
        return Resolved::NotFound;
    }
    if found.is_dir() {
        if !raw_path.ends_with('/') {
            let encoded: Vec<String> = segments
                .iter()
                .map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
                .collect();
            return Resolved::Redirect(format!("/{}/", encoded.join("/")));
        }
        return match std::fs::canonicalize(found.join("index.html")) {
            Ok(index) if index.starts_with(&root) && index.is_file() => Resolved::File(index),
            _ => Resolved::NotFound,
        };
    }
    if found.is_file() {
        Resolved::File(found)
    } else {
        Resolved::NotFound
    }
}

/// Characters escaped in a redirect's path segments.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The media type of a file, by extension.
pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Adds the live-reload tag before the last `</body>` (or at the end).
pub fn inject_live_reload(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    match lower.rfind("</body>") {
        Some(at) => format!("{}{LIVE_RELOAD_TAG}\n{}", &html[..at], &html[at..]),
        None => format!("{html}\n{LIVE_RELOAD_TAG}\n"),
    }
}

/// A file's response: HTML gets the live-reload tag.
pub fn file_response(path: &Path, bytes: Vec<u8>, status: StatusCode) -> Response {
    let kind = content_type(path);
    let body = if kind.starts_with("text/html") {
        inject_live_reload(&String::from_utf8_lossy(&bytes)).into_bytes()
    } else {
        bytes
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_segments_are_refused() {
        for raw in [
            "/../etc/passwd",
            "/..%2f..%2fetc/passwd",
            "/%2e%2e/",
            "/%2E%2E/x",
            "/cases/..\\..\\",
            "/cases/%5c..",
            "/a%00b",
            "/%2fetc%2fpasswd",
            "/./x",
            "/%ff",
            "relative",
        ] {
            assert_eq!(segments(raw), None, "{raw}");
        }
        assert_eq!(segments("/.jirei-build"), Some(None));
        assert_eq!(
            segments("/tag/%E7%AA%93%E5%8F%A3/"),
            Some(Some(vec!["tag".to_string(), "窓口".to_string()]))
        );
        assert_eq!(
            segments("//etc/passwd"),
            Some(Some(vec!["etc".into(), "passwd".into()]))
        );
    }

    #[test]
    fn the_tag_goes_before_the_body_end() {
        assert_eq!(
            inject_live_reload("<p>x</p></BODY></html>"),
            format!("<p>x</p>{LIVE_RELOAD_TAG}\n</BODY></html>")
        );
    }
}
