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
    // A first build also creates the search index, which later builds
    // reuse; then time a whole build (builds are reproducible, so this is
    // also what any completed build writes), and kill builds at fractions
    // of that time.
    assert!(build(&root, &tmp.path().join("warm-up"), &[]).status.success());
    let timed = std::time::Instant::now();
    let complete_out = tmp.path().join("complete");
    assert!(build(&root, &complete_out, &[]).status.success());
    let full = timed.elapsed().as_millis() as u64;
    let complete = snapshot(&complete_out);
    let mut killed_while_writing = false;
    for delay_ms in [20, 40, 55, 70, 85, 95].map(|percent| full * percent / 100) {
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
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        killed_while_writing |= fs::read_dir(tmp.path())
            .expect("ls")
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(".public.staging-"));
        let now = snapshot(&out);
        assert!(
            now == before || now == complete,
            "after {delay_ms} ms: a partial output"
        );
    }
    assert!(
        killed_while_writing,
        "no kill hit the writing phase; raise the number of cases"
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
