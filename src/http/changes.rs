//! `GET /api/v1/changes`: what changed in the public set since a token, for
//! dashboards that mirror it.

use actix_web::http::header;
use actix_web::{route, web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::problem::{ApiError, Problem};
use super::views::NoticeView;
use super::AppState;
use crate::app::cursor::encode_changes_token;
use crate::app::query::changes_query;
use crate::domain::time::rfc3339_oslo;
use crate::domain::State;
use crate::store::changes;

crate::named_enum! {
    /// Where a notice stands after its latest change: `published` (public
    /// now: upsert it), or why it left the public set: `withdrawn`, `draft`,
    /// `scheduled` (moved to a later time: remove it until it goes live).
    ChangeState {
        Published => "published",
        Withdrawn => "withdrawn",
        Draft => "draft",
        Scheduled => "scheduled",
    }
}

/// One notice's latest change.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeView<'a> {
    pub id: String,
    /// `published` when it is (now) public; otherwise why it left the public
    /// set: `withdrawn`, `draft`, or `scheduled` (moved to a later time).
    pub state: ChangeState,
    /// When it changed: its last write, or the instant it went live.
    pub changed_at: String,
    /// The notice as the public sees it; `null` for a tombstone: remove it.
    pub notice: Option<NoticeView<'a>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangePage<'a> {
    /// Oldest first; each notice at most once, at its latest change.
    pub items: Vec<ChangeView<'a>>,
    /// Poll again with `since=<next>`.
    pub next: String,
    /// More changes are waiting: ask again at once with `next`.
    pub has_more: bool,
}

/// Every notice that became public, changed or left the public set since the
/// token, oldest first. Start without `since` for a full sync; then poll with
/// `next`. Scheduled notices appear when they go live.
#[utoipa::path(
    get,
    path = "/api/v1/changes",
    tag = "notices",
    params(
        ("since" = Option<String>, Query, description = "`next` from the previous answer; absent for everything"),
        ("limit" = Option<i64>, Query, description = "1–1000, default 100"),
    ),
    responses(
        (status = 200, body = ChangePage),
        (status = 400, body = Problem, content_type = "application/problem+json"),
    )
)]
#[route("/api/v1/changes", method = "GET", method = "HEAD")]
pub async fn list(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (since, limit) = changes_query(request.query_string())?;
    let now = state.app.clock.now();
    let mut found = state
        .app
        .store
        .run(move |conn| changes::changed_since(conn, since, limit + 1))
        .await?;
    let has_more = found.len() as i64 > limit;
    found.truncate(limit as usize);
    let next = found.last().map(|(n, seq)| (*seq, n.id)).unwrap_or(since);
    let items = found
        .iter()
        .map(|(notice, _)| {
            let public = notice.is_public(now);
            let stands = match notice.state {
                State::Published if public => ChangeState::Published,
                State::Published => ChangeState::Scheduled,
                State::Draft => ChangeState::Draft,
                State::Withdrawn => ChangeState::Withdrawn,
            };
            let changed_at = if public {
                notice.updated_at.max(notice.published_at)
            } else {
                notice.updated_at
            };
            ChangeView {
                id: notice.id.to_string(),
                state: stands,
                changed_at: rfc3339_oslo(changed_at),
                notice: public.then(|| NoticeView::new(notice, now, &state.app.base_url)),
            }
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(ChangePage {
            items,
            next: encode_changes_token(next),
            has_more,
        }))
}
