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
