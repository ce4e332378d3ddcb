//! JSON Feed 1.1 (https://jsonfeed.org/version/1.1).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{area_names, description_html, description_text, guid, FeedInfo};
use crate::domain::time::rfc3339_oslo;
use crate::domain::{Kind, Notice, Status, Taxonomy};

#[derive(Serialize)]
struct Feed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    description: &'a str,
    language: &'static str,
    authors: [Author; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hubs: Vec<Hub<'a>>,
    items: Vec<Item>,
}

#[derive(Serialize)]
struct Author {
    name: &'static str,
    url: &'static str,
}

#[derive(Serialize)]
struct Hub<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    url: &'a str,
}

#[derive(Serialize)]
struct Item {
    id: String,
    url: String,
    title: String,
    content_html: String,
    content_text: String,
    summary: String,
    language: &'static str,
    date_published: String,
    date_modified: String,
    tags: Vec<String>,
    /// Tavla's own fields (JSON Feed extensions start with an underscore).
    _tavla: Extension,
}

#[derive(Serialize)]
struct Extension {
    kind: Kind,
    status: Option<Status>,
    areas: Vec<String>,
}

/// Renders the feed. `notices` are newest first.
pub fn render(
    info: &FeedInfo,
    notices: &[Notice],
    taxonomy: &Taxonomy,
    now: DateTime<Utc>,
) -> String {
    let items = notices
        .iter()
        .map(|notice| Item {
            id: guid(notice),
            url: info.item_link(notice),
            title: notice.title.clone(),
            content_html: description_html(notice, now),
            content_text: description_text(notice, now),
            summary: notice.summary.clone(),
            language: notice.language.as_str(),
            date_published: rfc3339_oslo(notice.published_at),
            date_modified: rfc3339_oslo(notice.updated_at.max(notice.published_at)),
            tags: area_names(notice, taxonomy).map(str::to_owned).collect(),
            _tavla: Extension {
                kind: notice.kind(),
                status: notice.status(now),
                areas: notice.areas.clone(),
            },
        })
        .collect();
    let feed = Feed {
        version: "https://jsonfeed.org/version/1.1",
        title: &info.title,
        home_page_url: &info.site_url,
        feed_url: &info.self_url,
        description: &info.description,
        language: info.language.as_str(),
        authors: [Author {
            name: "Helsedirektoratet",
            url: "https://www.helsedirektoratet.no/",
        }],
        hubs: info
            .hub
            .as_deref()
            .map(|url| Hub {
                kind: "WebSub",
                url,
            })
            .into_iter()
            .collect(),
        items,
    };
    serde_json::to_string_pretty(&feed).expect("feeds serialise")
}
