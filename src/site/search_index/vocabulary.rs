//! The strings of one search-data build as numbers: every term and surface
//! the analysis produces is interned once, so the postings pass counts and
//! merges keys made of two integers instead of building, hashing and
//! comparing key strings for every token (see [`super::postings`]).
//!
//! Ids depend on which thread saw a string first, so nothing written may
//! depend on them: the postings and the lexicon turn them back into
//! strings before they order anything.
//!
//! Each worker thread keeps its own map of the strings it has seen (no
//! lock per token); only a string new to that thread takes the shared
//! lock. The maps belong to the [`Vocabulary`] and go with it.

use std::sync::{Mutex, MutexGuard, PoisonError, TryLockError};

use crate::hash::FastMap;

/// The interned strings of one build.
///
/// ```
/// # use jirei::site::search_index::vocabulary::Vocabulary;
/// let vocabulary = Vocabulary::new();
/// let mut local = vocabulary.local();
/// let a = local.intern("窓口");
/// assert_eq!(local.intern("窓口"), a);
/// assert_ne!(local.intern("書く"), a);
/// drop(local);
/// assert_eq!(vocabulary.string(a), "窓口");
/// ```
pub struct Vocabulary {
    shared: Mutex<Shared>,
    /// One map per worker thread of the rayon pool, and one for any other.
    locals: Vec<Mutex<LocalMap>>,
    /// The strings by id, once the build is done with interning.
    strings: Vec<Box<str>>,
}

/// A thread's map of the strings it has seen. Most terms are short (a
/// Japanese word of five characters is 15 bytes), and those are keyed by
/// their bytes packed into one integer: no hashing of a string, no call to
/// compare one.
#[derive(Default)]
struct LocalMap {
    short: FastMap<u128, u32>,
    long: FastMap<Box<str>, u32>,
}

/// The bytes of a string of at most 15 bytes and its length, as one number.
fn packed(s: &str) -> Option<u128> {
    let bytes = s.as_bytes();
    (bytes.len() < 16).then(|| {
        let mut word = [0u8; 16];
        word[..bytes.len()].copy_from_slice(bytes);
        word[15] = bytes.len() as u8;
        u128::from_le_bytes(word)
    })
}

impl LocalMap {
    fn get(&self, s: &str) -> Option<u32> {
        match packed(s) {
            Some(key) => self.short.get(&key).copied(),
            None => self.long.get(s).copied(),
        }
    }

    fn insert(&mut self, s: &str, id: u32) {
        match packed(s) {
            Some(key) => self.short.insert(key, id),
            None => self.long.insert(s.into(), id),
        };
    }
}

#[derive(Default)]
struct Shared {
    ids: FastMap<Box<str>, u32>,
    strings: Vec<Box<str>>,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary::new()
    }
}

impl Vocabulary {
    /// An empty vocabulary with a local map for each thread of the current
    /// rayon pool.
    pub fn new() -> Vocabulary {
        Vocabulary {
            shared: Mutex::default(),
            locals: (0..=rayon::current_num_threads()).map(|_| Mutex::default()).collect(),
            strings: Vec::new(),
        }
    }

    /// The interning handle of the calling thread: take it once per
    /// document, not per string. Should the thread's map be in use already
    /// (a handle held across a rayon call that ran other work on this
    /// thread), the handle interns through the shared table alone.
    pub fn local(&self) -> Local<'_> {
        let slot = rayon::current_thread_index().map_or(self.locals.len() - 1, |i| i.min(self.locals.len() - 1));
        let map = match self.locals[slot].try_lock() {
            Ok(map) => Some(map),
            Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        };
        Local {
            map,
            shared: &self.shared,
        }
    }

    /// Ends interning: frees the per-thread maps and keeps only the strings
    /// by id, for [`Vocabulary::string`].
    pub fn seal(&mut self) {
        self.locals
            .iter_mut()
            .for_each(|local| *local.get_mut().unwrap_or_else(PoisonError::into_inner) = LocalMap::default());
        let shared = std::mem::take(self.shared.get_mut().unwrap_or_else(PoisonError::into_inner));
        self.strings = shared.strings;
    }

    /// The string of `id` (after [`Vocabulary::seal`]; before it, the
    /// shared table is read under its lock).
    pub fn string(&self, id: u32) -> String {
        match self.strings.get(id as usize) {
            Some(s) => s.to_string(),
            None => lock(&self.shared)
                .strings
                .get(id as usize)
                .map_or_else(String::new, |s| s.to_string()),
        }
    }
}

/// A thread's interning handle (see [`Vocabulary::local`]).
pub struct Local<'a> {
    map: Option<MutexGuard<'a, LocalMap>>,
    shared: &'a Mutex<Shared>,
}

impl Local<'_> {
    /// The id of `s`, assigned if `s` is new.
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(id) = self.map.as_ref().and_then(|map| map.get(s)) {
            return id;
        }
        let id = {
            let mut shared = lock(self.shared);
            match shared.ids.get(s) {
                Some(&id) => id,
                None => {
                    let id = shared.strings.len() as u32;
                    shared.strings.push(s.into());
                    shared.ids.insert(s.into(), id);
                    id
                }
            }
        };
        if let Some(map) = &mut self.map {
            map.insert(s, id);
        }
        id
    }
}

/// A lock that a panic elsewhere does not make unusable: the maps are only
/// ever extended, so what a panicking thread left is still consistent.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use rayon::prelude::*;

    use super::*;

    #[test]
    fn short_and_long_strings_keep_distinct_ids() {
        let vocabulary = Vocabulary::new();
        let mut local = vocabulary.local();
        // 15 bytes is the longest packed string, 16 the shortest kept whole.
        let strings = [
            "",
            "a",
            "a\0",
            "窓口",
            "ab",
            "123456789012345",
            "1234567890123456",
            "12345678901234",
        ];
        let ids: Vec<u32> = strings.iter().map(|s| local.intern(s)).collect();
        let again: Vec<u32> = strings.iter().map(|s| local.intern(s)).collect();
        assert_eq!(ids, again);
        let distinct: std::collections::HashSet<u32> = ids.iter().copied().collect();
        assert_eq!(distinct.len(), strings.len());
        drop(local);
        for (s, id) in strings.iter().zip(ids) {
            assert_eq!(vocabulary.string(id), *s);
        }
    }

    #[test]
    fn threads_interning_the_same_strings_agree_on_their_ids() {
        let vocabulary = Vocabulary::new();
        let words: Vec<String> = (0..2000).map(|i| format!("語{}", i % 300)).collect();
        let ids: Vec<u32> = words.par_iter().map(|w| vocabulary.local().intern(w)).collect();
        let mut vocabulary = vocabulary;
        vocabulary.seal();
        for (w, id) in words.iter().zip(&ids) {
            assert_eq!(&vocabulary.string(*id), w);
        }
        let distinct: std::collections::HashSet<u32> = ids.into_iter().collect();
        assert_eq!(distinct.len(), 300);
    }
}
