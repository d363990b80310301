//! The spec stage: what the user wrote, read into the model. A `kubeward.yaml` file (`load`,
//! with every parse error at its field and line), or flags (`flags`) that fill or override
//! its fields, give a [`SpecFile`]; the names, ports, quantities, images (`image`) and address
//! ranges (`cidr`) in it follow the rules of `names`; `discover` finds the specs of a folder.
//! Hands the file to `validate`, which checks it against its preset. `document` reads
//! kubeward's other small configuration files.

pub mod cidr;
pub mod discover;
pub mod document;
mod entry;
pub mod flags;
pub mod image;
mod load;
mod model;
pub mod names;

pub use entry::*;
pub use load::{LoadedSpec, load, other_kind, parse};
pub use model::*;
