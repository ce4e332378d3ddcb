//! The editor's list of notices, in every state.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpRequest, HttpResponse};
use askama::Template;

use super::html;
use super::language::EditorLang;
use super::session::{EditorSession, Expiry};
use super::{see_other, who};
use crate::app::cursor::encode_cursor;
use crate::app::notices::editor_areas;
use crate::app::query::admin_list_query;
use crate::app::App;
use crate::domain::time::{norwegian_date_time, rfc3339_oslo};
use crate::domain::{Notice, State, Status};
use crate::i18n::Lang;
use crate::store::listing::{self, Position};

struct Row {
    id: String,
    title: String,
    kind: String,
    state: String,
    status: Option<String>,
    cancelled: bool,
    published: String,
    /// RFC 3339, for `<time datetime>`.
    published_iso: String,
}

#[derive(Template)]
#[template(path = "admin/list.html")]
struct ListPage {
    lang: Lang,
    switch_url: String,
    who: String,
    csrf: String,
    expiry: Expiry,
    is_admin: bool,
    done: Option<String>,
    /// (href, label, current)
    filters: Vec<(String, String, bool)>,
    rows: Vec<Row>,
    next_page: Option<String>,
}

fn state_label(notice: &Notice, now: chrono::DateTime<chrono::Utc>, lang: Lang) -> String {
    lang.t(match notice.state {
        State::Draft => "state-draft",
        State::Withdrawn => "state-withdrawn",
        State::Published if notice.published_at > now => "state-scheduled",
        State::Published => "state-published",
    })
}

/// Every notice the editor may touch, in every state.
#[get("/admin")]
pub async fn list(
    session: EditorSession,
    state: web::Data<App>,
    request: HttpRequest,
    editor_lang: EditorLang,
) -> HttpResponse {
    let lang = editor_lang.lang;
    let chosen = web::Query::<Vec<(String, String)>>::from_query(request.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default();
    let wanted_state = chosen
        .iter()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.clone());
    let cursor = chosen
        .iter()
        .find(|(k, _)| k == "cursor")
        .map(|(_, v)| v.clone());
    let mut query_string = form_urlencoded::Serializer::new(String::new());
    if let Some(s) = wanted_state
        .as_deref()
        .filter(|s| s.parse::<State>().is_ok())
    {
        query_string.append_pair("state", s);
    }
    if let Some(c) = &cursor {
        query_string.append_pair("cursor", c);
    }
    let Ok(mut query) = admin_list_query(&query_string.finish(), &state.taxonomy) else {
        return see_other("/admin");
    };
    if let crate::store::listing::Scope::Admin { within, .. } = &mut query.scope {
        *within = editor_areas(&state, &session.token);
    }
    let limit = query.limit;
    query.limit += 1;
    let now = state.clock.now();
    let mut found = match state
        .store
        .run(move |c| listing::list(c, &query, now))
        .await
    {
        Ok(found) => found,
        Err(e) => return crate::pages::store_failed(lang, e),
    };
    let mut next_page = None;
    if found.len() as i64 > limit {
        found.truncate(limit as usize);
        let cursor = found
            .last()
            .map(|n| encode_cursor(Position::of(n)))
            .unwrap_or_default();
        let mut next = form_urlencoded::Serializer::new(String::new());
        if let Some(s) = &wanted_state {
            next.append_pair("state", s);
        }
        next.append_pair("cursor", &cursor);
        next_page = Some(format!("/admin?{}", next.finish()));
    }
    let rows = found
        .iter()
        .map(|n| Row {
            id: n.id.to_string(),
            title: n.title.clone(),
            kind: lang.kind(n.kind()),
            state: state_label(n, now, lang),
            status: n.status(now).map(|s| lang.status(s)),
            cancelled: n.status(now) == Some(Status::Cancelled),
            published: norwegian_date_time(n.published_at),
            published_iso: rfc3339_oslo(n.published_at),
        })
        .collect();
    let filters = [
        ("/admin", "list-all", None),
        (
            "/admin?state=published",
            "list-published",
            Some("published"),
        ),
        ("/admin?state=draft", "list-drafts", Some("draft")),
        (
            "/admin?state=withdrawn",
            "list-withdrawn",
            Some("withdrawn"),
        ),
    ]
    .into_iter()
    .map(|(href, label, s)| (href.to_owned(), lang.t(label), wanted_state.as_deref() == s))
    .collect();
    let done = match chosen
        .iter()
        .find(|(k, _)| k == "ferdig")
        .map(|(_, v)| v.as_str())
    {
        Some("trukket") => Some(lang.t("list-withdrawn-done")),
        _ => None,
    };
    html(
        StatusCode::OK,
        &ListPage {
            lang,
            switch_url: editor_lang.switch_url(),
            who: who(&session, lang),
            csrf: session.csrf.clone(),
            expiry: session.expiry(state.clock.now(), lang),
            is_admin: session.is_admin(),
            done,
            filters,
            rows,
            next_page,
        },
    )
}
