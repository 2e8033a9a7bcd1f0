// guichet serve as an editor uses it, in a real browser: twenty tabs of the
// preview all load, and all reload after one save. A browser opens at most
// six connections to a host; the preview must not hold one per tab.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launch, startServe } from "./helpers.mjs";

let dir, serve, origin, browser;
before(async () => {
  ({ dir, serve, origin } = await startServe("guichet-serve-"));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  serve?.kill("SIGINT");
});

test("twenty tabs of the preview load, and all reload after one save", async () => {
  const context = await browser.newContext({ locale: "fr-FR" });
  const paths = ["/", "/lieux/fontenay-aux-roses/", "/departements/92/", "/avis/"];
  const tabs = [];
  for (let k = 0; k < 20; k++) {
    const page = await context.newPage();
    // Each load must finish well before the test's own timeout.
    await page.goto(origin + paths[k % paths.length], { timeout: 15000 });
    tabs.push(page);
  }
  const notice = join(dir, "content/notices/2026-12-24-fontenay-aux-roses.md");
  const text = readFileSync(notice, "utf8");
  writeFileSync(notice, text.replace("Fermeture exceptionnelle pour les fêtes", "Fermeture pour les fêtes de Noël"));
  for (const page of tabs) {
    if (!page.url().includes("fontenay") && !page.url().endsWith("/avis/")) continue;
    await page.waitForFunction(() => document.body.textContent.includes("fêtes de Noël"), null, { timeout: 20000 });
  }
  // Every tab reloaded: each shows the build that followed the save.
  const builds = await Promise.all(tabs.map((p) => p.evaluate(() => document.querySelector("script[data-build]")?.getAttribute("data-build"))));
  assert.equal(new Set(builds).size, 1, builds.join(" "));
  // And a twenty-first page still loads at once.
  const extra = await context.newPage();
  await extra.goto(origin + "/avis/", { timeout: 5000 });
  assert.match(await extra.textContent("body"), /fêtes de Noël/);
  await context.close();
});
