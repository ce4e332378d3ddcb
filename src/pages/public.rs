//! The public notice board in bokmål (`/`, `/notices/{slug}`,
//! `/areas/{slug}`) and in nynorsk (the same under `/nn`).

use actix_web::http::StatusCode;
use actix_web::{route, web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{DateTime, Utc};

use super::subscriptions::{form_for, SubscriptionForm};
use super::views::NoticeCard;
use super::{html, message, not_found, store_failed, Chrome};
use crate::app::cursor::encode_cursor;
use crate::app::query::canonical_query;
use crate::app::query::{list_query, InvalidParameters, LIST_PARAMETERS};
use crate::app::App;
use crate::domain::{FieldError, Invalid, Kind, Language, Notice, State, Taxonomy};
use crate::i18n::Lang;
use crate::store::listing::{self, NoticeQuery, Position};
use crate::store::notices;

/// The public pages' routes, in both written standards.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(index)
        .service(index_nn)
        .service(notice_page)
        .service(notice_page_nn)
        .service(area_page)
        .service(area_page_nn)
        .service(accessibility)
        .service(accessibility_nn);
}

#[derive(Template)]
#[template(path = "accessibility.html")]
struct AccessibilityPage {
    c: Chrome,
}

/// The accessibility statement: what is tested and how, what is known not
/// to be good enough yet, and where to say so.
#[route("/tilgjengelighet", method = "GET", method = "HEAD")]
pub async fn accessibility() -> HttpResponse {
    accessibility_in(Lang::Nb)
}

#[route("/nn/tilgjengelighet", method = "GET", method = "HEAD")]
pub async fn accessibility_nn() -> HttpResponse {
    accessibility_in(Lang::Nn)
}

fn accessibility_in(lang: Lang) -> HttpResponse {
    let c = Chrome::new(lang, "/tilgjengelighet");
    html(StatusCode::OK, &AccessibilityPage { c })
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    c: Chrome,
    notices: Vec<NoticeCard>,
    /// The heading level of each notice's title: under the page's h1.
    item_level: u8,
    /// (value, label, selected)
    kinds: Vec<(String, String, bool)>,
    areas: Vec<(String, String, bool)>,
    q: String,
    /// The filters that could not be used, and why.
    problems: Vec<String>,
    /// What the list shows, for its title: «Tilskudd, søk «demens»».
    selection: Option<String>,
    next_page: Option<String>,
    /// The e-mail subscription form, keeping the page's kinds and areas;
    /// none on a server that sends no e-mail.
    subscription: Option<SubscriptionForm>,
}

impl IndexPage {
    /// «Tilskudd, søk «demens» – Kunngjøringer – Tavla», said to be in error
    /// when a filter could not be used, so that the tab and the first thing a
    /// screen reader says tell what the page shows.
    fn title(&self) -> String {
        let lang = self.c.lang;
        let title = match &self.selection {
            None => lang.t("site-title"),
            Some(selection) => lang.t_with("title-list", &[("selection", selection.clone())]),
        };
        match self.problems.is_empty() {
            true => title,
            false => lang.t_with("title-problem", &[("title", title)]),
        }
    }
}

#[derive(Template)]
#[template(path = "notice.html")]
pub(super) struct NoticePage {
    pub c: Chrome,
    pub n: NoticeCard,
    /// The title's heading level: the page's h1; the body's headings are below it.
    pub title_level: u8,
    pub body_html: Option<String>,
    /// (slug, name)
    pub tags: Vec<(String, String)>,
    pub source_url: Option<String>,
}

impl NoticePage {
    pub fn new(notice: &Notice, taxonomy: &Taxonomy, now: DateTime<Utc>, lang: Lang) -> Self {
        let tags = notice.areas.iter().filter_map(|s| taxonomy.get(s));
        Self {
            c: Chrome::new(lang, format!("/notices/{}", notice.slug)),
            title_level: 1,
            body_html: notice.body.as_ref().map(|b| b.html().to_owned()),
            source_url: notice.source_url.clone(),
            tags: tags.map(|a| (a.slug.clone(), a.name.clone())).collect(),
            n: NoticeCard::new(notice, now, lang),
        }
    }
}

#[derive(Template)]
#[template(path = "area.html")]
struct AreaPage {
    c: Chrome,
    /// Under the h2 «Kunngjøringer».
    item_level: u8,
    name: String,
    description: Option<String>,
    children: Vec<(String, String)>,
    notices: Vec<NoticeCard>,
    /// The e-mail subscription form, this area chosen.
    subscription: Option<SubscriptionForm>,
}

/// The filters in a page's address, without the form's empty choices
/// ("Alle typer") and without parameters a list does not take: a link from a
/// newsletter (`utm_source=…`) opens the page as if they were not there.
fn chosen(request: &HttpRequest) -> Vec<(String, String)> {
    form_urlencoded::parse(request.query_string().as_bytes())
        .into_owned()
        .filter(|(k, v)| LIST_PARAMETERS.contains(&k.as_str()) && !v.trim().is_empty())
        .collect()
}

