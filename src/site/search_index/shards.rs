//! Term shards: every key of [`Postings`] lives in shard
//! `fnv1a(key) % shards` (`t/<shard>.js`), with its document frequency per
//! field; its postings follow inline, or, when they are large, in a file
//! of their own (`p/<n>.js`) that a query loads only when it needs them
//! (a phrase needs the frequencies of its words, not their postings).
//!
//! Shard layout (base64 bytes, keys as a separate JSON array, same order):
//! per key `field mask`, per field `df` (for a pair also the dfs of its two
//! terms, so a phrase needs only pair records), then `0` and per field
//! `length, list` ([`super::lists`]) — or `n + 1` for external file
//! `p/<n>.js`, which holds per field `length, list`.

use rayon::prelude::*;

use super::Sink;
use super::encode::{Part, fnv1a, push_varint, script};
use super::lists::encode;
use super::postings::{BODY, FastMap, Postings};
use crate::site::output::OutputError;

/// Postings larger than this (bytes, all fields) get a file of their own.
const EXTERNAL_BYTES: usize = 250;
/// Target size of the inline part of one shard, in bytes.
const SHARD_BYTES: usize = 500;

/// The bytes the encoded lists of one key take in a shard (each with its
/// length prefix, counted as 3 bytes).
fn lists_size(lists: &[Vec<u8>]) -> usize {
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
/// are numbered in key order within shard order first, so the output does
/// not depend on scheduling.
pub fn term_files(postings: &Postings, sink: &Sink<'_>) -> Result<u32, OutputError> {
    let docs = postings.num_docs;
    let encoded: Vec<Vec<Vec<u8>>> = postings
        .keys
        .par_iter()
        .zip(&postings.records)
        .map(|(key, record)| {
            let kind = key.as_bytes()[0];
            record
                .fields
                .iter()
                .map(|(f, p)| {
                    let chunks = matches!(kind, b'w' | b'x') && usize::from(*f) == BODY;
                    encode(&p.bytes, usize::from(*f), p.df, docs, chunks)
                })
                .collect()
        })
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
    let mut first_external = Vec::with_capacity(shards.len());
    let mut external = 0u64;
    for members in &mut shards {
        members.sort_by(|&a, &b| postings.keys[a].cmp(&postings.keys[b]));
        first_external.push(external);
        external += members.iter().filter(|&&i| size(i) > EXTERNAL_BYTES).count() as u64;
    }
    let shard = ShardWriter {
        postings,
        encoded: &encoded,
        index: &index,
        sink,
    };
    shards
        .par_iter()
        .zip(first_external)
        .enumerate()
        .try_for_each(|(n, (members, first))| shard.write(n, members, first))?;
    Ok(count)
}

/// What writing one shard needs to see of the whole.
struct ShardWriter<'a, 'b> {
    postings: &'a Postings,
    encoded: &'a [Vec<Vec<u8>>],
    index: &'a FastMap<&'a str, usize>,
    sink: &'a Sink<'b>,
}

impl ShardWriter<'_, '_> {
    fn df(&self, key: &str, field: u8) -> u64 {
        self.index
            .get(key)
            .and_then(|&i| self.postings.records[i].fields.iter().find(|(f, _)| *f == field))
            .map_or(0, |(_, p)| u64::from(p.df))
    }

    /// Writes shard `shard` (keys `members`, sorted) and its external
    /// postings files, numbered from `external`.
    fn write(&self, shard: usize, members: &[usize], mut external: u64) -> Result<(), OutputError> {
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
            let lists = self.encoded[i].iter().map(Vec::as_slice);
            if lists_size(&self.encoded[i]) > EXTERNAL_BYTES {
                push_varint(&mut bytes, external + 1);
                let mut body = Vec::new();
                push_lists(&mut body, lists);
                let name = format!("p/{external}");
                (self.sink)(&format!("{name}.js"), &script(&name, &[Part::Bytes(&body)]))?;
                external += 1;
            } else {
                bytes.push(0);
                push_lists(&mut bytes, lists);
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
