//! The `kubeward` binary: parse the command line, run it, map errors to exit codes.

use clap::Parser;

fn main() {
    let cli = kubeward::cli::Cli::parse();
    if let Err(err) = kubeward::cli::run(cli) {
        eprintln!("error: {err}");
        std::process::exit(err.exit_code());
    }
}
