// Search benchmark: index weight and milliseconds per keystroke in headless
// Chromium, on the national France services list and on directories of
// synthetic sites written by `guichet bench-gen`, built by the real binary.
// A report, not a test: nothing here fails on a number.
//
//   node tests/browser/bench/search-bench.mjs [national] [SITES…]   (default: national 40000)
//
// bench-gen spreads sites over real communes with a fixed seed, so runs
// compare. Set GUICHET_BIN to a release binary for faster builds.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { NATIONAL_NOW, guichetBinary, launch, nationalBuild, offlinePage, serve } from "../helpers.mjs";

const args = process.argv.slice(2);
const QUERIES = ["92260", "fontenay", "carte grise", "caf", "saint etienne", "retraite", "rouen", "impots", "st denis", "97430",
  "carte grise replonges", "impots rouen", "caf 92260", "retraite 69100", "lyon"];

/** A bench-gen directory of `n` sites, built at the national clock; returns [root, public]. */
function synthetic(n) {
  const dir = mkdtempSync(join(tmpdir(), `guichet-bench-${n}-`));
  rmSync(dir, { recursive: true });
  execFileSync(guichetBinary(), ["bench-gen", dir, "--sites", String(n)], { stdio: "ignore" });
  const out = join(dir, "public");
  try {
    execFileSync(guichetBinary(), ["build", "--root", dir, "--now", NATIONAL_NOW], { stdio: "ignore", maxBuffer: 1 << 30 });
  } catch (e) {
    if (e.status !== 1) throw e; // problems found in the synthetic data still build
  }
  return [dir, out];
}

async function run(what) {
  const t0 = Date.now();
  const [dir, out] = what === "national" ? [null, nationalBuild()] : synthetic(Number(what));
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
    await page.goto(`${server.origin}/?now=${encodeURIComponent(NATIONAL_NOW)}`);
    await page.waitForFunction(() => { const p = window.guichetSearch.progress(); return p && p[0] > 0; }, null, { timeout: 120000, polling: 10 });
    const firstMs = Date.now() - loadStart;
    await page.waitForFunction(() => { const p = window.guichetSearch.progress(); return p[0] === p[1]; }, null, { timeout: 300000, polling: 10 });
    const loadMs = Date.now() - loadStart;
    // Each keystroke: set the field, fire `input`, force style and layout.
    let jsMedian = 0, handlerMedian = 0;
    const times = await page.evaluate(async (queries) => {
      const input = document.getElementById("q"), out = [], js = [], handler = [];
      for (const q of queries) {
        for (let k = 1; k <= q.length; k++) {
          input.value = q.slice(0, k);
          const t = performance.now();
          const before = window.guichetSearch.timings.length;
          input.dispatchEvent(new Event("input", { bubbles: true }));
          handler.push(performance.now() - t);
          void document.body.offsetHeight;
          out.push(performance.now() - t);
          js.push(window.guichetSearch.timings.slice(before).reduce((a, b) => a + b, 0));
          await new Promise((ok) => setTimeout(ok, 30));
        }
        input.value = "";
        input.dispatchEvent(new Event("input", { bubbles: true }));
        await new Promise((ok) => setTimeout(ok, 100));
      }
      return [out, js, handler];
    }, QUERIES).then(([all, js, handler]) => {
      const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      jsMedian = median(js);
      handlerMedian = median(handler);
      return all;
    });
    times.sort((a, b) => a - b);
    const pick = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
    result[profile] = { firstMs, loadMs, keystrokes: times.length, jsMedianMs: +jsMedian.toFixed(2), handlerMedianMs: +handlerMedian.toFixed(2), medianMs: +pick(0.5).toFixed(2), p95Ms: +pick(0.95).toFixed(2), maxMs: +times[times.length - 1].toFixed(2) };
    await page.close();
  }
  await browser.close();
  await server.close();
  if (process.env.KEEP_BENCH || !dir) console.log(`kept ${out}`); else rmSync(dir, { recursive: true, force: true });
  return result;
}

for (const what of args.length ? args : ["national", "40000"]) {
  const r = await run(what);
  console.log(`\n${r.sites} sites (build ${r.buildSeconds.toFixed(1)} s)`);
  console.log(`  index: ${r.files} file(s), ${(r.rawBytes / 1024).toFixed(0)} KB raw, ${(r.gzipBytes / 1024).toFixed(0)} KB gzipped in all, ${r.gzipPerSite.toFixed(1)} bytes/site gzipped; first file (search-index.json) ${(r.firstGzipBytes / 1024).toFixed(0)} KB gzipped`);
  for (const p of ["desktop", "phone (CPU ×4 slower)"]) {
    const t = r[p];
    console.log(`  ${p}: first results possible after ${t.firstMs} ms, every site after ${t.loadMs} ms; per keystroke over ${t.keystrokes}: median ${t.medianMs} ms (search and list HTML ${t.jsMedianMs} ms, whole input handler with the HTML parsed ${t.handlerMedianMs} ms, the rest style and layout), p95 ${t.p95Ms} ms, max ${t.maxMs} ms`);
  }
}
