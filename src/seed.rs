//! Tavla's first data: the access packages (areas) and the ten notices of
//! the directorate's news page, both kept in `seeds/` exactly as published.

use chrono::NaiveDate;

use crate::domain::area::parse_access_packages;
use crate::domain::slug::slugify;
use crate::domain::time::{start_of_oslo_day, whole_seconds};
use chrono::{DateTime, Utc};
use diesel::Connection;

use crate::domain::Actor;
use crate::domain::{Area, Body, Details, GrantDetails, Language, Notice, State, WebinarDetails};
use crate::store::editing::{self, EditError};
use crate::store::{
    areas, lock_for_transaction, notices, DbConnection, StoreError, StoreResult, SEED_LOCK,
};

pub const ACCESS_PACKAGES: &str =
    include_str!("../seeds/tilgangspakke-helse-pleie-omsorg-og-vern.md");
pub const NEWS_PAGE: &str = include_str!("../seeds/helsedirektoratet-nyheter.txt");

/// Where the seed notices were published.
const SOURCE_URL: &str = "https://www.helsedirektoratet.no/";

/// The areas of the access-package document.
pub fn taxonomy() -> Vec<Area> {
    parse_access_packages(ACCESS_PACKAGES).expect("the bundled access-package document parses")
}

/// One dated entry of the news page, as written there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageEntry {
    pub date: NaiveDate,
    pub title: String,
    /// The paragraphs after the title.
    pub paragraphs: Vec<String>,
}

/// Splits the page at each "Publisert dd.mm.yyyy": the next line is the
/// title and the paragraphs up to the next date are its text. The page's
/// introduction, before the first date, is not a notice.
pub fn parse_news_page(page: &str) -> Vec<PageEntry> {
    let mut entries: Vec<PageEntry> = Vec::new();
    for line in page.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(date) = line.strip_prefix("Publisert ") {
            let date = NaiveDate::parse_from_str(date, "%d.%m.%Y").expect("seed dates are valid");
            entries.push(PageEntry {
                date,
                title: String::new(),
                paragraphs: Vec::new(),
            });
        } else if let Some(entry) = entries.last_mut() {
            if entry.title.is_empty() {
                entry.title = line.to_owned();
            } else {
                entry.paragraphs.push(line.to_owned());
            }
        }
    }
    entries
}

/// What the page does not say: each entry's kind, areas and details,
/// matched by the start of its title.
fn classify(title: &str) -> (Details, &'static [&'static str]) {
    const HEALTH: &str = "helsetjenester";
    const INSTITUTIONS: &str = "pleie-og-omsorgstjenester-i-institusjon";
    const SOCIAL: &str = "sosiale-omsorgstjenester-uten-botilbud-og-flykningemottak";
    const MUNICIPAL_DOCTOR: &str = "kommuneoverlege";
    const CHILDREN: &str = "barnevern-og-familievern";
    let grant = |applicants: &[&str]| {
        Details::Grant(GrantDetails {
            applicants: applicants.iter().map(|a| a.to_string()).collect(),
            ..Default::default()
        })
    };
    let webinar = || Details::Webinar(WebinarDetails::default());
    match title {
        t if t.contains("Øve på TISK") => (webinar(), &[MUNICIPAL_DOCTOR, HEALTH]),
        "Tilskudd til hospitering" => (
            grant(&["kommuner", "helseforetak"]),
            &[HEALTH, INSTITUTIONS],
        ),
        "Kompensasjon til fastleger pga korona" => (grant(&["fastleger"]), &[HEALTH]),
        "Tilskudd til helsefellesskap" => (grant(&["kommuner", "helseforetak"]), &[HEALTH]),
        "IPLOS/KPR opplæring" => (
            Details::Webinar(WebinarDetails {
                cancelled: true,
                cancellation_note: Some("webinar i oktober/ november er avlyst".into()),
                ..Default::default()
            }),
            &[INSTITUTIONS, SOCIAL],
        ),
        "Webinar for helsestasjon- og skolehelse" => (webinar(), &[HEALTH, CHILDREN]),
        "Viktig at kommunene ivaretar utviklingshemmedes behov" => {
            (Details::News, &[SOCIAL, INSTITUTIONS])
        }
        "Opplæringsressurser covid 19" => {
            (Details::News, &[HEALTH, INSTITUTIONS, MUNICIPAL_DOCTOR])
        }
        _ => (Details::News, &[HEALTH]),
    }
}