fn encode(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The list `pairs` ask for. A filter whose value is wrong is left out, so the
/// reader still gets a list, and said why in the page's language.
fn page_query(
    pairs: &mut Vec<(String, String)>,
    taxonomy: &Taxonomy,
    lang: Lang,
) -> (NoticeQuery, Vec<String>) {
    let mut problems = Vec::new();
    loop {
        match list_query(&encode(pairs), taxonomy) {
            Ok(query) => return (query, problems),
            Err(InvalidParameters(errors)) => {
                let before = pairs.len();
                pairs.retain(|(name, _)| !errors.iter().any(|e| &e.field == name));
                problems.extend(errors.iter().map(|e| ignored(e, lang)));
                if pairs.len() == before {
                    // Nothing left to drop: the plain list.
                    pairs.clear();
                    return (list_query("", taxonomy).unwrap_or_default(), problems);
                }
            }
        }
    }
}

/// The filters in `pairs` (all of them usable) and the page, in words:
/// «Tilskudd, søk «demens», side 2»; `None` for the first page of everything.
fn selection(
    pairs: &[(String, String)],
    page: Option<u32>,
    taxonomy: &Taxonomy,
    lang: Lang,
) -> Option<String> {
    let mut said = Vec::new();
    for name in ["kind", "area", "language", "status", "q", "from", "to"] {
        for (_, value) in pairs.iter().filter(|(k, _)| k == name) {
            let value = value.trim().to_owned();
            said.push(match name {
                "kind" => value.parse().map(|k| lang.kind(k)).unwrap_or(value),
                "area" => taxonomy.get(&value).map_or(value, |a| a.name.clone()),
                "language" => match value.parse::<Language>() {
                    Ok(language) => lang.t(&format!("language-{}", language.as_str())),
                    Err(_) => value,
                },
                "status" => value.parse().map(|s| lang.status(s)).unwrap_or(value),
                "q" => lang.t_with("title-search", &[("q", value)]),
                "from" => lang.t_with("title-from", &[("date", value)]),
                _ => lang.t_with("title-to", &[("date", value)]),
            });
        }
    }
    if let Some(page) = page {
        said.push(lang.t_with("title-page", &[("page", page.to_string())]));
    }
    let said = said.join(", ");
    let mut chars = said.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

/// «Typen ble ikke brukt: må være et av valgene.»
fn ignored(error: &FieldError, lang: Lang) -> String {
    let field = match error.field.as_str() {
        "kind" | "area" | "language" | "q" | "status" | "from" | "to" | "cursor" | "limit" => {
            lang.t(&format!("param-{}", error.field))
        }
        _ => lang.t("param-other"),
    };
    // The query's reader says most mistakes in English words of its own;
    // a choice that is not one is said as such.
    let problem = match (error.field.as_str(), &error.invalid) {
        ("kind" | "status", Invalid::Parameter(_)) => lang.t("invalid-not-a-choice"),
        ("area", Invalid::Parameter(_)) => lang.t("invalid-unknown-area"),
        (_, invalid) => lang.invalid(invalid),
    };
    lang.t_with("filter-ignored", &[("field", field), ("problem", problem)])
}

#[route("/", method = "GET", method = "HEAD")]
pub async fn index(state: web::Data<App>, request: HttpRequest) -> HttpResponse {
    index_in(Lang::Nb, state, request).await
}

#[route("/nn/", method = "GET", method = "HEAD")]
pub async fn index_nn(state: web::Data<App>, request: HttpRequest) -> HttpResponse {
    index_in(Lang::Nn, state, request).await
}

/// The latest notices, filtered by kind, area and words, with subscribe links.
async fn index_in(lang: Lang, state: web::Data<App>, request: HttpRequest) -> HttpResponse {
    let mut pairs = chosen(&request);
    let (query, problems) = page_query(&mut pairs, &state.taxonomy, lang);
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let (kind, chosen_area, q) = (value("kind"), value("area"), value("q"));
    let option = |value: &str, label: String, chosen: &Option<String>| {
        (value.to_owned(), label, chosen.as_deref() == Some(value))
    };
    let kinds = Kind::ALL.iter();
    let kinds = kinds.map(|k| option(k.as_str(), lang.kind(*k), &kind));
    let areas = state.taxonomy.all().iter();
    let areas = areas.map(|a| option(&a.slug, a.name.clone(), &chosen_area));
    // Pages are reached by cursor; the number is only said, in the title.
    let page_number = pairs.iter().any(|(k, _)| k == "cursor").then(|| {
        form_urlencoded::parse(request.query_string().as_bytes())
            .find(|(k, _)| k == "page")
            .and_then(|(_, v)| v.parse::<u32>().ok())
            .filter(|n| *n >= 2)
            .unwrap_or(2)
    });
    let mut shown = pairs.clone();
    shown.extend(page_number.map(|n| ("page".to_owned(), n.to_string())));
    let here = match encode(&shown) {
        query if query.is_empty() => "/".to_owned(),
        query => format!("/?{query}"),
    };
    let mut page = IndexPage {
        c: Chrome::new(lang, here),
        notices: Vec::new(),
        item_level: 2,
        kinds: kinds.collect(),
        areas: areas.collect(),
        q: q.clone().unwrap_or_default(),
        problems,
        selection: selection(&pairs, page_number, &state.taxonomy, lang),
        next_page: None,
        subscription: form_for(&state, lang, &pairs),
    };
    let feed_filters: Vec<Kind> = kind.and_then(|k| k.parse().ok()).into_iter().collect();
    let feed_areas: Vec<String> = chosen_area.into_iter().collect();
    let canonical = canonical_query(&feed_filters, &feed_areas, &[]);
    if !canonical.is_empty() {
        page.c.feed_query = format!("?{canonical}");
    }
    let now = state.clock.now();
    let limit = query.limit;
    let mut query = query;
    query.limit += 1;
    let listed = state.store.run(move |c| listing::list(c, &query, now));
    let mut found = match listed.await {
        Ok(found) => found,
        Err(crate::store::StoreError::NothingToSearch) => {
            page.problems.push(lang.t("only-stop-words"));
            return html(StatusCode::OK, &page);
        }
        Err(e) => return store_failed(lang, e),
    };
    if found.len() as i64 > limit {
        found.truncate(limit as usize);
        if let Some(last) = found.last() {
            let mut next: Vec<(String, String)> =
                pairs.into_iter().filter(|(k, _)| k != "cursor").collect();
            next.push(("cursor".into(), encode_cursor(Position::of(last))));
            let next_number = page_number.unwrap_or(1).saturating_add(1);
            next.push(("page".into(), next_number.to_string()));
            page.next_page = Some(format!("{}/?{}", lang.prefix(), encode(&next)));
        }
    }
    page.notices = found
        .iter()
        .map(|notice| NoticeCard::new(notice, now, lang))
        .collect();
    html(StatusCode::OK, &page)
}

#[route("/notices/{slug}", method = "GET", method = "HEAD")]
pub async fn notice_page(state: web::Data<App>, slug: web::Path<String>) -> HttpResponse {
    notice_page_in(Lang::Nb, state, slug.into_inner()).await
}

#[route("/nn/notices/{slug}", method = "GET", method = "HEAD")]
pub async fn notice_page_nn(state: web::Data<App>, slug: web::Path<String>) -> HttpResponse {
    notice_page_in(Lang::Nn, state, slug.into_inner()).await
}

/// One notice: the permalink every feed item points to.
async fn notice_page_in(lang: Lang, state: web::Data<App>, slug: String) -> HttpResponse {
    let now = state.clock.now();
    let found = match state.store.run(move |c| notices::find(c, &slug)).await {
        Ok(found) => found,
        Err(e) => return store_failed(lang, e),
    };
    match found {
        Some(n) if n.state == State::Withdrawn => message(
            lang,
            StatusCode::GONE,
            "withdrawn-heading",
            "withdrawn-text",
        ),
        Some(n) if n.is_public(now) => html(
            StatusCode::OK,
            &NoticePage::new(&n, &state.taxonomy, now, lang),
        ),
        _ => not_found(lang),
    }
}

#[route("/areas/{slug}", method = "GET", method = "HEAD")]
pub async fn area_page(state: web::Data<App>, slug: web::Path<String>) -> HttpResponse {
    area_page_in(Lang::Nb, state, slug.into_inner()).await
}

#[route("/nn/areas/{slug}", method = "GET", method = "HEAD")]
pub async fn area_page_nn(state: web::Data<App>, slug: web::Path<String>) -> HttpResponse {
    area_page_in(Lang::Nn, state, slug.into_inner()).await
}

/// One area: its description from the access package and its notices.
async fn area_page_in(lang: Lang, state: web::Data<App>, slug: String) -> HttpResponse {
    let Some(area) = state.taxonomy.get(&slug).cloned() else {
        return not_found(lang);
    };
    let now = state.clock.now();
    let query = NoticeQuery {
        areas: state.taxonomy.with_descendants(&area.slug),
        limit: 50,
        ..Default::default()
    };
    let children = state.taxonomy.all().iter();
    let children = children.filter(|a| a.parent.as_deref() == Some(area.slug.as_str()));
    let children = children.map(|a| (a.slug.clone(), a.name.clone())).collect();
    let listed = state.store.run(move |c| listing::list(c, &query, now));
    let found = match listed.await {
        Ok(found) => found,
        Err(e) => return store_failed(lang, e),
    };
    let mut c = Chrome::new(lang, format!("/areas/{}", area.slug));
    c.feed_query = format!("?area={}", area.slug);
    let page = AreaPage {
        c,
        item_level: 3,
        notices: found
            .iter()
            .map(|n| NoticeCard::new(n, now, lang))
            .collect(),
        subscription: form_for(&state, lang, &[("area".to_owned(), area.slug)]),
        name: area.name,
        description: area.description,
        children,
    };
    html(StatusCode::OK, &page)
}
