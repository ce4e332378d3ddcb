//! What an operator scrapes: one instance's metrics, in the Prometheus
//! text format, served on a listener of their own (`TAVLA_METRICS_BIND`).
//!
//! Each instance keeps its own registry (no process-wide one), so two
//! instances in one process, as in the tests, count apart. Counters are
//! kept as things happen; what is a state rather than a count (the pool's
//! connections, the cache's bytes, the outbox's backlog, readiness) is read
//! when scraped and given to `Metrics::render` as a `Snapshot`.

use std::sync::Arc;

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge,
    IntGaugeVec, Opts, Registry, TextEncoder,
};

/// The media type of what `render` writes.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Seconds: from a millisecond (an answer from memory) to ten (the longest
/// a client should wait).
const LATENCY_BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Seconds a request waited for a database connection.
const WAIT_BUCKETS: [f64; 8] = [0.0001, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 2.0];

/// The methods counted by name; any other is counted as `other`, so a
/// client cannot make new series by inventing methods.
const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/// How the representation cache is doing: counted by the cache itself.
#[derive(Clone)]
pub struct CacheCounters {
    /// A current answer found in memory.
    pub hits: IntCounter,
    /// An answer rendered, as none current was kept.
    pub misses: IntCounter,
    /// Answers put out to make room.
    pub evictions: IntCounter,
}

impl Default for CacheCounters {
    /// Counters no registry reads (a cache made outside a server).
    fn default() -> Self {
        let counter = |name: &str| IntCounter::new(name, name).expect("a valid name");
        Self {
            hits: counter("hits"),
            misses: counter("misses"),
            evictions: counter("evictions"),
        }
    }
}

/// How long requests wait for a database connection, counted by the pool.
#[derive(Clone)]
pub struct PoolCounters {
    pub waits: Histogram,
    /// Requests that got no connection in time.
    pub timeouts: IntCounter,
}

impl Default for PoolCounters {
    /// Counters no registry reads (a pool made outside a server).
    fn default() -> Self {
        Self {
            waits: Histogram::with_opts(HistogramOpts::new("waits", "waits")).expect("valid"),
            timeouts: IntCounter::new("timeouts", "timeouts").expect("valid"),
        }
    }
}

/// One outbox channel's deliveries not yet finished.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelBacklog {
    pub channel: String,
    /// Not finished: due now, retrying later, or scheduled (a go-live).
    pub pending: i64,
    /// Of those, due by now and not yet made.
    pub due: i64,
    /// How long the oldest of those has been due; 0 when none is.
    pub oldest_due_seconds: f64,
}

/// What is read when scraped.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub pool_connections: u32,
    pub pool_idle: u32,
    pub pool_max: u32,
    pub cache_bytes: u64,
    pub cache_entries: u64,
    /// `None` when the database could not be asked.
    pub outbox: Option<Vec<ChannelBacklog>>,
    /// As `/readyz` answers.
    pub ready: bool,
}

pub struct Metrics {
    registry: Registry,
    requests: HistogramVec,
    pub cache: CacheCounters,
    cache_bytes: IntGauge,
    cache_entries: IntGauge,
    deliveries: IntCounterVec,
    outbox_pending: IntGaugeVec,
    outbox_due: IntGaugeVec,
    outbox_oldest_due: prometheus::GaugeVec,
    outbox_readable: IntGauge,
    source_fetches: IntCounterVec,
    imported: IntCounterVec,
    pub pool: PoolCounters,
    pool_connections: IntGaugeVec,
    pool_max: IntGauge,
    ready: IntGauge,
    /// One scrape at a time sets the states and reads them.
    scraping: std::sync::Mutex<()>,
}

