// Search benchmark: index weight per site and milliseconds per keystroke in
// headless Chromium, on a directory of synthetic sites built by the real
// binary. A report, not a test: nothing here fails on a number.
//
//   node tests/browser/bench/search-bench.mjs [SITES…]     (default: 10000 40000)
//
// Sites are spread over real communes of the embedded gazetteer with a fixed
// seed, so runs compare. Set GUICHET_BIN to a release binary for speed.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { NOW, ROOT, guichetBinary, launch, offlinePage, serve } from "../helpers.mjs";

const counts = process.argv.slice(2).map(Number).filter(Boolean);
const QUERIES = ["92260", "fontenay", "carte grise", "caf", "saint etienne", "retraite", "rouen", "impots", "st denis", "97430"];

// Small deterministic PRNG (mulberry32).
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LABELS = [
  ["france-services", "France services de", 0.3, ["caf", "cpam", "carsat", "msa", "france-travail", "dgfip", "la-poste", "ants", "justice"]],
  ["point-relais-caf", "Point Relais Caf de", 0.4, ["caf-info-generale", "caf-info-personnalisee", "caf-orientation", "caf-retrait-documents", "caf-depot-documents", "caf-transmission-documents", "caf-relais-messages"]],
  ["point-numerique-caf", "Point numérique Caf de", 0.25, ["acces-caf-fr", "acces-internet", "impression-numerisation", "accompagnement-numerique"]],
  ["espace-numerique-caf", "Espace numérique de", 0.05, ["acces-caf-fr", "acces-internet", "accompagnement-numerique"]],
];
const PLACES = ["centre social", "mairie", "médiathèque", "espace de vie sociale", "CCAS", "maison des solidarités", "centre socio-culturel", "maison de quartier"];
const DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa"];

function hours(r) {
  const am = ["08:30-12:00", "09:00-12:00", "09:00-12:30", "08:45-12:15"][Math.floor(r() * 4)];
  const pm = ["13:30-17:00", "14:00-17:30", "13:30-17:30", "14:00-18:00"][Math.floor(r() * 4)];
  const rules = DAYS.slice(0, r() < 0.2 ? 6 : 5).map((d) => {
    const x = r();
    return x < 0.15 ? null : `${d} ${x < 0.5 ? am + "," + pm : x < 0.75 ? am : pm}`;
  }).filter(Boolean);
  return rules.join("; ") + "; PH off";
}

function sites(n) {
  const r = rng(42);
  const communes = readFileSync(join(ROOT, "src/derive/communes.csv"), "utf8").trim().split("\n")
    .map((l) => l.split(";")).filter((c) => c[2]);
  // Site files are named by their public id; keep clear of the sample's.
  const taken = new Set(readdirSync(join(ROOT, "data/sites")).map((f) => f.replace(/\.toml$/, "")));
  const slug = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[œ]/g, "oe").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  const files = [];
  for (let i = 0; i < n; i++) {
    const [insee, commune, postcodes, lat, lon] = communes[Math.floor(r() * communes.length)];
    let x = r(), label = LABELS[0];
    for (const l of LABELS) { if (x < l[2]) { label = l; break; } x -= l[2]; }
    const place = PLACES[Math.floor(r() * PLACES.length)];
    const name = label[0] === "france-services" ? `${label[1]} ${commune}` : `${label[1]} ${commune} – ${place}`;
    let id = label[0] === "france-services" ? slug(commune) : `${slug(commune)}-${slug(place)}`;
    for (let k = 2; taken.has(id); k++) id = `${slug(commune)}-${slug(place)}-${k}`;
    taken.add(id);
    const services = label[3].filter(() => r() < 0.85);
    const dep = insee.startsWith("97") ? insee.slice(0, 3) : insee.slice(0, 2);
    const tz = { "971": "America/Guadeloupe", "972": "America/Martinique", "973": "America/Cayenne", "974": "Indian/Reunion", "976": "Indian/Mayotte" }[dep];
    files.push([`${id}.toml`, [
      `name = ${JSON.stringify(name)}`,
      `label = "${label[0]}"`,
      `services = ${JSON.stringify(services.length ? services : label[3].slice(0, 1))}`,
      r() < 0.9 ? `hours = "${hours(r)}"` : "",
      `appointment = "${["none", "none", "recommended", "required"][Math.floor(r() * 4)]}"`,
      r() < 0.7 ? `wheelchair = ${r() < 0.8}` : "",
      tz ? `timezone = "${tz}"` : "",
      "[address]", `street = "${1 + Math.floor(r() * 120)} rue de la République"`,
      `postcode = "${postcodes.split(" ")[0]}"`, `commune = ${JSON.stringify(commune)}`, `insee = "${insee}"`,
      "[location]", `lat = ${(+lat + (r() - 0.5) * 0.01).toFixed(5)}`, `lon = ${(+lon + (r() - 0.5) * 0.01).toFixed(5)}`,
      "",
    ].filter((l) => l !== "").join("\n")]);
  }
  return files;
}

