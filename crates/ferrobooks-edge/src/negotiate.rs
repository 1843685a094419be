//! Content negotiation: every API route answers JSON, and the reports that
//! have a CSV form answer CSV too. An `Accept` that allows neither is 406,
//! never a JSON body the client said it cannot read.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ferrobooks_service::Code;

use crate::AppState;
use crate::error::ApiError;

/// The media types of an `Accept` header with their quality, in order;
/// ranges with `q=0` are left out (they say "not this").
fn ranges(headers: &HeaderMap) -> Option<Vec<(String, f32)>> {
    let v = headers.get(header::ACCEPT)?.to_str().ok()?;
    Some(
        v.split(',')
            .filter_map(|part| {
                let mut bits = part.split(';');
                let media = bits.next()?.trim().to_ascii_lowercase();
                let q = bits
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (!media.is_empty() && q > 0.0).then_some((media, q))
            })
            .collect(),
    )
}

fn matches(range: &str, media: &str) -> bool {
    let (rt, rs) = range.split_once('/').unwrap_or((range, ""));
    let (mt, ms) = media.split_once('/').unwrap_or((media, ""));
    (rt == "*" || rt == mt) && (rs == "*" || rs == ms)
}

/// The quality the client gives `media` (0 when it does not take it).
fn quality(ranges: &[(String, f32)], media: &str) -> f32 {
    ranges
        .iter()
        .filter(|(r, _)| matches(r, media))
        .map(|(_, q)| *q)
        .fold(0.0, f32::max)
}

/// Whether the client prefers CSV to JSON (only for CSV routes).
/// At equal quality the one named first wins; a wildcard alone means JSON.
pub fn prefers_csv(headers: &HeaderMap) -> bool {
    ranges(headers).is_some_and(|r| {
        let (csv, json) = (quality(&r, "text/csv"), quality(&r, "application/json"));
        if csv != json {
            return csv > json;
        }
        let first = |m: &str| r.iter().position(|(x, _)| x == m);
        match (first("text/csv"), first("application/json")) {
            (Some(c), Some(j)) => c < j,
            (Some(_), None) => true,
            _ => false,
        }
    })
}

/// Refuses a request whose `Accept` allows nothing the route produces (JSON,
/// and CSV where its annotation documents a `text/csv` answer).
pub async fn accept_json(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if let Some(r) = ranges(req.headers()) {
        let csv = req
            .extensions()
            .get::<MatchedPath>()
            .and_then(|p| state.routes.get(req.method(), p.as_str()))
            .is_some_and(|route| route.csv);
        let ok = quality(&r, "application/json") > 0.0 || (csv && quality(&r, "text/csv") > 0.0);
        if !ok {
            let types = if csv {
                "application/json or text/csv"
            } else {
                "application/json"
            };
            return ApiError::new(
                Code::NotAcceptable,
                format!("This route answers {types}; the Accept header allows neither"),
            )
            .with_detail("Accept", format!("must allow {types}"))
            .into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn h(v: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(header::ACCEPT, HeaderValue::from_str(v).unwrap());
        m
    }

    #[test]
    fn csv_only_when_preferred() {
        assert!(prefers_csv(&h("text/csv")));
        assert!(prefers_csv(&h("text/csv, */*;q=0.5")));
        assert!(!prefers_csv(&h("application/json, text/csv")));
        assert!(!prefers_csv(&h("*/*")));
        assert!(!prefers_csv(&HeaderMap::new()));
        assert_eq!(
            quality(
                &ranges(&h("text/html, application/json;q=0")).unwrap(),
                "application/json"
            ),
            0.0
        );
    }
}
