//! WebSub: tells the configured hub which feed URLs changed, in the
//! background, with timeouts and bounded retries, never delaying a write.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::domain::{Notice, Taxonomy};
use crate::http::feeds::{canonical_query, Format};
use crate::http::params::FeedFilter;

/// How long one notification may take.
const TIMEOUT: Duration = Duration::from_secs(5);
/// Attempts per topic, with the delay doubling from the first.
const ATTEMPTS: u32 = 3;
const FIRST_RETRY: Duration = Duration::from_millis(500);
/// Longer than an instance takes to learn of another's write.
const SETTLE: Duration = Duration::from_secs(1);

#[derive(Debug, Clone)]
pub struct WebSub {
    hub: String,
    base_url: String,
    client: reqwest::Client,
}

impl WebSub {
    pub fn new(hub: String, base_url: String) -> Self {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .user_agent(concat!(
                "Tavla/",
                env!("CARGO_PKG_VERSION"),
                " (WebSub publisher)"
            ))
            .build()
            .expect("a default HTTP client builds");
        Self {
            hub,
            base_url,
            client,
        }
    }

    /// Every feed URL a change of `notices` (its states before and after) can
    /// alter: each format unfiltered, by its kind, by each of its areas and
    /// their parents, by kind and area together; and every URL with filters
    /// among `requested` (feed URLs readers have fetched) that takes it in.
    pub fn topics(
        &self,
        notices: &[&Notice],
        taxonomy: &Taxonomy,
        requested: &[String],
    ) -> Vec<String> {
        let mut areas: Vec<String> = Vec::new();
        for notice in notices {
            for area in &notice.areas {
                let mut current = Some(area.clone());
                while let Some(slug) = current {
                    current = taxonomy.get(&slug).and_then(|a| a.parent.clone());
                    if !areas.contains(&slug) {
                        areas.push(slug);
                    }
                }
            }
        }
        let kinds: Vec<_> = notices.iter().map(|n| n.kind()).collect();
        let mut queries = vec![String::new()];
        for kind in &kinds {
            queries.push(canonical_query(&[*kind], &[]));
            for area in &areas {
                queries.push(canonical_query(&[*kind], std::slice::from_ref(area)));
            }
        }
        for area in &areas {
            queries.push(canonical_query(&[], std::slice::from_ref(area)));
        }
        let mut topics: Vec<String> = Format::ALL
            .iter()
            .flat_map(|format| {
                queries.iter().map(move |q| match q.is_empty() {
                    true => format.path().to_owned(),
                    false => format!("{}?{q}", format.path()),
                })
            })
            .collect();
        for target in requested {
            let (path, query) = target.split_once('?').unwrap_or((target, ""));
            if !Format::ALL.iter().any(|f| f.path() == path) {
                continue;
            }
            let Ok(filter) = FeedFilter::parse(query, taxonomy) else {
                continue;
            };
            let takes_it = notices.iter().any(|n| {
                (filter.kinds.is_empty() || filter.kinds.contains(&n.kind()))
                    && (filter.areas.is_empty() || n.areas.iter().any(|a| filter.areas.contains(a)))
            });
            if takes_it {
                topics.push(target.clone());
            }
        }
        let mut topics: Vec<String> = topics
            .into_iter()
            .map(|t| format!("{}{t}", self.base_url))
            .collect();
        topics.sort();
        topics.dedup();
        topics
    }

    /// Notifies the hub of `topics` in the background, once every instance
    /// has had time to see the write (a poll), so the hub's fetch gets it.
    pub fn notify(self: &Arc<Self>, topics: Vec<String>) {
        let settled = Utc::now() + chrono::Duration::from_std(SETTLE).expect("small");
        self.notify_at(Some(settled), topics);
    }

    /// Notifies the hub of `topics` at `when` (a scheduled notice going
    /// live), or now, in the background.
    pub fn notify_at(self: &Arc<Self>, when: Option<DateTime<Utc>>, topics: Vec<String>) {
        let this = self.clone();
        tokio::spawn(async move {
            if let Some(wait) = when.and_then(|at| (at - Utc::now()).to_std().ok()) {
                tokio::time::sleep(wait).await;
            }
            let sends = topics.iter().map(|topic| this.publish(topic));
            futures_util::future::join_all(sends).await;
        });
    }

    async fn publish(&self, topic: &str) {
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("hub.mode", "publish")
            .append_pair("hub.url", topic)
            .finish();
        let mut delay = FIRST_RETRY;
        for attempt in 1..=ATTEMPTS {
            let sent = self
                .client
                .post(&self.hub)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body.clone())
                .send()
                .await;
            match sent {
                Ok(response) if response.status().is_success() => {
                    tracing::debug!(topic, "notified the WebSub hub");
                    return;
                }
                Ok(response) => {
                    tracing::warn!(topic, attempt, status = %response.status(), "the WebSub hub refused a notification")
                }
                Err(e) => {
                    tracing::warn!(topic, attempt, error = %e, "the WebSub hub did not answer")
                }
            }
            if attempt < ATTEMPTS {
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
        }
        tracing::error!(topic, "gave up notifying the WebSub hub");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;

    #[test]
    fn topics_cover_the_feeds_a_change_touches() {
        let taxonomy = Taxonomy::new(seed::taxonomy());
        let websub = WebSub::new("http://hub.invalid/".into(), "https://tavla.example".into());
        let notice = &seed::notices(chrono::Utc::now())[1]; // a grant in helsetjenester and institusjon
        let requested = vec![
            "/feed.rss?area=helsetjenester&kind=grant".to_owned(),
            "/feed.atom?kind=news".to_owned(),
            "/api/v1/notices".to_owned(),
        ];
        let topics = websub.topics(&[notice], &taxonomy, &requested);
        for expected in [
            "https://tavla.example/feed.rss",
            "https://tavla.example/calendar.ics",
            "https://tavla.example/feed.json?kind=grant",
            "https://tavla.example/feed.atom?area=helsetjenester",
            "https://tavla.example/feed.atom?area=helse-pleie-omsorg-og-vern",
            "https://tavla.example/feed.rss?kind=grant&area=pleie-og-omsorgstjenester-i-institusjon",
            "https://tavla.example/feed.rss?area=helsetjenester&kind=grant",
        ] {
            assert!(topics.contains(&expected.to_owned()), "{expected} in {topics:#?}");
        }
        assert!(!topics.iter().any(|t| t.contains("kind=news")));
        assert!(!topics.iter().any(|t| t.contains("/api/")));
    }
}
