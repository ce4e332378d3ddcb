//! What the admin API answers for the notice use cases (`app::notices`):
//! their errors as problems, and the admin view of a notice.

use chrono::{DateTime, Utc};

use crate::app::notices::WriteError;
use crate::domain::Notice;
use crate::http::problem::ApiError;
use crate::http::views::AdminNoticeView;
use crate::http::AppState;
use crate::store::editing::EditError;

/// The admin representation of a notice.
pub fn view<'a>(state: &AppState, notice: &'a Notice, now: DateTime<Utc>) -> AdminNoticeView<'a> {
    AdminNoticeView::new(notice, now, &state.app.base_url)
}

/// The admin representation, serialised: what a create answers and an
/// `Idempotency-Key` keeps.
pub fn respond(state: &AppState) -> impl FnOnce(&Notice, DateTime<Utc>) -> String + Send + 'static {
    let base_url = state.app.base_url.clone();
    move |notice, now| {
        serde_json::to_string(&AdminNoticeView::new(notice, now, &base_url))
            .expect("views serialise")
    }
}

impl From<WriteError> for ApiError {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::Invalid(errors) => ApiError::InvalidFields(errors),
            WriteError::NotFound(id) => ApiError::NotFound(format!("no notice {id:?}")),
            WriteError::NotYours { token_areas } => ApiError::Forbidden(format!(
                "this notice has areas outside your token's ({})",
                token_areas.join(", ")
            )),
            WriteError::OutsideAreas { token_areas } => ApiError::Forbidden(format!(
                "your token may publish only in {}; every area of the notice must be among them",
                token_areas.join(", ")
            )),
            WriteError::Stale => EditError::Stale.into(),
            WriteError::KeyReused => EditError::KeyReused.into(),
            WriteError::Store(e) => e.into(),
        }
    }
}
