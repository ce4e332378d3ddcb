//! RSS 2.0, with an `atom:link rel="self"`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rss::extension::atom::{AtomExtension, Link};
use rss::{CategoryBuilder, ChannelBuilder, GuidBuilder, ItemBuilder};

use super::{area_names, key_facts, xml_safe, FeedInfo};
use crate::domain::{Notice, Taxonomy};

/// The item's description: the summary and the kind's key facts, as escaped HTML.
fn description(notice: &Notice, now: DateTime<Utc>) -> String {
    let mut html = format!("<p>{}</p>", escape_html(&notice.summary));
    let facts = key_facts(notice, now);
    if !facts.is_empty() {
        html.push_str("<ul>");
        for fact in facts {
            html.push_str(&format!("<li>{}</li>", escape_html(&fact)));
        }
        html.push_str("</ul>");
    }
    html
}

pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
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
        .map(|notice| {
            let categories = area_names(notice, taxonomy)
                .map(|name| CategoryBuilder::default().name(xml_safe(name)).build())
                .collect::<Vec<_>>();
            ItemBuilder::default()
                .title(xml_safe(&notice.title))
                .link(format!("{}/notices/{}", info.base_url, notice.slug))
                .guid(
                    GuidBuilder::default()
                        .value(format!("urn:uuid:{}", notice.id))
                        .permalink(false)
                        .build(),
                )
                .pub_date(notice.published_at.to_rfc2822())
                .description(xml_safe(&description(notice, now)))
                .categories(categories)
                .build()
        })
        .collect::<Vec<_>>();
    let self_link = Link {
        rel: "self".into(),
        href: info.self_url.clone(),
        mime_type: Some("application/rss+xml".into()),
        ..Default::default()
    };
    let newest_change = notices
        .iter()
        .map(|n| n.updated_at.max(n.published_at))
        .max();
    let channel = ChannelBuilder::default()
        .title(xml_safe(&info.title))
        .link(info.site_url.clone())
        .description(xml_safe(&info.description))
        .language(Some("nb".to_owned()))
        .last_build_date(newest_change.map(|at| at.to_rfc2822()))
        .pub_date(notices.first().map(|n| n.published_at.to_rfc2822()))
        .atom_ext(Some(AtomExtension {
            links: vec![self_link],
        }))
        .namespaces(BTreeMap::from([(
            "atom".to_owned(),
            "http://www.w3.org/2005/Atom".to_owned(),
        )]))
        .items(items)
        .build();
    channel.to_string()
}
