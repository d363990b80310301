//! `kubeward templates export`: the shipped templates written out as a starting point for
//! overrides.

use std::path::PathBuf;

use clap::Subcommand;

use crate::error::Error;
use crate::output::{self, OutFile};
use crate::render;

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Write the shipped templates into DIR, as a starting point for overrides
    Export {
        dir: PathBuf,
        /// Replace files that already exist in DIR
        #[arg(long)]
        force: bool,
    },
}

/// Runs a `templates` command and returns what to print.
pub fn run(command: &TemplatesCommand) -> Result<String, Error> {
    match command {
        TemplatesCommand::Export { dir, force } => {
            let files: Vec<OutFile> = render::TEMPLATES
                .iter()
                .map(|(name, text)| OutFile {
                    name: name.to_string(),
                    content: text.to_string(),
                    secret: false,
                })
                .collect();
            output::write_files(dir, &files, *force)?;
            Ok(format!(
                "wrote {} templates to {}; keep the ones you change, delete the others\n",
                files.len(),
                dir.display()
            ))
        }
    }
}
