//! Opening the database (SQLite by default, Postgres when a `postgres://` URL is given) and
//! applying the embedded migrations of that backend.
//!
//! Queries go through sqlx's `Any` driver so that one store serves both backends: they use
//! `$1`-style placeholders and the types both sides share (text, 64-bit integers).

use std::path::Path;
use std::time::Duration;

use sqlx::Executor;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;

/// Migrations from `crates/kino-server/migrations/<backend>`, compiled into the binary.
static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// The connection pool and which database is behind it.
#[derive(Debug, Clone)]
pub struct Db {
    pub pool: sqlx::AnyPool,
    pub backend: Backend,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://...")]
    UnsupportedUrl(String),
    #[error("cannot open database {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// The default database: `kino.db` in the data folder.
pub fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join("kino.db").display())
}

/// Opens the database at `url` and brings its schema up to date.
pub async fn open(url: &str) -> Result<Db, DbError> {
    install_default_drivers();
    let backend = if url.starts_with("sqlite:") {
        Backend::Sqlite
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Backend::Postgres
    } else {
        return Err(DbError::UnsupportedUrl(redact(url)));
    };
    let open_error = |source| DbError::Open { url: redact(url), source };
    let mut options = AnyPoolOptions::new().max_connections(8).acquire_timeout(Duration::from_secs(10));
    if backend == Backend::Sqlite {
        options = options.after_connect(|connection, _| {
            Box::pin(async move {
                // Per connection: enforce foreign keys, wait for the writer instead of failing.
                connection.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL").await?;
                Ok(())
            })
        });
    }
    let pool = options.connect(url).await.map_err(open_error)?;
    if backend == Backend::Sqlite {
        // WAL lets readers run beside the one writer; it is a property of the file.
        pool.execute("PRAGMA journal_mode = WAL").await.map_err(open_error)?;
    }
    let migrations = match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    };
    migrations.run(&pool).await?;
    Ok(Db { pool, backend })
}

/// One round trip to the database.
pub async fn ping(db: &Db) -> bool {
    sqlx::query("SELECT 1").execute(&db.pool).await.is_ok()
}

/// A URL with its password, if any, replaced, for messages and logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    /// The two dialects' migrations must say the same thing: the same files, and the same text
    /// once each dialect's spelling of an integer key and of a 64-bit integer is made equal.
    #[test]
    fn sqlite_and_postgres_migrations_stay_in_step() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let read = |dialect: &str| -> Vec<(String, String)> {
            let mut files: Vec<_> = std::fs::read_dir(dir.join(dialect))
                .unwrap()
                .map(|entry| {
                    let path = entry.unwrap().path();
                    let text = std::fs::read_to_string(&path).unwrap();
                    (path.file_name().unwrap().to_string_lossy().into_owned(), text)
                })
                .collect();
            files.sort();
            files
        };
        let normalise = |text: &str| {
            text.replace("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "INTEGER PRIMARY KEY AUTOINCREMENT")
                .replace("BIGINT", "INTEGER")
                .replace("Keep in step with sqlite/.", "Keep in step with postgres/.")
        };
        let (sqlite, postgres) = (read("sqlite"), read("postgres"));
        assert_eq!(sqlite.iter().map(|f| &f.0).collect::<Vec<_>>(), postgres.iter().map(|f| &f.0).collect::<Vec<_>>());
        for ((name, lite), (_, pg)) in sqlite.iter().zip(&postgres) {
            assert_eq!(normalise(lite), normalise(pg), "{name} differs between the dialects");
        }
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://kino:s3cret@db:5432/kino"), "postgres://kino:***@db:5432/kino");
        assert_eq!(redact("postgres://kino@db/kino"), "postgres://kino@db/kino");
        assert_eq!(redact("sqlite://data/kino.db"), "sqlite://data/kino.db");
    }
}
