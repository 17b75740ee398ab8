//! A minimal HTTP/1.1 client for the benchmark (hyper's), with connection reuse: a GraphQL request and
//! its latency, and the metrics the server reports.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client as Hyper;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// A client of one server, cheap to clone.
#[derive(Clone)]
pub struct Client {
    hyper: Hyper<HttpConnector, Full<Bytes>>,
    base: String,
}

impl Client {
    /// A client of the server at `base` (`http://host:port`).
    pub fn new(base: &str) -> Client {
        Client {
            hyper: Hyper::builder(TokioExecutor::new()).build_http(),
            base: base.to_owned(),
        }
    }

    /// The status of `GET path`, or `None` when the server cannot be reached.
    pub async fn get_status(&self, path: &str) -> Option<u16> {
        let uri = format!("{}{path}", self.base).parse().ok()?;
        let response = self.hyper.get(uri).await.ok()?;
        Some(response.status().as_u16())
    }

    /// `GET path` as text.
    pub async fn get_text(&self, path: &str) -> anyhow::Result<String> {
        let uri = format!("{}{path}", self.base).parse()?;
        let response = self.hyper.get(uri).await?;
        let bytes = response.into_body().collect().await?.to_bytes();
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// POSTs a GraphQL request; its latency and body. A status other than 200 or an `errors` member is
    /// an error (the benchmark counts only answers that are right).
    pub async fn graphql(&self, body: &Bytes, token: Option<&str>) -> anyhow::Result<(Duration, Bytes)> {
        let mut request = hyper::Request::post(format!("{}/graphql", self.base))
            .header("content-type", "application/json")
            .header("accept", "application/graphql-response+json");
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let request = request.body(Full::new(body.clone()))?;
        let started = Instant::now();
        let response = self.hyper.request(request).await.context("the request")?;
        let status = response.status();
        let bytes = response.into_body().collect().await?.to_bytes();
        let elapsed = started.elapsed();
        if status != 200 || memchr_errors(&bytes) {
            bail!("{status}: {}", String::from_utf8_lossy(&bytes[..bytes.len().min(400)]));
        }
        Ok((elapsed, bytes))
    }

    /// `GET path` of an overview page: its latency, the server's own timings and its size. A status other
    /// than 200 is an error.
    pub async fn page(&self, path: &str) -> anyhow::Result<Page> {
        let uri = format!("{}{path}", self.base).parse()?;
        let started = Instant::now();
        let response = self.hyper.get(uri).await.context("the request")?;
        let status = response.status();
        let timing = response
            .headers()
            .get("server-timing")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let bytes = response.into_body().collect().await?.to_bytes();
        let elapsed = started.elapsed();
        if status != 200 {
            bail!(
                "{status} for {path}: {}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(400)])
            );
        }
        Ok(Page {
            elapsed,
            document: server_timing(&timing, "graphql")
                .with_context(|| format!("no graphql timing in {path}'s Server-Timing {timing:?}"))?,
            server: server_timing(&timing, "page")
                .with_context(|| format!("no page timing in {path}'s Server-Timing {timing:?}"))?,
            bytes: bytes.len(),
        })
    }

    /// The total of a counter in `/metrics` over all its labels.
    pub async fn counter(&self, name: &str) -> anyhow::Result<f64> {
        let text = self.get_text("/metrics").await?;
        let mut total = None;
        for line in text.lines() {
            let Some(rest) = line.strip_prefix(name) else { continue };
            if !(rest.starts_with('{') || rest.starts_with(' ')) {
                continue;
            }
            let value: f64 = rest.rsplit(' ').next().unwrap_or_default().parse().unwrap_or(0.0);
            *total.get_or_insert(0.0) += value;
        }
        total.with_context(|| format!("the server reports no {name}"))
    }
}

/// An overview page as the client saw it.
pub struct Page {
    /// From the request to the last byte.
    pub elapsed: Duration,
    /// The server's time for the whole page (`Server-Timing: page`).
    pub server: Duration,
    /// The server's time running the page's GraphQL document (`Server-Timing: graphql`).
    pub document: Duration,
    /// The HTML's size.
    pub bytes: usize,
}

/// The duration of metric `name` in a `Server-Timing` header (`name;dur=12.5, ...`, in milliseconds).
fn server_timing(header: &str, name: &str) -> Option<Duration> {
    header.split(',').find_map(|metric| {
        let mut parts = metric.trim().split(';');
        if parts.next()? != name {
            return None;
        }
        let ms: f64 = parts.find_map(|p| p.trim().strip_prefix("dur="))?.parse().ok()?;
        Some(Duration::from_secs_f64(ms / 1000.0))
    })
}

/// Whether a response carries GraphQL errors (a byte search: the body is not parsed on the hot path).
fn memchr_errors(body: &[u8]) -> bool {
    body.windows(9).any(|w| w == b"\"errors\":")
}
