//! The `areas` table: kept in step with the access-package document.

use diesel::prelude::*;

use super::schema::areas;
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::Area;

/// An area as stored. Its slug is the key, which an update never sets: on
/// SQLite, an update that names a key others refer to checks every row that
/// refers to it (each notice tagged with the area), even when the key stays.
#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = areas, primary_key(slug))]
struct AreaRow {
    slug: String,
    name: String,
    description: Option<String>,
    parent_slug: Option<String>,
    linkable: bool,
    delegable: bool,
    er_roles: String,
    position: i32,
}

/// Inserts or updates every area of the taxonomy, in one transaction.
pub fn sync(conn: &mut DbConnection, taxonomy: &[Area]) -> StoreResult<()> {
    conn.transaction(|conn| {
        for (position, area) in taxonomy.iter().enumerate() {
            let row = AreaRow {
                slug: area.slug.clone(),
                name: area.name.clone(),
                description: area.description.clone(),
                parent_slug: area.parent.clone(),
                linkable: area.linkable,
                delegable: area.delegable,
                er_roles: serde_json::to_string(&area.er_roles).expect("strings serialise"),
                position: i32::try_from(position).expect("few areas"),
            };
            let updated = diesel::update(areas::table.find(&row.slug))
                .set(&row)
                .execute(conn)?;
            if updated == 0 {
                diesel::insert_into(areas::table)
                    .values(&row)
                    .execute(conn)?;
            }
        }
        Ok(())
    })
}

/// Every stored area, in the document's order.
pub fn all(conn: &mut DbConnection) -> StoreResult<Vec<Area>> {
    areas::table
        .order(areas::position)
        .select(AreaRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| {
            Ok(Area {
                er_roles: serde_json::from_str(&row.er_roles)
                    .map_err(|e| StoreError::Corrupt(format!("area {}: {e}", row.slug)))?,
                slug: row.slug,
                name: row.name,
                description: row.description,
                parent: row.parent_slug,
                linkable: row.linkable,
                delegable: row.delegable,
            })
        })
        .collect()
}
