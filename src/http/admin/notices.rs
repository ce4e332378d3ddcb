//! `/api/v1/admin/notices`: create, list, read, correct (merge patch), withdraw,
//! and each notice's revisions.

use actix_web::http::header;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use super::auth::Caller;
use super::body::{self, JSON, MERGE_PATCH};
use crate::domain::input::{self, changed_fields, editable, NoticeInput};
use crate::domain::time::{now, rfc3339_oslo, whole_seconds};
use crate::domain::{merge_patch, Actor, Notice, State};
use crate::http::params::{admin_list_query, encode_cursor};
use crate::http::problem::{ApiError, Problem};
use crate::http::views::{AdminNoticePage, AdminNoticeView};
use crate::http::AppState;
use crate::store::editing::{self, IdempotencyKey};
use crate::store::notices::{self, Scope};
use crate::store::{revisions as stored_revisions, version};

/// The notice document an editor sends: the body of a POST, and what a PATCH
/// (a JSON merge patch, RFC 7396) changes. Every invalid field is named in a 422.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct NoticeDocument {
    /// Required on create; a notice keeps its kind.
    kind: crate::domain::Kind,
    /// One line, 1–200 characters, no control characters.
    #[schema(example = "Tilskudd til hospitering")]
    title: String,
    /// Plain text, 1–2000 characters; line breaks allowed.
    summary: String,
    /// Markdown, up to 50 000 characters; rendered and sanitised where shown.
    body: Option<String>,
    /// An absolute http(s) URL.
    source_url: Option<String>,
    /// An RFC 3339 instant, or a date (00:00 Europe/Oslo). Default: now. Ahead: scheduled.
    #[schema(example = "2026-12-01T09:00:00+01:00")]
    published_at: Option<String>,
    /// `published` (default) or `draft`; withdraw with DELETE.
    state: Option<crate::domain::State>,
    /// 1–10 linkable area slugs, each within the token's packages.
    #[schema(example = json!(["helsetjenester"]))]
    areas: Vec<String>,
    /// Only for grants.
    grant: Option<GrantDocument>,
    /// Only for webinars.
    webinar: Option<WebinarDocument>,
}

/// A grant's terms in a notice document.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct GrantDocument {
    /// RFC 3339; `null` for a rolling grant.
    deadline: Option<String>,
    /// Whole kroner, 0 to 10^12.
    amount_nok: Option<i64>,
    /// Up to 20 groups, e.g. kommuner, fylkeskommuner, helseforetak, organisasjoner, fastleger.
    applicants: Option<Vec<String>>,
    apply_url: Option<String>,
}

/// A webinar's time and registration in a notice document.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct WebinarDocument {
    /// RFC 3339; required for a new webinar.
    starts_at: Option<String>,
    /// RFC 3339, after `starts_at`.
    ends_at: Option<String>,
    registration_url: Option<String>,
    /// Cancel with `true`; the webinar stays visible, marked cancelled.
    cancelled: Option<bool>,
    /// Up to 500 characters; only for a cancelled webinar.
    cancellation_note: Option<String>,
}

/// The areas an editor may touch, parent packages widened to their children;
/// `None` for an admin, who may touch all.
pub fn editor_areas(state: &AppState, caller: &Caller) -> Option<Vec<String>> {
    match caller.0.role {
        crate::domain::Role::Admin => None,
        crate::domain::Role::Editor => Some(
            caller
                .0
                .areas
                .iter()
                .flat_map(|a| state.taxonomy.with_descendants(a))
                .collect(),
        ),
    }
}

/// The strong ETag of a notice's admin representation.
pub fn etag(revision: i32) -> String {
    format!("\"rev-{revision}\"")
}

fn with_etag(
    mut response: actix_web::HttpResponseBuilder,
    revision: i32,
) -> actix_web::HttpResponseBuilder {
    response.insert_header((header::ETAG, etag(revision)));
    response.insert_header((header::CACHE_CONTROL, "no-store"));
    response
}

fn view(state: &AppState, notice: &Notice, now: DateTime<Utc>) -> AdminNoticeView {
    AdminNoticeView::new(notice, now, &state.base_url)
}

