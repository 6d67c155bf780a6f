//! Segmentations passed from one pass over a collection to another running
//! beside it, so each text goes through the dictionary once per build.
//!
//! `jirei build` reads every case twice: the site's search data and the
//! tantivy index analyse the same field texts. Segmentation is the larger
//! part of either pass, so the search data pass *offers* what it segmented
//! (per document, in document order), and the index's tokenizers *take* a
//! text's segmentation instead of segmenting it again. The index adds a
//! document only once that document was offered ([`Handoff::wait_for`]),
//! so the two passes run side by side.
//!
//! Only speed depends on the timing, never the result: a text is matched by
//! its whole content, and a text not (or no longer) held is segmented as
//! usual. Memory is bounded: the segmentations of at most [`HELD_DOCS`]
//! documents are held, the oldest dropped first.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use super::morph::Morphs;
use crate::hash::FastMap;

/// Documents whose segmentations are held at most: the index may lag this
/// far behind the search data pass before it has to segment texts itself.
pub const HELD_DOCS: usize = 512;

/// A store of recent segmentations shared by two passes (see the module
/// documentation). Cheap to share behind an [`Arc`].
#[derive(Default)]
pub struct Handoff {
    state: Mutex<State>,
    offered: Condvar,
    taken: AtomicU64,
    missed: AtomicU64,
    cancelled: AtomicBool,
}

/// A held text: (document, text, segmentation).
type Held = (usize, Box<str>, Arc<Morphs>);

#[derive(Default)]
struct State {
    /// Text hash → the held texts with that hash and their segmentation.
    held: FastMap<u64, Vec<Held>>,
    /// The held texts by document, oldest first: (document, text hash).
    order: VecDeque<(usize, u64)>,
    /// Documents `0..ready` have been offered.
    ready: usize,
    /// No more offers will come.
    closed: bool,
}

/// How many texts the index took from the search data pass, and how many
/// it had to segment itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandoffStats {
    pub taken: u64,
    pub missed: u64,
}

