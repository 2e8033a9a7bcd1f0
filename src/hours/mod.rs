//! Opening hours: the only module that knows the OpenStreetMap `opening_hours` syntax.
//! (Interface placeholder; implemented in its own change.)
pub mod holidays;
pub mod zones;
