//! Which database: SQLite or PostgreSQL, from `TAVLA_DATABASE_URL`.

/// Where the data lives, chosen from `TAVLA_DATABASE_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// A file path, or `:memory:`.
    Sqlite(String),
    /// A `postgres://` URL.
    Postgres(String),
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Self, String> {
        let url = url.trim();
        if url.is_empty() {
            return Err("the database URL is empty".into());
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Backend::Postgres(url.to_owned()));
        }
        if let Some((scheme, _)) = url.split_once("://") {
            if scheme != "sqlite" {
                return Err(format!(
                    "unknown database scheme {scheme:?}: use postgres://… or a SQLite path"
                ));
            }
        }
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        Ok(Backend::Sqlite(path.to_owned()))
    }

    /// `sqlite` or `postgres`.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// For logs: the URL without its password.
    pub fn redacted(&self) -> String {
        match self {
            Backend::Sqlite(path) => format!("sqlite {path}"),
            Backend::Postgres(url) => match url::Url::parse(url) {
                Ok(mut parsed) => {
                    if parsed.password().is_some() {
                        let _ = parsed.set_password(Some("***"));
                    }
                    let query: Vec<(String, String)> = parsed
                        .query_pairs()
                        .map(|(k, v)| {
                            let secret = k.eq_ignore_ascii_case("password");
                            (
                                k.into_owned(),
                                if secret { "***".into() } else { v.into_owned() },
                            )
                        })
                        .collect();
                    if !query.is_empty() {
                        parsed.query_pairs_mut().clear().extend_pairs(query);
                    }
                    parsed.to_string()
                }
                Err(_) => "postgres (an unreadable URL)".into(),
            },
        }
    }
}
