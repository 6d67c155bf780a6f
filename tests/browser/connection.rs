//! One DevTools websocket: numbered JSON commands out, responses and events
//! in, every read bounded by a deadline.
//!
//! The connection is deliberately dumb: it does not interpret events. The
//! owner (a [`super::Tab`] or the browser) reads [`Incoming`] messages and
//! decides what to do with each.

use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message, WebSocket};

use super::{Error, Result};

/// A message from the browser.
#[derive(Debug)]
pub enum Incoming {
    /// The answer to the command with this id: its `result`, or the
    /// protocol's error message.
    Response {
        id: u64,
        result: std::result::Result<Value, String>,
    },
    /// A notification, such as `Network.requestWillBeSent`.
    Event { method: String, params: Value },
}

/// A websocket to one DevTools endpoint (the browser or one page).
pub struct Connection {
    socket: WebSocket<TcpStream>,
    next_id: u64,
    url: String,
}

impl Connection {
    /// Connects to `ws://127.0.0.1:<port><path>` within `timeout`.
    pub fn open(port: u16, path: &str, timeout: Duration) -> Result<Connection> {
        let url = format!("ws://127.0.0.1:{port}{path}");
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        let stream = TcpStream::connect_timeout(&address, timeout)
            .map_err(|e| Error::new(format!("cannot connect to DevTools at {url}: {e}")))?;
        stream
            .set_read_timeout(Some(timeout))
            .and_then(|()| stream.set_write_timeout(Some(timeout)))
            .and_then(|()| stream.set_nodelay(true))
            .map_err(|e| Error::new(format!("{url}: {e}")))?;
        // Screenshots and PDFs arrive as one base64 message of several MB.
        let config = WebSocketConfig::default()
            .max_message_size(Some(512 << 20))
            .max_frame_size(Some(512 << 20));
        let (socket, _) = tungstenite::client::client_with_config(url.as_str(), stream, Some(config))
            .map_err(|e| Error::new(format!("DevTools websocket handshake with {url} failed: {e}")))?;
        Ok(Connection {
            socket,
            next_id: 1,
            url,
        })
    }

    /// Sends a command and returns its id without waiting for the answer.
    pub fn send(&mut self, method: &str, params: Value) -> Result<u64> {
        let id = self.next_id;
        self.next_id += 1;
        let text = json!({ "id": id, "method": method, "params": params }).to_string();
        self.socket
            .send(Message::text(text))
            .map_err(|e| Error::new(format!("sending {method} to {}: {e}", self.url)))?;
        Ok(id)
    }

    /// The next message, or `None` once `deadline` has passed without one.
    pub fn read_until(&mut self, deadline: Instant) -> Result<Option<Incoming>> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            // A zero timeout means "block forever" to the OS: poll briefly instead.
            let wait = left.max(Duration::from_millis(1));
            self.socket
                .get_mut()
                .set_read_timeout(Some(wait))
                .map_err(|e| Error::new(format!("{}: {e}", self.url)))?;
            match self.socket.read() {
                Ok(Message::Text(text)) => return parse(text.as_str()).map(Some),
                Ok(Message::Close(_)) => {
                    return Err(Error::new(format!("DevTools closed the connection {}", self.url)));
                }
                Ok(_) => {} // ping, pong, binary: not used by DevTools
                Err(tungstenite::Error::Io(e))
                    if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) =>
                {
                    if Instant::now() >= deadline {
                        return Ok(None);
                    }
                }
                Err(e) => return Err(Error::new(format!("reading from {}: {e}", self.url))),
            }
        }
    }

    /// Sends a command and waits for its answer, handing every event that
    /// arrives meanwhile to `on_event`.
    pub fn call(
        &mut self,
        method: &str,
        params: Value,
        timeout: Duration,
        on_event: &mut dyn FnMut(&mut Connection, String, Value),
    ) -> Result<Value> {
        let id = self.send(method, params)?;
        let deadline = Instant::now() + timeout;
        loop {
            match self.read_until(deadline)? {
                Some(Incoming::Response { id: got, result }) if got == id => {
                    return result.map_err(|e| Error::new(format!("{method} failed: {e}")));
                }
                Some(Incoming::Response { .. }) => {} // answer to a fire-and-forget command
                Some(Incoming::Event { method, params }) => on_event(self, method, params),
                None => {
                    return Err(Error::new(format!(
                        "no answer to {method} within {:.1} s",
                        timeout.as_secs_f64()
                    )));
                }
            }
        }
    }

    /// Closes the websocket politely; errors are irrelevant at that point.
    pub fn close(&mut self) {
        let _ = self.socket.close(None);
        let _ = self.socket.flush();
    }
}

fn parse(text: &str) -> Result<Incoming> {
    let mut value: Value =
        serde_json::from_str(text).map_err(|e| Error::new(format!("DevTools sent invalid JSON ({e}): {text:.200}")))?;
    if let Some(id) = value.get("id").and_then(Value::as_u64) {
        let result = match value.get_mut("error") {
            Some(error) => Err(error
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| error.to_string())),
            None => Ok(value.get_mut("result").map(Value::take).unwrap_or(Value::Null)),
        };
        return Ok(Incoming::Response { id, result });
    }
    match value.get("method").and_then(Value::as_str) {
        Some(method) => Ok(Incoming::Event {
            method: method.to_string(),
            params: value.get_mut("params").map(Value::take).unwrap_or(Value::Null),
        }),
        None => Err(Error::new(format!(
            "DevTools sent a message without id or method: {text:.200}"
        ))),
    }
}
