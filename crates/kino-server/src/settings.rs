//! Command-line settings of `kino serve` and `kino admin`; each flag is also read from a
//! `KINO_*` environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{ArgAction, Args};
use kino_core::account::Region;
use kino_core::models::{self, ModelSpec};

/// Where the data lives: shared by every subcommand that opens the database.
#[derive(Debug, Clone, Args)]
pub struct DataSettings {
    /// Folder that holds everything the server writes (SQLite database, media, outgoing mail).
    #[arg(long, env = "KINO_DATA", default_value = "./data")]
    pub data: PathBuf,

    /// Database URL; `postgres://...` for Postgres. Default: SQLite in the data folder.
    #[arg(long, env = "KINO_DATABASE_URL")]
    pub database_url: Option<String>,

    /// Where videos and images go: `s3://BUCKET[/PREFIX]` for an S3-compatible bucket
    /// (credentials and region from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    /// `AWS_REGION`). Default: the `media` folder in the data folder.
    #[arg(long, env = "KINO_MEDIA_URL")]
    pub media_url: Option<String>,

    /// The S3 server when it is not AWS, e.g. `http://127.0.0.1:9000` for MinIO.
    #[arg(long, env = "KINO_S3_ENDPOINT", requires = "media_url")]
    pub s3_endpoint: Option<String>,
}

impl DataSettings {
    /// The data folder with its own database and media (SQLite, local files).
    pub fn in_folder(data: PathBuf) -> Self {
        Self { data, database_url: None, media_url: None, s3_endpoint: None }
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| crate::db::sqlite_url(&self.data))
    }

    /// The media storage these settings name.
    pub async fn blobs(&self) -> Result<crate::blobs::Blobs, crate::blobs::BlobError> {
        match &self.media_url {
            Some(url) => crate::blobs::Blobs::s3(url, self.s3_endpoint.as_deref()).await,
            None => crate::blobs::Blobs::local(&self.data.join("media")),
        }
    }
}

/// How sign-up works on this instance.
#[derive(Debug, Clone, Args)]
pub struct AccountSettings {
    /// New accounts need an invite code (the very first account never does).
    #[arg(long, env = "KINO_INVITE_ONLY", default_value_t = true, action = ArgAction::Set)]
    pub invite_only: bool,

    /// Invite codes each new account can give.
    #[arg(long, env = "KINO_INVITES_PER_USER", default_value_t = 5)]
    pub invites_per_user: u32,

    /// Regions people may sign up from, comma-separated (e.g. `US,CA,DE`); empty means any.
    #[arg(long, env = "KINO_ALLOWED_REGIONS", value_delimiter = ',', value_parser = parse_region)]
    pub allowed_regions: Vec<Region>,
}

impl Default for AccountSettings {
    fn default() -> Self {
        Self { invite_only: true, invites_per_user: 5, allowed_regions: Vec::new() }
    }
}

/// Where webhooks may go.
#[derive(Debug, Clone, Default, Args)]
pub struct WebhookSettings {
    /// Let webhook endpoints be loopback, private or link-local addresses (a receiver on this
    /// machine or network). Off by default: a webhook must not reach into the server's own
    /// network.
    #[arg(long = "webhooks-to-private-addresses", env = "KINO_WEBHOOKS_TO_PRIVATE_ADDRESSES", default_value_t = false, action = ArgAction::Set)]
    pub to_private_addresses: bool,
}

fn parse_region(raw: &str) -> Result<Region, String> {
    Region::parse(raw).map_err(|error| error.to_string())
}

/// What this server generates, and how much each account may ask for.
#[derive(Debug, Clone, Args)]
pub struct GenerationSettings {
    /// Models to offer, comma-separated (e.g. `kino-1,kino-1-pro`). Default: every model whose
    /// weights are in --models-dir.
    #[arg(long = "models", env = "KINO_MODELS", value_delimiter = ',')]
    pub models: Vec<String>,

    /// Folder of model weights, one subfolder per set of weights.
    #[arg(long, env = "KINO_MODELS_DIR", default_value = "models")]
    pub models_dir: PathBuf,

    /// More names a request may give a model, `NAME=MODEL`, comma-separated. OpenAI's names
    /// are always understood (`sora-2` and its dated snapshots as the default model, `sora-2-pro`
    /// and its snapshot as the Pro model); an alias here adds a name or points one elsewhere.
    #[arg(long = "model-alias", env = "KINO_MODEL_ALIASES", value_delimiter = ',')]
    pub model_aliases: Vec<String>,

