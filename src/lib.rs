//! guichet: a static-site generator for directories of public-service access points.

pub mod hours;
