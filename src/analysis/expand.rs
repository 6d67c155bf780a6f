//! Query-time synonym expansion.
//!
//! Synonym phrases are analysed into term sequences once, when the
//! [`Analyzer`](super::Analyzer) is built. A query's terms are scanned left to
//! right for the longest sequence that is a synonym phrase; each match is a
//! slot with alternative term sequences, and the query expands into the
//! product of its slots: a list of alternative phrases the query parser ORs.

use std::collections::{HashMap, HashSet};

use super::error::AnalysisError;
use super::synonyms::{Phrase, Synonyms};
use super::terms::Term;

/// At most this many alternative phrases are produced for one query, so a
/// query made only of synonyms cannot explode combinatorially.
pub const MAX_ALTERNATIVES: usize = 32;

/// A term sequence (the analysed form of a phrase).
type Key = Vec<String>;

/// Synonym phrases compiled to term sequences.
#[derive(Debug, Clone, Default)]
pub struct SynonymTable {
    /// Phrase → every phrase a search for it should also find (itself first).
    entries: HashMap<Key, Vec<Key>>,
    /// The longest phrase, in terms.
    longest: usize,
}

impl SynonymTable {
    /// Compiles `synonyms`, analysing each phrase with `analyse`.
    pub(crate) fn compile(synonyms: &Synonyms, analyse: impl Fn(&str) -> Key) -> Result<SynonymTable, AnalysisError> {
        let key = |phrase: &Phrase| {
            let key = analyse(&phrase.text);
            if key.is_empty() {
                return Err(AnalysisError::SynonymsInvalid {
                    location: phrase.location.clone(),
                    phrase: phrase.text.clone(),
                    reason: "has no searchable words (only particles or symbols)".into(),
                });
            }
            Ok(key)
        };
        let mut groups = Groups::default();
        for group in synonyms.groups() {
            let keys = group.iter().map(key).collect::<Result<Vec<_>, _>>()?;
            groups.add(keys);
        }
        let mut entries: HashMap<Key, Vec<Key>> = HashMap::new();
        for members in groups.merged() {
            for member in &members {
                entries.insert(member.clone(), rotate_first(&members, member));
            }
        }
        for rule in synonyms.oneway() {
            let from = key(&rule.from)?;
            let mut extra = Vec::new();
            for target in &rule.to {
                let target = key(target)?;
                extra.extend(entries.get(&target).cloned().unwrap_or_else(|| vec![target]));
            }
            for source in entries.get(&from).cloned().unwrap_or_else(|| vec![from]) {
                let alternatives = entries.entry(source.clone()).or_insert_with(|| vec![source]);
                push_unique(alternatives, extra.iter().cloned());
            }
        }
        let longest = entries.keys().map(Vec::len).max().unwrap_or(0);
        Ok(SynonymTable { entries, longest })
    }

    /// The alternatives of a phrase (itself first), if it has synonyms.
    pub fn alternatives(&self, phrase: &[String]) -> Option<&[Key]> {
        self.entries.get(phrase).map(Vec::as_slice)
    }

    /// Every phrase with its alternatives, sorted (for export to clients
    /// that cannot run the analyser).
    pub fn entries(&self) -> Vec<(&[String], &[Key])> {
        let mut entries: Vec<_> = self.entries.iter().map(|(k, v)| (k.as_slice(), v.as_slice())).collect();
        entries.sort();
        entries
    }

