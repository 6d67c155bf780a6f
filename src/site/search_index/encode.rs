//! Byte-level encoding of the browser index: varints, bit packing, bytes
//! as text ([`text13`]),
//! the key hash, and the script wrapper every data file uses.
//!
//! Every data file is a script calling `jireiSearchData(name, ...parts)`:
//! pages opened from `file://` cannot `fetch()`, but they can inject
//! `<script src>`. Numbers travel as bytes (varints, bit-packed columns)
//! written as text; strings travel as JSON string arrays (UTF-8 is denser
//! than any encoding of UTF-8 bytes). The JS side (`themes/default/static/search-engine.js`)
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
///
/// ```
/// # use jirei::site::search_index::encode::BitWriter;
/// let mut bits = BitWriter::default();
/// bits.push(0b101, 3);
/// bits.push(u64::MAX, 64);
/// bits.push(0, 2);
/// assert_eq!(bits.into_bytes(), [0xFD, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x07]);
/// ```
#[derive(Debug, Default)]
pub struct BitWriter {
    bytes: Vec<u8>,
    /// Bits not yet in `bytes`, the oldest lowest; fewer than 64.
    acc: u64,
    held: u32,
}

impl BitWriter {
    /// Appends the low `width` bits of `value` (`width` ≤ 64).
    pub fn push(&mut self, value: u64, width: u32) {
        if width == 0 {
            return;
        }
        let value = if width >= 64 { value } else { value & ((1 << width) - 1) };
        self.acc |= value << self.held;
        let total = self.held + width;
        if total >= 64 {
            self.bytes.extend_from_slice(&self.acc.to_le_bytes());
            let taken = 64 - self.held;
            self.acc = if taken >= 64 { 0 } else { value >> taken };
            self.held = total - 64;
        } else {
            self.held = total;
        }
    }

    /// Appends `n` one bits.
    pub fn ones(&mut self, mut n: u64) {
        while n >= 64 {
            self.push(u64::MAX, 64);
            n -= 64;
        }
        self.push(u64::MAX, n as u32);
    }

    pub fn into_bytes(mut self) -> Vec<u8> {
        let tail = self.held.div_ceil(8) as usize;
        self.bytes.extend_from_slice(&self.acc.to_le_bytes()[..tail]);
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

/// The 91 characters of [`text13`]: printable ASCII without the space,
/// `"`, `\\` and `<` (nothing to escape in a JS string, nothing an HTML
/// parser could take for a tag), in code order.
pub const ALPHABET: &[u8; 91] =
    b"!#$%&'()*+,-./0123456789:;=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// Bytes as text for a JS string: 13 bits (least significant first) per
/// two characters of [`ALPHABET`] (`v % 91`, then `v / 91`), and a last
/// group of up to 6 bits as one character. 1.23 characters per byte where
/// base64 needs 1.33: the data of a first search is mostly these strings.
/// The decoder takes `⌊bits / 8⌋` bytes, which the last group's size makes
/// exact.
///
/// ```
/// # use jirei::site::search_index::encode::text13;
/// assert_eq!(text13(b""), "");
/// assert_eq!(text13(&[1]), "#!");
/// assert_eq!(text13(&[0xff, 0x1f]), "#~!"); // 8191 = 1 + 90·91, then 3 zero bits
/// ```
pub fn text13(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 5 / 4 + 2);
    let push = |out: &mut String, v: u32| out.push(ALPHABET[v as usize] as char);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc |= u32::from(b) << bits;
        bits += 8;
        if bits >= 13 {
            let v = acc & 0x1FFF;
            push(&mut out, v % 91);
            push(&mut out, v / 91);
            acc >>= 13;
            bits -= 13;
        }
    }
    if bits > 6 {
        push(&mut out, acc % 91);
        push(&mut out, acc / 91);
    } else if bits > 0 {
        push(&mut out, acc);
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
    /// Bytes, sent as a [`text13`] string.
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
                out.push_str(&text13(bytes));
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
            "jireiSearchData(\"x\",[\"\\u003c/script>\"],\"^'!\");\n"
        );
    }

    /// The JS decoder's rule, in Rust: `⌊bits / 8⌋` bytes from the groups.
    fn decode(text: &str) -> Vec<u8> {
        let digits: Vec<u32> = text
            .bytes()
            .map(|c| ALPHABET.iter().position(|&a| a == c).expect("alphabet") as u32)
            .collect();
        let bits = digits.len() / 2 * 13 + digits.len() % 2 * 6;
        let (mut out, mut acc, mut held) = (Vec::new(), 0u64, 0u32);
        for group in digits.chunks(2) {
            let (v, width) = match group {
                [a, b] => (a + b * 91, 13),
                [a] => (*a, 6),
                _ => unreachable!(),
            };
            acc |= u64::from(v) << held;
            held += width;
            while held >= 8 && out.len() < bits / 8 {
                out.push(acc as u8);
                acc >>= 8;
                held -= 8;
            }
        }
        out
    }

    #[test]
    fn text13_reads_back_every_length_and_value() {
        assert_eq!(ALPHABET.len(), 91);
        assert!(!ALPHABET.iter().any(|c| b" \"\\<".contains(c)));
        for len in 0..40usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 73 + len * 29) as u8 ^ 0xA5).collect();
            assert_eq!(decode(&text13(&bytes)), bytes, "length {len}");
            let ones = vec![0xFF; len];
            assert_eq!(decode(&text13(&ones)), ones, "ones, length {len}");
        }
    }

    #[test]
    fn text13_is_smaller_than_base64() {
        let bytes = vec![0x5A; 3000];
        assert!(text13(&bytes).len() < 3000 * 5 / 4, "{}", text13(&bytes).len());
    }
}
