// Copies the pinned map library from node_modules into the theme, with its
// licence, so a built directory serves it itself (no CDN, works offline).
// Usage: npm ci && node scripts/vendor-leaflet.mjs
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dest = join(root, "themes/default/static/vendor/leaflet");
mkdirSync(dest, { recursive: true });
const files = [
  ["leaflet/dist/leaflet.js", "leaflet.js"],
  ["leaflet/dist/leaflet.css", "leaflet.css"],
  ["leaflet/LICENSE", "LICENSE"],
  ["leaflet.markercluster/dist/leaflet.markercluster.js", "markercluster.js"],
  ["leaflet.markercluster/dist/MarkerCluster.css", "markercluster.css"],
  ["leaflet.markercluster/MIT-LICENCE.txt", "LICENSE-markercluster"],
];
for (const [from, to] of files) copyFileSync(join(root, "node_modules", from), join(dest, to));
const version = (p) => JSON.parse(readFileSync(join(root, "node_modules", p, "package.json"), "utf8")).version;
console.log(`leaflet ${version("leaflet")}, leaflet.markercluster ${version("leaflet.markercluster")} → ${dest}`);
