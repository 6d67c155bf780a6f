//! The IPADIC dictionary embedded in the binary by `build.rs`.
lindera_dictionary::embedded_dictionary!("/ipadic", EmbeddedIpadicLoader);

use std::sync::OnceLock;

use lindera::mode::{Mode, Penalty};
use lindera::segmenter::Segmenter;

use super::error::AnalysisError;

/// The process-wide segmenter: the dictionary is loaded on first use only.
static SEGMENTER: OnceLock<Result<Segmenter, String>> = OnceLock::new();

/// Returns the shared IPADIC segmenter in decompose mode (compounds such as
/// 関西国際空港 are split into 関西|国際|空港), loading it on first call.
///
/// ```
/// let segmenter = jirei::analysis::dictionary::segmenter().unwrap();
/// assert!(segmenter.mode.is_search());
/// ```
pub fn segmenter() -> Result<&'static Segmenter, AnalysisError> {
    SEGMENTER
        .get_or_init(|| {
            let dictionary = load().map_err(|e| e.to_string())?;
            let mode = Mode::Decompose(Penalty::default());
            // The "unknown word ladder" (extra short candidates for unknown
            // words, new in lindera 6) costs a quarter of the segmentation
            // time and changes almost nothing for our texts. Unknown words
            // are capped at 25 characters like MeCab's default, so a long
            // run of letters (a hash, a garbled line) cannot become one huge
            // term.
            let segmenter = Segmenter::new(mode, dictionary, None)
                .unknown_word_ladder(false)
                .max_grouping_len(Some(24));
            Ok(segmenter)
        })
        .as_ref()
        .map_err(|message| AnalysisError::Dictionary(message.clone()))
}
