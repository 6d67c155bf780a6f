//! The JSON API and the file serving of `jirei serve`, through the
//! library's router (`tower::ServiceExt::oneshot`): the same JSON as
//! `jirei search --json`, the error statuses, and path traversal attempts.

#[path = "serve_common.rs"]
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn ask(router: &axum::Router, uri: &str) -> Answer {
    let request = Request::builder().uri(uri).body(Body::empty()).expect("request");
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), 64 << 20)
        .await
        .expect("body")
        .to_vec();
    Answer { status, headers, body }
}

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_answers_the_same_json_as_the_cli() {
    let tmp = common::repo_collection();
    let (_state, router, _ws) = common::app(tmp.path(), 64);
    let root = tmp.path().to_str().expect("utf-8");
    let searches: [(&str, &[(&str, &str)]); 5] = [
        ("書かない窓口", &[]),
        ("", &[("band", "10k-50k"), ("band", "under-10k")]),
        (
            "RPA",
            &[("population", "1万..50万"), ("sort", "population"), ("limit", "5")],
        ),
        ("窓口", &[("prefecture", "大阪"), ("near-population", "20000")]),
        ("", &[("initial-cost", "..5000"), ("lead-time", "6..")]),
    ];
    for (query, params) in searches {
        let mut args = vec!["--root", root, "search", query, "--json"];
        let mut uri = format!("/api/search?q={}", encode(query));
        for (name, value) in params {
            args.push(Box::leak(format!("--{name}").into_boxed_str()));
            args.push(value);
            uri.push_str(&format!("&{name}={}", encode(value)));
        }
        let cli = common::jirei(&args);
        assert!(cli.status.success(), "{}", String::from_utf8_lossy(&cli.stderr));
        let expected: serde_json::Value = serde_json::from_slice(&cli.stdout).expect("CLI JSON");
        let answer = ask(&router, &uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text());
        assert_eq!(answer.headers["content-type"], "application/json", "{uri}");
        assert_eq!(answer.json(), expected, "{uri}");
        // Asked twice (the second from the cache): the same answer.
        assert_eq!(ask(&router, &uri).await.json(), expected, "{uri} cached");
    }
}

