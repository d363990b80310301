//! The `kubeward` binary: parse the command line, run it, map errors to exit codes.

fn main() {
    let cli = kubeward::cli::parse();
    let ui = cli.ui();
    if let Err(err) = kubeward::cli::run(cli) {
        ui.error(&err);
        std::process::exit(err.exit_code());
    }
}
