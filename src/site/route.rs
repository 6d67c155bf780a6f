//! Where a page lives: its folder under the output root, the file on disk
//! and the relative link to it.
//!
//! Every page is `<segments>/index.html`, and links always name
//! `index.html` so they also work from `file://`, where a folder URL shows a
//! directory listing instead of the page. Japanese values (分類, タグ,
//! 事業者) keep their name: the folder is the value itself, made safe for
//! Windows and macOS file systems ([`segment`]), and links percent-encode it.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use unicode_normalization::UnicodeNormalization;

/// Characters left as they are in a link path segment: RFC 3986 unreserved.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Longest folder name in bytes, well below the 255 most file systems allow.
const MAX_SEGMENT_BYTES: usize = 120;

/// A page's folder, as path segments below the output root.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Route {
    segments: Vec<String>,
}

impl Route {
    /// The home page: `index.html` at the root.
    pub fn root() -> Route {
        Route { segments: Vec::new() }
    }

    /// A route from segments that are already safe folder names.
    pub fn new<S: Into<String>>(segments: impl IntoIterator<Item = S>) -> Route {
        Route {
            segments: segments.into_iter().map(Into::into).collect(),
        }
    }

    /// This route with one more segment.
    pub fn join(&self, segment: impl Into<String>) -> Route {
        let mut segments = self.segments.clone();
        segments.push(segment.into());
        Route { segments }
    }

    /// Link from the output root: `tag/%E7%AA%93%E5%8F%A3/index.html`.
    pub fn href(&self) -> String {
        let mut href = String::new();
        for segment in &self.segments {
            href.extend(utf8_percent_encode(segment, SEGMENT));
            href.push('/');
        }
        href.push_str("index.html");
        href
    }

    /// The file to write, relative to the output root.
    pub fn file(&self) -> PathBuf {
        let mut path: PathBuf = self.segments.iter().collect();
        path.push("index.html");
        path
    }

    /// The prefix leading from this page back to the root: `../../`.
    pub fn root_prefix(&self) -> String {
        "../".repeat(self.segments.len())
    }
}

/// Turns a value into a folder name that every file system accepts and
/// that reads as the value: NFC, characters Windows forbids replaced by
/// their full-width forms (`/` → `／`), no leading dot, no trailing dot or
/// space, at most 120 bytes.
pub fn segment(value: &str) -> String {
    let mut out = String::new();
    for c in value.trim().nfc() {
        let mapped = match c {
            '/' => '／',
            '\\' => '＼',
            ':' => '：',
            '*' => '＊',
            '?' => '？',
            '"' => '＂',
            '<' => '＜',
            '>' => '＞',
            '|' => '｜',
            '#' => '＃',
            '%' => '％',
            c if c.is_control() => '_',
            c if c.is_whitespace() => '_',
            c => c,
        };
        if out.len() + mapped.len_utf8() > MAX_SEGMENT_BYTES {
            break;
        }
        out.push(mapped);
    }
    if out.starts_with('.') {
        out.replace_range(0..1, "．");
    }
    while out.ends_with(['.', ' ']) {
        out.pop();
    }
    // `index.html` is the page file in every folder; a folder of that name
    // would collide with it.
    if out.is_empty() || is_reserved_windows_name(&out) || out.eq_ignore_ascii_case("index.html") {
        out.insert(0, '_');
    }
    out
}

/// CON, PRN, NUL, COM1 … cannot be file names on Windows.
fn is_reserved_windows_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit())
}

/// Gives each distinct value its own folder name, even when two values
/// map to the same [`segment`] or differ only in letter case (Windows and
/// macOS file systems ignore case). Values are taken in sorted order, so
/// the names are the same in every build.
pub fn allocate_segments<'a>(values: impl IntoIterator<Item = &'a str>) -> BTreeMap<String, String> {
    let sorted: std::collections::BTreeSet<&str> = values.into_iter().collect();
    let mut taken = HashSet::new();
    let mut names = BTreeMap::new();
    for value in sorted {
        let base = segment(value);
        let mut name = base.clone();
        let mut n = 2;
        while !taken.insert(name.to_lowercase()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        names.insert(value.to_string(), name);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_segments_are_percent_encoded_in_links_only() {
        let route = Route::new(["tag", "窓口改革"]);
        assert_eq!(route.href(), "tag/%E7%AA%93%E5%8F%A3%E6%94%B9%E9%9D%A9/index.html");
        assert_eq!(route.file(), PathBuf::from("tag/窓口改革/index.html"));
        assert_eq!(route.root_prefix(), "../../");
        assert_eq!(Route::root().href(), "index.html");
        assert_eq!(Route::root().root_prefix(), "");
    }

    #[test]
    fn unsafe_characters_become_full_width() {
        assert_eq!(segment("AI/RPA"), "AI／RPA");
        assert_eq!(segment(".."), "．");
        assert_eq!(segment("a b?"), "a_b？");
        assert_eq!(segment("100%"), "100％");
        assert_eq!(segment("CON"), "_CON");
        assert_eq!(segment("index.html"), "_index.html");
        assert_eq!(segment("  "), "_");
        assert!(segment(&"長".repeat(200)).len() <= MAX_SEGMENT_BYTES);
    }

    #[test]
    fn colliding_values_get_distinct_folders() {
        let names = allocate_segments(["DX", "dx", "AI/RPA", "AI／RPA"]);
        let mut folders: Vec<String> = names.values().map(|n| n.to_lowercase()).collect();
        folders.sort();
        folders.dedup();
        assert_eq!(folders.len(), 4, "{names:?}");
    }
}
