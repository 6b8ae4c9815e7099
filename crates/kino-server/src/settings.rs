//! Command-line settings of `kino serve`; each flag is also read from a `KINO_*` variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "KINO_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Folder that holds everything the server writes (database, media).
    #[arg(long, env = "KINO_DATA", default_value = "./data")]
    pub data: PathBuf,

    /// Folder of the built studio (index.html, CSS, the wasm bundle), as `cargo xtask` builds it.
    #[arg(long, env = "KINO_STUDIO", default_value = "target/studio")]
    pub studio: PathBuf,
}

impl Settings {
    /// Settings for a throw-away instance on a free loopback port (tests).
    pub fn ephemeral(data: PathBuf, studio: PathBuf) -> Self {
        Self { addr: SocketAddr::from(([127, 0, 0, 1], 0)), data, studio }
    }
}
