//! `cargo xtask test`: every Rust test of the workspace, then the browser end-to-end tests.

use crate::project::{self, run_checked};
use crate::{e2e, studio, tools};

pub fn run() -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    tools::install_all()?;
    // The studio is wasm-only; its tests run in the browser through the e2e suite.
    run_checked(project::cargo().args(["test", "--workspace", "--exclude", "kino-studio"]))?;
    let studio_dir = studio::build()?;
    e2e::run_tests(&studio_dir)?;
    eprintln!("xtask: all tests passed in {:.1} min", started.elapsed().as_secs_f64() / 60.0);
    Ok(())
}
