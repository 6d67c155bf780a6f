//! The build lock: a second builder of the same collection waits for the
//! first, and gives up with a message naming it; a lock file left by a
//! dead process is taken over.

#[path = "serve_common.rs"]
mod common;

use std::time::Duration;

use jirei::lock::{BuildLock, LOCK_FILE};

fn site_fixture() -> tempfile::TempDir {
    common::copy_collection(&common::repo().join("tests/fixtures/site"))
}

fn build(root: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["--root", root.to_str().expect("utf-8"), "build"];
    args.extend_from_slice(extra);
    common::jirei(&args)
}

#[test]
fn a_build_waits_for_the_holder_and_then_gives_up_clearly() {
    let tmp = site_fixture();
    let lock = BuildLock::acquire(tmp.path(), "jirei serve", Duration::ZERO, |_| {}).expect("free");
    let started = std::time::Instant::now();
    let output = build(tmp.path(), &["--wait", "1"]);
    assert!(started.elapsed() >= Duration::from_secs(1), "it waited");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let holder = format!("jirei serve, pid {}", std::process::id());
    assert!(
        stderr.contains(&format!("waiting for another jirei process ({holder})")),
        "{stderr}"
    );
    assert!(stderr.contains("gave up after waiting"), "{stderr}");
    assert!(!tmp.path().join("public").exists(), "nothing was built");
    drop(lock);
    assert!(build(tmp.path(), &["--wait", "1"]).status.success(), "free again");
}

#[test]
fn a_lock_left_by_a_dead_process_is_taken_over() {
    let tmp = site_fixture();
    let path = tmp.path().join(LOCK_FILE);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    // Process ids are below 2^22 on Linux: this one is not running.
    std::fs::write(&path, "4194999\njirei build\n").expect("write");
    let output = build(tmp.path(), &["--wait", "0"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn two_builds_at_once_both_finish_one_after_the_other() {
    let tmp = site_fixture();
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_jirei"))
            .args(["--root", tmp.path().to_str().expect("utf-8"), "build"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let (a, b) = (spawn(), spawn());
    for child in [a, b] {
        let output = child.wait_with_output().expect("wait");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    assert!(tmp.path().join("public/index.html").is_file());
    let leftovers: Vec<String> = std::fs::read_dir(tmp.path())
        .expect("ls")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains("previous"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn serve_and_build_share_the_lock() {
    let tmp = site_fixture();
    let server = common::serve(tmp.path(), &[]);
    // Serve holds the lock only while it rebuilds, so a build goes through.
    let output = build(tmp.path(), &["--wait", "30"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    drop(server);
}
