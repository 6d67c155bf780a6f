//! サービス提供事業者等: vendors, service names, the operation mode
//! (パッケージ／個別開発 × クラウド／オンプレミス) and other participants.
//!
//! Labels may be split over two lines (`サービス` / `提供事業者`), carry
//! Markdown residue (`- サービス名**`), or all come first with the values
//! after them; the lines are first turned into (label, values) pairs.

use crate::case::front_matter::{Delivery, Hosting};

/// What a vendor block says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VendorFact {
    /// The values as printed, per label.
    pub vendors_printed: Vec<String>,
    pub services_printed: Vec<String>,
    pub mode_printed: Vec<String>,
    pub participants_printed: Vec<String>,
    pub vendors: Vec<String>,
    pub services: Vec<String>,
    pub delivery: Option<Delivery>,
    pub hosting: Option<Hosting>,
    pub participants: Vec<String>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Vendor,
    Service,
    Mode,
    Participants,
}

const LABELS: [(&str, Label); 4] = [
    ("サービス提供事業者", Label::Vendor),
    ("サービス名", Label::Service),
    ("運用形態", Label::Mode),
    ("その他参画主体", Label::Participants),
];

/// Reads the lines of a サービス提供事業者等 block.
pub fn parse(lines: &[&str]) -> VendorFact {
    let pairs = label_values(&merge_split_labels(lines));
    let mut fact = VendorFact::default();
    for (label, values) in pairs {
        let values: Vec<String> = values.into_iter().filter(|v| !v.is_empty()).collect();
        match label {
            Label::Vendor => fact.vendors_printed.extend(values),
            Label::Service => fact.services_printed.extend(values),
            Label::Mode => fact.mode_printed.extend(values),
            Label::Participants => fact.participants_printed.extend(values),
        }
    }
    fact.vendors = names(
        &fact
            .vendors_printed
            .iter()
            .map(|v| name_before_description(v))
            .collect::<Vec<_>>(),
    );
    fact.services = names(&fact.services_printed);
    fact.participants = participants(&fact.participants_printed);
    read_mode(&mut fact);
    fact
}

