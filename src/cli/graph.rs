//! `kubeward graph`: the traffic the NetworkPolicies allow, of a service or of any manifests,
//! drawn as Mermaid or DOT.

use std::path::PathBuf;

use super::shared::ServiceArgs;
use crate::error::Error;
use crate::graph::{diagram, read, traffic};
use crate::output::stdout::print_text;
use crate::pipeline;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
}

#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// Rendered or foreign manifests: a folder (every .yaml/.yml in it), a file, or - for
    /// standard input; instead of a service
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// mermaid (a flowchart) or dot (Graphviz)
    #[arg(long, value_enum, default_value = "mermaid")]
    pub format: GraphFormat,
    #[command(flatten)]
    pub service: ServiceArgs,
}

pub fn run(args: &GraphArgs) -> Result<(), Error> {
    let objects: Vec<read::Object> = match (&args.path, args.service.given()) {
        (Some(_), true) => {
            return Err(Error::Usage(
                "give either manifests (PATH) or a service (-f or flags), not both".into(),
            ));
        }
        (Some(path), false) => read::read(path)?,
        (None, _) => pipeline::render_shape(&args.service.input())?
            .manifests
            .into_iter()
            .map(|m| read::Object {
                origin: m.object.file_name(),
                value: m.value,
            })
            .collect(),
    };
    let values: Vec<serde_json::Value> = objects.iter().map(|o| o.value.clone()).collect();
    let traffic =
        traffic::analyse(&values, |i| objects[i].origin.clone()).map_err(Error::Manifests)?;
    let format = match args.format {
        GraphFormat::Mermaid => diagram::Format::Mermaid,
        GraphFormat::Dot => diagram::Format::Dot,
    };
    print_text(&diagram::draw(&traffic, format))
}
