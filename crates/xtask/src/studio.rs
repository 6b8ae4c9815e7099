//! Builds the studio: the wasm crate, wasm-bindgen's JS glue, and www/, into target/studio, and
//! the preview engine (kino-preview, loaded by www/preview-worker.js only when a preview is
//! asked for) into target/studio/preview, with gzipped copies that the server sends to browsers
//! that accept them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;

use crate::project::{self, run_checked};
use crate::tools;

/// The studio's profile: small beats fast, it is every visitor's first load.
const PROFILE: &str = "wasm-release";
/// The preview engine's: fast beats small, it multiplies matrices for seconds on each preview
/// (opt-level "z" made it several times slower), and only people who ask for one load it.
const PREVIEW_PROFILE: &str = "release";

/// Builds everything and returns the folder to pass to `kino serve --studio`.
pub fn build() -> anyhow::Result<PathBuf> {
    tools::wasm_target()?;
    let wasm_bindgen = tools::wasm_bindgen()?;
    run_checked(project::cargo().args(["build", "--package", "kino-studio", "--target", tools::WASM_TARGET, "--profile", PROFILE]))?;
    run_checked(project::cargo().args(["build", "--package", "kino-preview", "--target", tools::WASM_TARGET, "--profile", PREVIEW_PROFILE]))?;

    let target = project::target_dir();
    let wasm = target.join(tools::WASM_TARGET).join(PROFILE).join("kino_studio.wasm");
    let preview_wasm = target.join(tools::WASM_TARGET).join(PREVIEW_PROFILE).join("kino_preview.wasm");
    let out = target.join("studio");
    if out.exists() {
        std::fs::remove_dir_all(&out).with_context(|| format!("clearing {}", out.display()))?;
    }
    let pkg = out.join("pkg");
    let preview = out.join("preview");
    for (module, folder) in [(&wasm, &pkg), (&preview_wasm, &preview)] {
        run_checked(Command::new(&wasm_bindgen).args(["--target", "web", "--no-typescript", "--out-dir"]).arg(folder).arg(module))?;
    }
    copy_dir(&project::root().join("www"), &out)?;
    for file in [pkg.join("kino_studio_bg.wasm"), pkg.join("kino_studio.js"), preview.join("kino_preview_bg.wasm"), preview.join("kino_preview.js")] {
        gzip_beside(&file)?;
    }
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    eprintln!(
        "xtask: studio built in {}: wasm {:.2} MB, {:.2} MB gzipped; preview engine {:.2} MB, {:.2} MB gzipped",
        out.display(),
        size(&pkg.join("kino_studio_bg.wasm")),
        size(&pkg.join("kino_studio_bg.wasm.gz")),
        size(&preview.join("kino_preview_bg.wasm")),
        size(&preview.join("kino_preview_bg.wasm.gz"))
    );
    Ok(out)
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let destination = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &destination)?;
        } else {
            std::fs::copy(entry.path(), &destination).with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}

fn gzip_beside(path: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let mut gz_name = path.as_os_str().to_owned();
    gz_name.push(".gz");
    let file = std::fs::File::create(&gz_name)?;
    let mut encoder = flate2::write::GzEncoder::new(file, flate2::Compression::best());
    encoder.write_all(&bytes)?;
    encoder.finish()?;
    Ok(())
}
