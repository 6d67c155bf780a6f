//! The JSON API.
//!
//! | request | answer |
//! |---|---|
//! | `GET /api/search?q=…&band=…&population=MIN..MAX…` | the JSON of `jirei search --json` |
//! | `GET /api/cases/{id}` | every structured field of a case (its entry in `cases.json`) |
//! | `GET /api/facets` | `{total, hits: [], facets}`: value counts of every facet over all cases |
//! | `GET /healthz` | `{status, generation, cases, errors}` |
//!
//! Errors are JSON too: `{"error": "…"}` with 400 (bad parameters), 404
//! (unknown case), 414 (query string too long) or 503 (too many searches
//! at once; `Retry-After: 1`). Searches are synchronous tantivy work: they
//! run on tokio's blocking threads, at most one per core at once, behind
//! an admission limit that answers 503 at once rather than queueing
//! forever. Answers are cached per generation of the collection (a rebuild
//! starts a new one), and identical searches arriving while one is being
//! computed wait for it rather than computing it again.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::params::{self, ParamError};
use super::state::{Answer, AppState, Snapshot};
use crate::search::{self, SearchError, SearchRequest};

/// `{"error": message}` with `status`.
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    #[derive(Serialize)]
    struct Body {
        error: String,
    }
    let body = serde_json::to_vec(&Body { error: message.into() }).unwrap_or_default();
    json_bytes(status, Bytes::from(body))
}

fn json_bytes(status: StatusCode, body: Bytes) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn param_error(e: ParamError) -> Response {
    match e {
        ParamError::TooLong(..) => error(StatusCode::URI_TOO_LONG, e.to_string()),
        ParamError::Bad(message) => error(StatusCode::BAD_REQUEST, message),
    }
}

/// `GET /api/search`.
pub async fn search(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let request = match params::search_request(raw.as_deref(), &state.limits) {
        Ok(r) => r,
        Err(e) => return param_error(e),
    };
    run_search(state, request, None).await
}

/// `GET /api/facets`: the counts of an empty search.
pub async fn facets(State(state): State<Arc<AppState>>) -> Response {
    let request = SearchRequest {
        limit: 0,
        ..SearchRequest::default()
    };
    run_search(state, request, Some("facets")).await
}

/// Runs `request` on a blocking thread, through the cache and the limits.
async fn run_search(state: Arc<AppState>, request: SearchRequest, fixed_key: Option<&str>) -> Response {
    let Some(_admitted) = state.admit_search() else {
        let mut response = error(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many searches at once; try again in a moment",
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    };
    // The generation is read before the snapshot, so a cached answer is
    // never newer than its key says (see AppState::remember).
    let generation = state.generation();
    let snapshot = state.snapshot();
    // Equal requests give equal answers within a generation, so the key
    // is the request as asked (before filter values are normalised).
    let key = fixed_key.map_or_else(|| params::cache_key(&request), str::to_string);
    if let Some(body) = state.cached(&key) {
        return json_bytes(StatusCode::OK, body);
    }
    let cell = state.flight(generation, &key);
    let answer = cell
        .get_or_init(|| compute(state.clone(), snapshot, request, generation, key.clone()))
        .await
        .clone();
    state.landed(generation, &key, &cell);
    match answer {
        Answer::Found(body) => json_bytes(StatusCode::OK, body),
        Answer::Refused(message) => error(StatusCode::BAD_REQUEST, message),
        Answer::Failed(message) => error(StatusCode::INTERNAL_SERVER_ERROR, message),
    }
}

/// Computes one answer on a blocking thread, at most a few at once, and
/// caches it.
async fn compute(
    state: Arc<AppState>,
    snapshot: Arc<Snapshot>,
    request: SearchRequest,
    generation: u64,
    key: String,
) -> Answer {
    let Some(_slot) = state.run_slot().await else {
        return Answer::Failed("the server is shutting down".to_string());
    };
    let outcome = tokio::task::spawn_blocking(move || {
        let mut request = request;
        let config = &snapshot.config;
        search::validate_filters(&mut request.filters, &snapshot.index, &config.bands).map_err(failure)?;
        let response = search::search(&snapshot.index, &request, &config.facets).map_err(failure)?;
        let body = serde_json::to_vec(&response).map_err(|e| Answer::Failed(e.to_string()))?;
        Ok::<Bytes, Answer>(Bytes::from(body))
    })
    .await;
    match outcome {
        Ok(Ok(body)) => {
            state.remember(generation, key, body.clone());
            Answer::Found(body)
        }
        Ok(Err(answer)) => answer,
        Err(e) => Answer::Failed(format!("search failed: {e}")),
    }
}

fn failure(e: SearchError) -> Answer {
    if e.is_user_error() {
        Answer::Refused(e.to_string())
    } else {
        Answer::Failed(e.to_string())
    }
}

/// `GET /api/cases/{id}`.
pub async fn case(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let snapshot = state.snapshot();
    match snapshot.cases.get(&id) {
        Some(body) => json_bytes(StatusCode::OK, body.clone()),
        None => error(StatusCode::NOT_FOUND, format!("no case has the id `{id}`")),
    }
}

/// `GET /healthz`.
pub async fn health(State(state): State<Arc<AppState>>) -> Response {
    #[derive(Serialize)]
    struct Health {
        status: &'static str,
        generation: u64,
        cases: usize,
        errors: usize,
    }
    let status = state.status();
    let body = Health {
        status: if status.errors.is_empty() { "ok" } else { "errors" },
        generation: status.generation,
        cases: state.snapshot().cases.len(),
        errors: status.errors.len(),
    };
    json_bytes(
        StatusCode::OK,
        Bytes::from(serde_json::to_vec(&body).unwrap_or_default()),
    )
}
