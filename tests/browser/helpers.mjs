// Shared setup for the browser tests: build the sample directory with the
// real binary, serve the output on a free loopback port, drive Debian's
// Chromium with playwright-core, and keep every request on this machine.
import { execFileSync, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { createServer } from "node:http";
import { cpSync, existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The build clock of the sample: a Monday morning in Paris. */
export const NOW = "2026-11-23T10:00:00+01:00";

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
  ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml", ".png": "image/png",
  ".csv": "text/csv; charset=utf-8", ".ics": "text/calendar", ".geojson": "application/geo+json" };

/** The guichet binary: $GUICHET_BIN, else target/release or target/debug (built if missing). */
export function guichetBinary() {
  if (process.env.GUICHET_BIN) return process.env.GUICHET_BIN;
  for (const p of ["target/release/guichet", "target/debug/guichet"]) {
    if (existsSync(join(ROOT, p))) return join(ROOT, p);
  }
  execFileSync("cargo", ["build", "--quiet"], { cwd: ROOT, stdio: "inherit" });
  return join(ROOT, "target/debug/guichet");
}

/** Builds a copy of the sample (or `root`) into a temp dir; returns the output folder. */
export function buildSample(root = ROOT) {
  const dir = mkdtempSync(join(tmpdir(), "guichet-browser-"));
  for (const p of ["guichet.toml", "data", "content", "themes"]) cpSync(join(root, p), join(dir, p), { recursive: true });
  const out = join(dir, "public");
  execFileSync(guichetBinary(), ["build", "--root", dir, "--out", out, "--now", NOW, "--base-url", "http://127.0.0.1/"],
    { stdio: ["ignore", "ignore", "pipe"] });
  return out;
}

/** Serves `dir` on 127.0.0.1 at a free port; resolves to { origin, close }. */
export function serve(dir) {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) { res.writeHead(404, { "content-type": TYPES[".html"] }).end(readFileSync(join(dir, "404.html"))); return; }
    res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => {
    ok({ origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((c) => server.close(c)) });
  }));
}

/** Debian's Chromium, headless, with nothing that phones home. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/**
 * A new page whose requests outside `origin` (map tiles above all) are
 * refused, as on a machine offline. `blocked` lists what was refused.
 */
export async function offlinePage(browser, origin, options = {}) {
  const context = await browser.newContext({ locale: "fr-FR", timezoneId: "Europe/Paris", ...options });
  const page = await context.newPage();
  page.blocked = [];
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(String(e)));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + "/")) return route.continue();
    page.blocked.push(url);
    return route.abort();
  });
  return page;
}

/** Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page; returns its violations. */
export async function axe(page) {
  await page.addScriptTag({ path: join(ROOT, "node_modules/axe-core/axe.min.js") });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
  }));
  return result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

/** The build clock of the national tests: a Wednesday morning in Paris. */
export const NATIONAL_NOW = "2026-12-02T10:00:00+01:00";
/** The real national France services list (2,845 sites, 1 August 2024). */
export const NATIONAL_CSV = join(ROOT, "tests/data/france-services/liste-fs-20240801.csv");

/**
 * A directory of its own (`guichet init`) with the national France services
 * list imported, built at `now` (NATIONAL_NOW by default); returns the
 * output folder. The national tests all start here, so their set-up lives in
 * one place. Labels, services, charters and theme are the built-in ones.
 */
export function nationalBuild(now = NATIONAL_NOW) {
  const dir = mkdtempSync(join(tmpdir(), "guichet-national-"));
  const bin = guichetBinary();
  execFileSync(bin, ["init", "--force", dir], { stdio: ["ignore", "ignore", "pipe"] });
  // The import reports rows it skipped or fixed; exit code 1 means "problems
  // found", which a real list always has.
  try {
    execFileSync(bin, ["import", NATIONAL_CSV, "--root", dir], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (e) {
    if (e.status !== 1) throw e;
  }
  const out = join(dir, "public");
  execFileSync(bin, ["build", "--root", dir, "--now", now, "--base-url", "/"], { stdio: ["ignore", "ignore", "pipe"] });
  return out;
}

// `guichet serve` on a copy of the sample in a fresh folder, as an editor
// runs it; resolves once it prints its address.
export async function startServe(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const p of ["guichet.toml", "data", "content", "themes"]) cpSync(join(ROOT, p), join(dir, p), { recursive: true });
  const child = spawn(guichetBinary(), ["serve", "--port", "0", "--now", NOW, "--root", dir], { stdio: ["ignore", "pipe", "pipe"] });
  child.stderr.resume();
  const origin = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("guichet serve printed no address")), 120000);
    createInterface({ input: child.stdout }).on("line", (line) => {
      const m = /on (http:\/\/[^/]+)\//.exec(line);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
  });
  return { dir, serve: child, origin };
}
