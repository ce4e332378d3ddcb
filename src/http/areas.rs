//! `GET /api/v1/areas`.

use actix_web::{get, web, HttpResponse};

use super::views::{AreaList, AreaView};
use super::AppState;

/// The areas: Altinn's access package "Helse, pleie, omsorg og vern" and its
/// sub-packages, in the document's order. Notices are tagged with linkable ones.
#[utoipa::path(tag = "areas", responses((status = 200, description = "Every area", body = AreaList)))]
#[get("/api/v1/areas")]
pub async fn list(state: web::Data<AppState>) -> HttpResponse {
    let items = state
        .taxonomy
        .all()
        .iter()
        .map(|a| AreaView::new(a, &state.base_url))
        .collect();
    HttpResponse::Ok().json(AreaList { items })
}
