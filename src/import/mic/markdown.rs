//! Turns the lines of a block, as the PDF extraction left them, into
//! readable Markdown: tab-separated rows and HTML tables become Markdown
//! tables, HTML lists and paragraphs become Markdown, list markers are
//! normalised and blank runs collapse. Emphasis (`**…**`) is kept.

/// Converts block lines to Markdown paragraphs, lists and tables.
pub fn to_markdown(lines: &[&str]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    for raw in lines {
        let line = raw.trim_end();
        if line.contains("<table") {
            flush_table(&mut out, &mut table);
            out.push(html_table(line));
            continue;
        }
        if line.contains('\t') {
            table.push(line.split('\t').map(|c| cell_text(c.trim())).collect());
            continue;
        }
        flush_table(&mut out, &mut table);
        if line.trim().is_empty() {
            out.push(String::new());
            continue;
        }
        if line.contains("<li") || line.contains("<p>") || line.contains("<ul") {
            out.push(html_blocks(line));
            continue;
        }
        out.push(text_line(line));
    }
    flush_table(&mut out, &mut table);
    join_paragraphs(&out)
}

/// One text line: `- ・ x` → `- x`, `・x` → `- x`; a leading `#` is escaped.
fn text_line(line: &str) -> String {
    let indent = line.len() - line.trim_start().len();
    let t = line.trim();
    let nested = if indent > 0 { "  " } else { "" };
    if let Some(rest) = t.strip_prefix("- ") {
        let rest = rest.trim_start_matches(['・', ' ']).trim();
        return format!("{nested}- {rest}");
    }
    if let Some(rest) = t.strip_prefix('・') {
        return format!("{nested}- {}", rest.trim());
    }
    if t.starts_with('#') || t.starts_with('>') || t.starts_with('=') {
        return format!("\\{t}");
    }
    t.to_string()
}

/// Joins converted lines; paragraph lines are separated by blank lines,
/// list items stay together.
fn join_paragraphs(lines: &[String]) -> String {
    let mut out = String::new();
    let mut previous_was_item = false;
    for line in lines.iter().filter(|l| !l.trim().is_empty()) {
        let is_item = line.trim_start().starts_with("- ");
        if !out.is_empty() {
            out.push_str(if is_item && previous_was_item { "\n" } else { "\n\n" });
        }
        out.push_str(line);
        previous_was_item = is_item;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

fn flush_table(out: &mut Vec<String>, rows: &mut Vec<Vec<String>>) {
    if rows.is_empty() {
        return;
    }
    out.push(markdown_table(rows));
    rows.clear();
}

/// Renders rows as a Markdown table; the first row is the header.
pub fn markdown_table(rows: &[Vec<String>]) -> String {
    let width = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let render = |row: &Vec<String>| {
        let cells: Vec<String> = (0..width).map(|i| row.get(i).cloned().unwrap_or_default()).collect();
        format!("| {} |", cells.join(" | "))
    };
    let mut lines = Vec::with_capacity(rows.len() + 1);
    if let Some(header) = rows.first() {
        lines.push(render(header));
    }
    lines.push(format!("|{}", "---|".repeat(width)));
    lines.extend(rows.iter().skip(1).map(render));
    lines.join("\n")
}

/// Text of a table cell: HTML removed, list items joined, `|` escaped.
fn cell_text(cell: &str) -> String {
    let text = if cell.contains('<') {
        inline_html(cell, " ・")
    } else {
        cell.to_string()
    };
    let text = text.trim().trim_start_matches('・').trim().to_string();
    text.replace('|', "\\|")
}

/// `<table><tr><td>a</td>…</tr></table>` → Markdown table.
fn html_table(line: &str) -> String {
    let start = line.find("<table").unwrap_or(0);
    let before = strip_tags(&line[..start]);
    let rows: Vec<Vec<String>> = line[start..]
        .split("<tr")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .chain(row.split("<th").skip(1))
                .map(|cell| {
                    let body = cell.split_once('>').map_or(cell, |(_, b)| b);
                    let body = body.split("</td>").next().unwrap_or(body);
                    let body = body.split("</th>").next().unwrap_or(body);
                    cell_text(body)
                })
                .collect()
        })
        .filter(|r: &Vec<String>| !r.is_empty())
        .collect();
    let after = line
        .rfind("</table>")
        .map(|i| strip_tags(&line[i + 8..]))
        .unwrap_or_default();
    let mut parts = Vec::new();
    for text in [before.trim().to_string()] {
        if !text.is_empty() {
            parts.push(text);
        }
    }
    if !rows.is_empty() {
        parts.push(markdown_table(&rows));
    }
    if !after.trim().is_empty() {
        parts.push(after.trim().to_string());
    }
    parts.join("\n\n")
}

