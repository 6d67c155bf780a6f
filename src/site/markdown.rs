//! Case bodies: Markdown to HTML with pulldown-cmark, then sanitised.
//!
//! A case body is data written by many editors and imported from PDFs, so
//! its HTML is never trusted:
//! - links whose scheme is not http, https, mailto or tel (`javascript:`,
//!   `data:`, `vbscript:` …) lose their link and keep their text;
//! - images become a link to the image (remote) or their alt text: the site
//!   makes no request to another host and has no asset pipeline yet;
//! - raw HTML goes through ammonia's allow-list (no `<script>`, `<style>`,
//!   event handlers, `<img>`, `<iframe>` …), which also re-checks every URL.
//!
//! Template syntax (`{{ }}`, `{% %}`) is ordinary text here: the output is
//! passed to templates as a value and never parsed as a template.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

/// URL schemes a link in a case may use.
const ALLOWED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Tags removed on top of ammonia's defaults: they load from other hosts.
const EXTRA_DENIED_TAGS: [&str; 2] = ["img", "map"];

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .rm_tags(EXTRA_DENIED_TAGS)
        .url_schemes(ALLOWED_SCHEMES.into_iter().collect::<HashSet<_>>())
        .link_rel(Some("noopener noreferrer"));
    builder
});

/// Renders a case body to sanitised HTML.
///
/// A body whose only raw HTML is line breaks (`<br>`, as imported table
/// cells have), and that has no footnotes or code blocks, renders to the
/// tags pulldown-cmark writes itself, with every text and attribute
/// escaped: ammonia would keep them all, only adding `rel` to links and
/// dropping the alignment styles of table cells, which is done here
/// instead (ammonia cost about 5% of a build). Anything else goes through
/// ammonia. Void elements are written as ammonia writes them (`<br>`, not
/// `<br />`), so the output is the same either way.
pub fn render(markdown: &str) -> String {
    let events = events(markdown);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    let plain = events.iter().all(is_plain);
    html::push_html(&mut html, events.into_iter());
    if plain {
        as_ammonia_leaves_it(&html)
    } else {
        SANITIZER.clean(&html).to_string()
    }
}

/// The events of a case body (tables, strikethrough and footnotes on),
/// with unsafe link targets removed ([`SafeLinks`]).
fn events(markdown: &str) -> Vec<Event<'_>> {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_FOOTNOTES);
    SafeLinks::new(Parser::new_ext(markdown, options)).collect()
}

/// Whether pulldown-cmark writes `event` as ammonia would leave it, but
/// for what [`as_ammonia_leaves_it`] changes: no raw HTML except line
/// breaks, and none of the attributes ammonia removes other than cell
/// alignment (footnote ids and classes, code block classes).
fn is_plain(event: &Event<'_>) -> bool {
    match event {
        Event::InlineHtml(html) => LINE_BREAKS.contains(&html.as_ref()),
        Event::Html(_)
        | Event::FootnoteReference(_)
        | Event::TaskListMarker(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_)
        | Event::Start(Tag::FootnoteDefinition(_) | Tag::CodeBlock(_) | Tag::Image { .. }) => false,
        _ => true,
    }
}

/// The raw line breaks a plain body may have.
const LINE_BREAKS: [&str; 3] = ["<br>", "<br/>", "<br />"];

/// HTML that pulldown-cmark wrote from a plain body ([`is_plain`]) as
/// ammonia writes it: `rel="noopener noreferrer"` after the other
/// attributes of each link, no alignment styles, `<br>` and `<hr>`.
fn as_ammonia_leaves_it(html: &str) -> String {
    const LINK: &str = "<a href=\"";
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = rest.find(LINK) {
        // Attribute values are escaped, so the tag ends at the first `">`.
        let Some(end) = rest[at..].find("\">") else {
            break;
        };
        let close = at + end + 1;
        out.push_str(&rest[..close]);
        out.push_str(" rel=\"noopener noreferrer\"");
        rest = &rest[close..];
    }
    out.push_str(rest);
    for align in ["left", "center", "right"] {
        out = out.replace(&format!(" style=\"text-align: {align}\""), "");
    }
    out.replace("<br />", "<br>")
        .replace("<br/>", "<br>")
        .replace("<hr />", "<hr>")
}

/// Whether a link target may be kept: a relative reference, a fragment, or
/// one of http, https, mailto and tel.
pub fn is_allowed_url(url: &str) -> bool {
    // Browsers ignore control characters and spaces inside a scheme
    // (`java\tscript:`), so look at the URL without them.
    let compact: String = url.chars().filter(|c| !c.is_control() && !c.is_whitespace()).collect();
    let scheme_end = compact.find(':');
    let path_start = compact.find(['/', '?', '#']);
    match scheme_end {
        None => true,
        Some(colon) if path_start.is_some_and(|p| p < colon) => true,
        Some(colon) => {
            let scheme = compact[..colon].to_ascii_lowercase();
            ALLOWED_SCHEMES.contains(&scheme.as_str())
        }
    }
}

