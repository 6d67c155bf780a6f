//! Term shards: every key of [`Postings`] lives in shard
//! `fnv1a(key) % shards` (`t/<shard>.js`), with its document frequency per
//! field; its postings follow inline, or, when they are large, in a file
//! of their own (`p/<n>.js`) that a query loads only when it needs them
//! (a phrase needs the frequencies of its words, not their postings).
//!
//! Shard layout (bytes as text, keys as a separate JSON array, same order):
//! per key `field mask`, per field `df` (for a pair also the dfs of its two
//! terms, so a phrase needs only pair records), then `0` and per field
//! `length, list` ([`super::lists`]) — or `n + 1` for external file
//! `p/<n>.js`, which holds per field `length, list`. Keys with identical
//! lists share one external file.

use rayon::prelude::*;

use super::Sink;
use super::encode::{Part, fnv1a, push_varint, script};
use super::lists::encode;
use super::postings::{BODY, Postings};
use crate::hash::{FastMap, FxHasher};
use crate::site::output::OutputError;

/// Postings larger than this (bytes, all fields) get a file of their own.
const EXTERNAL_BYTES: usize = 250;
/// Target size of the inline part of one shard, in bytes.
const SHARD_BYTES: usize = 500;

/// The bytes the encoded lists of one key take in a shard (each with its
/// length prefix, counted as 3 bytes).
fn lists_size(lists: &[&[u8]]) -> usize {
    lists.iter().map(|e| e.len() + 3).sum()
}

/// The shard of a key.
pub fn shard_of(key: &str, shards: u32) -> u32 {
    fnv1a(key) % shards.max(1)
}

fn push_lists<'a>(out: &mut Vec<u8>, lists: impl Iterator<Item = &'a [u8]>) {
    for list in lists {
        push_varint(out, list.len() as u64);
        out.extend_from_slice(list);
    }
}

/// The term keys of the two terms of a pair key.
fn pair_terms(key: &str) -> Option<(String, String)> {
    let mut chars = key.chars();
    let kind = match chars.next()? {
        'x' => 'w',
        'R' => 'r',
        'N' => 'n',
        _ => return None,
    };
    let rest = chars.as_str();
    let (a, b) = match rest.split_once(' ') {
        Some((a, b)) => (a.to_string(), b.to_string()),
        None => {
            let c: Vec<char> = rest.chars().collect();
            (c.get(..2)?.iter().collect(), c.get(1..)?.iter().collect())
        }
    };
    Some((format!("{kind}{a}"), format!("{kind}{b}")))
}

/// Writes the shard files and external postings files; returns the number
/// of shards. Shards are encoded and written in parallel; external files
/// are numbered as [`ExternalFiles::assign`] says.
pub fn term_files(postings: &mut Postings, sink: &Sink<'_>) -> Result<u32, OutputError> {
    let docs = postings.num_docs;
    // Each list replaces its intermediate form as it is encoded, so the
    // two are never all in memory at once.
    postings
        .keys
        .par_iter()
        .zip(&mut postings.records)
        .for_each(|(key, record)| {
            let kind = key.as_bytes()[0];
            for (f, p) in &mut record.fields {
                let chunks = matches!(kind, b'w' | b'x') && usize::from(*f) == BODY;
                p.bytes = encode(&p.bytes, usize::from(*f), p.df, docs, chunks);
            }
        });
    let postings: &Postings = postings;
    let encoded: Vec<Vec<&[u8]>> = postings
        .records
        .iter()
        .map(|r| r.fields.iter().map(|(_, p)| p.bytes.as_slice()).collect())
        .collect();
    let size = |i: usize| lists_size(&encoded[i]);
    let index: FastMap<&str, usize> = postings.keys.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    let inline: usize = (0..postings.keys.len())
        .map(|i| if size(i) > EXTERNAL_BYTES { 8 } else { size(i) })
        .sum::<usize>()
        + postings.keys.iter().map(|k| k.len() + 3).sum::<usize>();
    let count = inline.div_ceil(SHARD_BYTES).max(1) as u32;
    let mut shards: Vec<Vec<usize>> = vec![Vec::new(); count as usize];
    for (i, key) in postings.keys.iter().enumerate() {
        shards[shard_of(key, count) as usize].push(i);
    }
    let files = ExternalFiles::assign(&shards, &encoded, |i| size(i) > EXTERNAL_BYTES);
    files.holders.par_iter().enumerate().try_for_each(|(n, &i)| {
        let mut body = Vec::new();
        push_lists(&mut body, encoded[i].iter().copied());
        let name = format!("p/{n}");
        sink(&format!("{name}.js"), &script(&name, &[Part::Bytes(&body)]))
    })?;
    let shard = ShardWriter {
        postings,
        encoded: &encoded,
        index: &index,
        external: &files.number,
        sink,
    };
    shards
        .par_iter()
        .enumerate()
        .try_for_each(|(n, members)| shard.write(n, members))?;
    Ok(count)
}

