//! SQLite's upkeep in the background: copying the WAL into the database
//! file (and truncating it), and merging the search index's segments.

use std::time::Duration;

use diesel::connection::SimpleConnection;

use super::{Backend, DbConnection, Store, StoreResult};

/// How often a SQLite database's WAL is copied into the database file, by a
/// checkpoint that waits for no one, so that the WAL holds about this long's writes.
pub const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(1);
/// Every how many of those checkpoints one also truncates the WAL (`checkpoint`).
const TRUNCATE_EVERY: u64 = 30;

/// Copies a SQLite database's WAL into the database file and truncates it.
/// SQLite's own checkpoints after a write cannot empty the WAL while readers
/// keep arriving, so under constant reads it would grow without end; this one
/// waits for the readers of older snapshots (short, as every read is) to finish.
pub fn checkpoint(conn: &mut DbConnection) -> StoreResult<()> {
    if let DbConnection::Sqlite(c) = conn {
        c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)")?;
    }
    Ok(())
}

/// Copies what it can of a SQLite database's WAL into the database file,
/// waiting for no reader or writer.
fn copy_wal(conn: &mut DbConnection) -> StoreResult<()> {
    if let DbConnection::Sqlite(c) = conn {
        c.batch_execute("PRAGMA wal_checkpoint(PASSIVE)")?;
    }
    Ok(())
}

/// Most pages one step of merging SQLite's search index writes (FTS5
/// counts them roughly): a few milliseconds at a million notices.
const SEARCH_MERGE_PAGES: u32 = 256;

/// One step of merging the segments of SQLite's full-text index, which
/// writes leave to it but for FTS5's crisis merges of their own small
/// segments (the migration `search_merges_apart`): FTS5's `merge`, which
/// merges a level once it holds four segments, or goes on with a merge
/// begun, and writes at most about `SEARCH_MERGE_PAGES` pages. With nothing
/// to merge it writes nothing. Searches read each segment, so the fewer
/// the better; a write that merged would make its client wait.
pub fn merge_search_index(conn: &mut DbConnection) -> StoreResult<()> {
    if let DbConnection::Sqlite(c) = conn {
        c.batch_execute(&format!(
            "INSERT INTO notices_fts (notices_fts, rank) VALUES ('merge', {SEARCH_MERGE_PAGES})"
        ))?;
    }
    Ok(())
}

/// Checkpoints a SQLite database every `CHECKPOINT_INTERVAL`, truncating the
/// WAL every `TRUNCATE_EVERY`th time, until `owner` is gone; before each
/// checkpoint, a step of merging the search index (`merge_search_index`).
pub async fn checkpoint_periodically<T: Send + Sync + 'static>(
    store: Store,
    owner: std::sync::Weak<T>,
) {
    if !matches!(store.backend(), Backend::Sqlite(_)) {
        return;
    }
    let mut ticks = tokio::time::interval(CHECKPOINT_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticks.tick().await;
    for count in 1u64.. {
        ticks.tick().await;
        if owner.strong_count() == 0 {
            return;
        }
        if let Err(e) = store.run(merge_search_index).await {
            tracing::warn!(error = %e, "merging the search index failed; it is tried again");
        }
        let result = match count % TRUNCATE_EVERY {
            0 => store.run(checkpoint).await,
            _ => store.run(copy_wal).await,
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "the WAL checkpoint failed; it is tried again");
        }
    }
}
