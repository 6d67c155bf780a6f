//! The build lock: a second builder of the same collection (`jirei build`,
//! or `jirei index`/`jirei search` when they rebuild the index) waits for the
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

/// Runs `command` while this process holds the lock as `holder` (with
/// `--wait 1`): it must wait a second, name the holder, and fail (exit 1).
fn assert_waited_and_gave_up(holder: &str, command: impl FnOnce() -> std::process::Output) {
    let started = std::time::Instant::now();
    let output = command();
    assert!(started.elapsed() >= Duration::from_secs(1), "it waited");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let holder = format!("{holder}, pid {}", std::process::id());
    assert!(
        stderr.contains(&format!("waiting for another jirei process ({holder})")),
        "{stderr}"
    );
    assert!(stderr.contains("gave up after waiting"), "{stderr}");
}

#[test]
fn a_build_waits_for_the_holder_and_then_gives_up_clearly() {
    let tmp = site_fixture();
    let lock = BuildLock::acquire(tmp.path(), "jirei serve", Duration::ZERO, |_| {}).expect("free");
    assert_waited_and_gave_up("jirei serve", || build(tmp.path(), &["--wait", "1"]));
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

fn index_command(root: &std::path::Path, command: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_jirei"));
    cmd.args(["--root", root.to_str().expect("utf-8")])
        .args(command)
        .env("NO_COLOR", "1");
    cmd
}

#[test]
fn rebuilding_the_index_waits_for_the_holder_and_then_gives_up_clearly() {
    let tmp = site_fixture();
    let lock = BuildLock::acquire(tmp.path(), "jirei build", Duration::ZERO, |_| {}).expect("free");
    for command in [&["index", "--wait", "1"][..], &["search", "--json", "--wait", "1"][..]] {
        assert_waited_and_gave_up("jirei build", || {
            index_command(tmp.path(), command).output().expect("run")
        });
        assert!(!tmp.path().join(".jirei-cache/index").exists(), "no index was written");
    }
    drop(lock);
    let output = index_command(tmp.path(), &["index", "--wait", "1"])
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn searching_a_current_index_does_not_need_the_lock() {
    let tmp = site_fixture();
    let output = index_command(tmp.path(), &["index"]).output().expect("run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let _lock = BuildLock::acquire(tmp.path(), "jirei build", Duration::ZERO, |_| {}).expect("free");
    let output = index_command(tmp.path(), &["search", "--json", "--wait", "0"])
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("\"total\""));
}

#[test]
fn two_index_processes_at_once_rebuild_the_index_once() {
    let tmp = site_fixture();
    let spawn = || {
        index_command(tmp.path(), &["index"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let (a, b) = (spawn(), spawn());
    let mut said = Vec::new();
    for child in [a, b] {
        let output = child.wait_with_output().expect("wait");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        said.push(String::from_utf8_lossy(&output.stdout).into_owned());
    }
    // Whoever comes second, whether it waited for the lock or not, finds
    // the index the first one wrote.
    let rebuilt = said.iter().filter(|s| s.starts_with("indexed ")).count();
    let current = said.iter().filter(|s| s.starts_with("index is current")).count();
    assert_eq!((rebuilt, current), (1, 1), "{said:?}");
    let leftovers: Vec<String> = std::fs::read_dir(tmp.path().join(".jirei-cache"))
        .expect("ls")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".index-building") || n.contains("old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_second_serve_into_the_same_folder_fails_at_once_naming_the_first() {
    let tmp = site_fixture();
    let first = common::serve(tmp.path(), &[]);
    let second = exit_within(
        std::process::Command::new(env!("CARGO_BIN_EXE_jirei"))
            .arg("--root")
            .arg(tmp.path())
            .args(["serve", "--port", "0"]),
        Duration::from_secs(30),
    );
    assert_eq!(second.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&second.stderr);
    let holder = format!("jirei serve, pid {}", first.child.id());
    assert!(
        stderr.contains(&format!("another jirei serve ({holder}) is already previewing into")),
        "{stderr}"
    );
    assert!(stderr.contains("--out DIR"), "it says what to do: {stderr}");
    // Into another folder, a second preview of the same collection starts.
    let other = tmp.path().join("preview-2");
    let second = common::serve(tmp.path(), &["--out", other.to_str().expect("utf-8")]);
    assert!(other.join("index.html").is_file());
    drop(second);
    drop(first);
    // Once the first has stopped, its folder is free again.
    drop(common::serve(tmp.path(), &[]));
}

/// Runs `command` and returns its output, or kills it and fails the test
/// if it is still running after `limit`.
fn exit_within(command: &mut std::process::Command, limit: Duration) -> std::process::Output {
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start jirei");
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}
