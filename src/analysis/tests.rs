//! Behaviour tests of the whole pipeline: what a query finds in a document.

use std::sync::OnceLock;

use super::*;

fn analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| Analyzer::default_embedded().unwrap())
}

fn words(text: &str) -> Vec<String> {
    analyzer().analyze(text).into_iter().map(|t| t.text).collect()
}

/// Whether the query terms occur in the document terms at consecutive
/// positions with the same gaps: what a tantivy phrase query checks.
fn phrase_matches(document: &[Term], query: &[Term]) -> bool {
    let Some(first) = query.first() else {
        return false;
    };
    document.iter().filter(|d| d.text == first.text).any(|start| {
        query.iter().all(|q| {
            let position = start.position + (q.position - first.position);
            document.iter().any(|d| d.position == position && d.text == q.text)
        })
    })
}

fn finds(field: TermField, document: &str, query: &str) -> bool {
    let document = analyzer().collect(field, document);
    let query = analyzer().collect(field, query);
    phrase_matches(&document, &query)
}

#[test]
fn full_width_and_half_width_forms_are_normalised() {
    assert_eq!(words("ＲＰＡ"), ["rpa"]);
    assert_eq!(words("ｷｬｯｼｭﾚｽ"), words("キャッシュレス"));
    assert!(finds(TermField::Main, "ＡＩ－ＯＣＲを導入", "ai-ocr"));
}

#[test]
fn compounds_are_split_so_a_part_finds_the_whole() {
    assert_eq!(words("関西国際空港"), ["関西", "国際", "空港"]);
    assert!(finds(TermField::Main, "関西国際空港へ行く", "空港"));
    assert!(finds(TermField::Main, "関西国際空港へ行く", "国際空港"));
}

#[test]
fn no_code_is_found_inside_low_code_no_code_tool() {
    let document = "ローコード・ノーコードツールを活用";
    assert!(finds(TermField::Main, document, "ノーコード"));
    assert!(finds(TermField::Main, document, "ローコード"));
    assert!(finds(TermField::Main, document, "ノーコードツール"));
}

#[test]
fn katakana_long_vowel_variants_are_equal() {
    assert_eq!(words("コンピューター"), words("コンピュータ"));
    assert_eq!(words("サーバー"), words("サーバ"));
    assert!(finds(TermField::Main, "ユーザーの声", "ユーザ"));
}

#[test]
fn particles_auxiliaries_and_symbols_are_removed() {
    assert_eq!(
        words("窓口の業務を、市が改善した！"),
        ["窓口", "業務", "市", "改善", "する"]
    );
    assert!(words("「」・…（）😀").is_empty());
}

#[test]
fn auxiliary_verbs_are_dropped_but_negation_is_kept() {
    assert_eq!(words("設置されている"), ["設置", "する"]);
    assert_eq!(words("書かせない窓口"), words("書かない窓口"));
}

#[test]
fn negation_is_kept_so_the_meaning_survives() {
    assert_eq!(words("書かない窓口"), ["書く", "ない", "窓口"]);
    assert!(!finds(TermField::Main, "書かない窓口", "書く窓口"));
}

#[test]
fn inflected_query_matches_document_phrase_by_position() {
    let document = analyzer().analyze("書かない窓口を導入した");
    let query = analyzer().analyze("書かない窓口");
    assert!(phrase_matches(&document, &query), "{document:?} / {query:?}");
    let positions: Vec<u32> = document.iter().map(|t| t.position).collect();
    assert_eq!(positions, [0, 1, 2, 3, 4]);
}

#[test]
fn phrases_do_not_span_sentences() {
    let document = analyzer().analyze("窓口。導入\n効果");
    let positions: Vec<u32> = document.iter().map(|t| t.position).collect();
    assert_eq!(positions, [0, 2, 4]);
    assert!(!finds(TermField::Main, "窓口。導入", "窓口導入"));
    assert!(finds(TermField::Main, "窓口。導入", "窓口。導入"));
}

