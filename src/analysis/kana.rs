//! Kana helpers: script tests, hiragana → katakana, long-vowel handling.

/// The katakana-hiragana prolonged sound mark.
pub const LONG_VOWEL: char = 'ー';

/// Whether `c` is a hiragana letter or iteration mark.
pub fn is_hiragana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{309D}' | '\u{309E}')
}

/// Whether `c` is a katakana letter, iteration mark or the long-vowel mark.
pub fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | '\u{30FC}'..='\u{30FE}' | '\u{31F0}'..='\u{31FF}')
}

/// Whether `s` is non-empty and written only in kana.
///
/// ```
/// use jirei::analysis::kana::is_kana_word;
/// assert!(is_kana_word("まどぐちカード"));
/// assert!(!is_kana_word("窓口"));
/// assert!(!is_kana_word(""));
/// ```
pub fn is_kana_word(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| is_hiragana(c) || is_katakana(c))
}

/// Converts one hiragana character to katakana; other characters are
/// returned unchanged.
///
/// ```
/// use jirei::analysis::kana::to_katakana;
/// assert_eq!(to_katakana('か'), 'カ');
/// assert_eq!(to_katakana('ゝ'), 'ヽ');
/// assert_eq!(to_katakana('窓'), '窓');
/// ```
pub fn to_katakana(c: char) -> char {
    if is_hiragana(c) {
        char::from_u32(c as u32 + 0x60).unwrap_or(c)
    } else {
        c
    }
}

/// Appends `word` to `out`, dropping a trailing long-vowel mark when the
/// word is katakana of four or more characters (コンピューター → コンピュータ),
/// as lindera's katakana stem filter and Sudachi do. Shorter words keep it
/// (ルー, カー), because there the mark distinguishes words.
///
/// ```
/// use jirei::analysis::kana::push_katakana_stem;
/// let mut s = String::new();
/// push_katakana_stem(&mut s, "サーバー");
/// assert_eq!(s, "サーバ");
/// ```
pub fn push_katakana_stem(out: &mut String, word: &str) {
    match word.strip_suffix(LONG_VOWEL) {
        Some(stem) if word.chars().count() >= 4 && word.chars().all(is_katakana) => out.push_str(stem),
        _ => out.push_str(word),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(word: &str) -> String {
        let mut s = String::new();
        push_katakana_stem(&mut s, word);
        s
    }

    #[test]
    fn trailing_long_vowel_is_dropped_from_long_katakana_words() {
        assert_eq!(stem("コンピューター"), "コンピュータ");
        assert_eq!(stem("コンピュータ"), "コンピュータ");
        assert_eq!(stem("ユーザー"), "ユーザ");
    }

    #[test]
    fn short_or_non_katakana_words_keep_the_long_vowel() {
        assert_eq!(stem("カー"), "カー");
        assert_eq!(stem("ノー"), "ノー");
        assert_eq!(stem("らーめー"), "らーめー");
        assert_eq!(stem("ー"), "ー");
    }

    #[test]
    fn hiragana_converts_to_katakana() {
        let converted: String = "かかないまどぐち".chars().map(to_katakana).collect();
        assert_eq!(converted, "カカナイマドグチ");
        assert_eq!(to_katakana('ゔ'), 'ヴ');
    }
}
