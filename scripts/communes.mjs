// Builds src/publish/communes.csv, the commune gazetteer that `guichet build`
// embeds to answer "near me" for a typed commune or postcode.
//
// Sources (both MIT):
// - coordinates, names, INSEE codes: Coercive/FranceCities 2022
//   (`france_cities_2022.csv`, from INSEE COG 2022 and La Poste's base
//   officielle des codes postaux); path given as first argument, default
//   tests/data/communes/france_cities_2022.csv;
// - every postcode of each commune: npm package @etalab/decoupage-administratif
//   (pinned in package.json), since FranceCities keeps one postcode per commune.
//
// Usage: npm ci && node scripts/communes.mjs [path/to/france_cities_2022.csv]
// Output columns (`;`-separated, UTF-8, sorted by INSEE code):
//   insee;name;postcodes (space-separated);lat;lon (4 decimals, ~10 m)
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = process.argv[2] ?? join(root, "tests/data/communes/france_cities_2022.csv");
const require = createRequire(import.meta.url);
const etalab = require("@etalab/decoupage-administratif/data/communes.json");

// Minimal RFC 4180 line splitter: the file quotes every field and has no
// embedded newlines or quotes (checked below by the column count).
function fields(line) {
  const out = [];
  let cur = "", quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === "," && !quoted) { out.push(cur); cur = ""; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}

const postcodes = new Map();
for (const c of etalab) {
  if (c.type === "commune-actuelle" || c.type === "arrondissement-municipal") {
    postcodes.set(c.code, c.codesPostaux ?? []);
  }
}

const lines = readFileSync(source, "utf8").split(/\r?\n/).filter(Boolean);
const header = fields(lines[0]);
const col = (name) => {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`${source}: no column ${name}`);
  return i;
};
const [INSEE, NAME, ZIP, LAT, LON, DISTRICT] =
  ["REF_INSEE", "NAME", "ZIP_CODES", "LATITUDE", "LONGITUDE", "IS_DISTRICT"].map(col);
// Paris, Marseille and Lyon carry made-up codes (75000, 13000, 69000); their
// arrondissements carry the real ones.
const FAKE = new Set(["75000", "13000", "69000"]);
const CITIES_WITH_DISTRICTS = new Set(["75056", "13055", "69123"]);

const rows = [];
for (const [n, line] of lines.slice(1).entries()) {
  const f = fields(line);
  if (f.length !== header.length) throw new Error(`${source}:${n + 2}: expected ${header.length} fields, got ${f.length}`);
  const insee = f[INSEE];
  const lat = Number(f[LAT]), lon = Number(f[LON]);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) throw new Error(`${source}:${n + 2}: bad coordinates`);
  const codes = new Set(f[ZIP].split(/[ ,;|]+/).filter((z) => /^\d{5}$/.test(z) && !FAKE.has(z)));
  // A city split into arrondissements lists them all: leave those to the arrondissements.
  if (!CITIES_WITH_DISTRICTS.has(insee) || f[DISTRICT] === "1") {
    for (const z of postcodes.get(insee) ?? []) codes.add(z);
  }
  if (f[NAME].includes(";")) throw new Error(`${source}:${n + 2}: name contains ';'`);
  rows.push([insee, f[NAME], [...codes].sort().join(" "), lat.toFixed(4), lon.toFixed(4)].join(";"));
}
rows.sort();
const out = join(root, "src/publish/communes.csv");
writeFileSync(out, rows.join("\n") + "\n");
console.log(`${out}: ${rows.length} communes`);
