//! The domain: notices and areas, their validation and derived state.
//! Nothing here knows about HTTP or SQL.

pub mod area;
pub mod markdown;
pub mod notice;
pub mod slug;
pub mod time;

pub use area::{Area, Taxonomy};
pub use notice::{Details, GrantDetails, Kind, Notice, State, Status, WebinarDetails};
