//! The interview pages: questions (lines that end in 「…ください。」 or
//! 「…か？」) become `###` headings, the text under them the answers.
//! Speaker marks such as (総務省) or (鏡野町) are dropped.

use super::markdown::to_markdown;

/// One question and its answer, in Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub question: String,
    pub answer: String,
}

/// Reads interview lines into question/answer pairs. Text before the
/// first question is returned with an empty question.
pub fn parse(lines: &[&str]) -> Vec<Exchange> {
    let mut exchanges: Vec<(String, Vec<&str>)> = Vec::new();
    let mut last_was_question = false;
    for line in lines {
        let text = clean(line);
        if text.is_empty() {
            if let Some(last) = exchanges.last_mut() {
                last.1.push(line);
            }
            continue;
        }
        if is_speaker(&text) {
            continue;
        }
        if is_question(&text) {
            match exchanges.last_mut() {
                Some(last) if last_was_question => {
                    last.0.push_str(&text);
                }
                _ => exchanges.push((text, Vec::new())),
            }
            last_was_question = true;
            continue;
        }
        last_was_question = false;
        match exchanges.last_mut() {
            Some(last) => last.1.push(line),
            None => exchanges.push((String::new(), vec![line])),
        }
    }
    exchanges
        .into_iter()
        .map(|(question, answer)| Exchange {
            question,
            answer: to_markdown(&answer),
        })
        .filter(|e| !e.question.is_empty() || !e.answer.trim().is_empty())
        .collect()
}

fn clean(line: &str) -> String {
    line.trim()
        .trim_start_matches("- ")
        .replace("**", "")
        .trim()
        .to_string()
}

/// `(総務省)`, `（鏡野町）`: who speaks next.
fn is_speaker(text: &str) -> bool {
    let inner = text
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .or_else(|| text.strip_prefix('（').and_then(|t| t.strip_suffix('）')));
    inner.is_some_and(|i| i.chars().count() <= 12 && !i.contains(['(', '（', '、', '。']))
}

/// A short line ending in a request or a question mark.
pub fn is_question(text: &str) -> bool {
    let short = text.chars().count() <= 90;
    let ends = ["ください。", "ください", "ください？", "か？", "か?", "か。"]
        .iter()
        .any(|e| text.ends_with(e));
    short && ends && !text.starts_with(['・', '※', '○', '●', '【']) && !text.contains("。また、")
        || text.ends_with("教えてください。")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_become_headings_and_speakers_are_dropped() {
        let lines = [
            "取組の経緯・きっかけを教えてください。",
            "",
            "回答の本文です。",
            "",
            "(山口県)",
            "**近況を教えてください。**",
            "近況の本文。",
        ];
        let ex = parse(&lines);
        assert_eq!(ex.len(), 2);
        assert_eq!(ex[0].question, "取組の経緯・きっかけを教えてください。");
        assert_eq!(ex[0].answer, "回答の本文です。\n");
        assert_eq!(ex[1].question, "近況を教えてください。");
    }

    #[test]
    fn a_question_over_two_lines_is_one_heading() {
        let lines = [
            "導入に当たって要したおおよそのコストを教えてください。",
            "また、財政的なものに限らず、国などの支援策を活用していたら教えてください。",
            "回答。",
        ];
        let ex = parse(&lines);
        assert_eq!(ex.len(), 1);
        assert!(ex[0].question.ends_with("活用していたら教えてください。"));
    }

    #[test]
    fn answers_that_end_in_ka_are_not_questions_when_long() {
        let long = "あ".repeat(100) + "でしょうか。";
        assert!(!is_question(&long));
        assert!(is_question("勉強会や打合せは、勤務時間外に実施していますか？"));
        assert!(!is_question("・箇条書きですか？"));
    }
}