impl Metrics {
    /// A registry with every metric, and the build's: Tavla's version and
    /// its database backend (`sqlite` or `postgres`).
    pub fn new(backend: &str) -> Arc<Self> {
        let registry = Registry::new();
        let register = |collector: Box<dyn prometheus::core::Collector>| {
            registry.register(collector).expect("each metric once");
        };
        let requests = HistogramVec::new(
            HistogramOpts::new(
                "tavla_http_request_duration_seconds",
                "Requests to the public port by method, route template and status, with how long each took",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["method", "route", "status"],
        )
        .expect("valid");
        register(Box::new(requests.clone()));
        let counter = |name: &str, help: &str| {
            let counter = IntCounter::new(name, help).expect("valid");
            register(Box::new(counter.clone()));
            counter
        };
        let counters = |name: &str, help: &str, labels: &[&str]| {
            let counters = IntCounterVec::new(Opts::new(name, help), labels).expect("valid");
            register(Box::new(counters.clone()));
            counters
        };
        let gauge = |name: &str, help: &str| {
            let gauge = IntGauge::new(name, help).expect("valid");
            register(Box::new(gauge.clone()));
            gauge
        };
        let gauges = |name: &str, help: &str, labels: &[&str]| {
            let gauges = IntGaugeVec::new(Opts::new(name, help), labels).expect("valid");
            register(Box::new(gauges.clone()));
            gauges
        };
        let cache = CacheCounters {
            hits: counter(
                "tavla_cache_hits_total",
                "Public answers served from memory",
            ),
            misses: counter(
                "tavla_cache_misses_total",
                "Public answers rendered, as none current was kept",
            ),
            evictions: counter(
                "tavla_cache_evictions_total",
                "Answers put out of memory to make room",
            ),
        };
        let waits = Histogram::with_opts(
            HistogramOpts::new(
                "tavla_db_pool_wait_seconds",
                "How long each use of the database waited for a connection",
            )
            .buckets(WAIT_BUCKETS.to_vec()),
        )
        .expect("valid");
        register(Box::new(waits.clone()));
        let pool = PoolCounters {
            waits,
            timeouts: counter(
                "tavla_db_pool_timeouts_total",
                "Uses of the database that got no connection in time",
            ),
        };
        let outbox_oldest_due = prometheus::GaugeVec::new(
            Opts::new(
                "tavla_outbox_oldest_due_age_seconds",
                "How long the oldest delivery due and not yet made has waited, by channel",
            ),
            &["channel"],
        )
        .expect("valid");
        register(Box::new(outbox_oldest_due.clone()));
        let build = gauges(
            "tavla_build_info",
            "Always 1: the version running and its database backend",
            &["version", "backend"],
        );
        build
            .with_label_values(&[env!("CARGO_PKG_VERSION"), backend])
            .set(1);
        Arc::new(Self {
            requests,
            cache,
            cache_bytes: gauge(
                "tavla_cache_bytes",
                "Bytes of answers kept in memory, their compressed forms included",
            ),
            cache_entries: gauge("tavla_cache_entries", "Answers kept in memory"),
            deliveries: counters(
                "tavla_outbox_deliveries_total",
                "Delivery attempts by channel and outcome (delivered, retried, given-up)",
                &["channel", "outcome"],
            ),
            outbox_pending: gauges(
                "tavla_outbox_pending",
                "Deliveries not finished (due, waiting to be retried or scheduled), by channel",
                &["channel"],
            ),
            outbox_due: gauges(
                "tavla_outbox_due",
                "Deliveries due and free to be made (none before them in their queue), by channel",
                &["channel"],
            ),
            outbox_oldest_due,
            outbox_readable: gauge(
                "tavla_outbox_readable",
                "1 when the outbox's backlog could be read for this scrape, else 0",
            ),
            source_fetches: counters(
                "tavla_source_fetches_total",
                "Fetches of upstream feeds by outcome",
                &["outcome"],
            ),
            imported: counters(
                "tavla_imported_notices_total",
                "Notices created or updated from upstream feeds",
                &["change"],
            ),
            pool,
            pool_connections: gauges(
                "tavla_db_pool_connections",
                "Database connections open, by state (in_use, idle)",
                &["state"],
            ),
            pool_max: gauge(
                "tavla_db_pool_max_connections",
                "The most database connections the pool opens",
            ),
            ready: gauge(
                "tavla_ready",
                "1 when /readyz answers 200: the database answers and the instance is not stopping",
            ),
            registry,
            scraping: std::sync::Mutex::new(()),
        })
    }

    /// A request answered, by its route's template (`None`: no route took it).
    pub fn request(&self, method: &str, route: Option<&str>, status: u16, seconds: f64) {
        let method = METHODS
            .into_iter()
            .find(|m| *m == method)
            .unwrap_or("other");
        let status = status.to_string();
        self.requests
            .with_label_values(&[method, route.unwrap_or("unmatched"), status.as_str()])
            .observe(seconds);
    }

    /// An attempt at a delivery: `delivered`, `retried` or `given-up`.
    pub fn delivery(&self, channel: &str, outcome: &str) {
        self.deliveries.with_label_values(&[channel, outcome]).inc();
    }

    /// A source fetched: the outcome it records (`imported`,
    /// `not-modified`, or why it failed), with the notices it created and
    /// updated.
    pub fn fetch(&self, outcome: &str, created: i32, updated: i32) {
        self.source_fetches.with_label_values(&[outcome]).inc();
        for (change, count) in [("created", created), ("updated", updated)] {
            if let Ok(count) = u64::try_from(count) {
                self.imported.with_label_values(&[change]).inc_by(count);
            }
        }
    }

    /// Everything, in the text format, with the states in `snapshot`.
    pub fn render(&self, snapshot: &Snapshot) -> String {
        let _one_at_a_time = self
            .scraping
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let in_use = snapshot.pool_connections.saturating_sub(snapshot.pool_idle);
        self.pool_connections
            .with_label_values(&["in_use"])
            .set(i64::from(in_use));
        self.pool_connections
            .with_label_values(&["idle"])
            .set(i64::from(snapshot.pool_idle));
        self.pool_max.set(i64::from(snapshot.pool_max));
        self.cache_bytes
            .set(i64::try_from(snapshot.cache_bytes).unwrap_or(i64::MAX));
        self.cache_entries
            .set(i64::try_from(snapshot.cache_entries).unwrap_or(i64::MAX));
        self.ready.set(i64::from(snapshot.ready));
        // Unread, the last values would look current: they are left out.
        self.outbox_pending.reset();
        self.outbox_due.reset();
        self.outbox_oldest_due.reset();
        self.outbox_readable
            .set(i64::from(snapshot.outbox.is_some()));
        for backlog in snapshot.outbox.iter().flatten() {
            let channel = [backlog.channel.as_str()];
            self.outbox_pending
                .with_label_values(&channel)
                .set(backlog.pending);
            self.outbox_due.with_label_values(&channel).set(backlog.due);
            self.outbox_oldest_due
                .with_label_values(&channel)
                .set(backlog.oldest_due_seconds);
        }
        let mut text = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut text)
            .expect("the text format takes every metric");
        String::from_utf8(text).expect("the text format is UTF-8")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invented_method_is_counted_as_other() {
        let metrics = Metrics::new("sqlite");
        metrics.request("BREW", Some("/api/v1/notices"), 405, 0.001);
        metrics.request("GET", None, 404, 0.001);
        let text = metrics.render(&Snapshot::default());
        assert!(text.contains(r#"method="other""#), "{text}");
        assert!(!text.contains("BREW"), "{text}");
        assert!(text.contains(r#"route="unmatched""#), "{text}");
    }
}
