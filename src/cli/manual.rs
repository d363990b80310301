//! The CLI's companions generated from its clap definitions: shell completion scripts
//! (`kubeward completions SHELL`) and man pages (`kubeward man [COMMAND]`).

use clap::CommandFactory;
use clap_complete::Shell;

use super::args::Cli;
use crate::error::Error;

pub const BIN: &str = "kubeward";

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// A command (e.g. render); without it, the page of kubeward itself
    pub command: Option<String>,
}

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), BIN, &mut out);
    String::from_utf8(out).expect("completion scripts are UTF-8")
}

/// The file a completion script is installed as, e.g. `kubeward.bash`, `_kubeward`.
pub fn completions_file_name(shell: Shell) -> String {
    clap_complete::Generator::file_name(&shell, BIN)
}

/// Every man page as (file name, roff text): `kubeward.1`, then one per command
/// (`kubeward-render.1`, ...), in the order of the commands.
pub fn man_pages() -> Vec<(String, String)> {
    let mut cli = Cli::command().disable_help_subcommand(true);
    cli.build();
    let mut pages = Vec::new();
    let mut commands = vec![cli];
    while let Some(command) = commands.pop() {
        let subcommands = command.get_subcommands().filter(|c| !c.is_hide_set());
        let mut children: Vec<clap::Command> = subcommands.cloned().collect();
        children.reverse();
        let man = clap_mangen::Man::new(command);
        let mut roff = Vec::new();
        man.render(&mut roff)
            .expect("writing to memory cannot fail");
        let text = String::from_utf8(roff).expect("man pages are UTF-8");
        pages.push((man.get_filename(), text));
        commands.extend(children);
    }
    pages
}

/// The man page of `command` (a command name such as `render`), or of kubeward itself.
pub fn man_page(command: Option<&str>) -> Result<String, Error> {
    let wanted = match command {
        Some(name) => format!("{BIN}-{name}.1"),
        None => format!("{BIN}.1"),
    };
    let pages = man_pages();
    let names: Vec<String> = pages
        .iter()
        .filter_map(|(name, _)| page_command(name))
        .collect();
    pages
        .into_iter()
        .find(|(name, _)| *name == wanted)
        .map(|(_, text)| text)
        .ok_or_else(|| {
            Error::Usage(format!(
                "no man page for `{}`; there are: {}",
                command.unwrap_or_default(),
                names.join(", ")
            ))
        })
}

/// The command a page documents: `kubeward-render.1` -> `render`; `None` for `kubeward.1`.
fn page_command(file_name: &str) -> Option<String> {
    file_name
        .trim_end_matches(".1")
        .strip_prefix(&format!("{BIN}-"))
        .map(str::to_string)
}
