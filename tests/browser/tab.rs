//! One browser tab: navigate, run JavaScript, wait, click, type, emulate
//! print media, take screenshots and PDFs, and read what it logged.
//!
//! Every method is bounded by the tab's timeout ([`Tab::set_timeout`], 20 s
//! by default) and fails with a message naming what it waited for.

use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

use super::chromium::Browser;
use super::connection::{Connection, Incoming};
use super::logs::{ConsoleMessage, Logs};
use super::{Error, Result};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
/// How often conditions are re-evaluated while waiting.
const POLL: Duration = Duration::from_millis(40);

/// Reports `securitypolicyviolation` events through a binding, so CSP
/// violations are recorded even when no console message names them.
const CSP_LISTENER: &str = "document.addEventListener('securitypolicyviolation', e => \
     globalThis.__jireiCsp && globalThis.__jireiCsp(JSON.stringify({directive: e.violatedDirective, \
     blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample})));";

/// A page target with its own websocket, closed (with its browser
/// context) on drop.
pub struct Tab<'b> {
    browser: &'b Browser,
    connection: Connection,
    target_id: String,
    context_id: String,
    timeout: Duration,
    /// Main-frame `load` events seen so far.
    loads: u64,
    /// Main-frame navigations seen so far (including back/forward cache restores).
    navigations: u64,
    logs: Logs,
}

