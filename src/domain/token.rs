//! Editor tokens: who may write, and where.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::invalid::Invalid;
use super::validation::{self, Errors, FieldError};
use super::{Notice, Taxonomy};

crate::named_enum!(
    /// `admin` may do everything, tokens included; `editor` only notices within its areas.
    Role { Admin => "admin", Editor => "editor" }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    /// The access packages an editor holds (empty for admins, who hold all).
    pub areas: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Token {
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|at| now < at)
    }

    /// Whether this token may write a notice tagged with all of `areas`:
    /// an editor must hold each, directly or through a parent package.
    pub fn may_write(&self, areas: &[String], taxonomy: &Taxonomy) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Editor => {
                let held: Vec<String> = self
                    .areas
                    .iter()
                    .flat_map(|a| taxonomy.with_descendants(a))
                    .collect();
                !areas.is_empty() && areas.iter().all(|a| held.contains(a))
            }
        }
    }

    pub fn may_touch(&self, notice: &Notice, taxonomy: &Taxonomy) -> bool {
        self.may_write(&notice.areas, taxonomy)
    }
}

/// A new token, checked: a name of 1–100 characters; an editor holds at least
/// one area, each delegable; an admin holds all and lists none; an expiry lies
/// ahead. Returns the token, its secret (to show once) and the hash to store.
pub fn issue(
    name: &str,
    role: Role,
    areas: Vec<String>,
    expires_at: Option<DateTime<Utc>>,
    taxonomy: &Taxonomy,
    now: DateTime<Utc>,
) -> Result<(Token, String, SecretHash), Vec<FieldError>> {
    let mut errors = Errors::default();
    let name = errors.check(
        "name",
        validation::text(&serde_json::Value::from(name), 100, false),
    );
    match role {
        Role::Admin if !areas.is_empty() => errors.add("areas", Invalid::AdminAreas),
        Role::Editor if areas.is_empty() => errors.add("areas", Invalid::EditorAreas),
        _ => {}
    }
    for (i, slug) in areas.iter().enumerate() {
        let field = format!("areas[{i}]");
        match taxonomy.get(slug) {
            None => errors.add(&field, Invalid::UnknownArea { slug: slug.clone() }),
            Some(area) if !area.delegable => errors.add(
                &field,
                Invalid::NotDelegable {
                    name: area.name.clone(),
                },
            ),
            Some(_) if areas[..i].contains(slug) => errors.add(&field, Invalid::ListedTwice),
            Some(_) => {}
        }
    }
    if expires_at.is_some_and(|at| at <= now) {
        errors.add("expires_at", Invalid::NotInTheFuture);
    }
    let id = Uuid::new_v4();
    let (secret, hash) = new_secret(id);
    let token = Token {
        id,
        name: name.unwrap_or_default(),
        role,
        areas,
        created_at: now,
        expires_at,
        revoked_at: None,
    };
    errors.into_result((token, secret, hash))
}

/// Everything a presented secret can be checked against, without the secret itself.
pub struct SecretHash(pub String);

const PREFIX: &str = "tavla_";

/// A new secret for token `id`: `tavla_<id>_<43 characters of base64url>`,
/// 256 random bits from the operating system. Returned once, stored only as its hash.
pub fn new_secret(id: Uuid) -> (String, SecretHash) {
    use base64::Engine;
    let mut random = [0u8; 32];
    getrandom::fill(&mut random).expect("the operating system provides randomness");
    let secret = format!(
        "{PREFIX}{}_{}",
        id.simple(),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random)
    );
    let hash = hash(&secret);
    (secret, hash)
}

pub fn hash(secret: &str) -> SecretHash {
    SecretHash(format!("{:x}", Sha256::digest(secret.as_bytes())))
}

/// The token id a presented secret names, if it has the shape of one.
pub fn id_of(presented: &str) -> Option<Uuid> {
    let rest = presented.strip_prefix(PREFIX)?;
    let (id, random) = rest.split_once('_')?;
    (random.len() == 43).then_some(())?;
    Uuid::try_parse(id).ok()
}