/// `<ul><li>a</li><li>b</li></ul><p>c</p>` → `- a\n- b\n\nc`.
fn html_blocks(line: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(i) = rest.find("<li") {
            let before = strip_tags(&rest[..i]);
            if !before.trim().is_empty() {
                parts.push(before.trim().to_string());
            }
            let after_open = rest[i..].split_once('>').map_or("", |(_, b)| b);
            let (item, tail) = after_open.split_once("</li>").unwrap_or((after_open, ""));
            let item = strip_tags(item);
            if !item.trim().is_empty() {
                parts.push(format!("- {}", item.trim()));
            }
            rest = tail;
        } else {
            let text = strip_tags(rest);
            for piece in text.split('\n').map(str::trim).filter(|p| !p.is_empty()) {
                parts.push(piece.to_string());
            }
            break;
        }
    }
    join_paragraphs(&parts).trim_end().to_string()
}

/// Inline text of an HTML fragment; list items are joined with `sep`.
fn inline_html(fragment: &str, sep: &str) -> String {
    let marked = fragment.replace("<li>", sep).replace("<li ", &format!("{sep}<li "));
    strip_tags(&marked).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes tags, decodes the common entities; `</p>` becomes a line break.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut tag = String::new();
    for c in html.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                let name = tag
                    .trim_start_matches('/')
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if matches!(name.as_str(), "p" | "br" | "tr" | "div") {
                    out.push('\n');
                } else if matches!(name.as_str(), "td" | "th") {
                    out.push(' ');
                }
            }
            (true, c) => tag.push(c),
            (false, c) => out.push(c),
        }
    }
    if in_tag {
        // Not a tag after all (`<事業概要>`): keep the text.
        out.push('<');
        out.push_str(&tag);
    }
    decode_entities(&out)
}

fn decode_entities(s: &str) -> String {
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_separated_rows_become_a_table() {
        let md = to_markdown(&["対象者\t主な内容", "新任職員向け\t・DXの基礎", "", "後の文"]);
        assert_eq!(
            md,
            "| 対象者 | 主な内容 |\n|---|---|\n| 新任職員向け | DXの基礎 |\n\n後の文\n"
        );
    }

    #[test]
    fn html_lists_and_tables_are_converted() {
        let md = to_markdown(&["<ul><li>一つ目</li><li>二つ目</li></ul>"]);
        assert_eq!(md, "- 一つ目\n- 二つ目\n");
        let md = to_markdown(&["<table><tr><td>a</td><td><ul><li>x</li><li>y</li></ul></td></tr></table>"]);
        assert_eq!(md, "| a | x ・y |\n|---|---|\n");
    }

    #[test]
    fn bullets_are_normalised_and_emphasis_kept() {
        let md = to_markdown(&["- ・ **重要**な点", "・中黒の項目", " - 入れ子", "本文です。"]);
        assert_eq!(md, "- **重要**な点\n- 中黒の項目\n  - 入れ子\n\n本文です。\n");
    }

    #[test]
    fn text_that_merely_looks_like_a_tag_is_kept() {
        assert_eq!(strip_tags("<事業概要"), "<事業概要");
        assert_eq!(to_markdown(&["<支援メニュー例>"]), "<支援メニュー例>\n");
    }
}
