//! Representations by request URL, bounded in bytes.
//!
//! Anyone can make new URLs (cursors, dates, searches), so what is kept is
//! chosen by moka's TinyLFU policy: an answer asked for once is admitted only
//! if it has been asked for more often than what it would evict, so a flood of
//! one-off URLs neither evicts the popular feeds nor empties the cache.

use std::future::Future;
use std::sync::Arc;

use actix_web::web::Bytes;
use chrono::{DateTime, Utc};
use moka::future::Cache;
use moka::notification::RemovalCause;
use moka::ops::compute::{CompResult, Op};

use super::representation::{Encoding, Representation};
use super::timelines::Timelines;
use crate::metrics::CacheCounters;

/// The bound when none is configured.
pub const DEFAULT_CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// Public representations kept while current; `None` when caching is off.
/// Clones share the entries.
#[derive(Clone)]
pub struct RepresentationCache {
    entries: Option<Cache<String, Arc<Representation>>>,
    counters: CacheCounters,
    timelines: Arc<Timelines>,
}

impl RepresentationCache {
    /// A cache holding at most `max_bytes` of answers; `0` keeps nothing.
    pub fn new(max_bytes: u64) -> Self {
        Self::measured(max_bytes, CacheCounters::default())
    }

    /// As `new`, counting hits, misses and evictions on `counters`.
    pub fn measured(max_bytes: u64, counters: CacheCounters) -> Self {
        let evictions = counters.evictions.clone();
        let entries = (max_bytes > 0).then(|| {
            Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|key: &String, representation: &Arc<Representation>| {
                    u32::try_from(key.len() + representation.weight()).unwrap_or(u32::MAX)
                })
                .eviction_listener(move |_key, _value, cause| {
                    if cause == RemovalCause::Size {
                        evictions.inc();
                    }
                })
                .build()
        });
        Self {
            entries,
            counters,
            timelines: Arc::default(),
        }
    }

    /// The timelines answers are rendered with, kept even when answers are not.
    pub fn timelines(&self) -> Arc<Timelines> {
        self.timelines.clone()
    }

    /// Bytes and entries held, once pending bookkeeping is done.
    pub async fn size(&self) -> (u64, u64) {
        match &self.entries {
            Some(entries) => {
                entries.run_pending_tasks().await;
                (entries.weighted_size(), entries.entry_count())
            }
            None => (0, 0),
        }
    }

    /// The representation kept for `key` if it is fresh for `version` at
    /// `now`; else the one `render` makes, which is kept. Concurrent misses for
    /// one key render once: the others wait and take that answer if it is
    /// fresh for them.
    pub async fn get_or_render<F, Fut, E>(
        &self,
        key: &str,
        version: i64,
        now: DateTime<Utc>,
        render: F,
    ) -> Result<Arc<Representation>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Representation, E>>,
        E: Send + Sync + 'static,
    {
        let Some(entries) = &self.entries else {
            self.counters.misses.inc();
            return render().await.map(Arc::new);
        };
        if let Some(hit) = entries.get(key).await {
            if hit.is_fresh(version, now) {
                self.counters.hits.inc();
                return Ok(hit);
            }
        }
        // Runs one at a time per key; a stale entry is replaced, a fresh one kept.
        let outcome = entries
            .entry_by_ref(key)
            .and_try_compute_with(|current| async move {
                match current {
                    Some(entry) if entry.value().is_fresh(version, now) => Ok(Op::Nop),
                    _ => Ok(Op::Put(Arc::new(render().await?))),
                }
            })
            .await?;
        match outcome {
            CompResult::Inserted(entry) | CompResult::ReplacedWith(entry) => {
                self.counters.misses.inc();
                Ok(entry.into_value())
            }
            // Rendered meanwhile by the request this one waited for.
            CompResult::Unchanged(entry) => {
                self.counters.hits.inc();
                Ok(entry.into_value())
            }
            CompResult::Removed(_) | CompResult::StillNone(_) => {
                unreachable!("the closure only keeps or puts")
            }
        }
    }

    /// `representation` (kept under `key`) in `encoding`, or in the identity
    /// if that cannot be made. A compressed form is made on first demand, on the
    /// blocking pool, once; the entry is then weighed again with it.
    pub async fn encoded(
        &self,
        key: &str,
        representation: &Arc<Representation>,
        encoding: Encoding,
    ) -> (Encoding, Bytes) {
        if let Some(bytes) = representation.encoded_if_made(encoding) {
            return (encoding, bytes);
        }
        let shared = representation.clone();
        match tokio::task::spawn_blocking(move || shared.encode(encoding)).await {
            Ok((bytes, made)) => {
                if made {
                    self.reweigh(key, representation).await;
                }
                (encoding, bytes)
            }
            Err(e) => {
                tracing::error!(error = %e, "compression failed; answering uncompressed");
                (Encoding::Identity, representation.body.clone())
            }
        }
    }

    /// Puts `representation` back so its weight counts its new form, unless it
    /// was evicted or replaced meanwhile: a newer answer must not be undone.
    async fn reweigh(&self, key: &str, representation: &Arc<Representation>) {
        let Some(entries) = &self.entries else {
            return;
        };
        entries
            .entry_by_ref(key)
            .and_compute_with(|current| {
                let same = current.is_some_and(|entry| Arc::ptr_eq(entry.value(), representation));
                std::future::ready(match same {
                    true => Op::Put(representation.clone()),
                    false => Op::Nop,
                })
            })
            .await;
    }

    /// The keys currently held, e.g. to learn which feed URLs are in use.
    pub fn keys(&self) -> Vec<String> {
        self.entries.as_ref().map_or_else(Vec::new, |entries| {
            entries
                .iter()
                .map(|(key, _)| key.as_ref().clone())
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use std::convert::Infallible;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn representation(version: i64, valid_until: Option<DateTime<Utc>>) -> Representation {
        Representation::new(
            "<rss/>".repeat(100),
            "application/rss+xml",
            Utc::now(),
            version,
            valid_until,
        )
    }

    /// Asks the cache for `key`, counting renders.
    async fn read(cache: &RepresentationCache, key: &str, renders: &AtomicUsize) {
        cache
            .get_or_render(key, 1, Utc::now(), || async {
                renders.fetch_add(1, Ordering::Relaxed);
                Ok::<_, Infallible>(representation(1, None))
            })
            .await
            .unwrap();
    }

    async fn held(cache: &RepresentationCache, key: &str) -> bool {
        let entries = cache.entries.as_ref().unwrap();
        entries.run_pending_tasks().await;
        entries.contains_key(key)
    }

    #[tokio::test]
    async fn an_entry_is_stale_after_a_write_or_its_time() {
        let cache = RepresentationCache::new(DEFAULT_CACHE_BYTES);
        let now = Utc::now();
        let renders = &AtomicUsize::new(0);
        let get = |version, at| {
            cache.get_or_render("/feed.rss", version, at, move || async move {
                renders.fetch_add(1, Ordering::Relaxed);
                Ok::<_, Infallible>(representation(version, Some(now + Duration::seconds(5))))
            })
        };
        let first = get(3, now).await.unwrap();
        assert!(Arc::ptr_eq(&first, &get(3, now).await.unwrap()), "kept");
        assert_eq!(renders.load(Ordering::Relaxed), 1);
        let newer = get(4, now).await.unwrap();
        assert_eq!((newer.version, renders.load(Ordering::Relaxed)), (4, 2));
        get(4, now + Duration::seconds(5)).await.unwrap();
        assert_eq!(renders.load(Ordering::Relaxed), 3, "time passed");
        assert!(cache.keys() == ["/feed.rss"], "{:?}", cache.keys());
    }

    #[tokio::test]
    async fn a_flood_of_one_off_urls_keeps_the_popular_ones() {
        // Room for about 60 answers; 16 popular feeds, then 10 000 one-offs.
        let one = (representation(1, None).weight() + 32) as u64;
        let counters = CacheCounters::default();
        let cache = RepresentationCache::measured(60 * one, counters.clone());
        let entries = cache.entries.as_ref().unwrap();
        let renders = AtomicUsize::new(0);
        let popular: Vec<String> = (0..16).map(|i| format!("/feed.rss?kind={i}")).collect();
        for _ in 0..5 {
            for key in &popular {
                read(&cache, key, &renders).await;
            }
        }
        // moka counts how often keys are asked for only once the cache is half
        // full, so the popular ones may be rendered again early in the flood.
        let warm_up = 1000;
        let mut renders_after_warm_up = 0;
        for i in 0..10_000 {
            read(&cache, &format!("/api/v1/notices?cursor={i}"), &renders).await;
            if i == warm_up {
                renders_after_warm_up = renders.load(Ordering::Relaxed);
            }
            // More one-offs between two reads than the cache holds: a
            // least-recently-used cache would have let the popular ones go.
            if i % 100 == 99 {
                for key in popular.iter().filter(|_| i > warm_up) {
                    assert!(held(&cache, key).await, "{key} kept at {i}");
                }
                for key in &popular {
                    read(&cache, key, &renders).await;
                }
            }
        }
        assert_eq!(
            renders.load(Ordering::Relaxed) - renders_after_warm_up,
            10_000 - warm_up - 1,
            "after the warm-up, only the one-offs are rendered"
        );
        entries.run_pending_tasks().await;
        assert!(entries.weighted_size() <= 60 * one);
        assert!(entries.entry_count() >= 50, "full, not emptied");
        assert_eq!(
            cache.size().await,
            (entries.weighted_size(), entries.entry_count())
        );
        // Every one-off put out (or never let in) for want of room is counted.
        let evicted = counters.evictions.get();
        assert!(evicted >= 10_000 - 60, "{evicted}");
        assert_eq!(
            counters.misses.get(),
            renders.load(Ordering::Relaxed) as u64
        );
        assert!(counters.hits.get() >= 16 * 4, "{}", counters.hits.get());
    }

    #[tokio::test]
    async fn the_weight_never_passes_the_bound_and_counts_compressed_forms() {
        let bound = 20_000;
        let cache = RepresentationCache::new(bound);
        let entries = cache.entries.as_ref().unwrap();
        let renders = AtomicUsize::new(0);
        for i in 0..500 {
            let key = format!("/feed.json?{i}");
            read(&cache, &key, &renders).await;
            read(&cache, &key, &renders).await;
            entries.run_pending_tasks().await;
            assert!(
                entries.weighted_size() <= bound,
                "{}",
                entries.weighted_size()
            );
        }
        assert!(entries.entry_count() > 0, "not emptied");

        let cache = RepresentationCache::new(DEFAULT_CACHE_BYTES);
        let entries = cache.entries.as_ref().unwrap();
        let r = cache
            .get_or_render("/feed.rss", 1, Utc::now(), || async {
                Ok::<_, Infallible>(representation(1, None))
            })
            .await
            .unwrap();
        entries.run_pending_tasks().await;
        let identity_only = entries.weighted_size();
        assert_eq!(identity_only, ("/feed.rss".len() + r.weight()) as u64);
        cache.encoded("/feed.rss", &r, Encoding::Brotli).await;
        cache.encoded("/feed.rss", &r, Encoding::Gzip).await;
        entries.run_pending_tasks().await;
        assert_eq!(
            entries.weighted_size(),
            ("/feed.rss".len() + r.weight()) as u64
        );
        assert!(entries.weighted_size() > identity_only);
    }

    #[tokio::test]
    async fn each_compressed_form_is_made_once_across_requests() {
        let cache = RepresentationCache::new(DEFAULT_CACHE_BYTES);
        let r = cache
            .get_or_render("/feed.rss", 1, Utc::now(), || async {
                Ok::<_, Infallible>(representation(1, None))
            })
            .await
            .unwrap();
        let concurrent = futures_util::future::join_all(
            (0..8).map(|_| cache.encoded("/feed.rss", &r, Encoding::Brotli)),
        )
        .await;
        let (_, again) = cache.encoded("/feed.rss", &r, Encoding::Brotli).await;
        assert_eq!(r.compressions.load(Ordering::Relaxed), 1);
        for (encoding, bytes) in concurrent {
            assert_eq!(encoding, Encoding::Brotli);
            assert_eq!(bytes.as_ptr(), again.as_ptr());
        }
        cache.encoded("/feed.rss", &r, Encoding::Gzip).await;
        cache.encoded("/feed.rss", &r, Encoding::Gzip).await;
        assert_eq!(r.compressions.load(Ordering::Relaxed), 2);
    }

    #[tokio::test]
    async fn concurrent_misses_render_once() {
        let cache = RepresentationCache::new(DEFAULT_CACHE_BYTES);
        let renders = AtomicUsize::new(0);
        let ask = || {
            cache.get_or_render("/feed.atom", 1, Utc::now(), || async {
                renders.fetch_add(1, Ordering::Relaxed);
                // Lets the other requests start while this one renders.
                tokio::task::yield_now().await;
                Ok::<_, Infallible>(representation(1, None))
            })
        };
        let answers = futures_util::future::join_all((0..8).map(|_| ask())).await;
        assert_eq!(renders.load(Ordering::Relaxed), 1);
        let first = answers[0].as_ref().unwrap();
        assert!(answers
            .iter()
            .all(|a| Arc::ptr_eq(a.as_ref().unwrap(), first)));
    }

    #[tokio::test]
    async fn off_renders_every_time_and_keeps_nothing() {
        let cache = RepresentationCache::new(0);
        let renders = AtomicUsize::new(0);
        read(&cache, "/feed.rss", &renders).await;
        read(&cache, "/feed.rss", &renders).await;
        assert_eq!(renders.load(Ordering::Relaxed), 2);
        assert!(cache.keys().is_empty());
        let r = Arc::new(representation(1, None));
        let (encoding, gzip) = cache.encoded("/feed.rss", &r, Encoding::Gzip).await;
        assert_eq!((encoding, gzip.is_empty()), (Encoding::Gzip, false));
    }
}
