//! Rendered feeds kept in memory: each is rendered once per change of content
//! (the content version) or of time-dependent state (its `valid_until`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

/// One rendered representation.
#[derive(Debug)]
pub struct CachedFeed {
    pub body: String,
    pub content_type: &'static str,
    /// The content version it was rendered from.
    pub version: i64,
    /// When time alone would change it: a scheduled notice going live, a
    /// deadline passing, a webinar ending. `None`: only a write changes it.
    pub valid_until: Option<DateTime<Utc>>,
}

impl CachedFeed {
    fn is_fresh(&self, version: i64, now: DateTime<Utc>) -> bool {
        self.version == version && self.valid_until.is_none_or(|until| now < until)
    }
}

/// Feeds by request URL (path and query).
#[derive(Debug, Default)]
pub struct FeedCache {
    entries: Mutex<HashMap<String, Arc<CachedFeed>>>,
}

/// Distinct filter combinations kept at once; past this the cache starts afresh.
const MAX_ENTRIES: usize = 512;

impl FeedCache {
    pub fn get(&self, key: &str, version: i64, now: DateTime<Utc>) -> Option<Arc<CachedFeed>> {
        let entries = self.entries.lock().expect("feed cache lock");
        entries
            .get(key)
            .filter(|f| f.is_fresh(version, now))
            .cloned()
    }

    pub fn put(&self, key: String, feed: CachedFeed) -> Arc<CachedFeed> {
        let feed = Arc::new(feed);
        let mut entries = self.entries.lock().expect("feed cache lock");
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(key, feed.clone());
        feed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn feed(version: i64, valid_until: Option<DateTime<Utc>>) -> CachedFeed {
        CachedFeed {
            body: "x".into(),
            content_type: "text/plain",
            version,
            valid_until,
        }
    }

    #[test]
    fn an_entry_is_stale_after_a_write_or_its_time() {
        let cache = FeedCache::default();
        let now = Utc::now();
        cache.put(
            "/feed.rss".into(),
            feed(3, Some(now + Duration::seconds(5))),
        );
        assert!(cache.get("/feed.rss", 3, now).is_some());
        assert!(cache.get("/feed.rss", 4, now).is_none(), "a newer version");
        assert!(
            cache
                .get("/feed.rss", 3, now + Duration::seconds(5))
                .is_none(),
            "time passed"
        );
        assert!(
            cache.get("/feed.rss?kind=news", 3, now).is_none(),
            "another filter"
        );
    }

    #[test]
    fn the_cache_is_bounded() {
        let cache = FeedCache::default();
        for i in 0..=MAX_ENTRIES {
            cache.put(format!("/feed.rss?{i}"), feed(1, None));
        }
        assert!(cache.entries.lock().unwrap().len() <= MAX_ENTRIES);
    }
}
