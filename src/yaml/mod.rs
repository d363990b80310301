//! YAML text in and out, for every stage: the safe encoding every user value passes through
//! on its way into a template (`safe`), whole objects written in block style with it
//! (`block`), and the index from field paths to lines that points errors at the line they
//! stand on (`locate`).

pub mod block;
pub mod locate;
pub mod safe;
