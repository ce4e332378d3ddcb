//! The admins' page of sources at `/admin/kilder`: each upstream feed, what
//! its entries become, and how its last fetch went, with a button that
//! fetches it now. Sources are added and changed through the admin API.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use askama::Template;

use super::language::EditorLang;
use super::session::{AdminSession, Expiry};
use super::{field, forbidden_form, html, pairs, see_other, who};
use crate::app::sources::{self, SourceError};
use crate::app::App;
use crate::domain::source::Source;
use crate::domain::time::{norwegian_date_time, rfc3339_oslo};
use crate::domain::{State, Taxonomy};
use crate::i18n::Lang;

/// A source as the page shows it: every word in the editor's written
/// standard, every time in Norwegian time.
struct SourceShown {
    id: String,
    url: String,
    /// «Tilskudd i Helsetjenester, som utkast, på bokmål».
    becomes: String,
    interval: String,
    /// «aldri» before the first fetch.
    last_fetch: String,
    last_fetch_iso: Option<String>,
    /// What came of it, said in words, with the upstream's status.
    outcome: String,
    /// Whether the last fetch failed.
    failed: bool,
    next_fetch: String,
    next_fetch_iso: String,
    imported: i32,
}

impl SourceShown {
    fn new(source: &Source, taxonomy: &Taxonomy, lang: Lang) -> Self {
        let settings = &source.settings;
        let areas: Vec<String> = settings
            .areas
            .iter()
            .map(|slug| taxonomy.get(slug).map_or(slug.clone(), |a| a.name.clone()))
            .collect();
        let state = lang.t(match settings.state {
            State::Draft => "source-as-drafts",
            _ => "source-as-published",
        });
        let becomes = lang.t_with(
            "source-becomes",
            &[
                ("kind", lang.kind(settings.kind)),
                ("areas", areas.join(", ")),
                ("state", state),
                (
                    "language",
                    // A language's name is written in lower case within a sentence.
                    lang.t(&format!("language-{}", settings.language.as_str()))
                        .to_lowercase(),
                ),
            ],
        );
        let outcome = match source.last_outcome.as_deref() {
            None => String::new(),
            Some(code) => {
                let said = lang.t(&format!("source-outcome-{}", outcome_key(code)));
                match (source.last_status, source.failures) {
                    (Some(status), n) if n > 0 => lang.t_with(
                        "source-outcome-failed",
                        &[
                            ("what", said),
                            ("status", status.to_string()),
                            ("count", n.to_string()),
                        ],
                    ),
                    (None, n) if n > 0 => lang.t_with(
                        "source-outcome-failed-unanswered",
                        &[("what", said), ("count", n.to_string())],
                    ),
                    _ => said,
                }
            }
        };
        Self {
            id: source.id.to_string(),
            url: settings.url.clone(),
            becomes,
            interval: every(settings.interval_minutes, lang),
            last_fetch: source
                .last_fetched_at
                .map_or_else(|| lang.t("source-never"), norwegian_date_time),
            last_fetch_iso: source.last_fetched_at.map(rfc3339_oslo),
            outcome,
            failed: source.failures > 0,
            next_fetch: norwegian_date_time(source.next_fetch_at),
            next_fetch_iso: rfc3339_oslo(source.next_fetch_at),
            imported: source.imported,
        }
    }
}

/// How often a source is fetched: «hentes hver time», «hentes hver 6.
/// time», «hentes hvert 15. minutt».
fn every(minutes: i32, lang: Lang) -> String {
    match (minutes / 60, minutes % 60) {
        (1, 0) => lang.t("source-every-hour"),
        (hours, 0) => lang.t_with("source-every-hours", &[("hours", hours.to_string())]),
        _ => lang.t_with("source-every", &[("minutes", minutes.to_string())]),
    }
}

/// The catalogue's key for an outcome code; an unknown one (from a newer
/// version) is said as a failed request.
fn outcome_key(code: &str) -> &'static str {
    const KNOWN: [&str; 10] = [
        "imported",
        "not-modified",
        "timeout",
        "no-connection",
        "private-address",
        "too-many-redirects",
        "too-large",
        "http-status",
        "request-failed",
        "not-a-feed",
    ];
    KNOWN
        .into_iter()
        .find(|known| *known == code)
        .unwrap_or("request-failed")
}

