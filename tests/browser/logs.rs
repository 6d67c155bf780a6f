//! What a tab records from DevTools events: the network log, console
//! messages, uncaught exceptions, Content Security Policy violations and
//! JavaScript dialogs.

use std::collections::HashMap;

use serde_json::Value;

/// One network request of a tab, as the `Network` domain reported it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub id: String,
    pub url: String,
    pub method: String,
    /// `Document`, `Stylesheet`, `Script`, `Image`, `Fetch` …
    pub resource_type: String,
    pub status: Option<u16>,
    pub mime_type: Option<String>,
    /// Bytes received over the wire, headers included (`loadingFinished`).
    pub encoded_bytes: Option<u64>,
    /// `loadingFailed`'s error text, such as `net::ERR_FILE_NOT_FOUND`.
    pub failed: Option<String>,
    /// Why the browser blocked it (`csp`, `mixed-content` …).
    pub blocked_reason: Option<String>,
    pub from_cache: bool,
}

impl Request {
    /// Whether it has finished or failed.
    pub fn done(&self) -> bool {
        self.encoded_bytes.is_some() || self.failed.is_some()
    }
}

/// Every request of a tab in the order they started.
#[derive(Debug, Clone, Default)]
pub struct NetworkLog {
    pub requests: Vec<Request>,
    /// Request id → index of its latest entry (a redirect starts a new one).
    index: HashMap<String, usize>,
}

impl NetworkLog {
    /// Requests still waiting for their last byte.
    pub fn in_flight(&self) -> usize {
        self.requests.iter().filter(|r| !r.done()).count()
    }

    /// Sum of the bytes received by finished requests.
    /// The URLs requested that do not start with `base`.
    pub fn outside(&self, base: &str) -> Vec<&str> {
        self.requests
            .iter()
            .map(|r| r.url.as_str())
            .filter(|url| !url.starts_with(base))
            .collect()
    }

    /// The requests that failed or got an HTTP error, one line each.
    pub fn failed(&self) -> Vec<String> {
        self.requests
            .iter()
            .filter(|r| r.failed.is_some() || r.status.is_some_and(|s| s >= 400))
            .map(|r| format!("{} {:?} {:?}", r.url, r.status, r.failed))
            .collect()
    }

    pub fn total_bytes(&self) -> u64 {
        self.requests.iter().filter_map(|r| r.encoded_bytes).sum()
    }

