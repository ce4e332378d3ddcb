//! Settings from the environment and flags, validated once at start.

use std::net::{SocketAddr, ToSocketAddrs};
use std::time::Duration;

use url::Url;

use crate::store::{Backend, PoolOptions};

mod mail;

pub use mail::{Dkim, DkimAlgorithm, MailArgs, MailSettings};

/// Where the data lives and how the connection pool behaves.
#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseArgs {
    /// A SQLite file path (or `sqlite://PATH`), or a `postgres://` URL.
    #[arg(long, env = "TAVLA_DATABASE_URL", default_value = "tavla.db")]
    pub database_url: String,
    /// Most connections this instance holds open.
    #[arg(long, env = "TAVLA_DB_POOL_SIZE", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_pool_size: u32,
    /// Seconds a request waits for a free connection before failing.
    #[arg(long, env = "TAVLA_DB_CONNECT_TIMEOUT", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub db_connect_timeout: u64,
    /// Seconds any one statement may run (PostgreSQL).
    #[arg(long, env = "TAVLA_DB_STATEMENT_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub db_statement_timeout: u64,
    /// Seconds a start keeps retrying an unreachable database before giving up.
    #[arg(long, env = "TAVLA_DB_STARTUP_WAIT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(0..=3600))]
    pub db_startup_wait: u64,
}

impl DatabaseArgs {
    pub fn pool_options(&self) -> PoolOptions {
        PoolOptions {
            max_size: self.db_pool_size,
            connect_timeout: Duration::from_secs(self.db_connect_timeout),
            statement_timeout: Duration::from_secs(self.db_statement_timeout),
            startup_wait: Duration::from_secs(self.db_startup_wait),
        }
    }
}

/// The flags of `tavla serve`; each also has an environment variable.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// How logs are written: `text` (colours only on a terminal) or
    /// `json` (one object a line, for log shippers).
    #[arg(long, env = "TAVLA_LOG_FORMAT", default_value = "text", value_parser = clap::builder::PossibleValuesParser::new(["text", "json"]))]
    pub log_format: String,
    /// The address and port to listen on.
    #[arg(long, env = "TAVLA_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// The address and port of a second listener, serving only `/metrics`
    /// (Prometheus): keep it off the public network. Unset: no metrics listener.
    #[arg(long, env = "TAVLA_METRICS_BIND")]
    pub metrics_bind: Option<String>,
    /// The absolute URL the public reaches Tavla at, used for links in feeds.
    /// Defaults to `http://` and the bind address.
    #[arg(long, env = "TAVLA_BASE_URL")]
    pub base_url: Option<String>,
    /// A WebSub hub: feeds name it, and Tavla notifies it of every change.
    #[arg(long, env = "TAVLA_WEBSUB_HUB")]
    pub websub_hub: Option<String>,
    /// Seconds readers and proxies may reuse a feed or public JSON answer
    /// (`Cache-Control: max-age`); conditional GET makes checking cheap.
    #[arg(long, env = "TAVLA_CACHE_MAX_AGE", default_value_t = 60, value_parser = clap::value_parser!(u64).range(0..=86_400))]
    pub cache_max_age: u64,
    /// Bytes of rendered feeds and public JSON answers (with their gzip and
    /// brotli forms) kept in memory; `0` keeps none, so every request renders.
    #[arg(long, env = "TAVLA_CACHE_BYTES", default_value = "64MiB")]
    pub cache_bytes: String,
    /// Addresses of the load balancers or proxies in front of Tavla, comma
    /// separated: their `X-Forwarded-For` names the client (for the limit on
    /// failed sign-ins).
    #[arg(long, env = "TAVLA_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,
    /// Allow webhooks to `http://` URLs and to loopback, private and
    /// link-local addresses (an intranet's receivers). Off: only public
    /// `https://` receivers, checked again at every connection.
    #[arg(long, env = "TAVLA_WEBHOOK_ALLOW_PRIVATE", default_value_t = false, action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub webhook_allow_private: bool,
    /// Allow sources (upstream feeds) on loopback, private and link-local
    /// addresses (an intranet's). Off: only public addresses, checked
    /// again at every connection and redirect.
    #[arg(long, env = "TAVLA_IMPORT_ALLOW_PRIVATE", default_value_t = false, action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub import_allow_private: bool,
    #[command(flatten)]
    pub mail: MailArgs,
}