/// Serve's first build makes the missing index beside the site, from the
/// site's segmentations: it is left current (the CLI reuses it) and answers
/// as an index built alone does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_built_beside_the_first_site_answers_as_one_built_alone() {
    let served = common::repo_collection();
    let alone = common::repo_collection();
    assert!(
        !served.path().join(".jirei-cache").exists(),
        "no index before serve starts"
    );
    let (_state, router, _ws) = common::app(served.path(), 64);
    let served_root = served.path().to_str().expect("utf-8");
    let reused = common::jirei(&["--root", served_root, "index"]);
    let reused_out = String::from_utf8_lossy(&reused.stdout);
    assert!(reused_out.contains("index is current"), "{reused_out}");
    let alone_root = alone.path().to_str().expect("utf-8");
    let rebuilt = common::jirei(&["--root", alone_root, "index", "--force"]);
    assert!(rebuilt.status.success(), "{}", String::from_utf8_lossy(&rebuilt.stderr));
    for query in ["書かない窓口", "かかないまどぐち", "メタバ", "RPA 導入"] {
        let cli = common::jirei(&["--root", alone_root, "search", query, "--json"]);
        assert!(cli.status.success(), "{}", String::from_utf8_lossy(&cli.stderr));
        let expected: serde_json::Value = serde_json::from_slice(&cli.stdout).expect("CLI JSON");
        assert!(
            expected["total"].as_u64().unwrap_or(0) > 0,
            "{query} finds cases: {expected}"
        );
        let answer = ask(&router, &format!("/api/search?q={}", encode(query))).await;
        assert_eq!(answer.json(), expected, "{query}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cases_facets_and_health_have_their_shapes() {
    let tmp = common::repo_collection();
    let (_state, router, _ws) = common::app(tmp.path(), 64);
    let case = ask(&router, "/api/cases/1-05-funagata").await;
    assert_eq!(case.status, StatusCode::OK, "{}", case.text());
    let case = case.json();
    for field in [
        "id",
        "title",
        "organization",
        "population",
        "band",
        "category",
        "cost",
        "schedule",
        "url",
    ] {
        assert!(case.get(field).is_some(), "missing {field}: {case}");
    }
    assert_eq!(case["url"], "/cases/1-05-funagata/index.html");
    let missing = ask(&router, "/api/cases/no-such-case").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.json()["error"]
            .as_str()
            .expect("message")
            .contains("no-such-case")
    );
    let facets = ask(&router, "/api/facets").await.json();
    assert!(facets["total"].as_u64().expect("total") > 50, "{facets}");
    assert!(facets["facets"]["band"].as_object().expect("band counts").len() >= 3);
    assert_eq!(facets["hits"], serde_json::json!([]));
    let health = ask(&router, "/healthz").await.json();
    assert_eq!(health["status"], "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_400_414_and_503_with_json_messages() {
    let tmp = common::repo_collection();
    let (state, router, _ws) = common::app(tmp.path(), 1);
    let cases = [
        (
            "/api/search?bnad=10k-50k",
            StatusCode::BAD_REQUEST,
            "did you mean `band`",
        ),
        ("/api/search?band=10k-5k", StatusCode::BAD_REQUEST, "10k-50k"),
        ("/api/search?population=5..1", StatusCode::BAD_REQUEST, "reversed"),
        ("/api/search?limit=5000", StatusCode::BAD_REQUEST, "1 to 1000"),
        ("/api/search?q=a&q=b", StatusCode::BAD_REQUEST, "twice"),
    ];
    for (uri, status, message) in cases {
        let answer = ask(&router, uri).await;
        assert_eq!(answer.status, status, "{uri}: {}", answer.text());
        let error = answer.json()["error"].as_str().unwrap_or_default().to_string();
        assert!(error.contains(message), "{uri}: {error}");
    }
    let many = format!("/api/search?{}", "tag=x&".repeat(40));
    assert_eq!(ask(&router, &many).await.status, StatusCode::BAD_REQUEST);
    let long_words = format!("/api/search?q={}", "あ".repeat(300));
    assert_eq!(ask(&router, &long_words).await.status, StatusCode::BAD_REQUEST);
    let long = format!("/api/search?q={}", "a".repeat(3000));
    let answer = ask(&router, &long).await;
    assert_eq!(answer.status, StatusCode::URI_TOO_LONG);
    assert!(answer.json()["error"].is_string());
    let long_path = format!("/{}", "a".repeat(5000));
    assert_eq!(ask(&router, &long_path).await.status, StatusCode::URI_TOO_LONG);

    // The only admission slot is taken: the next search is refused at once.
    let permit = state.admit_search().expect("a free slot");
    let started = std::time::Instant::now();
    let busy = ask(&router, "/api/search?q=%E7%AA%93%E5%8F%A3").await;
    assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    assert_eq!(busy.headers["retry-after"], "1");
    assert!(busy.json()["error"].as_str().expect("message").contains("too many"));
    drop(permit);
    assert_eq!(
        ask(&router, "/api/search?q=%E7%AA%93%E5%8F%A3").await.status,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_files_inside_the_site_are_served() {
    let tmp = common::repo_collection();
    let (state, router, _ws) = common::app(tmp.path(), 8);
    let secret = tmp.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET").expect("write");
    // Symbolic links inside the site pointing outside it.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, state.site_dir.join("leak.txt")).expect("symlink");
        std::os::unix::fs::symlink(tmp.path(), state.site_dir.join("up")).expect("symlink");
    }
    let attempts = [
        "/..%2f..%2fetc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2e%2e/",
        "/..%2fsecret.txt",
        "/cases/..%5c..%5csecret.txt",
        "/cases/%2e%2e%5c%2e%2e%5c",
        "/%2fetc%2fpasswd",
        "//etc/passwd",
        "/secret.txt%00.html",
        "/leak.txt",
        "/up/secret.txt",
        "/up/cases/1-05-funagata.md",
        "/.jirei-build",
        "http://example.com/../../etc/passwd",
    ];
    for uri in attempts {
        let answer = ask(&router, uri).await;
        let text = answer.text();
        assert!(
            !text.contains("TOP-SECRET") && !text.contains("root:x:") && !text.contains("organization:"),
            "{uri} leaked: {text}"
        );
        assert!(
            matches!(answer.status, StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND),
            "{uri}: {}",
            answer.status
        );
    }
    let page = ask(&router, "/cases/1-05-funagata/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text().contains("/__jirei/livereload.js"),
        "the live-reload tag is added"
    );
    let redirect = ask(&router, "/cases/1-05-funagata").await;
    assert_eq!(redirect.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(redirect.headers["location"], "/cases/1-05-funagata/");
    // DNS rebinding: a page of another site cannot read the preview.
    let request = Request::builder()
        .uri("/index.html")
        .header("host", "evil.example:1111")
        .body(Body::empty())
        .expect("request");
    let response = router.clone().oneshot(request).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let missing = ask(&router, "/no/such/page.html").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.text().contains("<html"), "the site's 404 page");
    let built = std::fs::read_to_string(state.site_dir.join("index.html")).expect("index");
    assert!(
        !built.contains("livereload"),
        "the files on disk have no live-reload tag"
    );
}
