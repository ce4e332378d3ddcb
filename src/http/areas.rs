//! `GET /api/v1/areas`.

use actix_web::{route, web, HttpRequest, HttpResponse};

use super::cached;
use super::problem::ApiError;
use super::views::{AreaList, AreaView};
use super::AppState;

/// The areas: Altinn's access package "Helse, pleie, omsorg og vern" and its
/// sub-packages, in the document's order. Notices are tagged with linkable ones.
#[utoipa::path(
    get,
    path = "/api/v1/areas",
    tag = "areas", responses(
    (status = 200, description = "Every area", body = AreaList, headers(("ETag" = String))),
    (status = 304, description = "Unchanged"),
))]
#[route("/api/v1/areas", method = "GET", method = "HEAD")]
pub async fn list(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let items: Vec<AreaView> = state
        .app
        .taxonomy
        .all()
        .iter()
        .map(|a| AreaView::new(a, &state.app.base_url))
        .collect();
    let body = serde_json::to_vec(&AreaList { items }).expect("views serialise");
    cached::serve(&state, &request, Vec::new(), Vec::new(), move |_, _| {
        Ok(Ok((body, "application/json")))
    })
    .await
}
