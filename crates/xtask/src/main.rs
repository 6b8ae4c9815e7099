//! `cargo xtask`: Kino's project tasks. Each task is one module; run with no arguments for help.

mod bench;
mod e2e;
mod models;
mod project;
mod run;
mod studio;
mod test;
mod tools;

const HELP: &str = "\
cargo xtask <task> [args]

Tasks:
  run [-- SERVE-ARGS]   build the studio and start `kino serve` (SQLite and files in ./data)
  test                  every Rust test, then the studio and the browser end-to-end tests
  e2e [NAME...]         only the browser end-to-end tests, or only tests/e2e/NAME.test.mjs (builds what they need)
  studio                only build the studio into target/studio
  bench [NAME]          run the benchmarks and print their tables
  fetch-models          download the pretrained weights (MiniLM) into models/, sha256-checked
  install               only install what the other tasks need (wasm target, wasm-bindgen, Chromium, npm packages)
";

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (task, rest) = match args.split_first() {
        Some((task, rest)) => (task.as_str(), rest),
        None => {
            print!("{HELP}");
            return std::process::ExitCode::SUCCESS;
        }
    };
    let result = match task {
        "run" => run::run(rest),
        "test" => test::run(),
        "e2e" => e2e::run(rest),
        "studio" => studio::build().map(|_| ()),
        "bench" => bench::run(rest),
        "fetch-models" => models::fetch_all(),
        "install" => tools::install_all(),
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(())
        }
        other => Err(anyhow::anyhow!("unknown task `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
