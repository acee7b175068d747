//! `GET /api/search?q=&plan=&unit=&year=&page=&limit=`: the search as JSON.

use super::AppState;
use crate::search::{SearchError, SearchRequest};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Longest accepted query string, in bytes (the query itself is then cut to 200 characters).
const MAX_QUERY_STRING: usize = 128 * 1024;

fn error(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(serde_json::json!({ "error": message })),
    )
        .into_response()
}

/// Longest wait for a search slot.
const SEARCH_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The answer when too many searches are waiting.
fn busy() -> Response {
    let mut r = error(
        StatusCode::SERVICE_UNAVAILABLE,
        "搜索繁忙，请稍后再试（too many searches at once）",
    );
    r.headers_mut().insert(
        header::RETRY_AFTER,
        axum::http::HeaderValue::from_static("1"),
    );
    r
}

/// Answers a search. Bad parameters get a 400 with a message; never a 500.
pub async fn search(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let raw = raw.unwrap_or_default();
    if raw.len() > MAX_QUERY_STRING {
        return error(
            StatusCode::BAD_REQUEST,
            "查询过长（the query string exceeds 128 KiB）",
        );
    }
    let mut request = SearchRequest {
        limit: 10,
        page: 1,
        ..Default::default()
    };
    // Percent-escapes that are not UTF-8 decode to U+FFFD: literal text, not an error.
    for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
        match key.as_ref() {
            "q" => request.query = value.into_owned(),
            "plan" if !value.is_empty() => request.plan = Some(value.into_owned()),
            "unit" if !value.is_empty() => request.unit = Some(value.into_owned()),
            "year" if !value.is_empty() => match value.parse() {
                Ok(y) => request.year = Some(y),
                Err(_) => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        "year 必须是年份数字（year must be a number）",
                    );
                }
            },
            "page" if !value.is_empty() => match value.parse::<usize>() {
                Ok(p) if (1..=10_000).contains(&p) => request.page = p,
                _ => return error(StatusCode::BAD_REQUEST, "page 必须是 1 到 10000 之间的数字"),
            },
            "limit" if !value.is_empty() => match value.parse::<usize>() {
                Ok(l) => request.limit = l,
                Err(_) => return error(StatusCode::BAD_REQUEST, "limit 必须是数字"),
            },
            _ => {}
        }
    }
    state.follow_output();
    let index = state.search.read().expect("lock").clone();
    let Some(index) = index else {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "搜索索引尚未建立（no search index yet）",
        );
    };
    // Bounded work: a few searches at once, a short queue, then 503.
    let permit = match state.search_slots.try_acquire() {
        Ok(p) => p,
        Err(_) => {
            use std::sync::atomic::Ordering;
            if state.search_queue.fetch_add(1, Ordering::SeqCst) >= super::SEARCH_QUEUE {
                state.search_queue.fetch_sub(1, Ordering::SeqCst);
                return busy();
            }
            let waited = tokio::time::timeout(SEARCH_WAIT, state.search_slots.acquire()).await;
            state.search_queue.fetch_sub(1, Ordering::SeqCst);
            match waited {
                Ok(Ok(p)) => p,
                _ => return busy(),
            }
        }
    };
    let result = tokio::task::spawn_blocking(move || index.search(&request)).await;
    drop(permit);
    match result {
        Ok(Ok(response)) => (
            [(header::CACHE_CONTROL, "public, max-age=60")],
            Json(response),
        )
            .into_response(),
        Ok(Err(SearchError::EmptyQuery)) => {
            error(StatusCode::BAD_REQUEST, "请输入搜索词（q is empty）")
        }
        Ok(Err(e)) => error(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
        Err(_) => error(StatusCode::SERVICE_UNAVAILABLE, "搜索暂时不可用"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    #[tokio::test]
    async fn searches_past_the_queue_get_503_with_retry_after() {
        let dir = tempfile::TempDir::new().unwrap();
        let plan = "+++\ntitle = \"T\"\nissuer = \"I\"\nyear = 2021\n+++\n\n## 类\n\n1. 公开预算\n\n   责任单位：办\n";
        std::fs::create_dir_all(dir.path().join("content/plans")).unwrap();
        std::fs::write(dir.path().join("content/plans/p.md"), plan).unwrap();
        let out = dir.path().join("output");
        assert!(crate::build::build(dir.path(), &out).succeeded());
        let state = AppState::new(out.clone(), "/".into(), false).unwrap();
        *state.search.write().unwrap() =
            Some(Arc::new(crate::search::SearchIndex::open(&out).unwrap()));
        let ask = || {
            super::super::router(state.clone()).oneshot(
                axum::http::Request::get("/api/search?q=%E9%A2%84%E7%AE%97")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
        };
        assert_eq!(ask().await.unwrap().status(), StatusCode::OK);
        // Every slot busy and the queue full: the next search is turned away at once.
        let slots = state.search_slots.available_permits() as u32;
        let held = state.search_slots.acquire_many(slots).await.unwrap();
        state.search_queue.store(
            super::super::SEARCH_QUEUE,
            std::sync::atomic::Ordering::SeqCst,
        );
        let r = ask().await.unwrap();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers().get(header::RETRY_AFTER).unwrap(), "1");
        // A free slot: answered again.
        state
            .search_queue
            .store(0, std::sync::atomic::Ordering::SeqCst);
        drop(held);
        assert_eq!(ask().await.unwrap().status(), StatusCode::OK);
    }
}
