//! `cargo xtask run`: build the studio and start `kino serve` on it.

use crate::project::{self, run_checked};
use crate::studio;

pub fn run(serve_args: &[String]) -> anyhow::Result<()> {
    let studio_dir = studio::build()?;
    eprintln!("xtask: starting kino serve (open the URL it prints; Ctrl-C stops it)");
    run_checked(
        project::cargo()
            .args(["run", "--release", "--package", "kino-server", "--bin", "kino", "--", "serve", "--studio"])
            .arg(&studio_dir)
            .args(serve_args.iter().skip_while(|arg| *arg == "--")),
    )
}
