//! The real `jirei serve`: it binds loopback by default and prints its
//! address, live-reloads an edited case, reports an invalid edit with
//! file:line:col while the last good page stays served, and refuses path
//! traversal sent over the wire exactly as an attacker would.

#[path = "serve_common.rs"]
mod common;

use std::time::Duration;

const CASE: &str = "cases/kagamino-kakanai-madoguchi.md";
const PAGE: &str = "/cases/kagamino-kakanai-madoguchi/index.html";
const WAIT: Duration = Duration::from_secs(60);

fn site_fixture() -> tempfile::TempDir {
    common::copy_collection(&common::repo().join("tests/fixtures/site"))
}

#[test]
fn edits_reload_and_errors_keep_the_last_good_page() {
    let tmp = site_fixture();
    let server = common::serve(tmp.path(), &[]);
    assert_eq!(server.addr.ip().to_string(), "127.0.0.1", "loopback by default");
    let mut events = common::Events::open(server.addr);
    let status: serde_json::Value = serde_json::from_str(&events.wait_for("status", WAIT)).expect("JSON");
    assert_eq!(status["errors"], serde_json::json!([]));

    let page = common::get(server.addr, PAGE);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("/__jirei/livereload.js"));
    let script = common::get(server.addr, "/__jirei/livereload.js");
    assert_eq!(script.status, 200);
    assert!(script.head.to_ascii_lowercase().contains("text/javascript"));

    // A valid edit: a reload event, then the new text is served.
    let path = tmp.path().join(CASE);
    let original = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, format!("{original}\n追記: ライブリロード確認 LIVEEDITONE\n")).expect("write");
    let reload: serde_json::Value = serde_json::from_str(&events.wait_for("reload", WAIT)).expect("JSON");
    assert_eq!(reload["changed"], serde_json::json!([CASE]), "{reload}");
    assert!(common::get(server.addr, PAGE).text().contains("LIVEEDITONE"));
    let api = common::get(server.addr, "/api/search?q=LIVEEDITONE");
    assert_eq!(api.json()["total"], 1, "the index was updated: {}", api.text());

    // An invalid edit: an error event with file:line:col; the page stays.
    let broken = original.replacen("category: 内部DX", "category: 内部DX\ncategroy: typo", 1);
    std::fs::write(&path, &broken).expect("write");
    let failed: serde_json::Value = serde_json::from_str(&events.wait_for("build-error", WAIT)).expect("JSON");
    let error = &failed["errors"][0];
    let line = broken.lines().position(|l| l.starts_with("categroy")).expect("line") + 1;
    assert_eq!(error["location"], format!("{CASE}:{line}:1"), "{failed}");
    assert!(
        error["message"].as_str().expect("message").contains("categroy"),
        "{failed}"
    );
    assert_eq!(error["source_line"], "categroy: typo");
    let still = common::get(server.addr, PAGE);
    assert_eq!(still.status, 200);
    assert!(
        still.text().contains("LIVEEDITONE"),
        "the last good page is still served"
    );
    let health = common::get(server.addr, "/healthz").json();
    assert_eq!(health["status"], "errors");

    // Fixed: the errors clear and the page follows.
    std::fs::write(&path, format!("{original}\nLIVEEDITTWO\n")).expect("write");
    events.wait_for("reload", WAIT);
    assert!(common::get(server.addr, PAGE).text().contains("LIVEEDITTWO"));
    assert_eq!(common::get(server.addr, "/healthz").json()["status"], "ok");
}

#[test]
fn traversal_over_the_wire_is_refused() {
    let tmp = site_fixture();
    std::fs::write(tmp.path().join("secret.txt"), "TOP-SECRET").expect("write");
    let server = common::serve(tmp.path(), &[]);
    let addr = server.addr;
    let requests = [
        "GET /../../etc/passwd HTTP/1.1",
        "GET /..%2f..%2fetc/passwd HTTP/1.1",
        "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1",
        "GET /%2e%2e/ HTTP/1.1",
        "GET /cases/..\\..\\secret.txt HTTP/1.1",
        "GET /cases/%5c..%5c..%5csecret.txt HTTP/1.1",
        "GET /secret.txt%00 HTTP/1.1",
        "GET //etc/passwd HTTP/1.1",
        "GET /../secret.txt HTTP/1.1",
        "GET /../../secret.txt HTTP/1.1",
        "GET http://127.0.0.1/%2e%2e/%2e%2e/secret.txt HTTP/1.1",
        "GET http://127.0.0.1/../../../../etc/passwd HTTP/1.1",
        "GET /etc/passwd HTTP/1.1",
    ];
    for line in requests {
        let reply = common::raw(
            addr,
            format!("{line}\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        let text = reply.text();
        assert!(
            !text.contains("TOP-SECRET") && !text.contains("root:x:"),
            "{line} leaked: {text}"
        );
        assert!(matches!(reply.status, 400 | 404), "{line}: {}", reply.status);
    }
    let long = format!("GET /api/search?q={} HTTP/1.1", "a".repeat(5000));
    let reply = common::raw(
        addr,
        format!("{long}\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert_eq!(reply.status, 414);
}
