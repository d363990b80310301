//! kubeward: describe a service once, get a hardened Kubernetes bundle.
//!
//! The stages, in the order a render runs them, each handing its result to the next. Each
//! depends only on the modules listed above it, but for `output`, the one writer of files,
//! which the state folder of `material` writes through too.

/// The rule engine over any manifests: `kubeward check`, and the self-check of a render.
pub mod check;
/// The command line: arguments, one file per command, the questionnaire, manual pages.
pub mod cli;
/// The control plane's files from a cluster spec: a small pipeline of its own.
pub mod cluster;
/// Errors shared across the stages, and the exit code and message of each.
pub mod error;
/// What NetworkPolicies let through, read from any manifests and drawn as a graph.
pub mod graph;
/// Secret values, certificates and the state folder that keeps them between renders.
pub mod material;
/// Writing: folders of manifests (atomic, never over foreign files) and terminal messages.
pub mod output;
/// The stages run in order for one service, or for a system of them on every core.
pub mod pipeline;
/// The pure plan: the objects to render and every decision behind them.
pub mod plan;
/// The preset the spec names, resolved along its chain, with the floors it locks.
pub mod preset;
/// The plan through the templates into YAML, parsed back and held to the invariants.
pub mod render;
/// What the user wrote (a spec file or flags), read into the model, with names checked.
pub mod spec;
/// Services rendered together: the connections between them from both ends, and one trust.
pub mod system;
/// The spec checked against its preset: a typed, defaulted `Service`, or every problem.
pub mod validate;
/// Label and annotation names and rule ids that several stages share.
pub mod vocabulary;
/// YAML text in and out: the safe encoding of user values, and field paths to lines.
pub mod yaml;
