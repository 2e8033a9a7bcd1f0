// The browser editor at /admin/ on `guichet serve`, as a commune agent uses
// it: the notices are listed, a closure is published through the form, its
// file appears in guichet's own layout, the site page shows the banner after
// the reload, and deleting it from the form removes both.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { axe, launch, offlinePage, startServe } from "./helpers.mjs";

// What axe reports on /admin/, all of it in Decap CMS's own markup (listed
// in docs/editors.md): a change here is a change of the library or of ours.
const AXE_KNOWN = {
  login: ["color-contrast"],
  list: ["color-contrast"],
  form: ["aria-input-field-name", "aria-required-attr", "button-name", "color-contrast", "frame-title",
    "label-content-name-mismatch", "nested-interactive"],
};

const NOTICE = "content/notices/2026-12-28-fontenay-aux-roses.md";
// What `guichet new notice` writes for these dates (its body aside), and so
// what the form must write.
const FRONT_MATTER = `+++
site = "fontenay-aux-roses"
kind = "closure"
from = 2026-12-28
to = 2026-12-30
published = 2026-11-23
title = "Fermeture pour inventaire"
+++
`;

let dir, serve, origin, browser;
before(async () => {
  ({ dir, serve, origin } = await startServe("guichet-editor-"));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  serve?.kill("SIGINT");
});

/** The editor, logged in to serve's local backend, on the notices list. */
async function openEditor() {
  const page = await offlinePage(browser, origin);
  await page.goto(origin + "/admin/");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByText("Fermeture exceptionnelle pour les fêtes").waitFor({ timeout: 20000 });
  return page;
}

async function waitFor(condition, what, timeout = 20000) {
  const end = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("the notices collection lists the sample's notices by title", async () => {
  const page = await openEditor();
  for (const title of ["Fermeture estivale du Point numérique Caf", "Ateliers « Mon compte Caf » en décembre",
    "Fermeture exceptionnelle pour les fêtes", "Horaires modifiés en janvier 2027"]) {
    await page.getByText(title, { exact: true }).waitFor();
  }
  assert.deepEqual(page.blocked, [], "the editor loads nothing from another host");
  await page.context().close();
});

test("a closure published through the form reaches the site page, and deleting it removes it", async () => {
  const page = await openEditor();
  const site = await browser.newPage();
  await site.goto(origin + "/lieux/fontenay-aux-roses/");
  assert.doesNotMatch(await site.textContent("main"), /inventaire/);

  await page.goto(origin + "/admin/#/collections/notices/new");
  await page.locator("#site-field-1").fill("Fontenay");
  await page.keyboard.press("Enter");
  await page.locator("#from-field-3").fill("2026-12-28");
  await page.locator("#to-field-4").fill("2026-12-27");
  await page.locator("#title-field-6").fill("Fermeture pour inventaire");
  await page.locator("[data-slate-editor]").click();
  await page.keyboard.type("Le guichet ferme pour l'inventaire annuel.");
  // The form says what check would refuse, in French, and refuses to save it.
  const checks = page.locator("[data-guichet-checks]");
  await checks.getByText(/est avant le premier/).waitFor();
  await page.getByRole("button", { name: "Publier" }).click();
  await page.getByText("Publier maintenant").click();
  await page.getByText(/Échec de l'enregistrement.*est avant le premier/).waitFor();
  assert.equal(existsSync(join(dir, NOTICE)), false);
  await page.locator("#to-field-4").fill("2026-12-30");
  await checks.getByText(/est avant le premier/).waitFor({ state: "detached" });
  // Published on 23 November for 28 December: no late-closure warning.
  assert.doesNotMatch(await page.textContent("body"), /celle-ci est annoncée/);
  await page.locator("#published-field-5").fill("2026-12-24");
  await checks.getByText(/au moins 7 jours à l'avance ; celle-ci est annoncée 4 jours avant/).waitFor();
  await page.locator("#published-field-5").fill("2026-11-23");
  await page.getByRole("button", { name: "Publier" }).click();
  await page.getByText("Publier maintenant").click();

  const file = join(dir, NOTICE);
  await waitFor(() => existsSync(file), NOTICE);
  const text = readFileSync(file, "utf8");
  assert.equal(text, FRONT_MATTER + "Le guichet ferme pour l'inventaire annuel.\n");
  // The open site page reloads on the rebuild and shows the banner.
  await site.getByText("Fermeture pour inventaire").waitFor({ timeout: 20000 });

  // The form stays on the published notice: a rebuild does not reload it.
  await page.getByRole("button", { name: "Publiée" }).waitFor();
  assert.match(page.url(), /#\/collections\/notices\/entries\/2026-12-28-fontenay-aux-roses$/);
  // Decap asks with the browser's own confirmation box.
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Supprimer l'entrée" }).click();
  await waitFor(() => !existsSync(file), "the file to go");
  await site.getByText("Fermeture pour inventaire").waitFor({ state: "detached", timeout: 20000 });
  assert.deepEqual(page.blocked, [], "the editor loads nothing from another host");
  await page.context().close();
  await site.close();
});

test("axe on /admin/ finds only what the editor library brings; resident pages never load it", async () => {
  const page = await offlinePage(browser, origin);
  const ids = async () => {
    const found = await axe(page);
    for (const v of found) {
      for (const node of v.nodes) assert.doesNotMatch(node, /guichet/, `${v.id} on our own markup: ${node}`);
    }
    return found.map((v) => v.id).sort();
  };
  await page.goto(origin + "/admin/");
  await page.getByRole("button", { name: "Se connecter" }).waitFor();
  assert.deepEqual(await ids(), AXE_KNOWN.login);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByText("Fermeture exceptionnelle pour les fêtes").waitFor({ timeout: 20000 });
  assert.deepEqual(await ids(), AXE_KNOWN.list);
  await page.goto(origin + "/admin/#/collections/notices/new");
  await page.locator("[data-guichet-checks]").waitFor();
  assert.deepEqual(await ids(), AXE_KNOWN.form);
  await page.context().close();

  const resident = await offlinePage(browser, origin);
  const requested = [];
  resident.on("request", (r) => requested.push(r.url()));
  for (const path of ["/", "/lieux/fontenay-aux-roses/", "/avis/"]) {
    await resident.goto(origin + path);
    assert.deepEqual(await axe(resident), [], path);
  }
  assert.deepEqual(requested.filter((u) => /admin|decap/.test(u)), []);
  await resident.context().close();
});