impl<'b> Tab<'b> {
    /// Connects to a page target and enables the domains the tab records.
    pub(super) fn attach(browser: &'b Browser, port: u16, target_id: String, context_id: String) -> Result<Tab<'b>> {
        let connection = Connection::open(port, &format!("/devtools/page/{target_id}"), DEFAULT_TIMEOUT)?;
        let mut tab = Tab {
            browser,
            connection,
            target_id,
            context_id,
            timeout: DEFAULT_TIMEOUT,
            loads: 0,
            navigations: 0,
            logs: Logs::default(),
        };
        for domain in ["Page.enable", "Network.enable", "Runtime.enable", "Log.enable"] {
            tab.call(domain, json!({}))?;
        }
        tab.call("Runtime.addBinding", json!({ "name": "__jireiCsp" }))?;
        tab.call(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": CSP_LISTENER }),
        )?;
        tab.set_viewport(1280, 900)?;
        Ok(tab)
    }

    /// Changes the timeout of every later call and wait.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Sends a raw DevTools command to the page and returns its result.
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value> {
        let logs = &mut self.logs;
        let (loads, navigations) = (&mut self.loads, &mut self.navigations);
        self.connection
            .call(method, params, self.timeout, &mut |connection, event, params| {
                handle_event(connection, logs, loads, navigations, &event, &params)
            })
    }

    /// Reads events until `deadline`.
    fn pump(&mut self, deadline: Instant) -> Result<()> {
        while let Some(message) = self.connection.read_until(deadline)? {
            if let Incoming::Event { method, params } = message {
                handle_event(
                    &mut self.connection,
                    &mut self.logs,
                    &mut self.loads,
                    &mut self.navigations,
                    &method,
                    &params,
                );
            }
        }
        Ok(())
    }

    /// Reads events until `done(self)` holds, failing after the timeout.
    fn wait_for_state(&mut self, what: &str, done: impl Fn(&Tab) -> bool) -> Result<()> {
        let deadline = Instant::now() + self.timeout;
        while !done(self) {
            if Instant::now() >= deadline {
                return Err(self.timeout_error(what, None));
            }
            self.pump((Instant::now() + POLL).min(deadline))?;
        }
        Ok(())
    }

    fn timeout_error(&self, what: &str, last: Option<&str>) -> Error {
        let errors: Vec<String> = self.logs.errors().iter().map(|m| format!("  {}", m.text)).collect();
        Error::new(format!(
            "timed out after {:.1} s waiting for {what}{}{}",
            self.timeout.as_secs_f64(),
            last.map(|l| format!("; last error: {l}")).unwrap_or_default(),
            if errors.is_empty() {
                String::new()
            } else {
                format!("\nconsole errors:\n{}", errors.join("\n"))
            }
        ))
    }

    /// Opens `url` and waits for its `load` event. Fails if the browser
    /// cannot open it (`net::ERR_FILE_NOT_FOUND` …) or the server answers
    /// with an error status.
    pub fn navigate(&mut self, url: &str) -> Result<()> {
        match self.open(url)? {
            Some(status) if status >= 400 => Err(Error::new(format!("{url} answered HTTP {status}"))),
            _ => Ok(()),
        }
    }

    /// Opens `url`, waits for its `load` event and returns the HTTP status
    /// of the document (`None` where there is none, as for `about:`).
    /// Fails only if the browser cannot open the URL at all.
    pub fn open(&mut self, url: &str) -> Result<Option<u16>> {
        let before = self.loads;
        let result = self.call("Page.navigate", json!({ "url": url }))?;
        if let Some(error) = result.get("errorText").and_then(Value::as_str) {
            return Err(Error::new(format!("cannot open {url}: {error}")));
        }
        self.wait_for_state(&format!("the load event of {url}"), |tab| tab.loads > before)?;
        let loader = result.get("loaderId").and_then(Value::as_str).unwrap_or_default();
        Ok(self
            .logs
            .network
            .requests
            .iter()
            .rev()
            .find(|r| r.id == loader)
            .and_then(|r| r.status))
    }

    /// Runs `action` (a click, a `history.back()`…) and waits until the
    /// main frame has navigated and the new document is complete.
    pub fn expect_navigation(&mut self, action: impl FnOnce(&mut Self) -> Result<()>) -> Result<String> {
        let before = self.navigations;
        action(self)?;
        self.wait_for_state("a navigation", |tab| tab.navigations > before)?;
        self.wait_until("document.readyState === 'complete'")?;
        self.url()
    }

    /// Goes back one entry in the tab's history and waits for the page.
    pub fn back(&mut self) -> Result<String> {
        let history = self.call("Page.getNavigationHistory", json!({}))?;
        let current = history.get("currentIndex").and_then(Value::as_u64).unwrap_or(0) as usize;
        let entries = history
            .get("entries")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let previous = current
            .checked_sub(1)
            .and_then(|i| entries.get(i))
            .ok_or_else(|| Error::new("no previous history entry to go back to"))?;
        let id = previous.get("id").cloned().unwrap_or_default();
        self.expect_navigation(|tab| {
            tab.call("Page.navigateToHistoryEntry", json!({ "entryId": id }))
                .map(drop)
        })
    }

    /// The current document's URL.
    pub fn url(&mut self) -> Result<String> {
        let url = self.evaluate("location.href")?;
        Ok(url.as_str().unwrap_or_default().to_string())
    }

    /// Evaluates a JavaScript expression in the page, awaiting a returned
    /// promise, and returns its value as JSON (`null` for `undefined`).
    pub fn evaluate(&mut self, expression: &str) -> Result<Value> {
        let result = self.call(
            "Runtime.evaluate",
            json!({
                "expression": expression,
                "returnByValue": true,
                "awaitPromise": true,
                "userGesture": true,
                "timeout": self.timeout.as_millis() as u64,
            }),
        )?;
        if let Some(details) = result.get("exceptionDetails") {
            let message = details
                .pointer("/exception/description")
                .and_then(Value::as_str)
                .or_else(|| details.get("text").and_then(Value::as_str))
                .unwrap_or("exception");
            return Err(Error::new(format!("JavaScript `{expression:.80}` threw: {message}")));
        }
        Ok(result.pointer("/result/value").cloned().unwrap_or(Value::Null))
    }

    /// Waits until the JavaScript `condition` is truthy. Errors while the
    /// page changes (a destroyed context) are retried until the timeout.
    pub fn wait_until(&mut self, condition: &str) -> Result<()> {
        let deadline = Instant::now() + self.timeout;
        let expression = format!("!!({condition})");
        let mut last_error = None;
        loop {
            match self.evaluate(&expression) {
                Ok(Value::Bool(true)) => return Ok(()),
                Ok(_) => {}
                Err(e) => last_error = Some(e.to_string()),
            }
            if Instant::now() >= deadline {
                return Err(self.timeout_error(&format!("`{condition}`"), last_error.as_deref()));
            }
            self.pump((Instant::now() + POLL).min(deadline))?;
        }
    }

    /// Waits until an element matches the CSS `selector`.
    pub fn wait_for_selector(&mut self, selector: &str) -> Result<()> {
        self.wait_until(&format!("document.querySelector({})", js_string(selector)))
    }

    /// Clicks the first element matching `selector` with a real mouse
    /// event, after scrolling it into view: in the middle of its first line
    /// box (a link that wraps has gaps). Fails if another element covers
    /// that point.
    pub fn click(&mut self, selector: &str) -> Result<()> {
        let point = self.evaluate(&format!(
            "(() => {{ const e = document.querySelector({}); if (!e) return null; \
             e.scrollIntoView({{block: 'center', inline: 'center'}}); \
             const r = [...e.getClientRects()].find(r => r.width > 0 && r.height > 0); if (!r) return 'hidden'; \
             const x = r.left + r.width / 2, y = r.top + r.height / 2, hit = document.elementFromPoint(x, y); \
             return hit && (hit === e || e.contains(hit) || hit.contains(e)) ? [x, y] : \
                 'covered by ' + (hit ? hit.outerHTML.slice(0, 120) : 'nothing'); }})()",
            js_string(selector)
        ))?;
        let (x, y) = match (&point, point.as_array().map(Vec::as_slice)) {
            (_, Some([x, y])) => (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0)),
            (Value::Null, _) => return Err(Error::new(format!("nothing matches `{selector}` to click"))),
            (Value::String(why), _) => return Err(Error::new(format!("cannot click `{selector}`: {why}"))),
            _ => return Err(Error::new(format!("cannot click `{selector}`: {point}"))),
        };
        for kind in ["mouseMoved", "mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
            )?;
        }
        Ok(())
    }

    /// Focuses the element matching `selector` and types `text` into it.
    pub fn type_text(&mut self, selector: &str, text: &str) -> Result<()> {
        let found = self.evaluate(&format!(
            "(() => {{ const e = document.querySelector({}); if (!e) return false; e.focus(); return true; }})()",
            js_string(selector)
        ))?;
        if found != Value::Bool(true) {
            return Err(Error::new(format!("nothing matches `{selector}` to type into")));
        }
        self.call("Input.insertText", json!({ "text": text })).map(drop)
    }

    /// Presses and releases a key: `Enter`, `Tab`, `Space`, `Escape` or
    /// `Backspace`.
    pub fn press_key(&mut self, key: &str) -> Result<()> {
        let (code, text) = match key {
            "Enter" => (13, "\r"),
            "Tab" => (9, ""),
            "Space" => (32, " "),
            "Escape" => (27, ""),
            "Backspace" => (8, ""),
            other => return Err(Error::new(format!("press_key does not know the key {other}"))),
        };
        // DOM `key` of the space bar is " "; its `code` is "Space".
        let dom_key = if key == "Space" { " " } else { key };
        let mut down = json!({ "type": "keyDown", "key": dom_key, "code": key, "windowsVirtualKeyCode": code });
        if !text.is_empty() {
            down["text"] = json!(text);
        }
        self.call("Input.dispatchKeyEvent", down)?;
        self.call(
            "Input.dispatchKeyEvent",
            json!({ "type": "keyUp", "key": dom_key, "code": key, "windowsVirtualKeyCode": code }),
        )
        .map(drop)
    }

    /// Lets the tab's pages download files: they are saved in `dir` under
    /// the name the page suggests (`<a download="…">`), as a user's
    /// browser would, without a dialog.
    pub fn allow_downloads(&mut self, dir: &std::path::Path) -> Result<()> {
        let path = dir
            .to_str()
            .ok_or_else(|| Error::new(format!("download folder {} is not UTF-8", dir.display())))?;
        self.browser
            .command(
                "Browser.setDownloadBehavior",
                json!({ "behavior": "allow", "downloadPath": path, "browserContextId": self.context_id }),
            )
            .map(drop)
    }

    /// Sets the viewport size in CSS pixels.
    pub fn set_viewport(&mut self, width: u32, height: u32) -> Result<()> {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
        )
        .map(drop)
    }

    /// Emulates a CSS media type: `"print"`, `"screen"`, or `""` to stop.
    pub fn emulate_media(&mut self, media: &str) -> Result<()> {
        self.call("Emulation.setEmulatedMedia", json!({ "media": media }))
            .map(drop)
    }

    /// Turns the HTTP cache off (or on) for this tab.
    pub fn disable_cache(&mut self, disabled: bool) -> Result<()> {
        self.call("Network.setCacheDisabled", json!({ "cacheDisabled": disabled }))
            .map(drop)
    }

    /// A PNG of the viewport, or of the whole page with `full_page`.
    pub fn screenshot(&mut self, full_page: bool) -> Result<Vec<u8>> {
        let mut params = json!({ "format": "png" });
        if full_page {
            let metrics = self.call("Page.getLayoutMetrics", json!({}))?;
            let size = metrics.get("cssContentSize").cloned().unwrap_or_default();
            let width = size.get("width").and_then(Value::as_f64).unwrap_or(1280.0);
            let height = size
                .get("height")
                .and_then(Value::as_f64)
                .unwrap_or(900.0)
                .min(16_000.0);
            params["clip"] = json!({ "x": 0, "y": 0, "width": width, "height": height, "scale": 1 });
            params["captureBeyondViewport"] = json!(true);
        }
        let result = self.call("Page.captureScreenshot", params)?;
        decode_data(&result, "Page.captureScreenshot")
    }

    /// Prints the page to PDF (A4 unless the page's CSS says otherwise).
    pub fn print_to_pdf(&mut self) -> Result<Vec<u8>> {
        let result = self.call(
            "Page.printToPDF",
            json!({ "printBackground": true, "preferCSSPageSize": true, "paperWidth": 8.27, "paperHeight": 11.69 }),
        )?;
        decode_data(&result, "Page.printToPDF")
    }

    /// Waits until no request has been in flight for `quiet`.
    pub fn wait_for_network_idle(&mut self, quiet: Duration) -> Result<()> {
        let deadline = Instant::now() + self.timeout;
        let mut idle_since = Instant::now();
        loop {
            if self.logs.network.in_flight() > 0 {
                idle_since = Instant::now();
            } else if idle_since.elapsed() >= quiet {
                return Ok(());
            }
            if Instant::now() >= deadline {
                let pending = self.logs.network.describe();
                return Err(self.timeout_error(&format!("the network to be idle; requests:\n{pending}"), None));
            }
            self.pump((Instant::now() + POLL).min(deadline))?;
        }
    }

    /// What the tab recorded so far (after reading pending events).
    pub fn logs(&mut self) -> Result<&Logs> {
        self.pump(Instant::now())?;
        Ok(&self.logs)
    }

    /// Forgets everything recorded so far.
    pub fn clear_logs(&mut self) -> Result<()> {
        self.pump(Instant::now())?;
        self.logs = Logs::default();
        Ok(())
    }

    /// Fails with a list of them if the page logged errors or CSP violations.
    pub fn assert_clean(&mut self, page: &str) -> Result<()> {
        let logs = self.logs()?;
        let problems: Vec<String> = logs
            .console
            .iter()
            .filter(|m| m.level == "error" || m.is_csp_violation())
            .map(|m| format!("  [{} {}] {} {}", m.source, m.level, m.text, m.url))
            .collect();
        if problems.is_empty() && logs.dialogs.is_empty() {
            return Ok(());
        }
        Err(Error::new(format!(
            "{page}: console errors or CSP violations:\n{}\ndialogs: {:?}",
            problems.join("\n"),
            logs.dialogs
        )))
    }
}