    /// The URLs, one a line, with status and size: for failure messages.
    pub fn describe(&self) -> String {
        self.requests
            .iter()
            .map(|r| {
                format!(
                    "{} {} [{}] {} {}{}",
                    r.method,
                    r.url,
                    r.resource_type,
                    r.status.map(|s| s.to_string()).unwrap_or_else(|| "-".into()),
                    r.encoded_bytes.map(|b| format!("{b} B")).unwrap_or_default(),
                    r.failed.as_deref().map(|f| format!(" FAILED {f}")).unwrap_or_default(),
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn entry(&mut self, params: &Value) -> Option<&mut Request> {
        let id = params.get("requestId")?.as_str()?;
        let i = *self.index.get(id)?;
        self.requests.get_mut(i)
    }

    /// Updates the log from one `Network.*` event.
    pub fn record(&mut self, method: &str, params: &Value) {
        let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
        match method {
            "Network.requestWillBeSent" => {
                let request = params.get("request").cloned().unwrap_or_default();
                let entry = Request {
                    id: text(params, "requestId"),
                    url: text(&request, "url"),
                    method: text(&request, "method"),
                    resource_type: text(params, "type"),
                    ..Request::default()
                };
                self.index.insert(entry.id.clone(), self.requests.len());
                self.requests.push(entry);
            }
            "Network.responseReceived" => {
                let response = params.get("response").cloned().unwrap_or_default();
                if let Some(entry) = self.entry(params) {
                    entry.status = response
                        .get("status")
                        .and_then(Value::as_u64)
                        .and_then(|s| u16::try_from(s).ok());
                    entry.mime_type = Some(text(&response, "mimeType"));
                    entry.from_cache = response.get("fromDiskCache").and_then(Value::as_bool) == Some(true);
                }
            }
            "Network.loadingFinished" => {
                let bytes = params.get("encodedDataLength").and_then(Value::as_f64).unwrap_or(0.0);
                if let Some(entry) = self.entry(params) {
                    entry.encoded_bytes = Some(bytes.max(0.0) as u64);
                }
            }
            "Network.loadingFailed" => {
                let error = text(params, "errorText");
                let blocked = params.get("blockedReason").and_then(Value::as_str).map(str::to_string);
                if let Some(entry) = self.entry(params) {
                    entry.failed = Some(error);
                    entry.blocked_reason = blocked;
                }
            }
            _ => {}
        }
    }
}

/// A console message, uncaught exception or browser log entry.
#[derive(Debug, Clone)]
pub struct ConsoleMessage {
    /// `console`, `exception`, or the `Log` domain's source (`security`,
    /// `network`, `javascript` …).
    pub source: String,
    /// `error`, `warning`, `info` …
    pub level: String,
    pub text: String,
    pub url: String,
}

impl ConsoleMessage {
    /// Whether it reports a Content Security Policy violation.
    pub fn is_csp_violation(&self) -> bool {
        self.source == "csp" || self.text.contains("Content Security Policy")
    }

    /// Reads `Runtime.consoleAPICalled`, `Runtime.exceptionThrown` and
    /// `Log.entryAdded`.
    pub fn from_event(method: &str, params: &Value) -> Option<ConsoleMessage> {
        let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
        match method {
            "Runtime.consoleAPICalled" => {
                let args = params
                    .get("args")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let words: Vec<String> = args
                    .iter()
                    .map(|a| match a.get("value") {
                        Some(Value::String(s)) => s.clone(),
                        Some(v) => v.to_string(),
                        None => text(a, "description"),
                    })
                    .collect();
                let level = match text(params, "type").as_str() {
                    "error" | "assert" => "error".to_string(),
                    "warning" => "warning".to_string(),
                    other => other.to_string(),
                };
                Some(ConsoleMessage {
                    source: "console".into(),
                    level,
                    text: words.join(" "),
                    url: String::new(),
                })
            }
            "Runtime.exceptionThrown" => {
                let details = params.get("exceptionDetails").cloned().unwrap_or_default();
                let description = details
                    .get("exception")
                    .map(|e| text(e, "description"))
                    .filter(|d| !d.is_empty())
                    .unwrap_or_else(|| text(&details, "text"));
                Some(ConsoleMessage {
                    source: "exception".into(),
                    level: "error".into(),
                    text: description,
                    url: text(&details, "url"),
                })
            }
            "Log.entryAdded" => {
                let entry = params.get("entry")?;
                Some(ConsoleMessage {
                    source: text(entry, "source"),
                    level: text(entry, "level"),
                    text: text(entry, "text"),
                    url: text(entry, "url"),
                })
            }
            _ => None,
        }
    }
}

/// Everything a tab recorded since it opened or since the last clear.
#[derive(Debug, Clone, Default)]
pub struct Logs {
    pub network: NetworkLog,
    pub console: Vec<ConsoleMessage>,
    /// Messages of `alert`, `confirm` and `prompt` dialogs (dismissed).
    pub dialogs: Vec<String>,
}

impl Logs {
    /// Console errors, uncaught exceptions and error-level log entries.
    pub fn errors(&self) -> Vec<&ConsoleMessage> {
        self.console.iter().filter(|m| m.level == "error").collect()
    }

    /// Content Security Policy violations.
    pub fn csp_violations(&self) -> Vec<&ConsoleMessage> {
        self.console.iter().filter(|m| m.is_csp_violation()).collect()
    }
}
