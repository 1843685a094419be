#![forbid(unsafe_code)]
//! The `ferrobooks` binary: a thin layer of subcommands over the crates.

mod config;
mod import;

use anyhow::Context;
use clap::{Parser, Subcommand};
use ferrobooks_service::orgs::NewOrganization;
use ferrobooks_service::{ServiceError, Services};
use ferrobooks_store::{OrgId, Store, redact, tenancy};

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
    /// Run background jobs only (webhook delivery, the due-date job,
    /// sweeps), for nodes that serve no requests; stops on SIGTERM.
    /// PostgreSQL only: on SQLite, `serve` runs the jobs itself.
    Worker,
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
    /// Manage the people who sign in.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Write an organization's books to standard output as a plain-text
    /// journal that ledger-cli, hledger or beancount read.
    Export {
        /// The organization's id or its name.
        #[arg(long)]
        org: String,
        /// ledger, hledger or beancount.
        #[arg(long, value_parser = ["ledger", "hledger", "beancount"])]
        format: String,
        /// First day, YYYY-MM-DD: earlier entries become one opening
        /// balances transaction.
        #[arg(long)]
        from: Option<String>,
        /// Last day, YYYY-MM-DD.
        #[arg(long)]
        to: Option<String>,
    },
    /// Import a CSV or XLSX file into an organization's books, as the
    /// importer API does (one entity per document number, each made and
    /// posted atomically), with a progress bar; then the summary and the
    /// rows that failed.
    Import {
        /// The organization's id or its name.
        #[arg(long)]
        org: String,
        /// What the rows are: Invoice, Bill, Customer... (see
        /// GET /api/v1/companies/{id}/entities).
        #[arg(long)]
        entity: String,
        /// A saved mapping's id.
        #[arg(long, conflicts_with = "auto", required_unless_present = "auto")]
        mapping: Option<String>,
        /// Match the file's headers to the entity's fields (and save that
        /// mapping).
        #[arg(long)]
        auto: bool,
        /// Check every row and write nothing to the books.
        #[arg(long)]
        dry_run: bool,
        /// XLSX: the sheet to read (default the first).
        #[arg(long)]
        sheet: Option<String>,
        file: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum OrgsCommand {
    /// Create an organization under the default account; prints its id.
    Create {
        #[arg(long)]
        name: String,
        /// Base currency (ISO 4217, such as USD, INR, GBP).
        #[arg(long)]
        currency: String,
        /// Country (ISO 3166 alpha-2, such as US, IN, GB); picks the chart
        /// of accounts and the taxes.
        #[arg(long)]
        country: String,
        /// State: a GST state code in India (27 or MH), else an ISO 3166-2
        /// subdivision (CA).
        #[arg(long)]
        state: Option<String>,
    },
    /// List the organizations: id, currency, country, name.
    List,
}

#[derive(Debug, Subcommand)]
enum UsersCommand {
    /// Create a user of the default account; prints the generated password
    /// alone (shown once).
    Create {
        #[arg(long)]
        email: String,
        /// owner, admin, accountant or viewer.
        #[arg(long)]
        role: String,
        #[arg(long)]
        name: Option<String>,
        /// Accountants and viewers: an organization (id or name) they work
        /// in; repeat for several.
        #[arg(long)]
        org: Vec<String>,
    },
    /// List the users: id, role, state, email.
    List,
    /// Mint a personal access token (`aibk_pat_...`) for a user; prints the
    /// token alone (shown once).
    Token {
        #[arg(long)]
        email: String,
        /// The organization (id or name) it is bound to.
        #[arg(long)]
        org: String,
        #[arg(long)]
        name: String,
        /// Comma-separated scopes (default `*`); the user's role limits
        /// them further.
        #[arg(long, value_delimiter = ',')]
        scopes: Option<Vec<String>>,
    },
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Create an API key for an organization; prints the raw key alone.
    Create {
        /// The organization's id or its name.
        #[arg(long)]
        org: String,
        #[arg(long)]
        name: String,
        /// starter, professional or enterprise.
        #[arg(long)]
        tier: Option<String>,
        /// Comma-separated scopes (default `*`), such as
        /// invoices:read,customers:write.
        #[arg(long, value_delimiter = ',')]
        scopes: Option<Vec<String>>,
    },
    /// List an organization's keys (never the secret): id, prefix, tier,
    /// scopes, state, name.
    List {
        /// The organization's id or its name.
        #[arg(long)]
        org: String,
    },
    /// Revoke a key by its id (`key_...`); refused from the next request on.
    Revoke { id: String },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = Config::load(cli.config.as_deref(), cli.database_url.clone()).and_then(|config| {
        config::init_tracing(&config);
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?
            .block_on(run(cli.command, config))
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, mut config: Config) -> anyhow::Result<()> {
    // The listener is bound before anything is written, so a busy port
    // stops `serve` before it creates (and prints the only copy of) a key.
    // Settings are checked first, then the port, and only then is the
    // database opened.
    let listener = match &command {
        Command::Serve { listen } => {
            if let Some(l) = listen {
                config.listen.clone_from(l);
            }
            let options = config.services()?;
            let listener = tokio::net::TcpListener::bind(&config.listen)
                .await
                .with_context(|| format!("cannot listen on {}", config.listen))?;
            Some((listener, options))
        }
        _ => None,
    };
    if matches!(command, Command::Worker) && config.database_url.starts_with("sqlite:") {
        // One process owns a SQLite database (it keeps in memory what
        // others would need to see), and `serve` runs the jobs itself.
        anyhow::bail!(
            "`ferrobooks worker` needs PostgreSQL: on SQLite, `ferrobooks serve` runs the jobs \
             itself and must be the only process on the database"
        );
    }
    let store = Store::connect(&config.database_url).await?;
    match command {
        Command::Migrate => {
            eprintln!("migrations applied to {}", redact(&config.database_url));
            Ok(())
        }
        Command::Serve { .. } => {
            let (listener, options) = listener.context("the listener was not bound")?;
            serve(store, listener, options, config).await
        }
        Command::Worker => worker(store, config.services()?).await,
        Command::Orgs { command } => orgs(store, command).await,
        Command::Keys { command } => keys(store, command).await,
        Command::Users { command } => users(store, command).await,
        Command::Export {
            org,
            format,
            from,
            to,
        } => {
            let org = find_org(&store, &org).await?;
            let dialect = ferrobooks_domain::plaintext::Dialect::parse(&format)
                .context("--format is ledger, hledger or beancount")?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let n = ferrobooks_service::export::export_journal(
                &store,
                &org,
                dialect,
                from.as_deref(),
                to.as_deref(),
                &mut out,
            )
            .await
            .map_err(cli_error)?;
            eprintln!("{n} transactions written");
            Ok(())
        }
        Command::Import {
            org,
            entity,
            mapping,
            auto,
            dry_run,
            sheet,
            file,
        } => {
            let org = find_org(&store, &org).await?;
            let services = Services::new(store).await.map_err(cli_error)?;
            import::run(
                &services,
                org,
                import::Args {
                    entity,
                    mapping: mapping.filter(|_| !auto),
                    dry_run,
                    sheet,
                    file,
                },
            )
            .await
        }
    }
}

/// A service error in the command line's words: the flag, not the field.
fn cli_error(e: ServiceError) -> anyhow::Error {
    let text = e.to_string();
    for (field, flag) in [
        ("base_currency", "currency"),
        ("country", "country"),
        ("state", "state"),
        ("name", "name"),
        ("tier", "tier"),
        ("scopes", "scopes"),
        ("from", "from"),
        ("to", "to"),
    ] {
        if let Some(rest) = text.strip_prefix(field)
            && (rest.starts_with(':') || rest.starts_with('['))
        {
            return anyhow::anyhow!("--{flag}{rest}");
        }
    }
    anyhow::anyhow!(text)
}

async fn orgs(store: Store, command: OrgsCommand) -> anyhow::Result<()> {
    match command {
        OrgsCommand::Create {
            name,
            currency,
            country,
            state,
        } => {
            let services = Services::new(store).await.map_err(cli_error)?;
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
                .map_err(cli_error)?;
            println!("{}", org.id);
        }
        OrgsCommand::List => {
            for o in tenancy::list_organizations(store.pool()).await? {
                println!("{}\t{}\t{}\t{}", o.id, o.base_currency, o.country, o.name);
            }
        }
    }
    Ok(())
}

/// The organization `org` names: its id, else its name (case-insensitive;
/// a name two organizations share must be given as an id).
async fn find_org(store: &Store, org: &str) -> anyhow::Result<tenancy::OrganizationRow> {
    if let Some(o) = tenancy::get_organization(store.pool(), &OrgId::new(org)).await? {
        return Ok(o);
    }
    let mut named: Vec<_> = tenancy::list_organizations(store.pool())
        .await?
        .into_iter()
        .filter(|o| o.name.eq_ignore_ascii_case(org.trim()))
        .collect();
    match named.len() {
        0 => anyhow::bail!(
            "no organization has the id or name '{org}'; `ferrobooks orgs list` shows them"
        ),
        1 => Ok(named.remove(0)),
        _ => anyhow::bail!(
            "{} organizations are named '{org}'; give the id instead: {}",
            named.len(),
            named
                .iter()
                .map(|o| o.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

async fn users(store: Store, command: UsersCommand) -> anyhow::Result<()> {
    use ferrobooks_store::users as store_users;
    match command {
        UsersCommand::Create {
            email,
            role,
            name,
            org,
        } => {
            let mut orgs = Vec::new();
            for o in &org {
                orgs.push(find_org(&store, o).await?.id.to_string());
            }
            let mut conn = store.pool().acquire().await?;
            let tenant = tenancy::default_tenant(&mut conn).await?.id;
            drop(conn);
            let services = Services::new(store).await.map_err(cli_error)?;
            let made = services
                .create_user(
                    &tenant,
                    ferrobooks_domain::access::Role::Owner,
                    None,
                    ferrobooks_service::users::UserInput {
                        email: Some(email),
                        name,
                        role: Some(role),
                        organization_ids: (!orgs.is_empty()).then_some(orgs),
                        ..Default::default()
                    },
                )
                .await
                .map_err(cli_error)?;
            eprintln!(
                "created {} ({}, {})",
                made.user.email, made.user.id, made.user.role
            );
            println!("{}", made.password.unwrap_or_default());
        }
        UsersCommand::List => {
            let mut after = String::new();
            let mut conn = store.pool().acquire().await?;
            loop {
                let page = store_users::list_all_users(&mut *conn, &after, 100).await?;
                for u in &page {
                    let state = if u.disabled_at.is_some() {
                        "disabled"
                    } else {
                        "active"
                    };
                    println!("{}\t{}\t{state}\t{}", u.id, u.role, u.email);
                }
                match page.last() {
                    Some(u) if page.len() == 100 => after.clone_from(&u.id),
                    _ => break,
                }
            }
        }
        UsersCommand::Token {
            email,
            org,
            name,
            scopes,
        } => {
            let org = find_org(&store, &org).await?;
            let services = Services::new(store).await.map_err(cli_error)?;
            let made = services
                .mint_token_as(&email, org, name, scopes)
                .await
                .map_err(cli_error)?;
            println!("{}", made.token);
        }
    }
    Ok(())
}

async fn keys(store: Store, command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Create {
            org,
            name,
            tier,
            scopes,
        } => {
            let org = find_org(&store, &org).await?;
            let services = Services::new(store).await.map_err(cli_error)?;
            let key = services
                .create_key(
                    &org.tenant_id,
                    Some(&org.id),
                    &name,
                    tier.as_deref(),
                    scopes,
                )
                .await
                .map_err(cli_error)?;
            println!("{}", key.raw);
        }
        KeysCommand::List { org } => {
            let org = find_org(&store, &org).await?;
            let mut after = String::new();
            loop {
                let page = tenancy::list_api_keys(
                    store.pool(),
                    &org.tenant_id,
                    &org.id,
                    false,
                    true,
                    &after,
                    100,
                )
                .await?;
                for k in &page {
                    let scopes: Vec<String> = serde_json::from_str(&k.scopes).unwrap_or_default();
                    let state = if k.revoked_at.is_some() {
                        "revoked"
                    } else {
                        "active"
                    };
                    println!(
                        "{}\tsk_live_{}…\t{}\t{}\t{state}\t{}",
                        k.id,
                        k.prefix,
                        k.tier,
                        scopes.join(","),
                        k.name
                    );
                }
                match page.last() {
                    Some(k) if page.len() == 100 => after.clone_from(&k.id),
                    _ => break,
                }
            }
        }
        KeysCommand::Revoke { id } => {
            let key = tenancy::get_api_key(store.pool(), &id)
                .await?
                .with_context(|| format!("no API key has the id '{id}'"))?;
            if key.revoked_at.is_some() {
                anyhow::bail!("the key {id} was already revoked");
            }
            let services = Services::new(store).await.map_err(cli_error)?;
            services
                .revoke_key(&key.tenant_id, &id)
                .await
                .map_err(cli_error)?;
            eprintln!("revoked {id} (sk_live_{}…, {})", key.prefix, key.name);
        }
    }
    Ok(())
}

async fn serve(
    store: Store,
    listener: tokio::net::TcpListener,
    options: ferrobooks_service::ServiceOptions,
    config: Config,
) -> anyhow::Result<()> {
    let services = Services::with_options(store.clone(), options)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(demo) = services
        .bootstrap_demo()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        let org = &demo.org;
        println!("Created demo organization {} ({}).", org.name, org.id);
        println!("Full-access API key, shown only this once:");
        println!("{}", demo.key);
        println!(
            "Lost it? `ferrobooks keys create --org \"{}\" --name \"Another key\"` makes another.",
            org.name
        );
        println!(
            "Demo owner {} with the password {} (shown only this once).",
            demo.email, demo.password
        );
    }
    tracing::info!(
        listen = %listener.local_addr()?,
        database = %redact(&config.database_url),
        "ferrobooks serving"
    );
    let runner = ferrobooks_service::jobs::Runner::start(services.clone());
    let app = ferrobooks::app(services.clone(), config.http());
    ferrobooks_edge::serve(listener, app, shutdown_signal()).await?;
    tracing::info!("requests drained; stopping the job runner");
    runner.stop().await;
    tracing::info!("closing the store");
    store.close().await;
    Ok(())
}

/// `ferrobooks worker`: the job runner alone, until SIGTERM or Ctrl-C.
async fn worker(store: Store, options: ferrobooks_service::ServiceOptions) -> anyhow::Result<()> {
    let services = Services::with_options(store.clone(), options)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let runner = ferrobooks_service::jobs::Runner::start(services);
    tracing::info!("ferrobooks worker running jobs");
    shutdown_signal().await;
    tracing::info!("stopping the job runner");
    runner.stop().await;
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
