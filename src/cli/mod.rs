//! The command line: its definition (`args`), and one file per command, each with its own
//! arguments, that runs the stages and prints the result. `init` asks its questions through
//! `questionnaire`, the only user of dialoguer; `manual` generates completions and man pages
//! from the definition. `shared` holds the argument groups several commands take.

mod args;
pub mod check;
pub mod cluster;
pub mod diff_presets;
pub mod explain;
pub mod graph;
pub mod init;
pub mod manual;
pub mod presets;
pub mod questionnaire;
pub mod render;
pub mod schema;
pub mod shared;
pub mod templates;

pub use args::{Cli, Command, VERSION, parse};

use crate::error::Error;
use crate::output::stdout::{print_stdout, print_text};

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<(), Error> {
    let ui = cli.ui();
    match cli.command {
        Command::Render(args) => render::run(&args, &ui),
        Command::Init(args) => init::run(&args, &ui),
        Command::Presets(command) => print_text(&presets::run(&command)?),
        Command::Templates(command) => print_stdout(&templates::run(&command)?),
        Command::Schema(args) => print_stdout(&schema::schema_text(args.kind)),
        Command::Completions(args) => print_stdout(&manual::completions(args.shell)),
        Command::Man(args) => print_stdout(&manual::man_page(args.command.as_deref())?),
        Command::Check(args) => check::run(&args, &ui),
        Command::Cluster(args) => cluster::run(&args, &ui),
        Command::Explain(args) => explain::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::DiffPresets(args) => diff_presets::run(&args),
    }
}