/// Cleans lines and joins `サービス` + `提供事業者`, `その他` + `参画主体`.
fn merge_split_labels(lines: &[&str]) -> Vec<String> {
    let cleaned: Vec<String> = lines
        .iter()
        .map(|l| l.replace("**", "").trim().trim_start_matches("- ").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for line in cleaned {
        match out.last_mut() {
            Some(last)
                if (last == "サービス" && line.starts_with("提供事業者"))
                    || (last == "その他" && line.starts_with("参画主体")) =>
            {
                last.push_str(&line);
            }
            _ => out.push(line),
        }
    }
    out
}

/// Pairs labels with values. Labels with no value of their own that are
/// followed by more labels queue up and take the next values in order.
fn label_values(lines: &[String]) -> Vec<(Label, Vec<String>)> {
    let mut pairs: Vec<(Label, Vec<String>)> = Vec::new();
    let mut queue: Vec<usize> = Vec::new();
    for line in lines {
        if let Some((label, rest)) = split_label(line) {
            let index = pairs.len();
            pairs.push((label, Vec::new()));
            if rest.is_empty() {
                queue.push(index);
            } else {
                queue.clear();
                pairs[index].1.push(rest);
            }
            continue;
        }
        if queue.len() > 1 {
            let index = queue.remove(0);
            pairs[index].1.push(line.clone());
        } else if let Some(last) = pairs.last_mut() {
            queue.clear();
            last.1.push(line.clone());
        }
    }
    pairs
}

/// `サービス 提供事業者\tX` → (Vendor, `X`).
fn split_label(line: &str) -> Option<(Label, String)> {
    let compact: String = line.chars().filter(|c| *c != ' ' && *c != '　').collect();
    for (name, label) in LABELS {
        if compact.starts_with(name) {
            // Skip the label's characters in the original line.
            let mut seen = 0;
            let mut cut = line.len();
            for (i, c) in line.char_indices() {
                if seen == name.chars().count() {
                    cut = i;
                    break;
                }
                if c != ' ' && c != '　' {
                    seen += 1;
                }
            }
            let rest = line[cut..].trim().trim_start_matches(['\t', ':', '：']).trim();
            return Some((label, rest.to_string()));
        }
    }
    None
}

fn is_dash(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().all(|c| "-－—―ー ".contains(c))
}

/// `株式会社MAIA：…を設置し、…` → `株式会社MAIA`: a vendor followed by a
/// description of its work (kept in the body).
fn name_before_description(value: &str) -> String {
    match value.split_once('：') {
        Some((name, _)) if name.chars().count() <= 40 && !name.contains('、') => name.trim().to_string(),
        _ => value.to_string(),
    }
}

/// Splits printed names at `、`/`，` outside brackets; drops dashes.
fn names(printed: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for value in printed {
        if is_dash(value) || value.starts_with('－') || value.starts_with('-') {
            continue;
        }
        for part in split_outside_brackets(value) {
            let part = strip_number(&part);
            if !part.is_empty() && !is_dash(&part) && !out.contains(&part) {
                out.push(part);
            }
        }
    }
    out
}

fn participants(printed: &[String]) -> Vec<String> {
    let joined: Vec<String> = printed.iter().filter(|v| !is_dash(v)).cloned().collect();
    let mut out: Vec<String> = Vec::new();
    for value in joined {
        // A line that only adds a bracketed note belongs to the previous name.
        if value.starts_with(['（', '(']) && !out.is_empty() {
            if let Some(last) = out.last_mut() {
                last.push_str(&value);
            }
            continue;
        }
        out.push(value.trim().to_string());
    }
    out
}

/// `①UiPath、②kintone` style numbering removed from a name.
fn strip_number(s: &str) -> String {
    s.trim()
        .trim_start_matches(|c: char| ('①'..='⑳').contains(&c))
        .trim()
        .to_string()
}

fn split_outside_brackets(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in s.chars() {
        match c {
            '（' | '(' | '「' | '『' => depth += 1,
            '）' | ')' | '」' | '』' => depth -= 1,
            _ => {}
        }
        let numbered = ('②'..='⑳').contains(&c) && depth == 0 && !current.trim().is_empty();
        if (depth == 0 && (c == '、' || c == '，')) || numbered {
            parts.push(current.trim().to_string());
            current.clear();
            if numbered {
                current.push(c);
            }
            continue;
        }
        current.push(c);
    }
    parts.push(current.trim().to_string());
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

/// Reads 「パッケージ製品をクラウド環境で運用」 and the like. When several
/// systems are run differently, the differing part is left out.
fn read_mode(fact: &mut VendorFact) {
    let text = fact.mode_printed.join(" ");
    if text.trim().is_empty() || is_dash(&text) {
        return;
    }
    let package = text.contains("パッケージ");
    let custom = text.contains("個別開発") || text.contains("カスタマイズ");
    let cloud = text.contains("クラウド");
    let on_prem = text.contains("オンプレミス");
    fact.delivery = match (package, custom) {
        (true, false) => Some(Delivery::Package),
        (false, true) => Some(Delivery::Custom),
        _ => None,
    };
    fact.hosting = match (cloud, on_prem) {
        (true, false) => Some(Hosting::Cloud),
        (false, true) => Some(Hosting::OnPremises),
        _ => None,
    };
    if (package && custom) || (cloud && on_prem) {
        fact.warnings.push(format!(
            "operation mode `{text}` mixes several modes; only the common part is kept"
        ));
    } else if fact.delivery.is_none() && fact.hosting.is_none() {
        fact.warnings
            .push(format!("operation mode `{text}` was not understood"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_separated_block_gives_vendor_service_and_mode() {
        let f = parse(&[
            "サービス提供事業者\t株式会社RELATION",
            "サービス名\tスマホメッセージングサービス（Push通知） 支払・決裁（ペイジェントクレジット決裁）",
            "運用形態\tパッケージ製品をクラウド環境で運用",
            "その他 参画主体\t一般社団法人岡山中央総合情報公社（町税等の滞 納状況確認）",
        ]);
        assert_eq!(f.vendors, ["株式会社RELATION"]);
        assert_eq!(f.services.len(), 1);
        assert_eq!((f.delivery, f.hosting), (Some(Delivery::Package), Some(Hosting::Cloud)));
        assert_eq!(
            f.participants,
            ["一般社団法人岡山中央総合情報公社（町税等の滞 納状況確認）"]
        );
    }

    #[test]
    fn labels_split_over_lines_and_values_after_all_labels() {
        let f = parse(&[
            "サービス提供事業者",
            "サービス名",
            "運用形態",
            "",
            "－",
            "－",
            "－",
            "その他",
            "参画主体",
            "A株式会社、B株式会社",
            "C協議会",
        ]);
        assert!(f.vendors.is_empty());
        assert_eq!(f.participants, ["A株式会社、B株式会社", "C協議会"]);
        let f = parse(&[
            "サービス",
            "提供事業者",
            "",
            "－",
            "その他",
            "参画主体",
            "NTT東日本（DX推進アドバイザー）",
        ]);
        assert!(f.vendors.is_empty());
        assert_eq!(f.participants, ["NTT東日本（DX推進アドバイザー）"]);
    }

    #[test]
    fn markdown_residue_and_numbered_services_are_cleaned() {
        let f = parse(&[
            "- サービス提供事業者** UiPath株式会社、サイボウズ株式会社、トヨコム株式会社",
            "- サービス名** ①UiPath、②kintone、③FormBridge・kViewer・PrintCreator",
            "- 運用形態** ①個別開発製品をオンプレミス環境で運用",
            "②③パッケージ製品をクラウド環境で運用",
            "- その他参画主体** アジアクエスト株式会社",
        ]);
        assert_eq!(f.vendors, ["UiPath株式会社", "サイボウズ株式会社", "トヨコム株式会社"]);
        assert_eq!(f.services, ["UiPath", "kintone", "FormBridge・kViewer・PrintCreator"]);
        assert_eq!((f.delivery, f.hosting), (None, None));
        assert_eq!(f.warnings.len(), 1);
        let f = parse(&["サービス名\t①WinActor ②NaNatsu AI-OCR with DX Suite"]);
        assert_eq!(f.services, ["WinActor", "NaNatsu AI-OCR with DX Suite"]);
    }

    #[test]
    fn a_vendor_with_a_description_keeps_only_the_name() {
        let f = parse(&[
            "サービス",
            "提供事業者",
            "株式会社MAIA：専門官を確保・活用し、センターを設置する",
        ]);
        assert_eq!(f.vendors, ["株式会社MAIA"]);
        assert_eq!(
            f.vendors_printed,
            ["株式会社MAIA：専門官を確保・活用し、センターを設置する"]
        );
    }

    #[test]
    fn self_built_systems_have_no_vendor() {
        let f = parse(&[
            "サービス提供事業者\t－（職員による内製）",
            "運用形態\t個別開発製品をオンプレミス環境で運用",
        ]);
        assert!(f.vendors.is_empty());
        assert_eq!(
            (f.delivery, f.hosting),
            (Some(Delivery::Custom), Some(Hosting::OnPremises))
        );
    }
}