/// The ten seed notices, published at 00:00 Europe/Oslo on their dates.
pub fn notices(now: DateTime<Utc>) -> Vec<Notice> {
    let created = whole_seconds(now);
    parse_news_page(NEWS_PAGE)
        .into_iter()
        .map(|entry| {
            let (details, areas) = classify(&entry.title);
            let mut paragraphs = entry.paragraphs.into_iter();
            let summary = paragraphs.next().unwrap_or_default();
            let rest: Vec<String> = paragraphs.collect();
            Notice {
                id: Notice::new_id(created),
                slug: slugify(&entry.title),
                state: State::Published,
                summary,
                body: (!rest.is_empty()).then(|| {
                    Body::render(rest.join("\n\n")).expect("the seed bodies are plain paragraphs")
                }),
                source_url: Some(SOURCE_URL.to_owned()),
                // Helsedirektoratet's news page is in bokmål.
                language: Language::Nb,
                published_at: start_of_oslo_day(entry.date),
                revision: 1,
                areas: areas.iter().map(|a| a.to_string()).collect(),
                details,
                created_at: created,
                updated_at: created,
                title: entry.title,
            }
        })
        .collect()
}

/// Brings the areas up to date and, on an empty database, loads the seed
/// notices, each with its first revision. Returns how many notices it loaded.
pub fn load(conn: &mut DbConnection, now: DateTime<Utc>) -> StoreResult<usize> {
    let now = whole_seconds(now);
    // Made (their bodies rendered) before the transaction, which holds the write lock.
    let seeds = notices(now);
    conn.transaction(|conn| {
        // Instances starting together on one PostgreSQL seed it once.
        lock_for_transaction(conn, SEED_LOCK)?;
        areas::sync(conn, &taxonomy())?;
        if notices::any(conn)? {
            return Ok(0);
        }
        let count = seeds.len();
        for notice in seeds {
            editing::create_notice(
                conn,
                notice,
                &Actor::system(),
                None,
                |_| String::new(),
                &[],
                now,
            )
            .map_err(|e| match e {
                EditError::Store(e) => e,
                other => StoreError::Corrupt(other.to_string()),
            })?;
        }
        Ok(count)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Kind;

    #[test]
    fn the_page_holds_ten_dated_entries() {
        let entries = parse_news_page(NEWS_PAGE);
        assert_eq!(entries.len(), 10);
        assert_eq!(entries[1].title, "Tilskudd til hospitering");
        assert_eq!(
            entries[1].date,
            NaiveDate::from_ymd_opt(2020, 10, 20).unwrap()
        );
        assert_eq!(entries[0].paragraphs.len(), 2);
        assert!(entries
            .iter()
            .all(|e| !e.title.is_empty() && !e.paragraphs.is_empty()));
    }

    #[test]
    fn kinds_follow_the_product_description() {
        let seeds = notices(chrono::Utc::now());
        let count = |kind| seeds.iter().filter(|n| n.kind() == kind).count();
        assert_eq!(
            (count(Kind::Grant), count(Kind::Webinar), count(Kind::News)),
            (3, 3, 4)
        );
        let slugs: std::collections::HashSet<_> = seeds.iter().map(|n| &n.slug).collect();
        assert_eq!(slugs.len(), 10, "seed slugs are unique");
    }

    #[test]
    fn every_seed_area_is_linkable() {
        let taxonomy = taxonomy();
        for notice in notices(chrono::Utc::now()) {
            for area in &notice.areas {
                let found = taxonomy.iter().find(|a| &a.slug == area).expect(area);
                assert!(found.linkable, "{area}");
            }
        }
    }
}
