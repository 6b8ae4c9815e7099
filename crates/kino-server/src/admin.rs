//! `kino admin ...`: operator commands that work on the same data folder or database as
//! `kino serve` (which may be running at the same time).

use anyhow::{Context, bail};
use clap::Subcommand;
use kino_core::Email;
use kino_core::account::{Date, Handle, Password, Region};
use kino_core::api::{Plan, SignUp};

use crate::db::{self, Db};
use crate::domain::accounts::{self, SignUpVia};
use crate::domain::{api_keys, invites, mail};
use crate::ids;
use crate::settings::{AccountSettings, DataSettings};
use crate::store::{self, users::UserRow};

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an account (no invite needed).
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        /// YYYY-MM-DD; without it the account is treated as an adult's (born 1970-01-01).
        #[arg(long)]
        birthdate: Option<String>,
        /// Defaults to the part of the e-mail before the @.
        #[arg(long)]
        handle: Option<String>,
        /// Two-letter region code; ZZ (unknown) by default.
        #[arg(long, default_value = "ZZ")]
        region: String,
    },
    /// Create an invite code and print it.
    CreateInvite,
    /// Create an API key for an account and print it (shown only this once).
    CreateApiKey {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "created by kino admin")]
        name: String,
    },
    /// Give an account N extra generations beyond its daily limit.
    GrantCredits {
        #[arg(long)]
        email: String,
        credits: u32,
        #[arg(long, default_value = "granted by an operator")]
        reason: String,
    },
    /// Move an account to the free or the pro plan.
    SetPlan {
        #[arg(long)]
        email: String,
        #[arg(value_parser = ["free", "pro"])]
        plan: String,
    },
    /// List the open reports (the moderation queue), oldest first.
    Reports,
    /// Send invites to the first N people on the waitlist (mail goes to DATA/outbox).
    InviteWaitlist {
        #[arg(long)]
        count: u32,
        /// Where people sign up, for the e-mail.
        #[arg(long, env = "KINO_PUBLIC_URL", default_value = "http://127.0.0.1:8080/signup")]
        url: String,
    },
}

/// Runs one command and returns what to print.
pub async fn run(data: &DataSettings, command: AdminCommand) -> anyhow::Result<String> {
    let db = db::open(&data.database_url()).await?;
    match command {
        AdminCommand::CreateUser { email, password, birthdate, handle, region } => {
            let email = Email::parse(&email).context("--email")?;
            let handle = match handle {
                Some(handle) => Handle::parse(&handle),
                None => Handle::parse(email.as_str().split('@').next().unwrap_or_default()),
            }
            .context("--handle")?;
            let request = SignUp {
                email,
                handle,
                password: Password::parse(&password).context("--password")?,
                birth_date: Date::parse(birthdate.as_deref().unwrap_or("1970-01-01")).context("--birthdate")?,
                region: Region::parse(&region).context("--region")?,
                invite_code: None,
            };
            let user = accounts::sign_up(&db, &AccountSettings::default(), request, SignUpVia::Operator, ids::today())
                .await
                .map_err(|error| anyhow::anyhow!("{error}"))?;
            Ok(format!("created {} (@{}, {}, id {})", user.email, user.handle, user.role, user.id))
        }
        AdminCommand::CreateInvite => Ok(invites::create_by_operator(&db).await?),
        AdminCommand::CreateApiKey { email, name } => {
            let user = user_by_email(&db, &email).await?;
            let name = api_keys::parse_name(&name).map_err(|error| anyhow::anyhow!("--name: {error}"))?;
            let mut conn = db.pool.acquire().await?;
            Ok(api_keys::create(&mut conn, &user.id, &name).await?.key)
        }
        AdminCommand::GrantCredits { email, credits, reason } => {
            if credits == 0 {
                bail!("grant at least one credit");
            }
            let user = user_by_email(&db, &email).await?;
            let mut tx = db.pool.begin().await?;
            store::credits::record(&mut tx, &user.id, i64::from(credits), &reason, ids::now_ms()).await?;
            let balance = store::credits::balance(&mut tx, &user.id).await?;
            tx.commit().await?;
            Ok(format!("{} now has {balance} credits", user.email))
        }
        AdminCommand::SetPlan { email, plan } => {
            let user = user_by_email(&db, &email).await?;
            let plan_value = if plan == "pro" { Plan::Pro } else { Plan::Free };
            let mut conn = db.pool.acquire().await?;
            store::users::set_plan(&mut conn, &user.id, plan_value).await?;
            Ok(format!("{} is now on the {plan} plan", user.email))
        }
        AdminCommand::Reports => {
            let mut conn = db.pool.acquire().await?;
            let reports = store::reactions::open_reports(&mut conn).await?;
            if reports.is_empty() {
                return Ok("no open reports".to_owned());
            }
            let lines: Vec<String> =
                reports.iter().map(|r| format!("{}  video {}  {}  {:?}", r.id, r.video_id.as_deref().unwrap_or("(deleted)"), r.reason, r.note)).collect();
            Ok(lines.join("\n"))
        }
        AdminCommand::InviteWaitlist { count, url } => {
            let invited = invites::invite_waitlist(&db, count, &url).await?;
            let outbox = data.data.join("outbox");
            mail::deliver_pending(&db, &outbox).await?;
            Ok(format!("invited {} people; their e-mails are in {}", invited.len(), outbox.display()))
        }
    }
}

async fn user_by_email(db: &Db, raw: &str) -> anyhow::Result<UserRow> {
    let email = Email::parse(raw).context("--email")?;
    let mut conn = db.pool.acquire().await?;
    store::users::find_by_email(&mut conn, &email).await?.with_context(|| format!("no account has the e-mail {email}"))
}
