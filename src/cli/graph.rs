//! `kubeward graph`: the traffic the NetworkPolicies allow, of a service, of a system of
//! services (`-f DIR`: every service, every connection, one-sided ones marked, the peers
//! outside the system), or of any manifests, drawn as Mermaid or DOT.

use std::path::{Path, PathBuf};

use super::shared::ServiceArgs;
use crate::error::Error;
use crate::graph::{diagram, mesh, read, traffic};
use crate::output::stdout::print_text;
use crate::pipeline::{self, system};
use crate::render::Manifest;
use crate::system::overview::Overview;

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
    let mut marks = diagram::Marks::default();
    let objects: Vec<read::Object> = match (&args.path, args.service.given()) {
        (Some(_), true) => {
            return Err(Error::Usage(
                "give either manifests (PATH) or a service (-f or flags), not both".into(),
            ));
        }
        (Some(path), false) => read::read(path)?,
        (None, _) => {
            let manifests = match args.service.system()? {
                Some(dir) => {
                    let (objects, system_marks) = system_shapes(dir, &args.service)?;
                    marks = system_marks;
                    objects
                }
                None => pipeline::render_shape(&args.service.input())?.manifests,
            };
            manifests
                .into_iter()
                .map(|m| read::Object {
                    origin: m.object.file_name(),
                    value: m.value,
                })
                .collect()
        }
    };
    let values: Vec<serde_json::Value> = objects.iter().map(|o| o.value.clone()).collect();
    let traffic =
        traffic::analyse(&values, |i| objects[i].origin.clone()).map_err(Error::Manifests)?;
    marks.identities = mesh::identities(&values);
    let format = match args.format {
        GraphFormat::Mermaid => diagram::Format::Mermaid,
        GraphFormat::Dot => diagram::Format::Dot,
    };
    print_text(&diagram::draw_marked(&traffic, format, &marks))
}

/// The objects of the system in `dir` (shapes only: no secret is read or made), and what the
/// drawing must mark: the connections only one end declares, and the peers outside it. A
/// system whose services do not fit together is drawn all the same.
fn system_shapes(
    dir: &Path,
    service: &ServiceArgs,
) -> Result<(Vec<Manifest>, diagram::Marks), Error> {
    let options = system::Options {
        api_server_cidrs: &service.customise.api_server_cidr,
        ..system::Options::reading(service.overrides(), service.customise.presets.lookup())
    };
    let (system, _, _) = system::load(&[dir.to_path_buf()], &options)?;
    let plans = system::plans(&system);
    let overview = Overview::new(&system, &plans);
    let app = |id: &str| {
        let (namespace, name) = id.split_once('/').unwrap_or_default();
        (namespace.to_string(), name.to_string())
    };
    let marks = diagram::Marks {
        one_sided: overview
            .connections
            .iter()
            .filter(|c| c.one_sided())
            .map(|c| diagram::MarkedFlow {
                from: app(&c.caller),
                to: app(&c.callee),
                text: format!("declared by the {} only", c.declared_by),
            })
            .collect(),
        outside: overview
            .outside
            .iter()
            .map(|p| (p.peer_namespace.clone(), p.peer_app.clone()))
            .collect(),
        identities: Default::default(),
    };
    Ok((system::render_shapes(system, plans, &options)?, marks))
}
