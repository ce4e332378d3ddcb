//! Atom 1.0 (RFC 4287).

use atom_syndication::{
    CategoryBuilder, ContentBuilder, EntryBuilder, FeedBuilder, FixedDateTime, LinkBuilder,
    PersonBuilder, Text,
};
use chrono::{DateTime, Utc};

use super::{area_names, description_html, guid, newest_change, xml_safe, FeedInfo};
use crate::domain::{Notice, Taxonomy};

fn fixed(at: DateTime<Utc>) -> FixedDateTime {
    at.with_timezone(&crate::domain::time::ZONE).fixed_offset()
}

fn link(rel: &str, href: &str, mime_type: Option<&str>) -> atom_syndication::Link {
    LinkBuilder::default()
        .rel(rel.to_owned())
        .href(href.to_owned())
        .mime_type(mime_type.map(str::to_owned))
        .build()
}

/// Renders the feed. `notices` are newest first.
pub fn render(
    info: &FeedInfo,
    notices: &[Notice],
    taxonomy: &Taxonomy,
    now: DateTime<Utc>,
) -> String {
    let entries = notices
        .iter()
        .map(|notice| {
            let categories = notice
                .areas
                .iter()
                .zip(area_names(notice, taxonomy))
                .map(|(slug, name)| {
                    CategoryBuilder::default()
                        .term(slug.clone())
                        .label(Some(xml_safe(name)))
                        .build()
                })
                .collect::<Vec<_>>();
            EntryBuilder::default()
                .id(guid(notice))
                .title(Text {
                    lang: Some(notice.language.to_string()),
                    ..Text::plain(xml_safe(&notice.title))
                })
                .updated(fixed(notice.updated_at.max(notice.published_at)))
                .published(Some(fixed(notice.published_at)))
                .links(vec![link(
                    "alternate",
                    &info.item_link(notice),
                    Some("text/html"),
                )])
                .summary(Some(Text {
                    lang: Some(notice.language.to_string()),
                    ..Text::plain(xml_safe(&notice.summary))
                }))
                .content(Some(
                    ContentBuilder::default()
                        .lang(Some(notice.language.to_string()))
                        .content_type(Some("html".to_owned()))
                        .value(Some(xml_safe(&description_html(notice, now))))
                        .build(),
                ))
                .categories(categories)
                .build()
        })
        .collect::<Vec<_>>();
    let mut links = vec![
        link("self", &info.self_url, Some("application/atom+xml")),
        link("alternate", &info.site_url, Some("text/html")),
    ];
    if let Some(hub) = &info.hub {
        links.push(link("hub", hub, None));
    }
    let updated = newest_change(notices).unwrap_or(DateTime::UNIX_EPOCH);
    let feed = FeedBuilder::default()
        .id(info.id.clone())
        .title(Text::plain(xml_safe(&info.title)))
        .subtitle(Some(Text::plain(xml_safe(&info.description))))
        .updated(fixed(updated))
        .authors(vec![PersonBuilder::default()
            .name("Helsedirektoratet".to_owned())
            .build()])
        .links(links)
        .lang(Some(info.language.to_string()))
        .entries(entries)
        .build();
    feed.to_string()
}
