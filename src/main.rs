//! The `tavla` command line: parses, then calls the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tavla::config::{self, DatabaseArgs, ServeArgs, Settings};
use tavla::store::Store;

#[derive(Parser)]
#[command(
    name = "tavla",
    version,
    about = "Helsedirektoratet's notices as JSON, RSS and HTML"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs pending migrations, loads the seed notices into an empty database, and serves.
    Serve(ServeArgs),
    /// Runs pending migrations and exits.
    Migrate(DatabaseArgs),
    /// Manages the editors' API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Imports an RSS, Atom or JSON feed once (an archive moving into
    /// Tavla): each entry becomes a notice, once however often it is run.
    Import(ImportArgs),
    /// Writes a consistent copy of a SQLite database to PATH while Tavla
    /// serves (on PostgreSQL, use pg_dump).
    Backup {
        /// Where the copy goes; an existing file there is replaced whole.
        path: std::path::PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(clap::Args)]
struct ImportArgs {
    /// The feed's http:// or https:// URL.
    url: String,
    /// What every entry becomes: grant, webinar or news.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(["grant", "webinar", "news"]))]
    kind: String,
    /// An area slug the notices are placed in; repeat for several.
    #[arg(long = "area", value_name = "SLUG", required = true)]
    areas: Vec<String>,
    /// draft (for an editor to look over) or published.
    #[arg(long, default_value = "published", value_parser = clap::builder::PossibleValuesParser::new(["draft", "published"]))]
    state: String,
    /// The language the entries are written in: nb, nn, se or en.
    #[arg(long, default_value = "nb")]
    language: String,
    /// Allow a feed on a loopback or private address (an intranet's).
    #[arg(long, env = "TAVLA_IMPORT_ALLOW_PRIVATE", default_value_t = false, action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    allow_private: bool,
    /// Where the server runs, named in the request's User-Agent.
    #[arg(long, env = "TAVLA_BASE_URL")]
    base_url: Option<String>,
    /// The server's hub, told of the imported notices as of any other.
    #[arg(long, env = "TAVLA_WEBSUB_HUB")]
    websub_hub: Option<String>,
    /// Set in the server's environment when it sends e-mail: the imported
    /// notices are then e-mailed to their subscribers as any other.
    #[arg(long, env = "TAVLA_SMTP_URL", hide_env_values = true, hide = true)]
    smtp_url: Option<String>,
    #[command(flatten)]
    database: DatabaseArgs,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Issues a token and prints its secret, alone, on the last line.
    Create {
        /// Who or what holds it, e.g. "Redaksjonen, tilskudd".
        #[arg(long)]
        name: String,
        /// admin (everything, tokens included) or editor (notices in its areas).
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(["admin", "editor"]))]
        role: String,
        /// An area (access package) slug an editor may publish in; repeat for several.
        #[arg(long = "area", value_name = "SLUG")]
        areas: Vec<String>,
        /// When it stops working, as RFC 3339 (e.g. 2027-06-30T23:59:59+02:00).
        #[arg(long, value_parser = parse_instant)]
        expires_at: Option<chrono::DateTime<chrono::Utc>>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Lists every token (never the secrets).
    List {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Revokes a token at once.
    Revoke {
        /// The token's id, from `tavla token list`.
        id: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

fn parse_instant(raw: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(raw)
        .map(|at| at.with_timezone(&chrono::Utc))
        .map_err(|_| format!("{raw:?} is not an RFC 3339 instant like 2027-06-30T23:59:59+02:00"))
}

/// jemalloc, instead of the system's malloc. glibc's malloc shares a few
/// arenas, each behind a lock, among the server's threads (actix's workers
/// and the blocking threads that run queries and renders); under concurrent
/// requests a fifth of the server's time went to malloc and to waiting for
/// those locks. jemalloc gives each thread a cache of its own: a page of the
/// notice list costs about a third less (docs/benchmarks.md, "The
/// allocator").
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings, which it reads from this symbol as it starts
/// (`_RJEM_MALLOC_CONF` in the environment is read after it and wins). One
/// arena behind the threads' caches, and what is freed handed back to the
/// system within a second by jemalloc's own thread. With its defaults (up
/// to four arenas per core, ten seconds' grace) a list, a search and then
/// eight concurrent calendars at a million notices peaked at 163 MiB; so,
/// at 97–105 MiB, at the same speed (docs/benchmarks.md, "The allocator").
#[cfg(not(target_env = "msvc"))]
#[export_name = "_rjem_malloc_conf"]
pub static JEMALLOC_CONF: &[u8; 53] = b"narenas:1,dirty_decay_ms:1000,background_thread:true\0";

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = matches!(&cli.command, Command::Serve(args) if args.log_format == "json");
    start_logging(json);
    let result = match cli.command {
        Command::Serve(args) => serve(&args),
        Command::Migrate(args) => migrate(&args),
        Command::Token(command) => token(command),
        Command::Import(args) => import(args),
        Command::Backup { path, database } => backup(&path, &database),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tavla: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to standard output: JSON lines, or text with colours only when a
/// terminal reads it. `RUST_LOG` chooses what is logged.
fn start_logging(json: bool) {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,actix_server=warn".into());
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    if json {
        logs.json().with_current_span(false).init();
    } else {
        logs.with_ansi(std::io::stdout().is_terminal()).init();
    }
}

fn serve(args: &ServeArgs) -> anyhow::Result<()> {
    let settings = Settings::from_args(args)?;
    actix_web::rt::System::new().block_on(async move {
        let app = tavla::Application::build(settings)?;
        tracing::info!(base_url = app.base_url(), "serving");
        app.run_until_stopped().await?;
        Ok(())
    })
}

fn migrate(args: &DatabaseArgs) -> anyhow::Result<()> {
    let backend = config::parse_backend(args)?;
    let options = args.pool_options();
    let store = Store::connect(&backend, &options)?;
    store.wait_until_reachable(options.startup_wait)?;
    let applied = store.migrate()?;
    print_out(&format!("applied {applied} migration(s)\n"))
}

fn token(command: TokenCommand) -> anyhow::Result<()> {
    use std::fmt::Write;
    use tavla::commands;
    let mut out = String::new();
    let open = |db: &DatabaseArgs| -> anyhow::Result<_> {
        commands::open(&config::parse_backend(db)?, &db.pool_options())
    };
    match command {
        TokenCommand::Create {
            name,
            role,
            areas,
            expires_at,
            database,
        } => {
            let (store, taxonomy) = open(&database)?;
            let role = role.parse().map_err(anyhow::Error::msg)?;
            let (token, secret) =
                commands::create_token(&store, &taxonomy, &name, role, areas, expires_at)?;
            writeln!(
                out,
                "Created {} token {} ({}).",
                token.role, token.id, token.name
            )?;
            if !token.areas.is_empty() {
                writeln!(out, "Areas: {}", token.areas.join(", "))?;
            }
            writeln!(
                out,
                "The secret is shown only now. Send it as: Authorization: Bearer <secret>"
            )?;
            writeln!(out, "{secret}")?;
        }
        TokenCommand::List { database } => {
            let (store, _) = open(&database)?;
            writeln!(
                out,
                "{:<36}  {:<6}  {:<8}  {:<25}  NAME / AREAS",
                "ID", "ROLE", "STATUS", "EXPIRES"
            )?;
            for token in commands::list_tokens(&store)? {
                let status = if token.revoked_at.is_some() {
                    "revoked"
                } else if !token.is_active(tavla::app::Clock::system().now()) {
                    "expired"
                } else {
                    "active"
                };
                let expires = token
                    .expires_at
                    .map(tavla::domain::time::rfc3339_oslo)
                    .unwrap_or_else(|| "never".into());
                let mut who = token.name.clone();
                if !token.areas.is_empty() {
                    who.push_str(&format!(" [{}]", token.areas.join(", ")));
                }
                writeln!(
                    out,
                    "{:<36}  {:<6}  {:<8}  {:<25}  {}",
                    token.id,
                    token.role.as_str(),
                    status,
                    expires,
                    who
                )?;
            }
        }
        TokenCommand::Revoke { id, database } => {
            let (store, _) = open(&database)?;
            if commands::revoke_token(&store, &id)? {
                writeln!(out, "Revoked token {id}.")?;
            } else {
                writeln!(out, "Token {id} was already revoked.")?;
            }
        }
    }
    print_out(&out)
}

fn import(args: ImportArgs) -> anyhow::Result<()> {
    use tavla::commands;
    let (store, taxonomy) = commands::open(
        &config::parse_backend(&args.database)?,
        &args.database.pool_options(),
    )?;
    let mut fanout = Vec::new();
    if let Some(hub) = args.websub_hub.as_deref().filter(|h| !h.trim().is_empty()) {
        let hub =
            config::parse_hub_url(hub).map_err(|m| anyhow::anyhow!("TAVLA_WEBSUB_HUB: {m}"))?;
        fanout.push(tavla::websub::fanout(&hub));
    }
    if args
        .smtp_url
        .as_deref()
        .is_some_and(|u| !u.trim().is_empty())
    {
        fanout.push(tavla::mail::fanout());
    }
    let done = commands::import_feed(
        &store,
        &taxonomy,
        &commands::OneOffImport {
            url: args.url,
            kind: args.kind,
            areas: args.areas,
            language: args.language,
            state: args.state,
            allow_private: args.allow_private,
            base_url: args.base_url,
            fanout,
        },
    )?;
    print_out(&format!(
        "Imported {} new notice(s); updated {}, kept {} an editor has changed, {} unchanged.\n",
        done.created, done.updated, done.kept, done.unchanged
    ))
}

fn backup(path: &std::path::Path, database: &DatabaseArgs) -> anyhow::Result<()> {
    let backend = config::parse_backend(database)?;
    let bytes = tavla::commands::backup(&backend, &database.pool_options(), path)?;
    print_out(&format!(
        "Wrote a copy of the database to {} ({bytes} bytes).\n",
        path.display()
    ))
}

/// Writes what a command says to standard output. A reader that has gone
/// (`tavla token list | head`) ends the command quietly, not with a panic.
fn print_out(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