/// Compares in constant time, so response timing tells nothing of the stored hash.
pub fn matches(presented: &str, stored: &SecretHash) -> bool {
    constant_time_eq::constant_time_eq(hash(presented).0.as_bytes(), stored.0.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;

    fn token(role: Role, areas: &[&str]) -> Token {
        Token {
            id: Uuid::new_v4(),
            name: "t".into(),
            role,
            areas: areas.iter().map(|a| a.to_string()).collect(),
            created_at: Utc::now(),
            expires_at: None,
            revoked_at: None,
        }
    }

    #[test]
    fn secrets_are_long_random_and_checkable() {
        let id = Uuid::new_v4();
        let (secret, stored) = new_secret(id);
        let (other, _) = new_secret(id);
        assert_ne!(secret, other);
        assert_eq!(id_of(&secret), Some(id));
        assert!(matches(&secret, &stored));
        assert!(!matches(&other, &stored));
        assert_eq!(id_of("tavla_nope"), None);
        assert!(!stored.0.contains(&secret[40..]), "only the hash is kept");
    }

    #[test]
    fn an_editor_writes_only_within_its_packages() {
        let taxonomy = Taxonomy::new(seed::taxonomy());
        let editor = token(Role::Editor, &["helsetjenester"]);
        let one = vec!["helsetjenester".to_owned()];
        let two = vec!["helsetjenester".to_owned(), "kommuneoverlege".to_owned()];
        assert!(editor.may_write(&one, &taxonomy));
        assert!(!editor.may_write(&two, &taxonomy));
        let parent = token(Role::Editor, &["helse-pleie-omsorg-og-vern"]);
        assert!(
            parent.may_write(&two, &taxonomy),
            "a parent package covers its children"
        );
        assert!(token(Role::Admin, &[]).may_write(&two, &taxonomy));
    }

    #[test]
    fn only_delegable_areas_are_granted_and_only_to_editors() {
        let taxonomy = Taxonomy::new(seed::taxonomy());
        let now = Utc::now();
        let fields = |r: Result<(Token, String, SecretHash), Vec<FieldError>>| {
            r.err()
                .unwrap()
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        let special = "helsetjenester-med-persnopplysninger-av-saerlig-kategori".to_owned();
        assert_eq!(
            fields(issue(
                "x",
                Role::Editor,
                vec![special],
                None,
                &taxonomy,
                now
            )),
            ["areas[0]"]
        );
        assert_eq!(
            fields(issue("x", Role::Editor, vec![], None, &taxonomy, now)),
            ["areas"]
        );
        assert_eq!(
            fields(issue(
                "",
                Role::Admin,
                vec!["helsetjenester".into()],
                Some(now),
                &taxonomy,
                now
            )),
            ["name", "areas", "expires_at"]
        );
        let (token, secret, hash) = issue(
            "Redaktør",
            Role::Editor,
            vec!["helsetjenester".into()],
            None,
            &taxonomy,
            now,
        )
        .unwrap();
        assert_eq!(id_of(&secret), Some(token.id));
        assert!(matches(&secret, &hash));
    }

    #[test]
    fn expired_and_revoked_tokens_are_inactive() {
        let now = Utc::now();
        let mut t = token(Role::Admin, &[]);
        assert!(t.is_active(now));
        t.expires_at = Some(now);
        assert!(!t.is_active(now));
        t.expires_at = None;
        t.revoked_at = Some(now);
        assert!(!t.is_active(now));
    }
}

/// Who made a change, for revisions and the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub token_id: Option<Uuid>,
    pub name: String,
}

impl Actor {
    /// Someone at the server's command line.
    pub fn command_line() -> Self {
        Self {
            token_id: None,
            name: "kommandolinjen".into(),
        }
    }

    /// Tavla itself: the seed data.
    pub fn system() -> Self {
        Self {
            token_id: None,
            name: "Tavla".into(),
        }
    }
}

impl From<&Token> for Actor {
    fn from(token: &Token) -> Self {
        Self {
            token_id: Some(token.id),
            name: token.name.clone(),
        }
    }
}
