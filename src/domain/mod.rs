//! The domain: notices and areas, their validation and derived state.
//! Nothing here knows about HTTP or SQL.

pub mod action;
pub mod address;
pub mod area;
pub mod delivery;
pub mod document;
pub mod event;
pub mod import;
pub mod input;
pub mod invalid;
pub mod markdown;
pub mod merge_patch;
pub mod notice;
pub mod slug;
pub mod source;
pub mod subscription;
pub mod time;
pub mod token;
pub mod validation;
pub mod webhook;

pub use action::Action;
pub use area::{Area, Taxonomy};
pub use event::{Event, EventType, Placement};
pub use invalid::Invalid;
pub use markdown::Body;
pub use notice::{Details, GrantDetails, Kind, Language, Notice, State, Status, WebinarDetails};
pub use token::{Actor, Role, Token};
pub use validation::FieldError;
