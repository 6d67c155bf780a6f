//! Term shards: every key of [`Postings`] lives in shard
//! `fnv1a(key) % shards` (`t/<shard>.js`), with its document frequency per
//! field; its postings follow inline, or, when they are large, in a file
//! of their own (`p/<n>.js`) that a query loads only when it needs them
//! (a phrase needs the frequencies of its words, not their postings).
//!
//! Shard layout (base64 bytes, keys as a separate JSON array, same order):
//! per key `field mask`, per field `df` (for a pair also the dfs of its two
//! terms, so a phrase needs only pair records), then `0` and per field
//! `length, postings` — or `n + 1` for external file `n`, which holds per
//! field `length, postings`.

use std::collections::BTreeMap;

use super::encode::{Part, fnv1a, push_varint, script};
use super::postings::{Postings, Record};

/// Postings larger than this (bytes, all fields) get a file of their own.
const EXTERNAL_BYTES: usize = 400;
/// Target size of the inline part of one shard, in bytes.
const SHARD_BYTES: usize = 600;

/// The shard of a key.
pub fn shard_of(key: &str, shards: u32) -> u32 {
    fnv1a(key) % shards.max(1)
}

fn push_postings(out: &mut Vec<u8>, record: &Record) {
    for (_, p) in &record.fields {
        push_varint(out, p.bytes.len() as u64);
        out.extend_from_slice(&p.bytes);
    }
}

/// The shard files and external postings files: (shard count, files).
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

pub fn term_files(postings: &Postings) -> (u32, Vec<(String, Vec<u8>)>) {
    let index: std::collections::HashMap<&str, usize> =
        postings.keys.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    let df = |key: &str, field: u8| -> u64 {
        index
            .get(key)
            .and_then(|&i| postings.records[i].fields.iter().find(|(f, _)| *f == field))
            .map_or(0, |(_, p)| u64::from(p.df))
    };
    let inline: usize = postings
        .records
        .iter()
        .map(|r| if r.size() > EXTERNAL_BYTES { 8 } else { r.size() })
        .sum::<usize>()
        + postings.keys.iter().map(|k| k.len() + 3).sum::<usize>();
    let count = inline.div_ceil(SHARD_BYTES).max(1) as u32;
    let mut shards: BTreeMap<u32, Vec<usize>> = (0..count).map(|s| (s, Vec::new())).collect();
    for (i, key) in postings.keys.iter().enumerate() {
        shards.entry(shard_of(key, count)).or_default().push(i);
    }
    let mut files = Vec::new();
    let mut external = 0u64;
    for (shard, mut members) in shards {
        members.sort_by(|&a, &b| postings.keys[a].cmp(&postings.keys[b]));
        let mut bytes = Vec::new();
        for &i in &members {
            let record = &postings.records[i];
            bytes.push(record.mask());
            let terms = pair_terms(&postings.keys[i]);
            for (field, p) in &record.fields {
                push_varint(&mut bytes, u64::from(p.df));
                if let Some((a, b)) = &terms {
                    push_varint(&mut bytes, df(a, *field));
                    push_varint(&mut bytes, df(b, *field));
                }
            }
            if record.size() > EXTERNAL_BYTES {
                push_varint(&mut bytes, external + 1);
                let name = format!("p/{external}");
                let mut body = Vec::new();
                push_postings(&mut body, record);
                files.push((format!("{name}.js"), script(&name, &[Part::Bytes(&body)])));
                external += 1;
            } else {
                bytes.push(0);
                push_postings(&mut bytes, record);
            }
        }
        let keys: Vec<&str> = members.iter().map(|&i| postings.keys[i].as_str()).collect();
        let name = format!("t/{shard}");
        files.push((
            format!("{name}.js"),
            script(&name, &[Part::json(&keys), Part::Bytes(&bytes)]),
        ));
    }
    (count, files)
}
