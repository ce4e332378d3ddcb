//! A webhook's page: what it is, what can be done to it, and its recent
//! deliveries, newest first, a page at a time. The page a new webhook or a
//! new secret is shown on, once.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpRequest, HttpResponse};
use askama::Template;

use super::views::{page_url, DeliveryShown, WebhookShown};
use crate::app::webhooks::{self, WebhookError};
use crate::app::App;
use crate::domain::time::norwegian_date_time;
use crate::domain::webhook::Webhook;
use crate::i18n::Lang;
use crate::pages::admin::html;
use crate::pages::admin::language::EditorLang;
use crate::pages::admin::session::{AdminSession, Expiry};
use crate::pages::admin::who;
use crate::store::webhooks::ROTATION_OVERLAP;

/// Deliveries on one page.
const PER_PAGE: i64 = 20;

/// A secret, shown this once, and what the page says of it.
pub struct SecretShown {
    pub value: String,
    /// What was done: added, or a new secret made.
    pub said: String,
    /// For a new secret: how long the old one still signs.
    pub old_still_signs: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/webhook.html")]
pub struct WebhookPage {
    lang: Lang,
    switch_url: String,
    who: String,
    csrf: String,
    expiry: Expiry,
    is_admin: bool,
    heading: String,
    hook: WebhookShown,
    secret: Option<SecretShown>,
    pub done: Option<String>,
    pub problem: Option<String>,
    deliveries: Vec<DeliveryShown>,
    /// The next page of older deliveries, if there are more.
    older: Option<String>,
    /// Back to the newest, from an older page.
    newest: Option<String>,
    rotation_hours: i64,
}

impl WebhookPage {
    /// The page of `webhook` with its deliveries from before `before` (the
    /// newest when `None`).
    pub async fn load(
        state: &App,
        session: &AdminSession,
        editor_lang: &EditorLang,
        webhook: &Webhook,
        before: Option<i64>,
    ) -> Result<Self, WebhookError> {
        let lang = editor_lang.lang;
        let id = webhook.id.to_string();
        let mut found = webhooks::deliveries(state, &id, before, PER_PAGE + 1).await?;
        let here = page_url(webhook);
        let older = match found.len() as i64 > PER_PAGE {
            true => {
                found.truncate(PER_PAGE as usize);
                found
                    .last()
                    .map(|d| format!("{here}?eldre={}#leveringer", d.id))
            }
            false => None,
        };
        Ok(Self {
            lang,
            // A form's answer (a new secret) is shown again by the page itself.
            switch_url: editor_lang.switch_url_to(&match before {
                Some(before) => format!("{here}?eldre={before}"),
                None => here.clone(),
            }),
            who: who(session, lang),
            csrf: session.csrf.clone(),
            expiry: session.expiry(state.clock.now(), lang),
            is_admin: true,
            heading: lang.t_with("webhook-heading", &[("url", webhook.url.clone())]),
            hook: WebhookShown::new(webhook, &state.taxonomy, lang),
            secret: None,
            done: None,
            problem: None,
            deliveries: found
                .iter()
                .map(|d| DeliveryShown::new(d, &here, lang))
                .collect(),
            older,
            newest: before.map(|_| format!("{here}#leveringer")),
            rotation_hours: ROTATION_OVERLAP.num_hours(),
        })
    }

    /// The page with a new webhook's secret, shown this once.
    pub fn added(mut self, secret: String) -> Self {
        self.secret = Some(SecretShown {
            value: secret,
            said: self.lang.t("webhook-added"),
            old_still_signs: None,
        });
        self
    }

    /// The page with a new secret, shown this once, saying until when the
    /// old one still signs beside it.
    pub fn rotated(mut self, secret: String, now: chrono::DateTime<chrono::Utc>) -> Self {
        let until = norwegian_date_time(now + ROTATION_OVERLAP);
        self.secret = Some(SecretShown {
            value: secret,
            said: self.lang.t("webhook-rotated"),
            old_still_signs: Some(self.lang.t_with(
                "webhook-rotated-old",
                &[("hours", self.rotation_hours.to_string()), ("until", until)],
            )),
        });
        self
    }

    pub fn answer(&self, status: StatusCode) -> HttpResponse {
        html(status, self)
    }

    /// «Nyeste først», and how long deliveries are kept.
    fn deliveries_lead(&self) -> String {
        self.lang.t_with(
            "webhook-deliveries-lead",
            &[("days", crate::app::outbox::KEPT.num_days().to_string())],
        )
    }

    /// What making a new secret does.
    fn rotate_hint(&self) -> String {
        self.lang.t_with(
            "webhook-rotate-hint",
            &[("hours", self.rotation_hours.to_string())],
        )
    }

    /// The page's title, which says first what the page announces.
    fn title(&self) -> String {
        match (&self.secret, &self.problem) {
            (Some(secret), _) => format!("{} – {}", secret.said, self.heading),
            (None, Some(_)) => self
                .lang
                .t_with("form-title-errors", &[("heading", self.heading.clone())]),
            (None, None) => self.heading.clone(),
        }
    }
}

/// A webhook's page; `?eldre=` pages back through its deliveries, and
/// `?ferdig=` says what was just done.
#[get("/admin/webhooker/{id}")]
pub async fn show(
    session: AdminSession,
    state: web::Data<App>,
    id: web::Path<String>,
    request: HttpRequest,
    lang: EditorLang,
) -> HttpResponse {
    let query: Vec<(String, String)> = form_urlencoded::parse(request.query_string().as_bytes())
        .into_owned()
        .collect();
    let asked = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    // A cursor this page did not give shows the newest, as an unknown
    // parameter is ignored.
    let before = asked("eldre").and_then(|c| c.parse::<i64>().ok().filter(|c| *c > 0));
    let webhook = match webhooks::get(&state, &id).await {
        Ok(webhook) => webhook,
        Err(e) => return super::failed(e, lang.lang),
    };
    let mut page = match WebhookPage::load(&state, &session, &lang, &webhook, before).await {
        Ok(page) => page,
        Err(e) => return super::failed(e, lang.lang),
    };
    page.done = asked("ferdig").and_then(|done| {
        let key = match done.as_str() {
            "aktivert" => "webhook-enabled-done",
            "deaktivert" => "webhook-disabled-done",
            "sendt" => "webhook-redelivered",
            _ => return None,
        };
        Some(lang.lang.t(key))
    });
    page.answer(StatusCode::OK)
}
