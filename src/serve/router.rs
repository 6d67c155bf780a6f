//! The routes of `jirei serve`: the API, live reload, and the site's files
//! for every other path.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::api;
use super::files::{self, Resolved};
use super::live;
use super::state::AppState;

/// Longest accepted request target (path and query), in bytes.
pub const MAX_URI_BYTES: usize = 4096;

/// The whole application, ready for `axum::serve` or `tower::ServiceExt::oneshot`.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/api/search", get(api::search))
        .route("/api/facets", get(api::facets))
        .route("/api/cases/{id}", get(api::case))
        .route("/healthz", get(api::health))
        .route("/__jirei/events", get(live::events))
        .route("/__jirei/livereload.js", get(live::script))
        .route("/__jirei/overlay.css", get(live::style))
        .fallback(site_file)
        .layer(middleware::from_fn_with_state(state.clone(), check_request))
        .with_state(state)
}

/// Whether a `Host` header names this machine's loopback.
fn is_local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    matches!(name.to_ascii_lowercase().as_str(), "localhost" | "127.0.0.1" | "::1")
}

/// Before any routing: 400 for a foreign `Host` on a loopback server, 414
/// for over-long request targets.
async fn check_request(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    if state.local_hosts_only
        && let Some(host) = request.headers().get(header::HOST)
        && !host.to_str().is_ok_and(is_local_host)
    {
        return api::error(
            StatusCode::BAD_REQUEST,
            "this preview answers only requests for localhost, 127.0.0.1 or [::1]",
        );
    }
    let uri = request.uri();
    let length = uri.path().len() + uri.query().map_or(0, |q| q.len() + 1);
    if length > MAX_URI_BYTES {
        return api::error(
            StatusCode::URI_TOO_LONG,
            format!("the request target is {length} bytes; at most {MAX_URI_BYTES} are accepted"),
        );
    }
    next.run(request).await
}

/// Any other path: a file of the built site, or its 404 page.
async fn site_file(State(state): State<Arc<AppState>>, request: Request) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response = api::error(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD are served");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let site = state.site_dir.clone();
    let path = request.uri().path().to_string();
    let resolved = tokio::task::spawn_blocking(move || files::resolve(&site, &path))
        .await
        .unwrap_or(Resolved::NotFound);
    match resolved {
        Resolved::File(file) => match tokio::fs::read(&file).await {
            Ok(bytes) => files::file_response(&file, bytes, StatusCode::OK),
            Err(_) => not_found(&state).await,
        },
        Resolved::Redirect(to) => {
            let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(value) = HeaderValue::from_str(&to) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Resolved::NotFound => not_found(&state).await,
        Resolved::Refused => {
            let mut response = (StatusCode::BAD_REQUEST, "bad path\n").into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            response
        }
    }
}

/// The site's own 404 page with status 404, or a plain text one.
async fn not_found(state: &AppState) -> Response {
    let page = state.site_dir.join("404.html");
    match tokio::fs::read(&page).await {
        Ok(bytes) => files::file_response(&page, bytes, StatusCode::NOT_FOUND),
        Err(_) => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_names_are_local() {
        for host in ["localhost", "localhost:1111", "127.0.0.1:80", "[::1]:1111", "LOCALHOST"] {
            assert!(is_local_host(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "10.0.0.1:1111",
        ] {
            assert!(!is_local_host(host), "{host}");
        }
    }
}