/// A notice by id, or 404; 403 if the caller may not touch it.
pub async fn find_for(state: &AppState, caller: &Caller, id: &str) -> Result<Notice, ApiError> {
    let not_found = || ApiError::NotFound(format!("no notice {id:?}"));
    let uuid = Uuid::try_parse(id).map_err(|_| not_found())?;
    let key = uuid.to_string();
    let notice = state
        .store
        .run(move |conn| notices::find(conn, &key))
        .await?
        .filter(|n| n.id == uuid)
        .ok_or_else(not_found)?;
    if !caller.0.may_touch(&notice, &state.taxonomy) {
        return Err(ApiError::Forbidden(format!(
            "this notice has areas outside your token's ({})",
            caller.0.areas.join(", ")
        )));
    }
    Ok(notice)
}

fn check_areas(state: &AppState, caller: &Caller, input: &NoticeInput) -> Result<(), ApiError> {
    if caller.0.may_write(&input.areas, &state.taxonomy) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "your token may publish only in {}; every area of the notice must be among them",
            caller.0.areas.join(", ")
        )))
    }
}

fn idempotency_key(request: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = request.headers().get("Idempotency-Key") else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key) if (1..=200).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(Some(key.to_owned()))
        }
        _ => Err(ApiError::BadRequest(
            "Idempotency-Key must be 1 to 200 visible ASCII characters, e.g. a UUID".into(),
        )),
    }
}

