//! Launching headless Chromium and opening tabs in it.
//!
//! Chromium runs in its own process group with a throw-away profile. It is
//! killed, with all its helper processes, when the [`Browser`] is dropped,
//! and also when the test process ends in any other way (a browser kept in
//! a `static` is never dropped, and a test binary may be killed): a small
//! watchdog shell holds a pipe from the test process and kills the group
//! when that pipe closes.

use std::fs;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::connection::Connection;
use super::tab::Tab;
use super::{Error, Result};

/// How long Chromium may take to start and write `DevToolsActivePort`.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one browser-level command may take.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(15);

/// The command line, apart from the profile folder and the initial page.
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
];

/// A running headless Chromium.
pub struct Browser {
    // Fields drop in order: the connection closes before the process dies.
    connection: Mutex<Connection>,
    port: u16,
    process: Process,
}

/// The Chromium process group and its watchdog; dropping it kills both.
struct Process {
    child: Child,
    /// Closing it makes the watchdog kill the process group.
    lifeline: Option<ChildStdin>,
    watchdog: Option<Child>,
    profile: PathBuf,
}

impl Browser {
    /// Starts Chromium: `$JIREI_CHROMIUM`, `/usr/bin/chromium`, or
    /// `chromium` / `chromium-browser` on `PATH`.
    pub fn launch() -> Result<Browser> {
        let program = find_chromium()?;
        let profile = std::env::temp_dir().join(format!("jirei-chromium-{}-{}", std::process::id(), unique()));
        fs::create_dir_all(&profile).map_err(|e| Error::new(format!("cannot create {}: {e}", profile.display())))?;
        let log = fs::File::create(profile.join("chromium.log"))
            .map_err(|e| Error::new(format!("cannot create the Chromium log: {e}")))?;
        let child = Command::new(&program)
            .args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .process_group(0)
            .spawn()
            .map_err(|e| Error::new(format!("cannot start {}: {e}", program.display())))?;
        let mut process = Process {
            child,
            lifeline: None,
            watchdog: None,
            profile,
        };
        let (watchdog, lifeline) = start_watchdog(process.child.id(), &process.profile)?;
        process.watchdog = Some(watchdog);
        process.lifeline = Some(lifeline);
        let (port, path) = process.wait_for_devtools()?;
        let connection = Connection::open(port, &path, COMMAND_TIMEOUT)?;
        Ok(Browser {
            connection: Mutex::new(connection),
            port,
            process,
        })
    }

    /// The DevTools port, for debugging by hand (`chrome://inspect`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Opens a new tab in a fresh browser context (its own cookies, storage
    /// and cache, like an incognito window), showing `about:blank`.
    pub fn new_tab(&self) -> Result<Tab<'_>> {
        let context = self.command("Target.createBrowserContext", json!({ "disposeOnDetach": false }))?;
        let context_id = string_field(&context, "browserContextId")?;
        let target = self.command(
            "Target.createTarget",
            json!({ "url": "about:blank", "browserContextId": context_id }),
        )?;
        let target_id = string_field(&target, "targetId")?;
        Tab::attach(self, self.port, target_id, context_id)
    }

    /// Runs a browser-level command (the `Target` and `Browser` domains).
    pub fn command(&self, method: &str, params: Value) -> Result<Value> {
        let mut connection = self
            .connection
            .lock()
            .map_err(|_| Error::new("the browser connection was poisoned by a panic"))?;
        connection.call(method, params, COMMAND_TIMEOUT, &mut |_, _, _| {})
    }

    /// Chromium's own log (stderr), for error messages.
    pub fn log_tail(&self) -> String {
        log_tail(&self.process.profile)
    }
}

impl Process {
    /// Waits for `DevToolsActivePort`: the port on its first line, the
    /// browser endpoint's path on the second.
    fn wait_for_devtools(&mut self) -> Result<(u16, String)> {
        let file = self.profile.join("DevToolsActivePort");
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            if let Ok(text) = fs::read_to_string(&file) {
                let mut lines = text.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next())
                    && let Ok(port) = port.trim().parse::<u16>()
                {
                    return Ok((port, path.trim().to_string()));
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(Error::new(format!(
                    "Chromium exited at start ({status}):\n{}",
                    log_tail(&self.profile)
                )));
            }
            if Instant::now() >= deadline {
                return Err(Error::new(format!(
                    "Chromium did not write {} within {} s:\n{}",
                    file.display(),
                    STARTUP_TIMEOUT.as_secs(),
                    log_tail(&self.profile)
                )));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Ok(connection) = self.connection.get_mut() {
            connection.close();
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        // Closing the lifeline makes the watchdog kill the whole group and
        // remove the profile; kill the main process too in case it could not.
        drop(self.lifeline.take());
        if let Some(mut watchdog) = self.watchdog.take() {
            let _ = watchdog.wait();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_dir_all(&self.profile);
    }
}

/// The Chromium executable, or an error that says how to install it.
fn find_chromium() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("JIREI_CHROMIUM") {
        return Ok(PathBuf::from(path));
    }
    let default = Path::new("/usr/bin/chromium");
    if default.is_file() {
        return Ok(default.to_path_buf());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err(Error::new(
        "chromium not found: apt-get install chromium (or set JIREI_CHROMIUM to its path)",
    ))
}

/// Starts `sh` in its own process group, ignoring the signals a terminal
/// sends: it waits for its standard input to close, then kills the
/// browser's process group and removes the profile.
fn start_watchdog(group: u32, profile: &Path) -> Result<(Child, ChildStdin)> {
    let script = r#"trap '' INT HUP TERM QUIT; while read -r _line; do :; done; kill -9 "-$1" 2>/dev/null; sleep 0.2; rm -rf -- "$2""#;
    let mut watchdog = Command::new("sh")
        .args(["-c", script, "jirei-chromium-watchdog"])
        .arg(group.to_string())
        .arg(profile)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| Error::new(format!("cannot start the watchdog shell: {e}")))?;
    let lifeline = watchdog
        .stdin
        .take()
        .ok_or_else(|| Error::new("the watchdog has no standard input"))?;
    Ok((watchdog, lifeline))
}

/// The last lines of Chromium's log.
fn log_tail(profile: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut file) = fs::File::open(profile.join("chromium.log")) {
        let _ = file.read_to_string(&mut text);
    }
    let lines: Vec<&str> = text.lines().filter(|l| !l.contains("dbus")).collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

fn string_field(value: &Value, name: &str) -> Result<String> {
    value
        .get(name)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| Error::new(format!("DevTools answer without {name}: {value}")))
}

/// A number that differs between calls within one process.
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
