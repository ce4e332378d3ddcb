//! Opaque tokens a client passes back: list cursors and changes tokens.
//! Base64url of a versioned text; anything else is refused, never guessed at.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::DateTime;
use uuid::Uuid;

use crate::store::listing::Position;

/// An opaque token for the position after a notice in list order.
pub fn encode_cursor(position: Position) -> String {
    let mut raw = format!(
        "{}.{}",
        position.published_at.timestamp_micros(),
        position.id
    );
    if let Some(rank) = position.rank {
        raw.push_str(&format!(".{:x}", rank.to_bits()));
    }
    URL_SAFE_NO_PAD.encode(raw)
}

pub fn decode_cursor(cursor: &str) -> Option<Position> {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    let mut parts = raw.split('.');
    let published_at = DateTime::from_timestamp_micros(parts.next()?.parse().ok()?)?;
    let id = Uuid::parse_str(parts.next()?).ok()?;
    let rank = match parts.next() {
        Some(bits) => Some(f64::from_bits(u64::from_str_radix(bits, 16).ok()?)),
        None => None,
    };
    let bad_rank = rank.is_some_and(|r| !r.is_finite());
    if parts.next().is_some() || bad_rank || !crate::domain::time::in_range(published_at) {
        return None;
    }
    Some(Position {
        rank,
        published_at,
        id,
    })
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
        for rank in [None, Some(0.1234567890123), Some(-3.5)] {
            let position = Position {
                rank,
                published_at,
                id,
            };
            assert_eq!(decode_cursor(&encode_cursor(position)), Some(position));
        }
        assert_eq!(decode_cursor("not-a-cursor"), None);
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