#[test]
fn hiragana_reading_finds_kanji_text() {
    assert!(finds(TermField::Reading, "書かない窓口を導入した", "かかないまどぐち"));
    assert!(finds(
        TermField::Reading,
        "マイナンバーカードの交付",
        "まいなんばーかーど"
    ));
    assert!(finds(TermField::Reading, "電子契約を導入", "でんしけいやく"));
    assert!(finds(TermField::Reading, "関西国際空港", "くうこう"));
}

#[test]
fn reading_ignores_long_vowels_and_script() {
    assert!(finds(
        TermField::Reading,
        "コンピューターシステム",
        "こんぴゅーたしすてむ"
    ));
    assert!(finds(TermField::Reading, "電子契約", "デンシケイヤク"));
    assert!(finds(TermField::Reading, "電子契約", "電子けいやく"));
}

#[test]
fn reading_of_kana_queries_needs_no_dictionary() {
    for query in [
        "かかないまどぐち",
        "まいなんばー・かーど",
        "でんしけいやく",
        "ぎょうせいてつづき",
    ] {
        let chars: Vec<char> = query
            .chars()
            .filter(|&c| kana::is_hiragana(c) && c != 'ー')
            .map(kana::to_katakana)
            .collect();
        let expected: Vec<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
        let actual: Vec<String> = analyzer().reading_terms(query).into_iter().map(|t| t.text).collect();
        assert_eq!(actual, expected, "{query}");
    }
}

#[test]
fn reading_does_not_match_other_words() {
    assert!(!finds(TermField::Reading, "書かない窓口", "でんしけいやく"));
    assert!(!finds(TermField::Reading, "窓口。業務", "まどぐちぎょうむ"));
}

#[test]
fn ngrams_find_partial_words() {
    assert!(finds(TermField::Ngram, "メタバースを活用した窓口", "メタバ"));
    assert!(finds(TermField::Ngram, "ＣｈａｔＧＰＴの利用", "chatg"));
    assert!(!finds(TermField::Ngram, "メタバースを活用", "メタ活用"));
}

#[test]
fn ngrams_of_a_single_character_stretch_are_unigrams() {
    let terms = analyzer().ngram_terms("市 町");
    let texts: Vec<&str> = terms.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(texts, ["市", "町"]);
}

/// A gram stream as (term, position) pairs.
type StreamOf = fn(&Analyzer, &str, &mut dyn FnMut(crate::analysis::Gram));

fn grams_of(stream: StreamOf, text: &str) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    stream(analyzer(), text, &mut |g| {
        out.push((
            String::from_iter([Some(g.first), g.second].into_iter().flatten()),
            g.position,
        ))
    });
    out
}

#[test]
fn gram_streams_give_the_reading_and_ngram_terms_as_characters() {
    let texts = [
        "ＲＰＡとAI-OCRで書かない窓口を実現。来年度はメタバース",
        "窓\na・b　ｃ\tコンピューター、ぁ",
        "",
        "。。",
        "東京都千代田区霞が関２丁目１－２",
    ];
    let as_terms = |terms: Vec<Term>| terms.into_iter().map(|t| (t.text, t.position)).collect::<Vec<_>>();
    for text in texts {
        let a = analyzer();
        assert_eq!(
            grams_of(Analyzer::for_each_ngram_gram, text),
            as_terms(a.ngram_terms(text)),
            "{text}"
        );
        assert_eq!(
            grams_of(Analyzer::for_each_reading_gram, text),
            as_terms(a.reading_terms(text)),
            "{text}"
        );
    }
}

#[test]
fn term_offsets_slice_the_original_text() {
    let text = "ＲＰＡとｷｬｯｼｭﾚｽ決済で書かない窓口";
    let slice = |t: &Term| &text[t.byte_start..t.byte_end];
    let main: Vec<&str> = analyzer().analyze(text).iter().map(slice).collect::<Vec<_>>();
    assert_eq!(main, ["ＲＰＡ", "ｷｬｯｼｭ", "ﾚｽ", "決済", "書か", "ない", "窓口"]);
    let reading = analyzer().reading_terms(text);
    assert_eq!(slice(&reading[0]), "ＲＰＡ");
    let ngrams = analyzer().ngram_terms(text);
    assert_eq!(slice(&ngrams[0]), "ＲＰ");
    for term in main.iter() {
        assert!(!term.is_empty());
    }
}