/// The external postings files: one per distinct content. Keys whose
/// lists are all identical share a file (a word the dictionary splits, such
/// as マイ|ナンバ|カード, gives its parts and their pairs the same
/// postings), so a query needing several of them loads the bytes once.
struct ExternalFiles {
    /// The file number of each key with external postings.
    number: Vec<Option<u64>>,
    /// For each file, the key whose lists it holds.
    holders: Vec<usize>,
}

impl ExternalFiles {
    /// Numbers the files in key order within shard order, so the output
    /// does not depend on scheduling.
    fn assign(shards: &[Vec<usize>], encoded: &[Vec<&[u8]>], external: impl Fn(usize) -> bool) -> ExternalFiles {
        let mut files = ExternalFiles {
            number: vec![None; encoded.len()],
            holders: Vec::new(),
        };
        let mut by_content: FastMap<u64, Vec<u64>> = FastMap::default();
        for &i in shards.iter().flatten().filter(|&&i| external(i)) {
            let same = by_content.entry(content_hash(&encoded[i])).or_default();
            let n = match same.iter().find(|&&n| encoded[files.holders[n as usize]] == encoded[i]) {
                Some(&n) => n,
                None => {
                    let n = files.holders.len() as u64;
                    files.holders.push(i);
                    same.push(n);
                    n
                }
            };
            files.number[i] = Some(n);
        }
        files
    }
}

fn content_hash(lists: &[&[u8]]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = FxHasher::default();
    lists.hash(&mut hasher);
    hasher.finish()
}

/// What writing one shard needs to see of the whole.
struct ShardWriter<'a, 'b> {
    postings: &'a Postings,
    encoded: &'a [Vec<&'a [u8]>],
    index: &'a FastMap<&'a str, usize>,
    /// The external file number of each key that has one.
    external: &'a [Option<u64>],
    sink: &'a Sink<'b>,
}

impl ShardWriter<'_, '_> {
    fn df(&self, key: &str, field: u8) -> u64 {
        self.index
            .get(key)
            .and_then(|&i| self.postings.records[i].fields.iter().find(|(f, _)| *f == field))
            .map_or(0, |(_, p)| u64::from(p.df))
    }

    /// Writes shard `shard` (keys `members`, sorted).
    fn write(&self, shard: usize, members: &[usize]) -> Result<(), OutputError> {
        let mut bytes = Vec::new();
        for &i in members {
            let record = &self.postings.records[i];
            bytes.push(record.mask());
            let terms = pair_terms(&self.postings.keys[i]);
            for (field, p) in &record.fields {
                push_varint(&mut bytes, u64::from(p.df));
                if let Some((a, b)) = &terms {
                    push_varint(&mut bytes, self.df(a, *field));
                    push_varint(&mut bytes, self.df(b, *field));
                }
            }
            match self.external[i] {
                Some(n) => push_varint(&mut bytes, n + 1),
                None => {
                    bytes.push(0);
                    push_lists(&mut bytes, self.encoded[i].iter().copied());
                }
            }
        }
        let keys: Vec<&str> = members.iter().map(|&i| self.postings.keys[i].as_str()).collect();
        let name = format!("t/{shard}");
        (self.sink)(
            &format!("{name}.js"),
            &script(&name, &[Part::json(&keys), Part::Bytes(&bytes)]),
        )
    }
}
