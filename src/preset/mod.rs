//! The preset stage: the settings a service starts from, as data, and the floors an
//! organisation locks. A spec names its preset (`restricted` by default): a shipped one,
//! embedded from `presets/`, a file, or a name in the presets folder (`--presets-dir`). A
//! preset file `extends` another and writes only what it changes (`resolve`); the merged
//! settings (`model`) meet the settings' rules (`settings`) and the floors the chain locks
//! (`floors`), which no child preset and no spec may weaken. An organisation can require a
//! preset of every render (`required`). Hands a [`Resolved`] preset to
//! `validate`, which checks the spec against it.

pub mod floors;
mod mesh;
mod model;
pub mod required;
mod resolve;
mod settings;

pub use mesh::{ControlPlane, MeshNetwork, MeshSettings};
pub use model::*;
pub use resolve::{
    Cache, Link, Listed, Lookup, Origin, PresetFile, Resolved, list, resolve, source_text,
};
pub use settings::api_server_cidr;
