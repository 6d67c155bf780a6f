//! Live reload: `/__jirei/events` (Server-Sent Events) and the script and
//! stylesheet the served pages load from `/__jirei/`.
//!
//! Events, each with a JSON `data` line:
//! - `status` `{generation, errors}` once on connecting, so a page opened
//!   (or reconnected) while the cases have errors shows the overlay, and a
//!   page that missed a rebuild while disconnected reloads;
//! - `reload` `{generation, changed}` after each published rebuild;
//! - `build-error` `{generation, errors}` when an edit made a case invalid:
//!   the overlay lists each error as `file:line:col: message` with the
//!   source line, and the previous site keeps being served.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use serde::Serialize;
use tokio::sync::broadcast::{Receiver, error::RecvError};

use super::state::{AppState, Event, Status};

const SCRIPT: &str = include_str!("assets/livereload.js");
const STYLE: &str = include_str!("assets/overlay.css");

/// `GET /__jirei/livereload.js`.
pub async fn script() -> Response {
    asset(SCRIPT, "text/javascript; charset=utf-8")
}

/// `GET /__jirei/overlay.css`.
pub async fn style() -> Response {
    asset(STYLE, "text/css; charset=utf-8")
}

fn asset(text: &'static str, kind: &'static str) -> Response {
    let mut response = text.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

#[derive(Serialize)]
struct ReloadData<'a> {
    generation: u64,
    changed: &'a [String],
}

fn status_event(name: &str, status: &Status) -> SseEvent {
    SseEvent::default()
        .event(name)
        .data(serde_json::to_string(status).unwrap_or_default())
}

fn to_sse(event: &Event) -> SseEvent {
    match event {
        Event::Reload { generation, changed } => SseEvent::default().event("reload").data(
            serde_json::to_string(&ReloadData {
                generation: *generation,
                changed,
            })
            .unwrap_or_default(),
        ),
        Event::Failed(status) => status_event("build-error", status),
    }
}

/// `GET /__jirei/events`.
pub async fn events(State(state): State<Arc<AppState>>) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let receiver = state.subscribe();
    let first = status_event("status", &state.status());
    let stream = futures_util::stream::unfold(
        (Some(first), receiver, state),
        |(first, mut receiver, state): (Option<SseEvent>, Receiver<Event>, Arc<AppState>)| async move {
            if let Some(event) = first {
                return Some((Ok(event), (None, receiver, state)));
            }
            let event = match receiver.recv().await {
                Ok(event) => to_sse(&event),
                // Missed events: the current status tells the page what to do.
                Err(RecvError::Lagged(_)) => status_event("status", &state.status()),
                Err(RecvError::Closed) => return None,
            };
            Some((Ok(event), (None, receiver, state)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
