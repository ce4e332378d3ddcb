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

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,actix_server=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve(&args),
        Command::Migrate(args) => migrate(&args),
        Command::Token(command) => token(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tavla: {e:#}");
            ExitCode::FAILURE
        }
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
    println!("applied {applied} migration(s)");
    Ok(())
}

fn token(command: TokenCommand) -> anyhow::Result<()> {
    use tavla::commands;
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
            println!(
                "Created {} token {} ({}).",
                token.role, token.id, token.name
            );
            if !token.areas.is_empty() {
                println!("Areas: {}", token.areas.join(", "));
            }
            println!("The secret is shown only now. Send it as: Authorization: Bearer <secret>");
            println!("{secret}");
        }
        TokenCommand::List { database } => {
            let (store, _) = open(&database)?;
            println!(
                "{:<36}  {:<6}  {:<8}  {:<25}  NAME / AREAS",
                "ID", "ROLE", "STATUS", "EXPIRES"
            );
            for token in commands::list_tokens(&store)? {
                let status = if token.revoked_at.is_some() {
                    "revoked"
                } else if !token.is_active(chrono::Utc::now()) {
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
                println!(
                    "{:<36}  {:<6}  {:<8}  {:<25}  {}",
                    token.id,
                    token.role.as_str(),
                    status,
                    expires,
                    who
                );
            }
        }
        TokenCommand::Revoke { id, database } => {
            let (store, _) = open(&database)?;
            if commands::revoke_token(&store, &id)? {
                println!("Revoked token {id}.");
            } else {
                println!("Token {id} was already revoked.");
            }
        }
    }
    Ok(())
}
