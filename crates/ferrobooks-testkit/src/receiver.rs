//! A webhook receiver on this machine: a real HTTP server that records
//! what it is sent and answers the statuses it is told to.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::HeaderMap;

pub type Hits = Arc<Mutex<Vec<(HeaderMap, String)>>>;

/// A receiver that answers the given statuses in turn, then 200.
pub struct Receiver {
    pub url: String,
    /// Every request received: its headers and body.
    pub hits: Hits,
}

pub async fn receiver(answers: Vec<u16>) -> Receiver {
    let hits: Hits = Arc::default();
    let queue = Arc::new(Mutex::new(VecDeque::from(answers)));
    let h = hits.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let (h, q) = (h.clone(), queue.clone());
            async move {
                h.lock().unwrap().push((headers, body));
                let status = q.lock().unwrap().pop_front().unwrap_or(200);
                axum::http::StatusCode::from_u16(status).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Receiver { url, hits }
}

impl Receiver {
    /// Waits until `n` requests arrived (or fails after 15 s).
    pub async fn wait_for(&self, n: usize) -> Vec<(HeaderMap, String)> {
        for _ in 0..150 {
            if self.hits.lock().unwrap().len() >= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let hits = self.hits.lock().unwrap().clone();
        assert!(
            hits.len() >= n,
            "expected {n} deliveries, got {}",
            hits.len()
        );
        hits
    }
}
