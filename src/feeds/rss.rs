//! RSS 2.0, with `atom:link rel="self"` (and `rel="hub"` for WebSub).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rss::extension::atom::{AtomExtension, Link};
use rss::{CategoryBuilder, ChannelBuilder, GuidBuilder, ItemBuilder};

use super::{area_names, description_html, guid, newest_change, xml_safe, FeedInfo};
use crate::domain::{Notice, Taxonomy};

/// Renders the feed. `notices` are newest first.
pub fn render(
    info: &FeedInfo,
    notices: &[Notice],
    taxonomy: &Taxonomy,
    now: DateTime<Utc>,
) -> String {
    let items = notices
        .iter()
        .map(|notice| {
            let categories = area_names(notice, taxonomy)
                .map(|name| CategoryBuilder::default().name(xml_safe(name)).build())
                .collect::<Vec<_>>();
            ItemBuilder::default()
                .title(xml_safe(&notice.title))
                .link(info.item_link(notice))
                .guid(
                    GuidBuilder::default()
                        .value(guid(notice))
                        .permalink(false)
                        .build(),
                )
                .pub_date(notice.published_at.to_rfc2822())
                .description(xml_safe(&description_html(notice, now)))
                .categories(categories)
                .build()
        })
        .collect::<Vec<_>>();
    let mut links = vec![Link {
        rel: "self".into(),
        href: info.self_url.clone(),
        mime_type: Some("application/rss+xml".into()),
        ..Default::default()
    }];
    if let Some(hub) = &info.hub {
        links.push(Link {
            rel: "hub".into(),
            href: hub.clone(),
            ..Default::default()
        });
    }
    let channel = ChannelBuilder::default()
        .title(xml_safe(&info.title))
        .link(info.site_url.clone())
        .description(xml_safe(&info.description))
        .language(Some(info.language.to_string()))
        .last_build_date(newest_change(notices).map(|at| at.to_rfc2822()))
        .pub_date(notices.first().map(|n| n.published_at.to_rfc2822()))
        .atom_ext(Some(AtomExtension { links }))
        .namespaces(BTreeMap::from([(
            "atom".to_owned(),
            "http://www.w3.org/2005/Atom".to_owned(),
        )]))
        .items(items)
        .build();
    channel.to_string()
}
