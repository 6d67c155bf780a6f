//! Fast non-cryptographic hashing (FxHash) for the many keys of a build:
//! words, search keys, texts and dictionary ids. They come from our own
//! documents and dictionary, so hash flooding is no concern, and SipHash
//! (the standard library's default) is several times slower.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash: one multiply per 8 bytes.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    /// The state rotated so its low bits depend on every input bit: a hash
    /// table takes the bucket from the low bits, and after a multiply those
    /// depend only on the input's low bits. Without the rotation, keys that
    /// differ only in their high bits (the n-gram codes keep a character
    /// there) all fell into a few buckets (the remedy of rustc-hash 2).
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    // The same values as `write` gives for the integer's bytes, faster.
    fn write_u32(&mut self, value: u32) {
        self.write_u64(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn write_u128(&mut self, value: u128) {
        self.write_u64(value as u64);
        self.write_u64((value >> 64) as u64);
    }
}

/// A hash map with [`FxHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The FxHash of `bytes`: the [`FxHasher`] state without the final
/// rotation, which is all a stable value needs (the search data groups its
/// keys by it, so the site is the same from one version to the next).
///
/// ```
/// assert_eq!(jirei::hash::hash_bytes(b"abc"), jirei::hash::hash_bytes(b"abc"));
/// assert_ne!(jirei::hash::hash_bytes(b"abc"), jirei::hash::hash_bytes(b"abd"));
/// ```
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(bytes);
    hasher.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_hash_as_their_little_endian_bytes() {
        let by_bytes = |bytes: &[u8]| {
            let mut hasher = FxHasher::default();
            hasher.write(bytes);
            hasher.finish()
        };
        let mut by_value = FxHasher::default();
        by_value.write_u32(0x1234_5678);
        assert_eq!(by_value.finish(), by_bytes(&0x1234_5678u32.to_le_bytes()));
        let mut by_value = FxHasher::default();
        by_value.write_u64(u64::MAX - 7);
        assert_eq!(by_value.finish(), by_bytes(&(u64::MAX - 7).to_le_bytes()));
        let mut by_value = FxHasher::default();
        by_value.write_u128(u128::MAX / 3);
        assert_eq!(by_value.finish(), by_bytes(&(u128::MAX / 3).to_le_bytes()));
    }

    #[test]
    fn keys_that_differ_only_in_their_high_bits_fill_different_buckets() {
        use std::hash::BuildHasher;
        let build = BuildHasherDefault::<FxHasher>::default();
        let buckets: std::collections::HashSet<u64> = (0..1000u64).map(|c| build.hash_one(c << 42) & 0xFFFF).collect();
        assert!(buckets.len() > 900, "{} buckets", buckets.len());
    }
}