impl std::fmt::Debug for Handoff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handoff")
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl Handoff {
    pub fn new() -> Handoff {
        Handoff::default()
    }

    /// Holds the segmentations of document `doc`'s texts, and drops those
    /// of documents more than [`HELD_DOCS`] before it. Offers of one batch
    /// may come in any order; [`Handoff::offered_up_to`] then says which
    /// documents are complete.
    pub(super) fn offer(&self, doc: usize, texts: Vec<(Box<str>, Arc<Morphs>)>) {
        let mut state = self.lock();
        for (text, morphs) in texts {
            let hash = hash(&text);
            state.held.entry(hash).or_default().push((doc, text, morphs));
            state.order.push_back((doc, hash));
        }
        while state.order.front().is_some_and(|&(d, _)| d + HELD_DOCS < doc) {
            // Each document holds a text once (see `Analyzer::offer`); it
            // may have been taken already.
            if let Some((old, hash)) = state.order.pop_front() {
                state.remove(hash, |(d, _, _)| *d == old);
            }
        }
    }

    /// Marks documents `0..end` as offered (call after each batch).
    pub fn offered_up_to(&self, end: usize) {
        let mut state = self.lock();
        state.ready = state.ready.max(end);
        drop(state);
        self.offered.notify_all();
    }

    /// No more offers: waiting stops for good and held texts are dropped
    /// as they are taken or when the handoff is dropped.
    pub fn close(&self) {
        self.lock().closed = true;
        self.offered.notify_all();
    }

    /// A guard that closes the handoff when dropped: hold it while offering,
    /// so a taker waiting in [`Handoff::wait_for`] is released however the
    /// offering pass ends (an error or a panic included).
    pub fn closing(&self) -> Closing<'_> {
        Closing(self)
    }

    /// Closes the handoff and tells the taker to stop: the work it would
    /// do is no longer wanted (the site build failed).
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
        self.close();
    }

    /// Whether [`Handoff::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Waits until document `doc` has been offered or the handoff is closed.
    pub fn wait_for(&self, doc: usize) {
        let mut state = self.lock();
        while state.ready <= doc && !state.closed {
            state = self.offered.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// The held segmentation of `text`, removed from the store.
    pub(super) fn take(&self, text: &str) -> Option<Arc<Morphs>> {
        let hash = hash(text);
        let found = self.lock().remove(hash, |(_, t, _)| **t == *text);
        let counter = if found.is_some() { &self.taken } else { &self.missed };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    pub fn stats(&self) -> HandoffStats {
        HandoffStats {
            taken: self.taken.load(Ordering::Relaxed),
            missed: self.missed.load(Ordering::Relaxed),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the store inconsistent: every
        // update is a single push or removal.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Closes a [`Handoff`] when dropped (see [`Handoff::closing`]).
pub struct Closing<'a>(&'a Handoff);

impl Drop for Closing<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

impl State {
    /// Removes the first held text with `hash` that `which` picks.
    fn remove(&mut self, hash: u64, which: impl Fn(&Held) -> bool) -> Option<Arc<Morphs>> {
        let texts = self.held.get_mut(&hash)?;
        let removed = texts.iter().position(which).map(|i| texts.swap_remove(i).2);
        if texts.is_empty() {
            self.held.remove(&hash);
        }
        removed
    }
}

fn hash(text: &str) -> u64 {
    crate::hash::hash_bytes(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::dictionary;

    fn morphs(text: &str) -> Arc<Morphs> {
        Arc::new(Morphs::analyse(dictionary::segmenter().expect("dictionary"), text))
    }

    fn offer(handoff: &Handoff, doc: usize, text: &str) -> Arc<Morphs> {
        let m = morphs(text);
        handoff.offer(doc, vec![(text.into(), Arc::clone(&m))]);
        m
    }

    #[test]
    fn an_offered_text_is_taken_once_as_it_was_segmented() {
        let handoff = Handoff::new();
        let offered = offer(&handoff, 0, "書かない窓口を導入した");
        offer(&handoff, 1, "電子申請");
        let taken = handoff.take("書かない窓口を導入した").expect("held");
        assert!(Arc::ptr_eq(&taken, &offered));
        assert!(handoff.take("書かない窓口を導入した").is_none(), "taken once");
        assert!(handoff.take("書かない窓口").is_none(), "only the whole text matches");
        assert_eq!(handoff.stats(), HandoffStats { taken: 1, missed: 2 });
    }

    #[test]
    fn the_same_text_in_two_documents_is_held_twice() {
        let handoff = Handoff::new();
        offer(&handoff, 0, "RPA");
        offer(&handoff, 1, "RPA");
        assert!(handoff.take("RPA").is_some());
        assert!(handoff.take("RPA").is_some());
        assert!(handoff.take("RPA").is_none());
    }

    #[test]
    fn texts_of_documents_far_behind_the_newest_offer_are_dropped() {
        let handoff = Handoff::new();
        offer(&handoff, 0, "最初の文書");
        offer(&handoff, 1, "二番目の文書");
        offer(&handoff, HELD_DOCS + 1, "最新の文書");
        assert!(handoff.take("最初の文書").is_none(), "more than HELD_DOCS behind");
        assert!(handoff.take("二番目の文書").is_some(), "HELD_DOCS behind is still held");
        assert!(handoff.take("最新の文書").is_some());
    }

    #[test]
    fn waiting_for_a_document_ends_when_it_is_offered_or_the_handoff_closes() {
        let handoff = Arc::new(Handoff::new());
        let waiter = {
            let handoff = Arc::clone(&handoff);
            std::thread::spawn(move || {
                handoff.wait_for(1);
                handoff.wait_for(5);
            })
        };
        handoff.offered_up_to(2);
        handoff.close();
        waiter.join().expect("the waits end");
        handoff.wait_for(100);
    }

    #[test]
    fn a_waiting_taker_is_released_when_the_offering_pass_panics() {
        let handoff = Arc::new(Handoff::new());
        let waiter = {
            let handoff = Arc::clone(&handoff);
            std::thread::spawn(move || handoff.wait_for(0))
        };
        let offering = std::panic::catch_unwind(|| {
            let _closing = handoff.closing();
            panic!("the offering pass fails");
        });
        assert!(offering.is_err());
        waiter.join().expect("the wait ends");
    }
}