    /// Generations per account per UTC day; extra ones spend credits.
    #[arg(long, env = "KINO_DAILY_LIMIT", default_value_t = 20)]
    pub daily_limit: u32,

    /// The same for teen accounts.
    #[arg(long, env = "KINO_TEEN_DAILY_LIMIT", default_value_t = 5)]
    pub teen_daily_limit: u32,

    /// Generation jobs this process runs at once; 0 runs none here (start `kino worker`
    /// processes on the same database instead).
    #[arg(long, env = "KINO_WORKERS", default_value_t = 1)]
    pub workers: usize,
}

impl Default for GenerationSettings {
    fn default() -> Self {
        Self { models: Vec::new(), models_dir: PathBuf::from("models"), model_aliases: Vec::new(), daily_limit: 20, teen_daily_limit: 5, workers: 1 }
    }
}

impl GenerationSettings {
    /// The registry's models this server offers: those named, or those whose weights exist.
    pub fn offered_models(&self) -> Result<Vec<&'static ModelSpec>, String> {
        if self.models.is_empty() {
            // A weights folder can exist without weights (kino-2's holds its curriculum before
            // any release), so "installed" means the generator file is there, and for an
            // upscaled model (kino-2-pro) the upscaler's too.
            let installed = |m: &&ModelSpec| {
                let dir = self.models_dir.join(m.weights);
                dir.join(kino_model::pipeline::GENERATOR_FILE).is_file() && (!m.upscaled || dir.join(kino_model::pipeline::UPSCALER_FILE).is_file())
            };
            return Ok(models::MODELS.iter().filter(installed).collect());
        }
        self.models
            .iter()
            .map(|name| {
                models::find(name.trim()).ok_or_else(|| {
                    let known: Vec<_> = models::MODELS.iter().map(|m| m.id).collect();
                    format!("unknown model `{name}` in --models; known: {}", known.join(", "))
                })
            })
            .collect()
    }

    /// Every other name a request may give a model on a server offering `offered`: OpenAI's,
    /// then `--model-alias`'s (which win).
    pub fn aliases(&self, offered: &[&'static ModelSpec]) -> Result<Vec<ModelAlias>, String> {
        let (standard, pro) = (models::default_among(offered), models::pro_among(offered));
        let mut aliases: Vec<ModelAlias> = OPENAI_STANDARD
            .iter()
            .map(|name| (name, standard))
            .chain(OPENAI_PRO.iter().map(|name| (name, pro)))
            .map(|(name, model)| ModelAlias { name: (*name).to_owned(), model })
            .collect();
        for entry in &self.model_aliases {
            let (name, model) = entry.split_once('=').ok_or_else(|| format!("--model-alias `{entry}` is not NAME=MODEL"))?;
            let (name, model) = (name.trim(), model.trim());
            if name.is_empty() || name.contains(char::is_whitespace) {
                return Err(format!("--model-alias `{entry}`: a name is one word"));
            }
            if models::find(name).is_some() {
                return Err(format!("--model-alias `{entry}`: `{name}` is already a model's own name"));
            }
            let model = models::find(model).ok_or_else(|| {
                let known: Vec<_> = models::MODELS.iter().map(|m| m.id).collect();
                format!("--model-alias `{entry}`: there is no model `{model}`; known: {}", known.join(", "))
            })?;
            aliases.retain(|alias| alias.name != name);
            aliases.push(ModelAlias { name: name.to_owned(), model });
        }
        Ok(aliases)
    }
}

/// OpenAI's names of its standard video model: the default model here.
pub const OPENAI_STANDARD: [&str; 3] = ["sora-2", "sora-2-2025-10-06", "sora-2-2025-12-08"];
/// OpenAI's names of its Pro video model: the Pro model here.
pub const OPENAI_PRO: [&str; 2] = ["sora-2-pro", "sora-2-pro-2025-10-06"];

/// Another name a request may give a model (`sora-2` for the default model).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelAlias {
    pub name: String,
    pub model: &'static ModelSpec,
}

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "KINO_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    #[command(flatten)]
    pub data: DataSettings,

    /// Folder of the built studio (index.html, CSS, the wasm bundle), as `cargo xtask` builds it.
    #[arg(long, env = "KINO_STUDIO", default_value = "target/studio")]
    pub studio: PathBuf,

    /// Mark session cookies `Secure` (set this when Kino is served over HTTPS).
    #[arg(long, env = "KINO_SECURE_COOKIES", default_value_t = false, action = ArgAction::Set)]
    pub secure_cookies: bool,

    #[command(flatten)]
    pub accounts: AccountSettings,

    #[command(flatten)]
    pub generation: GenerationSettings,

    #[command(flatten)]
    pub webhooks: WebhookSettings,
}

