//! `jirei export --format opensearch`: the bulk NDJSON alternates action
//! and document lines, every line parses, there is one document per valid
//! case, and the mapping declares every field the documents use, with a
//! type that fits the values.

#[path = "serve_common.rs"]
mod common;

use serde_json::Value;

fn export(root: &std::path::Path, out: &std::path::Path) -> std::process::Output {
    common::jirei(&[
        "--root",
        root.to_str().expect("utf-8"),
        "export",
        "--format",
        "opensearch",
        "--out",
        out.to_str().expect("utf-8"),
    ])
}

/// `yyyy`, `yyyy-MM` or `yyyy-MM-dd`, as the mapping's date format accepts.
fn is_date(s: &str) -> bool {
    let digits = |part: &str, n: usize| part.len() == n && part.chars().all(|c| c.is_ascii_digit());
    let parts: Vec<&str> = s.split('-').collect();
    matches!(parts.len(), 1..=3) && digits(parts[0], 4) && parts[1..].iter().all(|p| digits(p, 2))
}

/// Checks `value` against the mapping `properties`; `path` is for messages.
fn check_fields(value: &Value, properties: &Value, path: &str, used: &mut Vec<String>) {
    let Value::Object(fields) = value else {
        panic!("{path} is not an object")
    };
    for (name, field) in fields {
        let full = format!("{path}{name}");
        let Some(mapping) = properties.get(name) else {
            panic!("the mapping has no field `{full}`")
        };
        used.push(full.clone());
        let values: Vec<&Value> = match field {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for v in values.into_iter().filter(|v| !v.is_null()) {
            let kind = mapping["type"].as_str().unwrap_or("object");
            match kind {
                "object" | "nested" => check_fields(v, &mapping["properties"], &format!("{full}."), used),
                "long" => assert!(v.is_u64() || v.is_i64(), "{full} = {v} is not a whole number"),
                "boolean" => assert!(v.is_boolean(), "{full} = {v}"),
                "date" => {
                    let s = v.as_str().unwrap_or_else(|| panic!("{full} = {v}"));
                    let ok = is_date(s);
                    assert!(ok, "{full} = {s} is not yyyy[-MM[-dd]]");
                }
                "keyword" | "text" => assert!(v.is_string(), "{full} = {v}"),
                other => panic!("unexpected type {other} for {full}"),
            }
        }
    }
}

#[test]
fn bulk_file_and_mapping_fit_together() {
    let tmp = common::repo_collection();
    let out = tmp.path().join("export");
    let output = export(tmp.path(), &out);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("_bulk"), "{stdout}");

    let config = jirei::config::Config::load(tmp.path()).expect("config");
    let corpus = jirei::corpus::load(&tmp.path().join("cases"), &config.bands);
    assert!(!corpus.has_errors(), "the repository's cases are valid");

    let bulk = std::fs::read_to_string(out.join("cases.ndjson")).expect("ndjson");
    assert!(bulk.ends_with('\n'), "the _bulk API needs a final newline");
    let lines: Vec<&str> = bulk.lines().collect();
    assert_eq!(lines.len() % 2, 0, "action and document lines alternate");
    assert_eq!(lines.len() / 2, corpus.cases.len(), "one document per valid case");

    let mapping: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("mapping.json")).expect("mapping")).expect("JSON");
    assert_eq!(mapping["mappings"]["dynamic"], "strict");
    let analyzer = &mapping["settings"]["analysis"]["analyzer"]["ja"];
    assert_eq!(analyzer["tokenizer"], "kuromoji_tokenizer");
    let properties = &mapping["mappings"]["properties"];
    for facet in ["band", "category", "section", "tags", "vendors", "operation_mode"] {
        assert_eq!(properties[facet]["type"], "keyword", "{facet}");
    }
    assert_eq!(properties["population"]["type"], "long");
    assert_eq!(properties["initial_cost"]["properties"]["thousand_yen"]["type"], "long");
    assert_eq!(properties["updated"]["type"], "date");
    assert_eq!(properties["body"]["analyzer"], "ja");

    let mut ids = Vec::new();
    let mut used = Vec::new();
    for pair in lines.chunks(2) {
        let action: Value = serde_json::from_str(pair[0]).expect("action line parses");
        let document: Value = serde_json::from_str(pair[1]).expect("document line parses");
        assert_eq!(action["index"]["_index"], "jirei-cases");
        assert_eq!(action["index"]["_id"], document["id"]);
        assert!(document.get("index").is_none(), "documents are not actions");
        check_fields(&document, properties, "", &mut used);
        ids.push(document["id"].as_str().expect("id").to_string());
    }
    let expected: Vec<String> = corpus.cases.iter().map(|c| c.id.clone()).collect();
    assert_eq!(ids, expected);
    for field in [
        "population",
        "initial_cost.thousand_yen",
        "milestones.date",
        "tags",
        "source.published",
    ] {
        assert!(used.iter().any(|u| u == field), "no document uses {field}");
    }
}

#[test]
fn invalid_cases_stop_the_export() {
    let tmp = common::copy_collection(&common::repo().join("tests/fixtures/site"));
    std::fs::write(tmp.path().join("cases/broken.md"), "---\ntitle: x\nvendr: y\n---\n").expect("write");
    let out = tmp.path().join("export");
    let output = export(tmp.path(), &out);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cases/broken.md:3:1: error: unknown key `vendr`"),
        "{stderr}"
    );
    assert!(stderr.contains("export failed"), "{stderr}");
    assert!(!out.join("cases.ndjson").exists());
}