impl Drop for Tab<'_> {
    fn drop(&mut self) {
        self.connection.close();
        let _ = self
            .browser
            .command("Target.closeTarget", json!({ "targetId": self.target_id }));
        let _ = self.browser.command(
            "Target.disposeBrowserContext",
            json!({ "browserContextId": self.context_id }),
        );
    }
}

/// Records one event; dismisses dialogs at once so they cannot block the page.
fn handle_event(
    connection: &mut Connection,
    logs: &mut Logs,
    loads: &mut u64,
    navigations: &mut u64,
    method: &str,
    params: &Value,
) {
    match method {
        "Page.loadEventFired" => *loads += 1,
        "Page.frameNavigated" => {
            if params.pointer("/frame/parentId").is_none() {
                *navigations += 1;
            }
        }
        "Page.javascriptDialogOpening" => {
            let message = params.get("message").and_then(Value::as_str).unwrap_or_default();
            logs.dialogs.push(message.to_string());
            let _ = connection.send("Page.handleJavaScriptDialog", json!({ "accept": false }));
        }
        "Runtime.bindingCalled" if params.get("name").and_then(Value::as_str) == Some("__jireiCsp") => {
            logs.console.push(ConsoleMessage {
                source: "csp".into(),
                level: "error".into(),
                text: params
                    .get("payload")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                url: String::new(),
            });
        }
        m if m.starts_with("Network.") => logs.network.record(m, params),
        m => logs.console.extend(ConsoleMessage::from_event(m, params)),
    }
}

/// A JavaScript string literal.
pub fn js_string(text: &str) -> String {
    Value::String(text.to_string()).to_string()
}

fn decode_data(result: &Value, method: &str) -> Result<Vec<u8>> {
    let data = result
        .get("data")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::new(format!("{method} returned no data")))?;
    base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|e| Error::new(format!("{method} returned invalid base64: {e}")))
}
