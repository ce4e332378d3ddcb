//! The rendered HTML of notice bodies stored before it was kept with them.

use diesel::prelude::*;

use super::schema::notices;
use super::{DbConnection, StoreResult};
use crate::domain::Body;

const BATCH: i64 = 100;

/// Renders and keeps the HTML of every body stored without it: rows written
/// before migration `2026-11-29-000007_rendered_bodies`, or by an older
/// instance since, and rows whose HTML a later migration cleared to have it
/// rendered anew (`2026-12-01-000015_body_headings`). Run at start, so that
/// reads find HTML to show and never render; a row this misses is rendered
/// on read (`NoticeRow`), never wrong.
///
/// Not a content change, so the content version stays: readers rendered
/// the same HTML from the same Markdown (a migration that clears HTML to
/// change it raises the version itself). A body that was never checked and
/// nests too deep to render cheaply is kept as its escaped text.
/// Returns how many bodies it rendered.
pub fn render_missing(conn: &mut DbConnection) -> StoreResult<usize> {
    let mut rendered = 0;
    let mut after = String::new();
    loop {
        let batch: Vec<(String, Option<String>)> = notices::table
            .filter(notices::body_html.is_null())
            .filter(notices::body.is_not_null())
            .filter(notices::id.gt(&after))
            .order(notices::id)
            .select((notices::id, notices::body))
            .limit(BATCH)
            .load(conn)?;
        let Some((last, _)) = batch.last() else {
            return Ok(rendered);
        };
        after = last.clone();
        for (id, markdown) in batch {
            let Some(markdown) = markdown else { continue };
            let body = Body::render_or_escape(markdown);
            // Only if the body is still the one rendered: another instance may
            // have changed it meanwhile.
            rendered += diesel::update(
                notices::table
                    .find(&id)
                    .filter(notices::body.eq(body.markdown()))
                    .filter(notices::body_html.is_null()),
            )
            .set(notices::body_html.eq(body.html()))
            .execute(conn)?;
        }
    }
}
