//! tantivy 0.27 tokenizers wrapping the [`Analyzer`], so the index uses
//! exactly the terms every other consumer sees (`lindera-tantivy` targets
//! older lindera and tantivy versions).

use tantivy::tokenizer::{Token, TokenStream, Tokenizer, TokenizerManager};

use super::{Analyzer, TermField};

/// A tantivy tokenizer producing one of the [`TermField`] streams.
///
/// Tokens are kept in a buffer owned by the tokenizer and reused from one
/// text to the next, so indexing allocates only when a text has more terms
/// than any before it.
///
/// ```
/// use jirei::analysis::{Analyzer, JaTokenizer, TermField};
/// use tantivy::tokenizer::{TokenStream, Tokenizer};
/// let mut tokenizer = JaTokenizer::new(Analyzer::default_embedded().unwrap(), TermField::Main);
/// let mut stream = tokenizer.token_stream("電子申請を始めた");
/// let mut words = Vec::new();
/// while let Some(token) = stream.next() {
///     words.push(token.text.clone());
/// }
/// assert_eq!(words, ["電子", "申請", "始める"]);
/// ```
#[derive(Clone, Debug)]
pub struct JaTokenizer {
    analyzer: Analyzer,
    field: TermField,
    buffer: Vec<Token>,
}

impl JaTokenizer {
    /// A tokenizer for `field` backed by `analyzer`.
    pub fn new(analyzer: Analyzer, field: TermField) -> JaTokenizer {
        JaTokenizer {
            analyzer,
            field,
            buffer: Vec::new(),
        }
    }
}

/// Registers the three tokenizers under [`TermField::tokenizer_name`]
/// (`ja`, `ja_reading`, `ja_ngram`).
///
/// ```
/// use jirei::analysis::{register_tokenizers, Analyzer};
/// let manager = tantivy::tokenizer::TokenizerManager::default();
/// register_tokenizers(&manager, &Analyzer::default_embedded().unwrap());
/// assert!(manager.get("ja_reading").is_some());
/// ```
pub fn register_tokenizers(manager: &TokenizerManager, analyzer: &Analyzer) {
    for field in TermField::ALL {
        manager.register(field.tokenizer_name(), JaTokenizer::new(analyzer.clone(), field));
    }
}

impl Tokenizer for JaTokenizer {
    type TokenStream<'a> = JaTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> JaTokenStream<'a> {
        let buffer = &mut self.buffer;
        let mut len = 0;
        self.analyzer
            .for_each_term(self.field, text, &mut |term, position, from, to| {
                if len == buffer.len() {
                    buffer.push(Token::default());
                }
                let token = &mut buffer[len];
                token.text.clear();
                token.text.push_str(term);
                token.position = position as usize;
                token.offset_from = from;
                token.offset_to = to;
                token.position_length = 1;
                len += 1;
            });
        JaTokenStream {
            tokens: &mut buffer[..len],
            index: None,
        }
    }
}

/// The token stream of a [`JaTokenizer`].
#[derive(Debug)]
pub struct JaTokenStream<'a> {
    tokens: &'a mut [Token],
    index: Option<usize>,
}

impl TokenStream for JaTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let next = self.index.map_or(0, |i| i + 1);
        self.index = Some(next.min(self.tokens.len()));
        next < self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.current()]
    }

    fn token_mut(&mut self) -> &mut Token {
        let current = self.current();
        &mut self.tokens[current]
    }
}

impl JaTokenStream<'_> {
    /// The current token index. tantivy only reads the token after a
    /// successful `advance`; before that we point at the first token.
    fn current(&self) -> usize {
        self.index.unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(field: TermField, text: &str) -> Vec<Token> {
        let mut tokenizer = JaTokenizer::new(Analyzer::default_embedded().unwrap(), field);
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        stream.process(&mut |t| out.push(t.clone()));
        out
    }

    #[test]
    fn tokenizer_matches_the_analyzer_for_every_field() {
        let analyzer = Analyzer::default_embedded().unwrap();
        let text = "ＲＰＡとAI-OCRで書かない窓口を実現。来年度はメタバース";
        for field in TermField::ALL {
            let expected: Vec<(String, usize, usize, usize)> = analyzer
                .collect(field, text)
                .into_iter()
                .map(|t| (t.text, t.position as usize, t.byte_start, t.byte_end))
                .collect();
            let actual: Vec<(String, usize, usize, usize)> = tokens(field, text)
                .into_iter()
                .map(|t| (t.text, t.position, t.offset_from, t.offset_to))
                .collect();
            assert_eq!(actual, expected, "{field:?}");
        }
    }

    #[test]
    fn token_buffer_is_reused_without_leaking_previous_tokens() {
        let mut tokenizer = JaTokenizer::new(Analyzer::default_embedded().unwrap(), TermField::Main);
        tokenizer.token_stream("関西国際空港の窓口").process(&mut |_| {});
        let mut stream = tokenizer.token_stream("空港");
        assert!(stream.advance());
        assert_eq!(stream.token().text, "空港");
        assert!(!stream.advance());
        assert!(!stream.advance());
    }

    #[test]
    fn empty_text_yields_no_tokens() {
        assert!(tokens(TermField::Main, "").is_empty());
        assert!(tokens(TermField::Ngram, "。、").is_empty());
    }

    #[test]
    fn index_and_query_parser_use_the_registered_tokenizers() {
        use tantivy::collector::Count;
        use tantivy::query::QueryParser;
        use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
        use tantivy::{Index, TantivyDocument};

        let mut schema = Schema::builder();
        let fields = TermField::ALL.map(|field| {
            let indexing = TextFieldIndexing::default()
                .set_tokenizer(field.tokenizer_name())
                .set_index_option(IndexRecordOption::WithFreqsAndPositions);
            let options = TextOptions::default().set_indexing_options(indexing);
            schema.add_text_field(field.tokenizer_name(), options)
        });
        let index = Index::create_in_ram(schema.build());
        register_tokenizers(index.tokenizers(), &Analyzer::default_embedded().unwrap());
        let mut writer = index.writer(15_000_000).unwrap();
        for text in ["令和5年に書かない窓口を導入した。", "窓口で書く手続。メタバース"] {
            let mut document = TantivyDocument::default();
            for field in fields {
                document.add_text(field, text);
            }
            writer.add_document(document).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let count = |field: usize, query: &str| {
            let parser = QueryParser::for_index(&index, vec![fields[field]]);
            let query = parser.parse_query(query).unwrap();
            searcher.search(&query, &Count).unwrap()
        };
        assert_eq!(count(0, "\"書かない窓口\""), 1);
        assert_eq!(count(0, "窓口"), 2);
        assert_eq!(count(1, "かかないまどぐち"), 1);
        assert_eq!(count(1, "まどぐち"), 2);
        assert_eq!(count(2, "メタバ"), 1);
    }
}
