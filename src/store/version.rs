//! `content_version`: raised by every write, read by every instance to know
//! whether what it keeps in memory is still current.

use diesel::prelude::*;

use super::schema::content_version;
use super::{DbConnection, StoreResult};

pub fn current(conn: &mut DbConnection) -> StoreResult<i64> {
    Ok(content_version::table
        .select(content_version::version)
        .first(conn)?)
}

/// Within the writer's transaction, so readers see the new version with the
/// new data; returns it. Concurrent writers wait here for each other.
pub fn bump(conn: &mut DbConnection) -> StoreResult<i64> {
    diesel::update(content_version::table)
        .set(content_version::version.eq(content_version::version + 1))
        .execute(conn)?;
    current(conn)
}

/// Within a transaction that may go on to write: on PostgreSQL, waits for
/// the writers before it and holds the others back, as `bump` does but
/// without raising the version, so that locks are always taken in one
/// order (the content version first). SQLite has one writer at a time.
pub fn lock(conn: &mut DbConnection) -> StoreResult<()> {
    if let DbConnection::Pg(c) = conn {
        diesel::sql_query("SELECT version FROM content_version FOR UPDATE").execute(c)?;
    }
    Ok(())
}

/// This instance's view of the content version, refreshed by a poller so that
/// writes through any instance reach every instance's caches.
#[derive(Debug, Default)]
pub struct VersionWatch {
    known: std::sync::atomic::AtomicI64,
}

impl VersionWatch {
    pub fn get(&self) -> i64 {
        self.known.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Records a version seen in the database; never goes backwards.
    pub fn observe(&self, version: i64) {
        self.known
            .fetch_max(version, std::sync::atomic::Ordering::AcqRel);
    }
}

/// How often each instance asks for the content version: the bound on how
/// long another instance's write can go unseen here.
pub const POLL_INTERVAL: std::time::Duration = std::time::Duration::from_millis(250);

/// Polls the content version until `watch` has no other owner.
pub async fn poll(store: super::Store, watch: std::sync::Weak<VersionWatch>) {
    let mut ticks = tokio::time::interval(POLL_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let Some(watch) = watch.upgrade() else {
            return;
        };
        match store.run(current).await {
            Ok(version) => watch.observe(version),
            Err(e) => tracing::debug!(error = %e, "content version not readable"),
        }
    }
}
