//! The studio's static files. Any path that is not a file gets `index.html`, so the studio's
//! own router can show deep links such as `/device`.

use std::path::PathBuf;

use tower_http::services::{ServeDir, ServeFile};

pub fn files(studio_dir: PathBuf) -> ServeDir<ServeFile> {
    let index = ServeFile::new(studio_dir.join("index.html"));
    ServeDir::new(studio_dir).precompressed_gzip().fallback(index)
}