    /// Expands query terms into alternative term sequences; the first is
    /// always the query itself. Positions keep the query's gaps; a replaced
    /// span's terms all carry the span's byte range.
    pub fn expand(&self, terms: &[Term]) -> Vec<Vec<Term>> {
        let mut results: Vec<Vec<Term>> = vec![Vec::new()];
        let mut i = 0;
        while i < terms.len() {
            let (len, alternatives) = self.longest_match(&terms[i..]);
            let span = &terms[i..i + len];
            let previous = i.checked_sub(1).map(|p| &terms[p]);
            let mut next = Vec::new();
            for result in &results {
                for (n, alternative) in alternatives.iter().enumerate() {
                    if next.len() == MAX_ALTERNATIVES {
                        break;
                    }
                    let mut extended = result.clone();
                    let replacement = (n > 0).then_some(alternative.as_slice());
                    append(&mut extended, span, previous, replacement);
                    next.push(extended);
                }
            }
            results = next;
            i += len;
        }
        let mut seen = HashSet::new();
        results.retain(|r| seen.insert(r.iter().map(|t| t.text.clone()).collect::<Key>()));
        results
    }

    /// The longest synonym phrase at the start of `terms` (length, and its
    /// alternatives with the matched text first), or a single term.
    fn longest_match(&self, terms: &[Term]) -> (usize, Vec<Key>) {
        let longest = self.longest.min(terms.len());
        for len in (1..=longest).rev() {
            let span = &terms[..len];
            if !is_contiguous(span) {
                continue;
            }
            let key: Key = span.iter().map(|t| t.text.clone()).collect();
            if let Some(alternatives) = self.entries.get(&key) {
                return (len, rotate_first(alternatives, &key));
            }
        }
        (1, vec![vec![terms[0].text.clone()]])
    }
}

/// Appends `span` (or `replacement` standing in for it) to `out`, keeping the
/// position gap the query had between `previous` and the span.
fn append(out: &mut Vec<Term>, span: &[Term], previous: Option<&Term>, replacement: Option<&[String]>) {
    let first = &span[0];
    let start = match (out.last(), previous) {
        (Some(last), Some(previous)) => last.position + first.position.saturating_sub(previous.position).max(1),
        _ => first.position,
    };
    match replacement {
        None => out.extend(span.iter().map(|t| Term {
            position: start + (t.position - first.position),
            ..t.clone()
        })),
        Some(words) => {
            let byte_end = span.last().map_or(first.byte_end, |t| t.byte_end);
            out.extend(words.iter().zip(start..).map(|(text, position)| Term {
                text: text.clone(),
                position,
                byte_start: first.byte_start,
                byte_end,
            }))
        }
    }
}

fn is_contiguous(span: &[Term]) -> bool {
    span.windows(2).all(|w| w[1].position == w[0].position + 1)
}

/// `members` with `first` moved to the front.
fn rotate_first(members: &[Key], first: &Key) -> Vec<Key> {
    let mut out = vec![first.clone()];
    push_unique(&mut out, members.iter().cloned());
    out
}

fn push_unique(out: &mut Vec<Key>, items: impl IntoIterator<Item = Key>) {
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
}

/// Equivalence groups merged when they share a phrase (union-find).
#[derive(Default)]
struct Groups {
    groups: Vec<Vec<Key>>,
    parent: Vec<usize>,
    owner: HashMap<Key, usize>,
}

impl Groups {
    fn add(&mut self, keys: Vec<Key>) {
        let id = self.groups.len();
        self.parent.push(id);
        for key in &keys {
            match self.owner.get(key) {
                Some(&other) => self.union(id, other),
                None => {
                    self.owner.insert(key.clone(), id);
                }
            }
        }
        self.groups.push(keys);
    }

    fn root(&self, mut id: usize) -> usize {
        while self.parent[id] != id {
            id = self.parent[id];
        }
        id
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        self.parent[a.max(b)] = a.min(b);
    }

    /// The merged groups, members in file order without duplicates.
    fn merged(&self) -> Vec<Vec<Key>> {
        let mut merged: Vec<Vec<Key>> = vec![Vec::new(); self.groups.len()];
        for (id, keys) in self.groups.iter().enumerate() {
            push_unique(&mut merged[self.root(id)], keys.iter().cloned());
        }
        merged.retain(|members| !members.is_empty());
        merged
    }
}
