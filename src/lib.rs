//! guichet: a static-site generator for directories of public-service access points.
//!
//! The pipeline is [`load`] → [`check`] → [`derive`] → {[`render`],
//! [`publish`]} → [`write`]; each stage is a module with a narrow interface,
//! and [`pipeline`] runs them in order for `build`, `check` and `serve`.
//! The files they make travel through [`output`]. `docs/pipeline.md` has a
//! map of the stages and of where each output is made.

pub mod check;
pub mod clock;
pub mod derive;
pub mod diagnostics;
pub mod editor;
pub mod files;
pub mod hours;
pub mod import;
pub mod init;
pub mod load;
pub mod memo;
pub mod model;
pub mod new_notice;
pub mod output;
pub mod phases;
pub mod pipeline;
pub mod publish;
pub mod reference;
pub mod render;
pub mod serve;
pub mod spreadsheet;
pub mod synth;
pub mod text;
pub mod write;

pub use import::import;

pub use pipeline::{
    BuildError, BuildOptions, BuildReport, Generated, build, check_directory, check_loaded,
    check_notices, check_sites, generate,
};