/// Creates a notice. `201` with `Location` and `ETag`.
///
/// The body is the notice document: `kind`, `title`, `summary`, `areas` are
/// required; `state` is `published` (default) or `draft`; `published_at`
/// (default now) in the future schedules it. With an `Idempotency-Key`, a
/// retry with the same body returns the first response and creates nothing.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body(content = NoticeDocument, content_type = "application/json", description = "The notice document"),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: 1–200 visible ASCII characters")),
    responses(
        (status = 201, body = AdminNoticeView, headers(("Location" = String), ("ETag" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Areas outside the token's", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or a reused Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/admin/notices")]
pub async fn create(
    caller: Caller,
    state: web::Data<AppState>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (doc, raw) = body::json(&request, payload, &[JSON]).await?;
    let key = idempotency_key(&request)?.map(|key| IdempotencyKey {
        token_id: caller.0.id,
        key,
        request_hash: format!("{:x}", Sha256::digest(&raw)),
    });
    let outcome = create_notice(&state, &caller, &doc, key).await?;
    Ok(created(outcome.notice_id, outcome.body))
}

/// Creates a notice from a document: the one path for the API and the
/// editor pages. Validation, permission, one write, then the hub.
pub async fn create_notice(
    state: &web::Data<AppState>,
    caller: &Caller,
    doc: &serde_json::Value,
    key: Option<IdempotencyKey>,
) -> Result<editing::Created, ApiError> {
    let now = whole_seconds(now());
    if let Some(key) = &key {
        let lookup = key.clone();
        if let Some((notice_id, body)) = state
            .store
            .run(move |conn| Ok(editing::replay(conn, &lookup, now)))
            .await??
        {
            return Ok(editing::Created { notice_id, body });
        }
    }
    let input = input::parse(doc, &state.taxonomy, None).map_err(ApiError::InvalidFields)?;
    check_areas(state, caller, &input)?;
    let notice = input.into_new(now);
    let actor = Actor::from(&caller.0);
    let announced = notice.clone();
    let render_state = state.clone();
    let (outcome, version) = state
        .store
        .run(move |conn| {
            let respond = |n: &Notice| {
                serde_json::to_string(&view(&render_state, n, now)).expect("views serialise")
            };
            Ok(
                editing::create_notice(conn, notice, &actor, key.as_ref(), respond, now)
                    .and_then(|created| Ok((created, version::current(conn)?))),
            )
        })
        .await??;
    state.version.observe(version);
    if outcome.notice_id == announced.id {
        announce(state, None, &announced, now);
    }
    Ok(outcome)
}

/// Tells the WebSub hub, if any, of the feeds a change alters: now if the
/// public saw it before or sees it now, and when it goes live if scheduled.
fn announce(state: &AppState, before: Option<&Notice>, after: &Notice, now: DateTime<Utc>) {
    let Some(websub) = &state.websub else {
        return;
    };
    let was_public = before.is_some_and(|b| b.is_public(now));
    let is_public = after.is_public(now);
    let scheduled = after.state == State::Published && after.published_at > now;
    if !(was_public || is_public || scheduled) {
        return;
    }
    let changed: Vec<&Notice> = before.into_iter().chain([after]).collect();
    let topics = websub.topics(&changed, &state.taxonomy, &state.representations.keys());
    if scheduled {
        websub.notify_at(Some(after.published_at), topics.clone());
    }
    if was_public || is_public {
        websub.notify(topics);
    }
}

fn created(id: Uuid, body: String) -> HttpResponse {
    with_etag(HttpResponse::Created(), 1)
        .insert_header((header::LOCATION, format!("/api/v1/admin/notices/{id}")))
        .content_type(JSON)
        .body(body)
}

/// Notices in every state that the caller may touch, newest first.
///
/// Takes the filters of `GET /api/v1/notices` and `state` (`draft`, `published`, `withdrawn`; repeatable).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(
        ("state" = Option<Vec<String>>, Query, description = "draft, published or withdrawn; repeatable"),
        ("kind" = Option<Vec<String>>, Query), ("area" = Option<Vec<String>>, Query),
        ("q" = Option<String>, Query), ("status" = Option<Vec<String>>, Query),
        ("from" = Option<String>, Query), ("to" = Option<String>, Query),
        ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query),
    ),
    responses(
        (status = 200, body = AdminNoticePage),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/admin/notices")]
pub async fn list(
    caller: Caller,
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut query = admin_list_query(request.query_string(), &state.taxonomy)?;
    if let Scope::Admin { within, .. } = &mut query.scope {
        *within = editor_areas(&state, &caller);
    }
    let page_size = query.limit;
    query.limit += 1;
    let now = now();
    let mut found = state
        .store
        .run(move |conn| notices::list_ranked(conn, &query, now))
        .await?;
    let next_cursor = if found.len() as i64 > page_size {
        found.truncate(page_size as usize);
        found.last().map(|l| encode_cursor(l.position()))
    } else {
        None
    };
    let page = AdminNoticePage {
        items: found.iter().map(|l| view(&state, &l.notice, now)).collect(),
        next_cursor,
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(page))
}

/// One notice in any state, with its `ETag` for a later PATCH.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = AdminNoticeView, headers(("ETag" = String))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/admin/notices/{id}")]
pub async fn get(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let notice = find_for(&state, &caller, &id).await?;
    Ok(with_etag(HttpResponse::Ok(), notice.revision).json(view(&state, &notice, now())))
}

/// The revision an `If-Match` header allows writing over.
fn expected_revision(request: &HttpRequest, current: i32) -> Result<(), ApiError> {
    let Some(value) = request.headers().get(header::IF_MATCH) else {
        return Err(ApiError::PreconditionRequired(format!(
            "send If-Match with the ETag you last read ({}), so no one else's change is overwritten",
            etag(current)
        )));
    };
    let value = value.to_str().unwrap_or_default();
    if value.trim() == "*" {
        return Err(ApiError::PreconditionRequired(format!(
            "If-Match must name the revision you edited, e.g. {}",
            etag(current)
        )));
    }
    if value.split(',').any(|tag| tag.trim() == etag(current)) {
        Ok(())
    } else {
        Err(ApiError::PreconditionFailed(format!(
            "the notice is now at {}, not {value}; GET it, reapply your change and send the new ETag",
            etag(current)
        )))
    }
}

/// Corrects a notice with a JSON merge patch (RFC 7396). Needs `If-Match`.
///
/// Send only what changes; `null` clears a field. Publishing a draft without
/// a `published_at` publishes it now. Cancelling a webinar:
/// `{"webinar": {"cancelled": true, "cancellation_note": "…"}}`.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The ETag last read")),
    request_body(content = NoticeDocument, content_type = "application/merge-patch+json", description = "The fields to change; null clears one"),
    responses(
        (status = 200, body = AdminNoticeView, headers(("ETag" = String))),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since that ETag", body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/api/v1/admin/notices/{id}")]
pub async fn update(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let before = find_for(&state, &caller, &id).await?;
    expected_revision(&request, before.revision)?;
    let (patch, _) = body::json(&request, payload, &[MERGE_PATCH, JSON]).await?;
    if !patch.is_object() {
        return Err(ApiError::Unprocessable(
            "a merge patch must be a JSON object".into(),
        ));
    }
    let mut doc = editable(&before);
    merge_patch::apply(&mut doc, &patch);
    let time_named = patch.get("published_at").is_some();
    let after = update_notice(&state, &caller, &before, &doc, time_named).await?;
    Ok(with_etag(HttpResponse::Ok(), after.revision).json(view(&state, &after, now())))
}

/// Replaces `before` with a whole document, if it is still at its revision:
/// the one path for PATCH and the editor pages. Returns the notice as stored
/// (`before` itself when nothing changed).
pub async fn update_notice(
    state: &AppState,
    caller: &Caller,
    before: &Notice,
    doc: &serde_json::Value,
    time_named: bool,
) -> Result<Notice, ApiError> {
    let input =
        input::parse(doc, &state.taxonomy, Some(before)).map_err(ApiError::InvalidFields)?;
    check_areas(state, caller, &input)?;
    let now = whole_seconds(now());
    let after = input.revise(before, time_named, now);
    let changed = changed_fields(&editable(before), &editable(&after));
    if changed.is_empty() {
        return Ok(before.clone());
    }
    save(
        state,
        caller,
        before.clone(),
        after.clone(),
        "notice.update",
        Some(changed.join(", ")),
        now,
    )
    .await?;
    Ok(after)
}

async fn save(
    state: &AppState,
    caller: &Caller,
    before: Notice,
    after: Notice,
    action: &'static str,
    detail: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let actor = Actor::from(&caller.0);
    let (old, new) = (before.clone(), after.clone());
    let version = state
        .store
        .run(move |conn| {
            Ok(
                editing::update_notice(conn, &before, &after, action, &actor, detail, now)
                    .and_then(|()| Ok(version::current(conn)?)),
            )
        })
        .await??;
    // This instance's feeds change at once; others learn within a poll.
    state.version.observe(version);
    announce(state, Some(&old), &new, now);
    Ok(())
}

/// Withdraws a notice: the public then gets `410 Gone`, and it leaves every
/// list and feed. Its history stays. `If-Match` is honoured when sent.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = AdminNoticeView, headers(("ETag" = String))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/api/v1/admin/notices/{id}")]
pub async fn withdraw(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let expected = match request.headers().contains_key(header::IF_MATCH) {
        true => Some(find_for(&state, &caller, &id).await?.revision),
        false => None,
    };
    if let Some(current) = expected {
        expected_revision(&request, current)?;
    }
    let after = withdraw_notice(&state, &caller, &id, expected).await?;
    Ok(with_etag(HttpResponse::Ok(), after.revision).json(view(&state, &after, now())))
}

/// Withdraws a notice, if still at `expected` when given; without it, a
/// concurrent edit is read again (a few times at most). Withdrawing a
/// withdrawn notice changes nothing.
pub async fn withdraw_notice(
    state: &AppState,
    caller: &Caller,
    id: &str,
    expected: Option<i32>,
) -> Result<Notice, ApiError> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let before = find_for(state, caller, id).await?;
        if expected.is_some_and(|revision| revision != before.revision) {
            return Err(ApiError::from(editing::EditError::Stale));
        }
        if before.state == State::Withdrawn {
            return Ok(before);
        }
        let now = whole_seconds(now());
        let after = input::withdrawn(&before, now);
        match save(
            state,
            caller,
            before,
            after.clone(),
            "notice.withdraw",
            None,
            now,
        )
        .await
        {
            Ok(()) => return Ok(after),
            Err(ApiError::PreconditionFailed(_)) if expected.is_none() && attempts < 3 => continue,
            Err(e) => return Err(e),
        }
    }
}

/// One stored revision: who made it, when, and the notice as it then was.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionView {
    pub revision: i32,
    /// `notice.create`, `notice.update` or `notice.withdraw`.
    pub action: String,
    pub token_id: Option<String>,
    pub token_name: String,
    pub created_at: String,
    /// The notice document and its server-set fields after this change.
    pub notice: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionList {
    pub items: Vec<RevisionView>,
}

/// Every revision of a notice, newest first, each a full snapshot.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = RevisionList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/admin/notices/{id}/revisions")]
pub async fn revision_list(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let notice = find_for(&state, &caller, &id).await?;
    let found = state
        .store
        .run(move |conn| stored_revisions::list(conn, notice.id))
        .await?;
    let items = found
        .into_iter()
        .map(|r| RevisionView {
            revision: r.revision,
            action: r.action,
            token_id: r.actor.token_id.map(|id| id.to_string()),
            token_name: r.actor.name,
            created_at: rfc3339_oslo(r.created_at),
            notice: r.snapshot,
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(RevisionList { items }))
}