fn is_remote(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Rewrites link and image events; see the module documentation.
struct SafeLinks<'a, I: Iterator<Item = Event<'a>>> {
    inner: I,
    /// For each open link: whether its start tag was dropped.
    links: Vec<bool>,
    /// Inside an image being replaced: whether it became a link, and the
    /// nesting depth of image tags.
    image: Option<ImageState>,
}

struct ImageState {
    link: bool,
    depth: usize,
}

impl<'a, I: Iterator<Item = Event<'a>>> SafeLinks<'a, I> {
    fn new(inner: I) -> Self {
        SafeLinks {
            inner,
            links: Vec::new(),
            image: None,
        }
    }

    fn start_image(&mut self, dest_url: CowStr<'a>) -> Option<Event<'a>> {
        let link = is_remote(&dest_url) && is_allowed_url(&dest_url);
        self.image = Some(ImageState { link, depth: 1 });
        link.then_some(Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url,
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        }))
    }

    /// Inside a replaced image: keep the alt text, close the link at the end.
    fn in_image(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        let state = self.image.as_mut()?;
        match event {
            Event::Start(Tag::Image { .. }) => {
                state.depth += 1;
                None
            }
            Event::End(TagEnd::Image) => {
                state.depth -= 1;
                if state.depth > 0 {
                    return None;
                }
                let link = state.link;
                self.image = None;
                link.then_some(Event::End(TagEnd::Link))
            }
            Event::Text(_) | Event::Code(_) => Some(event),
            _ => None,
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for SafeLinks<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            let event = self.inner.next()?;
            if self.image.is_some() {
                match self.in_image(event) {
                    Some(e) => return Some(e),
                    None => continue,
                }
            }
            match event {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let keep = is_allowed_url(&dest_url);
                    self.links.push(keep);
                    if keep {
                        return Some(Event::Start(Tag::Link {
                            link_type,
                            dest_url,
                            title,
                            id,
                        }));
                    }
                }
                Event::End(TagEnd::Link) => {
                    if self.links.pop().unwrap_or(false) {
                        return Some(event);
                    }
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    if let Some(start) = self.start_image(dest_url) {
                        return Some(start);
                    }
                }
                other => return Some(other),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_tables_and_lists() {
        let html = render("## 概要\n\n- 一\n- 二\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(html.contains("<h2>概要</h2>"), "{html}");
        assert!(html.contains("<li>一</li>"), "{html}");
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn scripts_and_event_handlers_are_removed() {
        let html = render("前<script>alert(1)</script>後\n\n<div onclick=\"x()\">箱</div>\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("alert"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(html.contains("箱"), "{html}");
    }

    #[test]
    fn javascript_links_keep_their_text_only() {
        for source in [
            "[押す](javascript:alert(1))",
            "[押す](JavaScript:alert(1))",
            "[押す](java\tscript:alert(1))",
            "<a href=\"javascript:alert(1)\">押す</a>",
            "<a href=\"jav&#x09;ascript:alert(1)\">押す</a>",
            "[押す](data:text/html;base64,PHNjcmlwdD4=)",
        ] {
            let html = render(source);
            assert!(html.contains("押す"), "{source}: {html}");
            let lower = html.to_ascii_lowercase();
            assert!(
                !lower.contains("javascript") && !lower.contains("data:"),
                "{source}: {html}"
            );
        }
    }

    #[test]
    fn good_links_survive_with_noopener() {
        let html = render("[総務省](https://www.soumu.go.jp/) と [メール](mailto:a@example.jp)");
        assert!(html.contains("href=\"https://www.soumu.go.jp/\""), "{html}");
        assert!(html.contains("href=\"mailto:a@example.jp\""), "{html}");
        assert!(html.contains("noopener"), "{html}");
    }

    #[test]
    fn images_make_no_request() {
        let html = render("![窓口の写真](https://example.jp/a.png) ![図](local.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("href=\"https://example.jp/a.png\""), "{html}");
        assert!(html.contains("窓口の写真") && html.contains("図"), "{html}");
    }

    #[test]
    fn template_syntax_is_plain_text() {
        let html = render("予算は {{ budget }} と {% if x %} です");
        assert!(html.contains("{{ budget }}"), "{html}");
        assert!(html.contains("{% if x %}"), "{html}");
    }

    #[test]
    fn bodies_without_raw_html_render_as_ammonia_would_leave_them() {
        let plain = [
            "## 概要\n\n- 一\n- 二\n\n**太字** と *斜体* と `コード` と ~~取消~~\n",
            "[総務省](https://www.soumu.go.jp/ \"タイトル\") と <https://a.jp/?x=1&y=\"2\"> と [メール](mailto:a@example.jp)\n",
            "1. 手順 & 注意 < > \"引用\" 'x'\n2. [相対](../x/index.html)\n\n> 引用文\n\n---\n",
            "改行の前  \n後ろ\\\nさらに\n\n# 見出し {#id}\n",
            "| 項目 | 費用 |\n|:---|---:|\n| 初期<br>費用 | 1,200千円 |\n| 運用<br/>費用 | <br /> |\n",
            "[押す](javascript:alert(1)) と ![図](https://example.jp/a.png)\n",
        ];
        for markdown in plain {
            let events = events(markdown);
            assert!(events.iter().all(is_plain), "{markdown}");
            let mut html = String::new();
            html::push_html(&mut html, events.into_iter());
            assert_eq!(render(markdown), SANITIZER.clean(&html).to_string(), "{markdown}");
        }
    }

    #[test]
    fn url_scheme_check() {
        assert!(is_allowed_url("https://a.jp/"));
        assert!(is_allowed_url("../x/index.html"));
        assert!(is_allowed_url("#top"));
        assert!(is_allowed_url("a/b:c"));
        assert!(!is_allowed_url(" javascript:x"));
        assert!(!is_allowed_url("vbscript:x"));
        assert!(!is_allowed_url("file:///etc/passwd"));
    }
}
