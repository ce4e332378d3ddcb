//! The query of the audit log, `GET /api/v1/admin/audit`.

use uuid::Uuid;

use super::{bound, limit, Bound, InvalidParameters, Pairs, DEFAULT_LIMIT, MAX_LIMIT};
use crate::domain::Action;

/// The filters and page of `GET /api/v1/admin/audit`.
pub struct AuditFilter(pub crate::store::audit::AuditQuery);

impl AuditFilter {
    pub fn parse(query_string: &str) -> Result<Self, InvalidParameters> {
        let mut pairs = Pairs::parse(
            query_string,
            &[
                "token_id",
                "notice_id",
                "action",
                "from",
                "to",
                "limit",
                "cursor",
            ],
        );
        let uuid = |v: &str| Uuid::try_parse(v).map_err(|_| format!("{v:?} is not a UUID"));
        let token_id = pairs
            .single("token_id")
            .and_then(|v| uuid(&v).map_err(|m| pairs.fail("token_id", m)).ok());
        let notice_id = pairs
            .single("notice_id")
            .and_then(|v| uuid(&v).map_err(|m| pairs.fail("notice_id", m)).ok());
        let action = pairs.single("action").and_then(|a| {
            let known = a.parse::<Action>().ok();
            if known.is_none() {
                pairs.fail("action", format!("must be one of {}", Action::names()));
            }
            known
        });
        let from = bound(&mut pairs, "from", Bound::From);
        let until = bound(&mut pairs, "to", Bound::To);
        let limit = limit(&mut pairs, DEFAULT_LIMIT, MAX_LIMIT);
        let before = pairs.single("cursor").and_then(|c| match c.parse::<i64>() {
            Ok(seq) if seq > 0 => Some(seq),
            _ => {
                pairs.fail(
                    "cursor",
                    "is not a cursor this API gave out; start again without it",
                );
                None
            }
        });
        let query = crate::store::audit::AuditQuery {
            token_id,
            notice_id,
            action,
            from,
            until,
            before,
            limit,
        };
        pairs.finish(AuditFilter(query))
    }
}