#[test]
fn offsets_always_fall_on_character_boundaries() {
    let text = "ﾃﾞｼﾞﾀﾙ化①②、ＤＸ推進ｶﾞｲﾄﾞﾗｲﾝ葛\u{E0100}城市";
    for field in TermField::ALL {
        for term in analyzer().collect(field, text) {
            assert!(term.byte_start < term.byte_end, "{term:?}");
            assert!(text.get(term.byte_start..term.byte_end).is_some(), "{term:?}");
        }
    }
}

#[test]
fn hostile_inputs_never_panic() {
    let long: String = "自治体DX推進🚀ｶﾞ\u{0}".chars().cycle().take(10_000).collect();
    let inputs = [
        String::new(),
        "😀🎉👍🏽".into(),
        "\u{0}\u{1}\u{7}\u{1b}[0m\r\n\t\u{7f}\u{85}".into(),
        "\u{3099}\u{FF9E}ﾞ\u{E0100}\u{200B}".into(),
        "a".repeat(10_000),
        "あ".repeat(10_000),
        long,
    ];
    for input in &inputs {
        for field in TermField::ALL {
            for term in analyzer().collect(field, input) {
                assert!(input.get(term.byte_start..term.byte_end).is_some());
            }
        }
    }
    assert!(analyzer().analyze("😀😀").is_empty());
    let longest = analyzer()
        .analyze(&"x".repeat(10_000))
        .iter()
        .map(|t| t.text.len())
        .max();
    assert_eq!(longest, Some(25));
}

#[test]
fn synonyms_expand_to_phrase_alternatives() {
    let query = analyzer().analyze("マイナカードの申請");
    let alternatives: Vec<Vec<String>> = analyzer()
        .expand(&query)
        .into_iter()
        .map(|alt| alt.into_iter().map(|t| t.text).collect())
        .collect();
    assert_eq!(alternatives[0], words("マイナカードの申請"));
    assert!(
        alternatives.contains(&words("マイナンバーカードの申請")),
        "{alternatives:?}"
    );
}

#[test]
fn expanded_alternatives_match_documents_as_phrases() {
    let document = analyzer().analyze("マイナンバーカードの申請を受け付けた");
    let query = analyzer().analyze("マイナカード申請");
    let expanded = analyzer().expand(&query);
    assert!(!phrase_matches(&document, &expanded[0]));
    assert!(expanded.iter().any(|alt| phrase_matches(&document, alt)));
}

#[test]
fn synonym_spelling_variants_are_absorbed_by_analysis() {
    for (query, document) in [
        ("ＡＩ－ＯＣＲ", "AIOCRの導入"),
        ("RPA", "ロボティック・プロセス・オートメーション"),
        ("電子申請", "オンライン申請の拡大"),
        ("テレワーク", "リモートワーク"),
        ("生成系AI", "生成AIの活用"),
        ("BPR", "業務改革"),
    ] {
        let document = analyzer().analyze(document);
        let expanded = analyzer().expand(&analyzer().analyze(query));
        assert!(
            expanded.iter().any(|alt| phrase_matches(&document, alt)),
            "{query}: {expanded:?}"
        );
    }
}

#[test]
fn oneway_synonyms_expand_in_one_direction_only() {
    let has = |query: &str, document: &str| {
        let document = analyzer().analyze(document);
        let expanded = analyzer().expand(&analyzer().analyze(query));
        expanded.iter().any(|alt| phrase_matches(&document, alt))
    };
    assert!(has("生成AI", "ChatGPTを試行"));
    assert!(has("生成系AI", "ChatGPTを試行"));
    assert!(!has("ChatGPT", "生成AIを試行"));
}

