//! Opaque tokens a client passes back: list cursors and changes tokens.
//! Base64url of a versioned text; anything else is refused, never guessed at.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::DateTime;
use uuid::Uuid;

use crate::store::listing::Position;

/// An opaque token for the position after a notice in list order.
pub fn encode_cursor(position: Position) -> String {
    let raw = format!(
        "{}.{}",
        position.published_at.timestamp_micros(),
        position.id
    );
    URL_SAFE_NO_PAD.encode(raw)
}

pub fn decode_cursor(cursor: &str) -> Option<Position> {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    let mut parts = raw.split('.');
    let published_at = DateTime::from_timestamp_micros(parts.next()?.parse().ok()?)?;
    let id = Uuid::parse_str(parts.next()?).ok()?;
    // Searches were once ordered by relevance, and their cursors carried it
    // (hex digits): such a cursor goes on from its instant and id.
    if let Some(rank) = parts.next() {
        u64::from_str_radix(rank, 16).ok()?;
    }
    if parts.next().is_some() || !crate::domain::time::in_range(published_at) {
        return None;
    }
    Some(Position { published_at, id })
}

/// Where a dashboard's sync stands: after this change sequence and notice id.
pub type ChangesPosition = (i64, Uuid);

pub fn encode_changes_token(position: ChangesPosition) -> String {
    URL_SAFE_NO_PAD.encode(format!("c1.{}.{}", position.0, position.1))
}

pub fn decode_changes_token(token: &str) -> Option<ChangesPosition> {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(token).ok()?).ok()?;
    let mut parts = raw.split('.');
    (parts.next()? == "c1").then_some(())?;
    let seq = parts.next()?.parse::<i64>().ok().filter(|s| *s >= 0)?;
    let id = Uuid::parse_str(parts.next()?).ok()?;
    parts.next().is_none().then_some((seq, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let published_at = DateTime::from_timestamp_micros(1_603_749_600_123_456).unwrap();
        let id = Uuid::new_v4();
        let position = Position { published_at, id };
        assert_eq!(decode_cursor(&encode_cursor(position)), Some(position));
        assert_eq!(decode_cursor("not-a-cursor"), None);
    }

    #[test]
    fn a_search_cursor_with_a_relevance_goes_on_from_its_instant() {
        let published_at = DateTime::from_timestamp_micros(1_603_749_600_123_456).unwrap();
        let id = Uuid::new_v4();
        let old = URL_SAFE_NO_PAD.encode(format!(
            "{}.{id}.{:x}",
            published_at.timestamp_micros(),
            0.25f64.to_bits()
        ));
        assert_eq!(decode_cursor(&old), Some(Position { published_at, id }));
        let bad = URL_SAFE_NO_PAD.encode(format!("{}.{id}.xyz", published_at.timestamp_micros()));
        assert_eq!(decode_cursor(&bad), None);
    }

    #[test]
    fn changes_tokens_round_trip() {
        let position = (42, Uuid::new_v4());
        assert_eq!(
            decode_changes_token(&encode_changes_token(position)),
            Some(position)
        );
        assert_eq!(decode_changes_token("nonsense"), None);
    }
}
