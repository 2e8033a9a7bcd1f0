// Every kind of page, as residents get them: axe-core finds no WCAG 2.1 AA
// violation, nothing scrolls sideways on a phone, everything is reachable
// by links without JavaScript. Screenshots go to target/browser-screenshots/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { NOW, ROOT, axe, buildSample, launch, offlinePage, serve } from "./helpers.mjs";

const SHOTS = join(ROOT, "target/browser-screenshots");
const PAGES = {
  home: "/",
  site: "/lieux/fontenay-aux-roses/",
  departement: "/departements/92/",
  commune: "/communes/76540/",
  service: "/services/ants/",
  label: "/labels/france-services/",
  notices: "/avis/",
  charter: "/chartes/france-services/",
};

let server, browser, out;
before(async () => {
  out = buildSample();
  server = await serve(out);
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const url = (path) => `${server.origin}${path}${path.includes("?") ? "&" : "?"}now=${encodeURIComponent(NOW)}`;

async function ready(page) {
  await page.waitForLoadState("load");
  // Let the search index load and the maps start.
  await page.waitForTimeout(300);
}

for (const [name, path] of Object.entries(PAGES)) {
  test(`axe: no WCAG 2.1 AA violation on the ${name} page (${path}), desktop and phone`, async () => {
    for (const viewport of [{ width: 1280, height: 900 }, { width: 360, height: 800 }]) {
      const page = await offlinePage(browser, server.origin, { viewport });
      await page.goto(url(path));
      await ready(page);
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForTimeout(300);
      assert.deepEqual(await axe(page), [], `${path} at ${viewport.width}px`);
      assert.deepEqual(page.errors, []);
      await page.close();
    }
  });
}

test("axe: no violation on the home page with search results, place choices and filters", async () => {
  const page = await offlinePage(browser, server.origin, { viewport: { width: 360, height: 800 } });
  await page.goto(url("/?sans-rdv=1"));
  await ready(page);
  await page.fill("#q", "fontenay");
  await page.waitForSelector("#places button");
  await page.waitForFunction(() => /lieu/.test(document.getElementById("search-status").textContent));
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: join(SHOTS, "home-search-360.png"), fullPage: true });
});

test("phone (360×640): no page scrolls sideways; screenshots for review", async () => {
  for (const [name, path] of Object.entries(PAGES)) {
    const page = await offlinePage(browser, server.origin, { viewport: { width: 360, height: 640 } });
    await page.goto(url(path));
    await ready(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${path} is ${width}px wide`);
    if (name === "home" || name === "site") {
      await page.screenshot({ path: join(SHOTS, `${name}-360.png`), fullPage: true });
      const desktop = await offlinePage(browser, server.origin, { viewport: { width: 1280, height: 900 } });
      await desktop.goto(url(path));
      await ready(desktop);
      await desktop.screenshot({ path: join(SHOTS, `${name}-1280.png`), fullPage: true });
      await desktop.close();
    }
    await page.close();
  }
});

test("without JavaScript every site is reachable by links from the home page", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.route("**/*", (r) => (r.request().url().startsWith(server.origin + "/") ? r.continue() : r.abort()));
  await page.goto(server.origin + "/");
  assert.equal(await page.isVisible("#search-app"), false, "the search needs JavaScript: it stays hidden");
  assert.equal(await page.isVisible(".map-section"), false);
  const seen = new Set(["/"]), queue = ["/"], sites = new Set();
  while (queue.length) {
    const path = queue.shift();
    await page.goto(server.origin + path);
    const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.href));
    for (const href of hrefs) {
      const u = new URL(href);
      if (u.origin !== server.origin || !u.pathname.endsWith("/") || seen.has(u.pathname)) continue;
      seen.add(u.pathname);
      queue.push(u.pathname);
      const m = /^\/lieux\/([^/]+)\/$/.exec(u.pathname);
      if (m) sites.add(m[1]);
    }
  }
  const { readdirSync } = await import("node:fs");
  const all = readdirSync(join(ROOT, "data/sites")).map((f) => f.replace(/\.toml$/, "")).sort();
  assert.deepEqual([...sites].sort(), all);
  for (const path of ["/departements/", "/services/", "/labels/", "/avis/"]) assert.ok(seen.has(path), path);
  await context.close();
});

test("a site page weighs at most 50 KB gzipped (HTML, CSS, JS; map library aside)", async () => {
  const { gzipSync } = await import("node:zlib");
  const { readFileSync } = await import("node:fs");
  const html = readFileSync(join(out, "lieux/fontenay-aux-roses/index.html"), "utf8");
  // Tera escapes "/" in attribute values as "&#x2F;".
  const local = [...html.replace(/&#x2F;/g, "/").matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:css|js))"/g)].map((m) => m[1]);
  assert.ok(local.length >= 2, local.join(", "));
  const total = [html, ...local.map((p) => readFileSync(join(out, p)))].reduce((n, b) => n + gzipSync(b).length, 0);
  assert.ok(total <= 50 * 1024, `${total} bytes gzipped`);
  console.log(`site page: ${total} bytes gzipped (${local.join(", ")} and the HTML)`);
});

test("a printed site page keeps the address, hours and contact, without menus or map", async () => {
  const page = await offlinePage(browser, server.origin);
  await page.goto(url("/lieux/fontenay-aux-roses/"));
  await ready(page);
  await page.emulateMedia({ media: "print" });
  for (const shown of ["h1", "address", "table.hours", "#contact-titre"]) assert.ok(await page.isVisible(shown), shown);
  for (const hidden of [".top nav", ".crumbs", "#map", ".bottom ul", "ol.nearest"]) assert.ok(await page.isHidden(hidden), hidden);
  // A printout says when the data is from, that hours may change, and where it came from.
  const foot = await page.innerText(".bottom");
  assert.match(foot, /Page générée le \d/);
  assert.match(foot, /Les horaires peuvent changer/);
  assert.match(foot, /Adresse de cette page : http:\/\/127\.0\.0\.1:\d+\/lieux\/fontenay-aux-roses\//);
});