async function run(n) {
  const dir = mkdtempSync(join(tmpdir(), `guichet-bench-${n}-`));
  for (const p of ["guichet.toml", "data", "content", "themes"]) cpSync(join(ROOT, p), join(dir, p), { recursive: true });
  const siteDir = join(dir, "data/sites/bench");
  mkdirSync(siteDir, { recursive: true });
  for (const [file, body] of sites(n)) writeFileSync(join(siteDir, file), body);
  const out = join(dir, "public");
  const t0 = Date.now();
  execFileSync(guichetBinary(), ["build", "--root", dir, "--out", out, "--now", NOW, "--base-url", "http://127.0.0.1/"],
    { stdio: ["ignore", "ignore", "ignore"], maxBuffer: 1 << 30 });
  const buildSeconds = (Date.now() - t0) / 1000;
  const index = readFileSync(join(out, "search-index.json"));
  const manifest = JSON.parse(index);
  const total = manifest.count;
  const gz = gzipSync(index, { level: 6 }).length;
  let allRaw = index.length, allGz = gz;
  for (const part of manifest.parts) {
    const body = readFileSync(join(out, part));
    allRaw += body.length;
    allGz += gzipSync(body, { level: 6 }).length;
  }

  const server = await serve(out);
  const browser = await launch();
  const result = { sites: total, files: 1 + manifest.parts.length, buildSeconds, firstGzipBytes: gz, rawBytes: allRaw, gzipBytes: allGz, gzipPerSite: allGz / total };
  for (const [profile, throttle] of [["desktop", 1], ["phone (CPU ×4 slower)", 4]]) {
    const page = await offlinePage(browser, server.origin, { viewport: { width: 360, height: 800 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
    const loadStart = Date.now();
    await page.goto(`${server.origin}/?now=${encodeURIComponent(NOW)}`);
    await page.waitForFunction(() => { const p = window.guichetSearch.progress(); return p && p[0] > 0; }, null, { timeout: 120000, polling: 10 });
    const firstMs = Date.now() - loadStart;
    await page.waitForFunction(() => { const p = window.guichetSearch.progress(); return p[0] === p[1]; }, null, { timeout: 300000, polling: 10 });
    const loadMs = Date.now() - loadStart;
    // Each keystroke: set the field, fire `input`, force style and layout.
    let jsMedian = 0;
    const times = await page.evaluate(async (queries) => {
      const input = document.getElementById("q"), out = [], js = [];
      for (const q of queries) {
        for (let k = 1; k <= q.length; k++) {
          input.value = q.slice(0, k);
          const t = performance.now();
          const before = window.guichetSearch.timings.length;
          input.dispatchEvent(new Event("input", { bubbles: true }));
          void document.body.offsetHeight;
          out.push(performance.now() - t);
          js.push(window.guichetSearch.timings.slice(before).reduce((a, b) => a + b, 0));
          await new Promise((ok) => setTimeout(ok, 30));
        }
        input.value = "";
        input.dispatchEvent(new Event("input", { bubbles: true }));
        await new Promise((ok) => setTimeout(ok, 100));
      }
      return [out, js];
    }, QUERIES).then(([all, js]) => { js.sort((a, b) => a - b); jsMedian = js[Math.floor(js.length / 2)]; return all; });
    times.sort((a, b) => a - b);
    const pick = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
    result[profile] = { firstMs, loadMs, keystrokes: times.length, jsMedianMs: +jsMedian.toFixed(2), medianMs: +pick(0.5).toFixed(2), p95Ms: +pick(0.95).toFixed(2), maxMs: +times[times.length - 1].toFixed(2) };
    await page.close();
  }
  await browser.close();
  await server.close();
  if (process.env.KEEP_BENCH) console.log(`kept ${out}`); else rmSync(dir, { recursive: true, force: true });
  return result;
}

for (const n of counts.length ? counts : [10000, 40000]) {
  const r = await run(n);
  console.log(`\n${r.sites} sites (build ${r.buildSeconds.toFixed(1)} s)`);
  console.log(`  index: ${r.files} file(s), ${(r.rawBytes / 1024).toFixed(0)} KB raw, ${(r.gzipBytes / 1024).toFixed(0)} KB gzipped in all, ${r.gzipPerSite.toFixed(1)} bytes/site gzipped; first file (search-index.json) ${(r.firstGzipBytes / 1024).toFixed(0)} KB gzipped`);
  for (const p of ["desktop", "phone (CPU ×4 slower)"]) {
    const t = r[p];
    console.log(`  ${p}: first results possible after ${t.firstMs} ms, every site after ${t.loadMs} ms; per keystroke over ${t.keystrokes}: median ${t.medianMs} ms (search and drawing ${t.jsMedianMs} ms, the rest style and layout), p95 ${t.p95Ms} ms, max ${t.maxMs} ms`);
  }
}
