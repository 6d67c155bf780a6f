//! A build killed at any moment leaves the previous output complete and
//! unchanged, or the new output complete: never a half-written mix.

#[path = "site_common.rs"]
mod common;

use std::fs;
use std::process::Command;
use std::time::Duration;

use common::*;

#[test]
fn a_killed_build_never_leaves_a_half_written_output() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("collection");
    let cases = root.join("cases");
    fs::create_dir_all(&cases).expect("mkdir");
    let mut rng = Lcg(7);
    for i in 0..10 {
        write_case(&cases, i, &mut rng);
    }
    let out = tmp.path().join("public");
    assert!(build(&root, &out, &[]).status.success());
    let before = snapshot(&out);
    for i in 10..800 {
        write_case(&cases, i, &mut rng);
    }
    // Builds are reproducible, so `complete` is what any completed build
    // writes.
    let complete_out = tmp.path().join("complete");
    assert!(build(&root, &complete_out, &[]).status.success());
    let complete = snapshot(&complete_out);
    // The staging folder of one build is named after its process id.
    let staging_of = |pid: u32| tmp.path().join(format!(".public.staging-{pid}"));
    let mut killed_while_writing = 0;
    // Kill right away, then at moments after the staging folder appears:
    // timing-independent, so a loaded machine cannot make kills miss the
    // writing phase.
    for delay_ms in [None, Some(0), Some(2), Some(10), Some(30), Some(80)] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jirei"))
            .args([
                "build",
                "--root",
                root.to_str().expect("utf-8"),
                "--out",
                out.to_str().expect("utf-8"),
            ])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        if let Some(delay) = delay_ms {
            let waiting = std::time::Instant::now();
            while !staging_of(child.id()).exists() && child.try_wait().expect("poll").is_none() {
                assert!(
                    waiting.elapsed() < Duration::from_secs(120),
                    "the build never started writing"
                );
                std::thread::sleep(Duration::from_micros(500));
            }
            std::thread::sleep(Duration::from_millis(delay));
        }
        let pid = child.id();
        let _ = child.kill();
        let _ = child.wait();
        if staging_of(pid).exists() {
            killed_while_writing += 1;
        }
        let now = snapshot(&out);
        assert!(
            now == before || now == complete,
            "killed after {delay_ms:?} ms of writing: a partial output"
        );
    }
    assert!(
        killed_while_writing >= 3,
        "only {killed_while_writing} kills hit the writing phase; raise the number of cases"
    );
    // The next build cleans up after the killed ones.
    assert!(build(&root, &out, &[]).status.success());
    let leftovers: Vec<String> = fs::read_dir(tmp.path())
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