/// Validated settings for one server.
#[derive(Debug, Clone)]
pub struct Settings {
    pub backend: Backend,
    pub pool: PoolOptions,
    pub bind: SocketAddr,
    /// Where `/metrics` is served; `None`: nowhere.
    pub metrics_bind: Option<SocketAddr>,
    /// Without a trailing slash. `None` means "from the bound address".
    pub base_url: Option<String>,
    /// Load the seed notices into an empty database.
    pub seed: bool,
    pub websub_hub: Option<String>,
    pub cache_max_age: u64,
    /// Bound of the in-memory representations; `0`: none are kept.
    pub cache_bytes: u64,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Webhooks may go to `http://` and private addresses.
    pub webhook_allow_private: bool,
    /// Sources may be on private addresses.
    pub import_allow_private: bool,
    /// E-mail subscriptions, when a relay is configured.
    pub mail: Option<MailSettings>,
    /// Where "now" comes from: the system clock, or a test's.
    pub clock: crate::app::Clock,
}

#[derive(Debug, thiserror::Error)]
#[error("{name}: {message}")]
pub struct ConfigError {
    pub name: &'static str,
    pub message: String,
}

fn invalid(name: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        name,
        message: message.into(),
    }
}

pub fn parse_backend(database: &DatabaseArgs) -> Result<Backend, ConfigError> {
    Backend::from_url(&database.database_url).map_err(|m| invalid("TAVLA_DATABASE_URL", m))
}

/// A listening address: `HOST:PORT`, resolved to its first address.
fn parse_bind(name: &'static str, raw: &str) -> Result<SocketAddr, ConfigError> {
    raw.to_socket_addrs()
        .map_err(|e| invalid(name, format!("{raw:?} is not HOST:PORT ({e})")))?
        .next()
        .ok_or_else(|| invalid(name, format!("{raw:?} resolves to no address")))
}

