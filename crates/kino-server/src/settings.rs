//! Command-line settings of `kino serve` and `kino admin`; each flag is also read from a
//! `KINO_*` environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{ArgAction, Args};
use kino_core::account::Region;

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
        Self { models: Vec::new(), models_dir: PathBuf::from("models"), daily_limit: 20, teen_daily_limit: 5, workers: 1 }
    }
}

impl GenerationSettings {
    /// The registry's models this server offers: those named, or those whose weights exist.
    pub fn offered_models(&self) -> Result<Vec<&'static kino_core::models::ModelSpec>, String> {
        if self.models.is_empty() {
            // A weights folder can exist without weights (kino-2's holds its curriculum before
            // any release), so "installed" means the generator file is there, and for an
            // upscaled model (kino-2-pro) the upscaler's too.
            let installed = |m: &&kino_core::models::ModelSpec| {
                let dir = self.models_dir.join(m.weights);
                dir.join(kino_model::pipeline::GENERATOR_FILE).is_file() && (!m.upscaled || dir.join(kino_model::pipeline::UPSCALER_FILE).is_file())
            };
            return Ok(kino_core::models::MODELS.iter().filter(installed).collect());
        }
        self.models
            .iter()
            .map(|name| {
                kino_core::models::find(name.trim()).ok_or_else(|| {
                    let known: Vec<_> = kino_core::models::MODELS.iter().map(|m| m.id).collect();
                    format!("unknown model `{name}` in --models; known: {}", known.join(", "))
                })
            })
            .collect()
    }
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
}
