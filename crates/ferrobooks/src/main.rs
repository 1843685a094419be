#![forbid(unsafe_code)]
//! The `ferrobooks` binary: a thin layer of subcommands over the crates.

mod config;

use anyhow::Context;
use clap::{Parser, Subcommand};
use ferrobooks_service::Services;
use ferrobooks_service::orgs::NewOrganization;
use ferrobooks_store::{Store, redact, tenancy};

use crate::config::Config;

#[derive(Debug, Parser)]
#[command(
    name = "ferrobooks",
    version,
    about = "Self-hosted accounting platform server"
)]
struct Cli {
    /// Config file (TOML); `ferrobooks.toml` in the working directory is read
    /// when present.
    #[arg(long, global = true, env = "FERROBOOKS_CONFIG")]
    config: Option<std::path::PathBuf>,
    /// `sqlite://PATH` (default `sqlite://ferrobooks.db`) or `postgres://...`.
    #[arg(long, global = true, env = "FERROBOOKS_DATABASE_URL")]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP server (migrates first; on an empty database, creates a
    /// demo organization and prints a key for it).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "FERROBOOKS_LISTEN")]
        listen: Option<String>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Manage organizations.
    Orgs {
        #[command(subcommand)]
        command: OrgsCommand,
    },
    /// Manage API keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
}

#[derive(Debug, Subcommand)]
enum OrgsCommand {
    /// Create an organization under the default account; prints its id.
    Create {
        #[arg(long)]
        name: String,
        /// Base currency (ISO 4217).
        #[arg(long)]
        currency: String,
        /// Country (ISO 3166 alpha-2); picks the chart of accounts.
        #[arg(long)]
        country: String,
        /// State or GST state code.
        #[arg(long)]
        state: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Create an API key for an organization; prints the raw key alone.
    Create {
        #[arg(long)]
        org: String,
        #[arg(long)]
        name: String,
        /// starter, professional or enterprise.
        #[arg(long)]
        tier: Option<String>,
        /// Comma-separated scopes (default `*`).
        #[arg(long, value_delimiter = ',')]
        scopes: Option<Vec<String>>,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::load(cli.config.as_deref(), cli.database_url.clone())?;
    config::init_tracing(&config);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(cli.command, config))
}

async fn run(command: Command, mut config: Config) -> anyhow::Result<()> {
    let store = Store::connect(&config.database_url)
        .await
        .with_context(|| format!("opening {}", redact(&config.database_url)))?;
    match command {
        Command::Migrate => {
            eprintln!("migrations applied to {}", redact(&config.database_url));
            Ok(())
        }
        Command::Serve { listen } => {
            if let Some(l) = listen {
                config.listen = l;
            }
            serve(store, config).await
        }
        Command::Orgs {
            command:
                OrgsCommand::Create {
                    name,
                    currency,
                    country,
                    state,
                },
        } => {
            let services = Services::new(store).await?;
            let org = services
                .create_organization(
                    None,
                    NewOrganization {
                        name,
                        base_currency: currency,
                        country,
                        state,
                        tax_id: None,
                        fiscal_year_start: None,
                        timezone: None,
                        date_format: None,
                    },
                )
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", org.id);
            Ok(())
        }
        Command::Keys {
            command:
                KeysCommand::Create {
                    org,
                    name,
                    tier,
                    scopes,
                },
        } => {
            let services = Services::new(store).await?;
            let tenant = tenancy::get_organization(services.store.pool(), &org)
                .await?
                .with_context(|| format!("no organization {org}"))?
                .tenant_id;
            let key = services
                .create_key(&tenant, Some(&org), &name, tier.as_deref(), scopes)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", key.raw);
            Ok(())
        }
    }
}

async fn serve(store: Store, config: Config) -> anyhow::Result<()> {
    let services = Services::with_options(store.clone(), config.services()?)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some((org, key)) = services
        .bootstrap_demo()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        println!("Created demo organization {} ({}).", org.name, org.id);
        println!("Full-access API key, shown only this once:");
        println!("{key}");
    }
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("binding {}", config.listen))?;
    tracing::info!(
        listen = %listener.local_addr()?,
        database = %redact(&config.database_url),
        "ferrobooks serving"
    );
    let app = ferrobooks_http::router(services.clone(), config.http());
    ferrobooks_http::serve(listener, app, shutdown_signal()).await?;
    tracing::info!("requests drained; stopping the webhook worker");
    services.shutdown().await;
    tracing::info!("closing the store");
    store.close().await;
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