impl Settings {
    /// Settings for a throw-away instance on a free loopback port (tests).
    pub fn ephemeral(data: PathBuf, database_url: Option<String>, studio: PathBuf) -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data: DataSettings { database_url, ..DataSettings::in_folder(data) },
            studio,
            secure_cookies: false,
            accounts: AccountSettings::default(),
            // No workers: a test that wants jobs run turns them on.
            generation: GenerationSettings { workers: 0, ..GenerationSettings::default() },
            webhooks: WebhookSettings::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::GenerationSettings;

    #[test]
    fn a_model_is_offered_only_when_its_weights_are_installed() {
        let dir = tempfile::tempdir().unwrap();
        // kino-2's folder holds only its curriculum; kino-1's holds its weights.
        std::fs::create_dir_all(dir.path().join("kino-2/curriculum")).unwrap();
        std::fs::create_dir_all(dir.path().join("kino-1-teacher")).unwrap();
        std::fs::write(dir.path().join("kino-1-teacher").join(kino_model::pipeline::GENERATOR_FILE), b"").unwrap();
        let settings = GenerationSettings { models_dir: dir.path().to_owned(), ..Default::default() };
        let offered = settings.offered_models().unwrap();
        assert_eq!(offered.iter().map(|m| m.id).collect::<Vec<_>>(), ["kino-1-pro", "kino-1"]);
        assert_eq!(kino_core::models::default_among(&offered).id, "kino-1");
        // kino-2's generator without its upscaler: kino-2, not kino-2-pro; with it, both.
        let kino_2 = dir.path().join("kino-2");
        std::fs::write(kino_2.join(kino_model::pipeline::GENERATOR_FILE), b"").unwrap();
        let ids = |settings: &GenerationSettings| settings.offered_models().unwrap().iter().map(|m| m.id).collect::<Vec<_>>();
        assert_eq!(ids(&settings), ["kino-2", "kino-1-pro", "kino-1"]);
        std::fs::write(kino_2.join(kino_model::pipeline::UPSCALER_FILE), b"").unwrap();
        assert_eq!(ids(&settings), ["kino-2-pro", "kino-2", "kino-1-pro", "kino-1"]);
    }

    #[test]
    fn openai_names_stand_for_the_default_and_pro_models_and_an_operator_adds_more() {
        use kino_core::models::{KINO_1, KINO_1_PRO, KINO_2, KINO_2_PRO};
        let named = |aliases: &[super::ModelAlias], name: &str| aliases.iter().find(|a| a.name == name).map(|a| a.model.id);
        let aliases = GenerationSettings::default().aliases(&[&KINO_2_PRO, &KINO_2, &KINO_1]).unwrap();
        for (name, id) in [("sora-2", "kino-2"), ("sora-2-2025-12-08", "kino-2"), ("sora-2-pro", "kino-2-pro"), ("sora-2-pro-2025-10-06", "kino-2-pro")] {
            assert_eq!(named(&aliases, name), Some(id), "{name}");
        }
        // A server of kino-1 alone answers OpenAI's names with kino-1 and its Pro model.
        let legacy = GenerationSettings::default().aliases(&[&KINO_1_PRO, &KINO_1]).unwrap();
        assert_eq!((named(&legacy, "sora-2"), named(&legacy, "sora-2-pro")), (Some("kino-1"), Some("kino-1-pro")));

        let operator = GenerationSettings { model_aliases: vec!["sora-2=kino-1".into(), " house = kino-2-pro ".into()], ..Default::default() };
        let aliases = operator.aliases(&[&KINO_2, &KINO_1]).unwrap();
        assert_eq!((named(&aliases, "sora-2"), named(&aliases, "house")), (Some("kino-1"), Some("kino-2-pro")));
        assert_eq!(aliases.iter().filter(|a| a.name == "sora-2").count(), 1);
        for (bad, says) in
            [("house", "NAME=MODEL"), ("kino-1=kino-2", "already a model's own name"), ("house=kino-9", "no model `kino-9`"), ("=kino-2", "one word")]
        {
            let error = GenerationSettings { model_aliases: vec![bad.into()], ..Default::default() }.aliases(&[&KINO_2]).unwrap_err();
            assert!(error.contains(says), "{bad}: {error}");
        }
    }
}
