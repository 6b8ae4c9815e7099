//! `cargo xtask bench [NAME]`: runs the named benchmark (or all) and lets each print its table.

use anyhow::bail;

use crate::project::{self, run_checked};
use crate::{e2e, studio, tools};

/// Name, what it measures, and the cargo arguments that run it.
const BENCHES: &[(&str, &str, &[&str])] = &[
    ("world", "kino-world clips simulated, rendered and sonified per second", &["bench", "--package", "kino-world", "--bench", "clips"]),
    ("api", "API requests per second and latency on loopback (SQLite)", &["bench", "--package", "kino-server", "--bench", "api"]),
    ("model", "seconds per generated clip (kino-2, kino-1) and training clips per second", &["run", "--release", "--package", "kino-train", "--", "bench"]),
    ("export", "export time (encode + watermark + sign) of a 2 s 64x64 and a 4 s 512x512 clip", &["bench", "--package", "kino-media", "--bench", "export"]),
    ("watermark", "invisible watermark bit accuracy after attacks, and its PSNR cost", &["bench", "--package", "kino-media", "--bench", "watermark"]),
    (
        "preview",
        "the in-browser preview: natively, then in headless Chromium (load, 2 s clip at 4 and 16 steps, bundle and download sizes)",
        &["bench", "--package", "kino-preview", "--bench", "preview"],
    ),
];

/// Benchmarks whose table goes on in the browser: the node script in tests/e2e that prints
/// their remaining rows, run against a fresh server.
const BROWSER_ROWS: &[(&str, &str)] = &[("preview", "bench-preview.mjs")];

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let selected: Vec<_> = match args.first() {
        None => BENCHES.iter().collect(),
        Some(name) => match BENCHES.iter().find(|(n, _, _)| n == name) {
            Some(bench) => vec![bench],
            None => {
                let names: Vec<_> = BENCHES.iter().map(|(n, what, _)| format!("  {n:<8} {what}")).collect();
                bail!("unknown benchmark `{name}`; there are:\n{}", names.join("\n"));
            }
        },
    };
    for (name, what, cargo_args) in selected {
        eprintln!("xtask: bench {name}: {what}");
        run_checked(project::cargo().args(*cargo_args))?;
        if let Some((_, script)) = BROWSER_ROWS.iter().find(|(n, _)| n == name) {
            tools::install_all()?;
            let studio_dir = studio::build()?;
            e2e::with_server(&studio_dir, &[(*script).into()])?;
        }
    }
    Ok(())
}
