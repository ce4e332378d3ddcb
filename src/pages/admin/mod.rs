//! The editors' pages.