#[test]
fn phrases_without_searchable_words_are_rejected_with_location() {
    let synonyms = Synonyms::from_toml_str("groups = [\n  [\"窓口\", \"の・\"],\n]").unwrap();
    let err = Analyzer::new(synonyms).unwrap_err();
    let location = err.location().unwrap();
    assert_eq!((location.line, location.column), (2, 10), "{err}");
}

#[test]
fn groups_sharing_a_phrase_are_merged() {
    let source = "groups = [[\"スマホ\", \"スマートフォン\"], [\"スマートフォン\", \"携帯端末\"]]";
    let analyzer = Analyzer::new(Synonyms::from_toml_str(source).unwrap()).unwrap();
    let query = analyzer.analyze("スマホ");
    let expanded = analyzer.expand(&query);
    assert_eq!(expanded.len(), 3, "{expanded:?}");
}

#[test]
fn expansion_keeps_positions_and_is_capped() {
    let text = "マイナカード テレワーク DX BPR ICT IoT GIS";
    let query = analyzer().analyze(text);
    let expanded = analyzer().expand(&query);
    assert!(expanded.len() <= MAX_ALTERNATIVES);
    for alternative in &expanded {
        for pair in alternative.windows(2) {
            assert_eq!(pair[1].position, pair[0].position + 1, "{alternative:?}");
        }
    }
}

#[test]
fn expansion_keeps_sentence_gaps_and_marks_replaced_spans() {
    let text = "窓口。マイナカード";
    let query = analyzer().analyze(text);
    let expanded = analyzer().expand(&query);
    let replaced = &expanded[1];
    let positions: Vec<u32> = replaced.iter().map(|t| t.position).collect();
    assert_eq!(positions, [0, 2, 3, 4], "{replaced:?}");
    assert_eq!(&text[replaced[1].byte_start..replaced[3].byte_end], "マイナカード");
}

#[test]
fn analyzer_is_cheap_to_clone_and_shareable() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Analyzer>();
    let clone = analyzer().clone();
    let handle = std::thread::spawn(move || clone.analyze("電子申請").len());
    assert_eq!(handle.join().unwrap(), 2);
}

/// Throughput on the largest seed document (600 KB), as one text and as
/// 5 KB documents with all three fields (what indexing a case does). Run with
/// `cargo test --release --lib analysis::tests::throughput -- --ignored --nocapture`.
#[test]
#[ignore = "benchmark; run in release mode"]
fn throughput() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds/003_b7b77d4349d817ea.txt");
    let Ok(text) = std::fs::read_to_string(path) else {
        return println!("{path} not found; skipped");
    };
    let mb = text.len() as f64 / 1e6;
    let documents = split_documents(&text, 5_000);
    let mut round = 0;
    for (name, fields) in [
        ("main", &[TermField::Main][..]),
        ("reading", &[TermField::Reading][..]),
        ("ngram", &[TermField::Ngram][..]),
        ("main+reading+ngram", &TermField::ALL[..]),
    ] {
        let mut best = f64::MAX;
        for _ in 0..5 {
            // A suffix makes each round's texts new to the per-thread cache.
            round += 1;
            let batch: Vec<String> = documents.iter().map(|d| format!("{d}{round}")).collect();
            let started = std::time::Instant::now();
            for document in &batch {
                for &field in fields {
                    analyzer().for_each_term(field, document, &mut |_, _, _, _| {});
                }
            }
            best = best.min(started.elapsed().as_secs_f64());
        }
        println!("{name}: {mb:.2} MB in {best:.3} s = {:.1} MB/s", mb / best);
    }
}

/// Cuts `text` into pieces of about `size` bytes at line ends.
fn split_documents(text: &str, size: usize) -> Vec<&str> {
    let mut documents = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        if i - start >= size {
            documents.push(&text[start..=i]);
            start = i + 1;
        }
    }
    documents.push(&text[start..]);
    documents
}
