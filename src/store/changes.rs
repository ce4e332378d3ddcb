//! The changes feed: which notices changed in the public set, in the order
//! of the writes (and go-lives, made by the outbox) that changed them.

use diesel::prelude::*;
use uuid::Uuid;

use super::notices::{with_areas, NoticeRow};
use super::schema::notices;
use super::{DbConnection, StoreResult};
use crate::domain::Notice;

/// Notices whose public state changed after `after` (change seq, id), oldest
/// first, each once, at its latest change.
pub fn changed_since(
    conn: &mut DbConnection,
    after: (i64, Uuid),
    limit: i64,
) -> StoreResult<Vec<(Notice, i64)>> {
    let (seq, id) = after;
    let rows: Vec<(NoticeRow, i64)> = notices::table
        // The first term alone bounds a range of the (change_seq, id) index.
        .filter(notices::change_seq.ge(seq.max(1)))
        .filter(
            notices::change_seq
                .gt(seq)
                .or(notices::id.gt(id.to_string())),
        )
        .order((notices::change_seq, notices::id))
        .limit(limit)
        .select((NoticeRow::as_select(), notices::change_seq))
        .load(conn)?;
    let (rows, seqs): (Vec<NoticeRow>, Vec<i64>) = rows.into_iter().unzip();
    Ok(with_areas(conn, rows)?.into_iter().zip(seqs).collect())
}
