//! Byte-level encoding of the browser index: varints, bit packing, base64,
//! the key hash, and the script wrapper every data file uses.
//!
//! Every data file is a script calling `jireiSearchData(name, ...parts)`:
//! pages opened from `file://` cannot `fetch()`, but they can inject
//! `<script src>`. Numbers travel as base64 of bytes (varints, bit-packed
//! columns); strings travel as JSON string arrays (UTF-8 is denser than
//! base64 of UTF-8). The JS side (`themes/default/static/search-engine.js`)
//! decodes exactly these formats.

use serde::Serialize;

/// Appends `value` as an unsigned LEB128 varint.
///
/// ```
/// # use jirei::site::search_index::encode::push_varint;
/// let mut out = Vec::new();
/// push_varint(&mut out, 300);
/// assert_eq!(out, [0xAC, 0x02]);
/// ```
pub fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Packs unsigned values of a fixed bit width, least significant bit first.
#[derive(Debug, Default)]
pub struct BitWriter {
    bytes: Vec<u8>,
    bits: usize,
}

impl BitWriter {
    pub fn push(&mut self, value: u64, width: u32) {
        for bit in 0..width {
            if self.bits.is_multiple_of(8) {
                self.bytes.push(0);
            }
            if (value >> bit) & 1 == 1 {
                let last = self.bytes.len() - 1;
                self.bytes[last] |= 1 << (self.bits % 8);
            }
            self.bits += 1;
        }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// Bits needed to store values up to `max`.
///
/// ```
/// # use jirei::site::search_index::encode::bit_width;
/// assert_eq!((bit_width(0), bit_width(1), bit_width(6), bit_width(8)), (0, 1, 3, 4));
/// ```
pub fn bit_width(max: u64) -> u32 {
    64 - max.leading_zeros()
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (what `atob` decodes).
///
/// ```
/// # use jirei::site::search_index::encode::base64;
/// assert_eq!(base64(b"jirei"), "amlyZWk=");
/// ```
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(BASE64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// FNV-1a (32 bit) of the UTF-8 bytes: how keys and characters are
/// assigned to shards on both sides.
///
/// ```
/// # use jirei::site::search_index::encode::fnv1a;
/// assert_eq!(fnv1a("a"), 0xe40c292c);
/// ```
pub fn fnv1a(text: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for &byte in text.as_bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// One argument of a data script.
pub enum Part<'a> {
    /// Bytes, sent as a base64 string.
    Bytes(&'a [u8]),
    /// Any JSON value (string arrays, the metadata object).
    Json(serde_json::Value),
}

impl Part<'_> {
    pub fn json(value: &impl Serialize) -> Part<'static> {
        Part::Json(serde_json::to_value(value).unwrap_or(serde_json::Value::Null))
    }
}

/// The script `jireiSearchData("name",part,…);` as bytes.
pub fn script(name: &str, parts: &[Part<'_>]) -> Vec<u8> {
    let mut out = format!("jireiSearchData({}", serde_json::Value::from(name));
    for part in parts {
        out.push(',');
        match part {
            Part::Bytes(bytes) => {
                out.push('"');
                out.push_str(&base64(bytes));
                out.push('"');
            }
            Part::Json(value) => out.push_str(&json_for_script(value)),
        }
    }
    out.push_str(");\n");
    out.into_bytes()
}

/// JSON that is also safe inside a script: `</script>` and the line
/// separators JSON allows but old JS engines did not cannot appear.
fn json_for_script(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_pack_least_significant_first() {
        let mut w = BitWriter::default();
        w.push(5, 3);
        w.push(1, 1);
        w.push(0x1FF, 9);
        assert_eq!(w.into_bytes(), [0b1111_1101, 0b0001_1111]);
    }

    #[test]
    fn scripts_escape_closing_tags() {
        let s = script("x", &[Part::json(&["</script>"]), Part::Bytes(&[1, 2])]);
        assert_eq!(
            String::from_utf8(s).unwrap(),
            "jireiSearchData(\"x\",[\"\\u003c/script>\"],\"AQI=\");\n"
        );
    }

    #[test]
    fn base64_pads_like_atob_expects() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
    }
}
