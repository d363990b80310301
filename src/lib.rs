//! kubeward: describe a service once, get a hardened Kubernetes bundle.
//!
//! The flow: `spec` (load) → `validate` → `plan` (with a `preset`) → `render` (tera
//! templates, YAML-safe values, parsed back) → self-check (`check`) → `output`; `check` also
//! audits any manifests (`kubeward check`).

pub mod batch;
pub mod check;
pub mod cidr;
pub mod cli;
pub mod diagram;
pub mod error;
pub mod exemptions;
pub mod explain;
pub mod flags;
pub mod floors;
pub mod image;
pub mod init;
pub mod interactive;
pub mod invariants;
pub mod manifests;
pub mod manual;
pub mod material;
pub mod output;
pub mod parallel;
pub mod pipeline;
pub mod pki;
pub mod plan;
pub mod platform;
pub mod preset;
pub mod preset_diff;
pub mod rationale;
pub mod render;
pub mod rubric;
pub mod schema;
pub mod spec;
pub mod state;
pub mod traffic;
pub mod ui;
pub mod validate;
pub mod yaml_locate;
pub mod yaml_safe;