impl Settings {
    pub fn from_args(args: &ServeArgs) -> Result<Self, ConfigError> {
        let backend = parse_backend(&args.database)?;
        let bind = parse_bind("TAVLA_BIND", &args.bind)?;
        let metrics_bind = args
            .metrics_bind
            .as_deref()
            .filter(|raw| !raw.trim().is_empty())
            .map(|raw| parse_bind("TAVLA_METRICS_BIND", raw))
            .transpose()?;
        let base_url = args
            .base_url
            .as_deref()
            .map(parse_base_url)
            .transpose()
            .map_err(|m| invalid("TAVLA_BASE_URL", m))?;
        let websub_hub = args
            .websub_hub
            .as_deref()
            .filter(|hub| !hub.trim().is_empty())
            .map(parse_hub_url)
            .transpose()
            .map_err(|m| invalid("TAVLA_WEBSUB_HUB", m))?;
        let trusted_proxies = args
            .trusted_proxies
            .iter()
            .filter(|a| !a.trim().is_empty())
            .map(|a| {
                a.trim().parse().map_err(|_| {
                    invalid(
                        "TAVLA_TRUSTED_PROXIES",
                        format!("{a:?} is not an IP address"),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let cache_bytes =
            parse_bytes(&args.cache_bytes).map_err(|m| invalid("TAVLA_CACHE_BYTES", m))?;
        let mail = args.mail.settings()?;
        Ok(Self {
            mail,
            trusted_proxies,
            cache_bytes,
            websub_hub,
            cache_max_age: args.cache_max_age,
            backend,
            pool: args.database.pool_options(),
            bind,
            metrics_bind,
            base_url,
            seed: true,
            webhook_allow_private: args.webhook_allow_private,
            import_allow_private: args.import_allow_private,
            clock: crate::app::Clock::system(),
        })
    }
}

/// A size in bytes: a whole number, optionally followed by `KiB`, `MiB` or `GiB`.
pub fn parse_bytes(raw: &str) -> Result<u64, String> {
    let text = raw.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let not_a_size = || {
        format!("{raw:?} is not a size: a whole number of bytes, optionally with KiB, MiB or GiB")
    };
    let unit_size: u64 = match unit.trim() {
        "" | "B" => 1,
        "KiB" => 1024,
        "MiB" => 1024 * 1024,
        "GiB" => 1024 * 1024 * 1024,
        _ => return Err(not_a_size()),
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit_size))
        .ok_or_else(not_a_size)
}

/// An absolute http(s) URL without query or fragment; kept without its trailing slash.
pub fn parse_base_url(raw: &str) -> Result<String, String> {
    let url = Url::parse(raw).map_err(|e| format!("{raw:?} is not an absolute URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{raw:?} must start with http:// or https://"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{raw:?} must not have a query or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// An absolute http(s) URL, kept as given.
pub fn parse_hub_url(raw: &str) -> Result<String, String> {
    let url =
        Url::parse(raw.trim()).map_err(|e| format!("{raw:?} is not an absolute URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{raw:?} must start with http:// or https://"));
    }
    Ok(url.to_string())
}

/// The base URL a bound address implies: a wildcard address is shown as localhost.
pub fn base_url_for(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("http://localhost:{}", addr.port())
    } else {
        format!("http://{addr}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(bind: &str, base_url: Option<&str>, db: &str) -> ServeArgs {
        ServeArgs {
            log_format: "text".into(),
            database: DatabaseArgs {
                database_url: db.into(),
                db_pool_size: 8,
                db_connect_timeout: 5,
                db_statement_timeout: 10,
                db_startup_wait: 30,
            },
            bind: bind.into(),
            metrics_bind: None,
            base_url: base_url.map(Into::into),
            websub_hub: None,
            cache_max_age: 60,
            cache_bytes: "64MiB".into(),
            trusted_proxies: Vec::new(),
            webhook_allow_private: false,
            import_allow_private: false,
            mail: MailArgs {
                smtp_url: None,
                mail_from: None,
                mail_delay: 120,
                digest_time: "07:00".into(),
                mail_rate: 10,
                subscribe_limit: 30,
                dkim_key: None,
                dkim_selector: None,
            },
        }
    }

    #[test]
    fn defaults_are_valid() {
        let s = Settings::from_args(&args("127.0.0.1:8080", None, "tavla.db")).unwrap();
        assert_eq!(s.backend, Backend::Sqlite("tavla.db".into()));
        assert_eq!(base_url_for(s.bind), "http://127.0.0.1:8080");
        assert_eq!(s.cache_bytes, 64 * 1024 * 1024);
    }

    #[test]
    fn cache_bytes_take_units_and_zero_turns_the_cache_off() {
        assert_eq!(parse_bytes("0"), Ok(0));
        assert_eq!(parse_bytes("1048576"), Ok(1024 * 1024));
        assert_eq!(parse_bytes("512KiB"), Ok(512 * 1024));
        assert_eq!(parse_bytes(" 2 GiB "), Ok(2 * 1024 * 1024 * 1024));
        for bad in [
            "",
            "-1",
            "64MB",
            "1.5MiB",
            "lots",
            "99999999999999999999",
            "20000000000GiB",
        ] {
            let mut a = args("127.0.0.1:0", None, "tavla.db");
            a.cache_bytes = bad.into();
            let e = Settings::from_args(&a).unwrap_err();
            assert_eq!(e.name, "TAVLA_CACHE_BYTES", "{bad:?}");
        }
    }

    #[test]
    fn bad_values_name_their_variable() {
        let e = Settings::from_args(&args("nowhere", None, "tavla.db")).unwrap_err();
        assert_eq!(e.name, "TAVLA_BIND");
        let e = Settings::from_args(&args("127.0.0.1:0", Some("ftp://x"), "tavla.db")).unwrap_err();
        assert_eq!(e.name, "TAVLA_BASE_URL");
        let e =
            Settings::from_args(&args("127.0.0.1:0", Some("/relative"), "tavla.db")).unwrap_err();
        assert_eq!(e.name, "TAVLA_BASE_URL");
        let e = Settings::from_args(&args("127.0.0.1:0", None, "mysql://x")).unwrap_err();
        assert_eq!(e.name, "TAVLA_DATABASE_URL");
        let mut a = args("127.0.0.1:0", None, "tavla.db");
        a.metrics_bind = Some("metrics-port".into());
        assert_eq!(
            Settings::from_args(&a).unwrap_err().name,
            "TAVLA_METRICS_BIND"
        );
        a.metrics_bind = Some("127.0.0.1:9464".into());
        let s = Settings::from_args(&a).unwrap();
        assert_eq!(s.metrics_bind, Some("127.0.0.1:9464".parse().unwrap()));
        let pg = Settings::from_args(&args("127.0.0.1:0", None, "postgres://u@localhost/tavla"))
            .unwrap();
        assert_eq!(
            pg.backend,
            Backend::Postgres("postgres://u@localhost/tavla".into())
        );
    }

    #[test]
    fn base_url_loses_its_trailing_slash() {
        assert_eq!(
            parse_base_url("https://tavla.example/").unwrap(),
            "https://tavla.example"
        );
        assert_eq!(
            parse_base_url("https://x.example/tavla/").unwrap(),
            "https://x.example/tavla"
        );
        assert_eq!(
            base_url_for("0.0.0.0:80".parse().unwrap()),
            "http://localhost:80"
        );
    }
}
