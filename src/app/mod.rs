//! The application: what the API and the pages share, above the store.

pub mod clock;
pub mod outbox;

pub use clock::Clock;