#[derive(Template)]
#[template(path = "admin/sources.html")]
struct SourcesPage {
    lang: Lang,
    switch_url: String,
    who: String,
    csrf: String,
    expiry: Expiry,
    is_admin: bool,
    done: Option<String>,
    /// What went wrong with a fetch asked for.
    problem: Option<String>,
    sources: Vec<SourceShown>,
}

#[get("/admin/kilder")]
pub async fn list(
    session: AdminSession,
    state: web::Data<App>,
    request: HttpRequest,
    editor_lang: EditorLang,
) -> HttpResponse {
    let lang = editor_lang.lang;
    let found = match sources::list(&state).await {
        Ok(found) => found,
        Err(e) => return failed(e, lang),
    };
    let query: Vec<(String, String)> = form_urlencoded::parse(request.query_string().as_bytes())
        .into_owned()
        .collect();
    let said = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse::<i32>().ok())
    };
    let problem = query.iter().find(|(k, _)| k == "utfall").map(|(_, code)| {
        let what = lang.t(&format!("source-outcome-{}", outcome_key(code)));
        // Within the sentence, after its colon.
        let mut letters = what.chars();
        let what = letters
            .next()
            .map(|first| first.to_lowercase().chain(letters).collect())
            .unwrap_or_default();
        lang.t_with("source-fetch-failed", &[("what", what)])
    });
    let done = match (said("nye"), said("endret")) {
        (Some(created), Some(updated)) => Some(lang.t_with(
            "source-fetched",
            &[
                ("created", created.to_string()),
                ("updated", updated.to_string()),
            ],
        )),
        _ => None,
    };
    html(
        StatusCode::OK,
        &SourcesPage {
            lang,
            switch_url: editor_lang.switch_url_to("/admin/kilder"),
            who: who(&session, lang),
            csrf: session.csrf.clone(),
            expiry: session.expiry(state.clock.now(), lang),
            is_admin: true,
            done,
            problem,
            sources: found
                .iter()
                .map(|s| SourceShown::new(s, &state.taxonomy, lang))
                .collect(),
        },
    )
}

/// Fetches a source now, then shows the list with what came of it.
#[post("/admin/kilder/{id}/hent")]
pub async fn fetch(
    session: AdminSession,
    state: web::Data<App>,
    id: web::Path<String>,
    lang: EditorLang,
    body: web::Bytes,
) -> HttpResponse {
    if !session.verify(field(&pairs(&body), "csrf")) {
        return forbidden_form(lang.lang);
    }
    match sources::fetch_now(&state, &id).await {
        Ok((report, _)) if matches!(report.outcome, "imported" | "not-modified") => {
            see_other(&format!(
                "/admin/kilder?nye={}&endret={}#kilde-{}",
                report.created, report.updated, id
            ))
        }
        Ok((report, _)) => see_other(&format!(
            "/admin/kilder?utfall={}#kilde-{}",
            outcome_key(report.outcome),
            id
        )),
        Err(e) => failed(e, lang.lang),
    }
}

/// The page for a source that is not there, one being fetched, or a fault
/// (logged).
fn failed(error: SourceError, lang: Lang) -> HttpResponse {
    match error {
        SourceError::NotFound(_) => crate::pages::not_found(lang),
        SourceError::Busy(_) | SourceError::Changed(_) => crate::pages::message(
            lang,
            StatusCode::CONFLICT,
            "source-busy-heading",
            "source-busy-text",
        ),
        SourceError::Store(e) => crate::pages::store_failed(lang, e),
        SourceError::Invalid(_) => {
            tracing::error!(error = %error, "the sources page met invalid fields it cannot show");
            crate::pages::message(
                lang,
                StatusCode::INTERNAL_SERVER_ERROR,
                "editor-failed-heading",
                "editor-failed-text",
            )
        }
    }
}
