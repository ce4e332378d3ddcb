//! WebSub: a channel of the outbox that tells the configured hub which
//! feed URLs an event changed, with a timeout, never delaying a write.

use std::sync::Arc;
use std::time::Duration;

use crate::app::outbox::{event_of, Channel, Delivering, Failure};
use crate::app::query::canonical_query;
use crate::app::query::FeedFilter;
use crate::domain::{Placement, Taxonomy};
use crate::feeds::Format;
use crate::store::outbox::{Claimed, Fanout};

/// The channel's name in the outbox.
pub const CHANNEL: &str = "websub";
/// How long one notification may take.
const TIMEOUT: Duration = Duration::from_secs(5);
/// Longer than an instance takes to learn of another's write, so the hub's
/// fetch, through any instance, gets the change.
const SETTLE: chrono::Duration = chrono::Duration::seconds(1);

/// Lists the feed URLs readers have fetched.
pub type Requested = Box<dyn Fn() -> Vec<String> + Send + Sync>;

pub struct WebSub {
    hub: String,
    base_url: String,
    client: reqwest::Client,
    taxonomy: Arc<Taxonomy>,
    /// The feed URLs readers have fetched (the in-memory answers' keys),
    /// whose filters an event may touch.
    requested: Requested,
}

impl WebSub {
    pub fn new(
        hub: String,
        base_url: String,
        taxonomy: Arc<Taxonomy>,
        requested: Requested,
    ) -> Self {
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
            taxonomy,
            requested,
        }
    }

    /// Every feed URL a change of a notice placed at `placements` (before
    /// and after) can alter: each format unfiltered, by its kind, by each of
    /// its areas and their parents, by kind and area together; and every URL
    /// with filters among `requested` (feed URLs readers have fetched) that
    /// takes it in.
    pub fn topics(&self, placements: &[Placement], requested: &[String]) -> Vec<String> {
        let taxonomy = &*self.taxonomy;
        let mut areas: Vec<String> = Vec::new();
        for notice in placements {
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
        let kinds: Vec<_> = placements.iter().map(|n| n.kind).collect();
        let mut queries = vec![String::new()];
        for kind in &kinds {
            queries.push(canonical_query(&[*kind], &[], &[]));
            for area in &areas {
                queries.push(canonical_query(&[*kind], std::slice::from_ref(area), &[]));
            }
        }
        for area in &areas {
            queries.push(canonical_query(&[], std::slice::from_ref(area), &[]));
        }
        for placement in placements {
            queries.push(canonical_query(&[], &[], &[placement.language]));
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
            let takes_it = placements.iter().any(|n| {
                (filter.kinds.is_empty() || filter.kinds.contains(&n.kind))
                    && (filter.areas.is_empty() || n.areas.iter().any(|a| filter.areas.contains(a)))
                    && (filter.languages.is_empty() || filter.languages.contains(&n.language))
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

    /// Notifies the hub of one topic; the status it answered, or why not.
    async fn publish(&self, topic: &str) -> Result<Option<i32>, Failure> {
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("hub.mode", "publish")
            .append_pair("hub.url", topic)
            .finish();
        let sent = self
            .client
            .post(&self.hub)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await;
        match sent {
            Ok(response) if response.status().is_success() => {
                tracing::debug!(topic, "notified the WebSub hub");
                Ok(Some(i32::from(response.status().as_u16())))
            }
            Ok(response) => Err(Failure::retry(
                Some(i32::from(response.status().as_u16())),
                format!("the hub answered {} for {topic}", response.status()),
            )),
            Err(e) => Err(Failure::retry(
                None,
                format!("the hub did not answer for {topic}: {e}"),
            )),
        }
    }
}

/// The delivery each event makes to `hub`.
pub fn fanout(hub: &str) -> Fanout {
    Fanout {
        channel: CHANNEL.to_owned(),
        target: hub.to_owned(),
        delay: SETTLE,
    }
}

impl Channel for WebSub {
    fn names(&self) -> &'static [&'static str] {
        &[CHANNEL]
    }

    fn fanout(&self) -> Vec<Fanout> {
        vec![fanout(&self.hub)]
    }

    fn handles(&self, channel: &str, target: &str) -> bool {
        channel == CHANNEL && target == self.hub
    }

    /// Every topic the event touches, at once; a failure of any is retried
    /// for all (the hub fetches the feed again, which is harmless).
    fn deliver<'a>(&'a self, claimed: &'a Claimed) -> Delivering<'a> {
        Box::pin(async move {
            let topics = self.topics(&event_of(claimed)?.affects, &(self.requested)());
            let sends = topics.iter().map(|topic| self.publish(topic));
            let results = futures_util::future::join_all(sends).await;
            let mut status = None;
            for result in results {
                status = result?;
            }
            Ok(status)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;

    #[test]
    fn topics_cover_the_feeds_a_change_touches() {
        let taxonomy = Arc::new(Taxonomy::new(seed::taxonomy()));
        let websub = WebSub::new(
            "http://hub.invalid/".into(),
            "https://tavla.example".into(),
            taxonomy,
            Box::new(Vec::new),
        );
        let notice = &seed::notices(chrono::Utc::now())[1]; // a grant in helsetjenester and institusjon
        let requested = vec![
            "/feed.rss?area=helsetjenester&kind=grant".to_owned(),
            "/feed.atom?kind=news".to_owned(),
            "/api/v1/notices".to_owned(),
        ];
        let topics = websub.topics(&[Placement::of(notice)], &requested);
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
