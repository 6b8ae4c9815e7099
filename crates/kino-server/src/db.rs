//! Opening the database and applying the embedded migrations.

use std::path::Path;
use std::str::FromStr;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub type Db = SqlitePool;

/// Migrations from `crates/kino-server/migrations`, compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open database {path}: {source}")]
    Open { path: String, source: sqlx::Error },
    #[error("cannot apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Opens (creating if needed) the SQLite database `kino.db` in `data_dir` and migrates it.
pub async fn open_sqlite(data_dir: &Path) -> Result<Db, DbError> {
    let path = data_dir.join("kino.db");
    let open_error = |source| DbError::Open { path: path.display().to_string(), source };
    let options = SqliteConnectOptions::from_str("sqlite://")
        .map_err(open_error)?
        .filename(&path)
        .create_if_missing(true)
        // WAL lets readers run beside the one writer; NORMAL sync is durable under WAL.
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(std::time::Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .map_err(open_error)?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// One round trip to the database.
pub async fn ping(db: &Db) -> bool {
    sqlx::query("SELECT 1").execute(db).await.is_ok()
}
