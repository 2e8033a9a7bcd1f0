//! Nearest other points of each site, with an R*-tree: O(n log n) overall.

use crate::model::Site;
use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::GeomWithData;

/// Mean Earth radius (km), as used by the haversine formula.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Point on the unit sphere: straight-line (chord) order equals great-circle
/// order, so a plain 3-D tree gives true nearest neighbours across the globe
/// (overseas sites included) without projection errors.
fn unit_vector(lat: f64, lon: f64) -> [f64; 3] {
    let (lat, lon) = (lat.to_radians(), lon.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// Great-circle distance in km between two unit vectors.
fn chord_to_km(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let chord = ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt();
    2.0 * EARTH_RADIUS_KM * (chord / 2.0).min(1.0).asin()
}

/// Great-circle distance in km between two (lat, lon) points.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    chord_to_km(&unit_vector(a.0, a.1), &unit_vector(b.0, b.1))
}

/// For each site, up to `k` other sites with coordinates, nearest first, with km.
pub fn nearest_neighbours(sites: &[Site], k: usize) -> Vec<Vec<(usize, f64)>> {
    let points: Vec<GeomWithData<[f64; 3], usize>> = sites
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            s.location
                .map(|l| GeomWithData::new(unit_vector(l.lat, l.lon), i))
        })
        .collect();
    let tree = RTree::bulk_load(points);
    sites
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            let Some(l) = s.location else {
                return Vec::new();
            };
            let p = unit_vector(l.lat, l.lon);
            tree.nearest_neighbor_iter(p)
                .filter(|n| n.data != i)
                .take(k)
                .map(|n| (n.data, (chord_to_km(&p, n.geom()) * 10.0).round() / 10.0))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_to_rouen_is_about_112_km() {
        let d = distance_km((48.8566, 2.3522), (49.4431, 1.0993));
        assert!((d - 112.0).abs() < 2.0, "{d}");
    }
}
