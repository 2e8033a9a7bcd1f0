// What a resident does on the home page: type, filter, pick a place, by
// keyboard alone. Offline: tile requests are refused.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { NOW, buildSample, launch, offlinePage, serve } from "./helpers.mjs";

let server, browser;
before(async () => {
  server = await serve(buildSample());
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const home = (query = "") => `${server.origin}/?now=${encodeURIComponent(NOW)}${query}`;

async function openHome(query) {
  const page = await offlinePage(browser, server.origin, { viewport: { width: 360, height: 800 } });
  await page.goto(home(query));
  await page.waitForFunction(() => document.getElementById("search-status").textContent === "" || document.querySelector("#results li"));
  return page;
}

async function search(page, text) {
  // Not the last query's status: it is announced a moment after the results.
  await page.evaluate(() => { document.getElementById("search-status").textContent = ""; });
  await page.fill("#q", text);
  // Results are drawn synchronously; the status is announced shortly after.
  await page.waitForFunction(() => /lieu|Aucun/.test(document.getElementById("search-status").textContent));
  return page.$$eval("#results > li h3", (hs) => hs.map((h) => h.textContent.trim()));
}

test("a postcode finds the site of that commune first, then the nearest ones with km", async () => {
  const page = await openHome();
  const names = await search(page, "92260");
  assert.equal(names[0], "France services de Fontenay-aux-Roses");
  const first = await page.textContent("#results > li:first-child .meta");
  assert.match(first, /Fontenay-aux-Roses \(92260\) · à \d+,\d km/);
  assert.match(await page.textContent("#search-status"), /du plus proche au plus loin de Fontenay-aux-Roses \(92260\)/);
  assert.deepEqual(page.errors, []);
});

test("a commune name finds its site first, whatever the case and accents", async () => {
  const page = await openHome();
  assert.equal((await search(page, "fontenay"))[0], "France services de Fontenay-aux-Roses");
  assert.equal((await search(page, "FONTENAY AUX ROSES"))[0], "France services de Fontenay-aux-Roses");
  // The département's name ranks above a service keyword ("réunion d'information").
  assert.equal((await search(page, "reunion"))[0], "Espaces numériques de la commune du Tampon");
  assert.deepEqual(await search(page, "seine maritime"), ["Point numérique Caf de Rouen – centre socio-culturel Simone-Veil"]);
});

test("everyday words find the service: carte grise finds France services", async () => {
  const page = await openHome();
  const names = await search(page, "carte grise");
  assert.deepEqual(names, ["France services de Fontenay-aux-Roses"]);
  const labels = await page.$$eval("#results .badge", (b) => b.map((x) => x.textContent));
  assert.deepEqual(labels, ["France services"]);
  assert.ok((await search(page, "impots")).includes("France services de Fontenay-aux-Roses"));
  assert.ok((await search(page, "retraite")).includes("France services de Fontenay-aux-Roses"));
  const caf = await search(page, "caf");
  assert.ok(caf.length >= 4, caf.join(", "));
});

test("a démarche and a place: only the sites that offer it, nearest first", async () => {
  const page = await openHome();
  assert.deepEqual(await search(page, "carte grise 92290"), ["France services de Fontenay-aux-Roses"]);
  assert.match(await page.textContent("#search-status"), /^1 lieu pour « carte grise », du plus proche au plus loin de Châtenay-Malabry \(92290\)\./);
  assert.match(await page.textContent("#results .distance"), /^à \d+,\d km$/);
  // Rouen's point numérique is nearer, but only France services helps with retraite.
  assert.deepEqual(await search(page, "retraite pres de rouen"), ["France services de Fontenay-aux-Roses"]);
  assert.match(await page.textContent("#search-status"), /pour « retraite », du plus proche au plus loin de Rouen \(76\)/);
  const digital = await search(page, "aide numerique a rouen");
  assert.equal(digital[0], "Point numérique Caf de Rouen – centre socio-culturel Simone-Veil");
  assert.deepEqual(page.errors, []);
});

test("a filter keeps the sites that do not say, and says how many", async () => {
  const page = await openHome();
  await page.check("#f-wheelchair");
  await page.waitForFunction(() => /Accessibilité non communiquée/.test(document.getElementById("search-status").textContent));
  assert.equal(await page.locator("#results > li").count(), 5);
  assert.match(await page.textContent("#search-status"), /Accessibilité non communiquée pour 4 lieux/);
  const facts = await page.$$eval("#results .facts", (f) => f.map((x) => x.textContent));
  assert.equal(facts.filter((f) => f.includes("Accessible en fauteuil roulant")).length, 1);
  assert.equal(facts.filter((f) => f.includes("Accessibilité non communiquée")).length, 4);
});

test("a postcode with no site of its own lists the nearest sites by distance", async () => {
  const page = await openHome();
  const names = await search(page, "92290");
  assert.equal(names[0], "France services de Fontenay-aux-Roses");
  assert.match(await page.textContent("#search-status"), /de Châtenay-Malabry \(92290\)/);
  const km = await page.$$eval("#results .distance", (d) => d.map((x) => parseFloat(x.textContent.replace("à ", "").replace(",", "."))));
  assert.deepEqual(km, [...km].sort((a, b) => a - b), "nearest first");
});

test("typed communes are offered as places: st and accents fold (Pont-l'Évêque, Saint-Étienne-du-Rouvray)", async () => {
  const page = await openHome();
  await page.fill("#q", "pont l eveque");
  await page.waitForSelector("#places button");
  assert.ok((await page.$$eval("#places button", (b) => b.map((x) => x.textContent))).includes("Pont-l'Évêque (14130)"));
  await page.fill("#q", "st etienne du rouv");
  await page.waitForSelector("#places button:has-text('Saint-Étienne-du-Rouvray')");
  await page.click("#places button:has-text('Saint-Étienne-du-Rouvray')");
  await page.waitForFunction(() => /Saint-Étienne-du-Rouvray/.test(document.getElementById("search-status").textContent));
  assert.equal(await page.textContent("#results > li:first-child h3"), "Point numérique Caf de Rouen – centre socio-culturel Simone-Veil");
  assert.match(page.url(), /pres=49\.\d+%2C1\.\d+/);
  assert.match(page.url(), /lieu=Saint-%C3%89tienne-du-Rouvray/);
});

test("near me uses the browser's position", async () => {
  const page = await offlinePage(browser, server.origin, {
    viewport: { width: 360, height: 800 }, geolocation: { latitude: 49.44, longitude: 1.09 }, permissions: ["geolocation"],
  });
  await page.goto(home());
  await page.waitForSelector("#search-app:not([hidden])");
  await page.click("#near-me");
  await page.waitForFunction(() => /votre position/.test(document.getElementById("search-status").textContent));
  assert.equal(await page.textContent("#results > li:first-child h3"), "Point numérique Caf de Rouen – centre socio-culturel Simone-Veil");
  assert.match(await page.textContent("#results > li:first-child .distance"), /^à \d,\d km$/);
});

test("keyboard only: Tab to the search, type, arrow down, Enter opens the site", async () => {
  const page = await openHome();
  let tabs = 0;
  while (!(await page.evaluate(() => document.activeElement?.id === "q")) && tabs++ < 20) await page.keyboard.press("Tab");
  assert.ok(tabs < 20, "the search field is reachable with Tab");
  await page.keyboard.type("rouen");
  await page.waitForSelector("#results li");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Point numérique Caf de Rouen – centre socio-culturel Simone-Veil");
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.evaluate(() => document.activeElement.id), "q");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Point numérique Caf de Rouen – centre socio-culturel Simone-Veil");
  await Promise.all([page.waitForURL(/\/lieux\/rouen-simone-veil\/$/), page.keyboard.press("Enter")]);
  assert.equal(await page.textContent("h1"), "Point numérique Caf de Rouen – centre socio-culturel Simone-Veil");
});

test("filters live in the URL: they survive a reload, back and forward restore them", async () => {
  const page = await openHome();
  await page.check("#f-walkin");
  await page.waitForURL(/sans-rdv=1/);
  let names = await page.$$eval("#results > li h3", (hs) => hs.map((h) => h.textContent));
  assert.ok(!names.some((n) => n.includes("Joinville")), "Joinville is by appointment only");
  assert.equal(names.length, 4);
  await page.click("#more-filters summary");
  await page.selectOption("#f-label", "point-numerique-caf");
  await page.waitForURL(/label=point-numerique-caf/);
  assert.equal(await page.locator("#results > li").count(), 2);
  await page.reload();
  await page.waitForSelector("#results li");
  assert.equal(await page.inputValue("#f-label"), "point-numerique-caf");
  assert.equal(await page.isChecked("#f-walkin"), true);
  assert.equal(await page.locator("#results > li").count(), 2);
  await page.goBack();
  await page.waitForFunction(() => document.getElementById("f-label").value === "");
  assert.equal(await page.isChecked("#f-walkin"), true);
  assert.equal(await page.locator("#results > li").count(), 4);
  await page.goBack();
  await page.waitForFunction(() => !document.getElementById("f-walkin").checked);
  assert.equal(await page.locator("#results > li").count(), 0, "no search, no filter: the full list shows instead");
  assert.equal(await page.isVisible("#all-sites"), true);
  await page.goForward();
  await page.waitForFunction(() => document.getElementById("f-walkin").checked);
  const shared = await offlinePage(browser, server.origin);
  await shared.goto(home("&service=ants&fauteuil=1"));
  await shared.waitForSelector("#results li");
  assert.deepEqual(await shared.$$eval("#results > li h3", (hs) => hs.map((h) => h.textContent)), ["France services de Fontenay-aux-Roses"]);
  assert.equal(await shared.inputValue("#f-service"), "ants");
});

// Open-now values come from the hours engine, evaluated at the build clock.
test("open now at a fixed clock (Monday 23 November 2026, 10:00 in Paris)", async () => {
  const page = await openHome();
  await page.waitForSelector("[data-open-for='fontenay-aux-roses']:not([hidden])");
  assert.equal(await page.textContent("[data-open-for='fontenay-aux-roses']"), "Ouvert — ferme à 12h00");
  assert.equal(await page.textContent("[data-open-for='joinville-espace-vallages']"), "Fermé — ouvre demain à 13h30");
  assert.equal(await page.isHidden("[data-open-for='le-tampon-espaces-numeriques']"), true, "no hours, no guess");
  await page.check("#f-open");
  await page.waitForURL(/ouvert=1/);
  await page.waitForFunction(() => /lieu/.test(document.getElementById("search-status").textContent));
  const names = await page.$$eval("#results > li h3", (hs) => hs.map((h) => h.textContent).sort());
  assert.deepEqual(names, [
    "France services de Fontenay-aux-Roses",
    "Point numérique Caf de Rouen – centre socio-culturel Simone-Veil",
    "Point numérique Caf de Villeparisis – Maison des droits Jeanne-Chauvin",
  ]);
  const fontenay = await search(page, "fontenay");
  assert.equal(fontenay[0], "France services de Fontenay-aux-Roses");
  assert.equal(await page.textContent("#results > li:first-child .open-state"), "Ouvert — ferme à 12h00");
  const site = await offlinePage(browser, server.origin);
  await site.goto(`${server.origin}/lieux/joinville-espace-vallages/?now=${encodeURIComponent(NOW)}`);
  assert.equal(await site.textContent("#open-now"), "Fermé — ouvre demain à 13h30");
});

// The browser's side of open-now, on an index written by hand: it does not
// wait for the hours engine, and checks the index layout documented in
// src/publish/search.rs is what search-engine.js reads.
test("open-now from the index at a fixed clock, time zones and dated exceptions included", async () => {
  const page = await openHome();
  const result = await page.evaluate(() => {
    const raw = {
      v: 1, from: "2026-11-22", until: "2027-03-22", tz: ["Europe/Paris", "Indian/Reunion"],
      labels: [["france-services", "France services", "France services"]],
      services: [["ants", "Carte grise", ["carte grise"]]],
      deps: [["92", "Hauts-de-Seine"], ["974", "La Réunion"]],
      hours: [
        [0, "510-720,810-1020|510-720|||||", ""],
        [1, "510-720,810-1020|510-720|||||", ""],
        [0, "510-720,810-1020|510-720|||||", "1:;2:600-660"],
      ],
      count: 3,
      sites: [
        ["", "France services de ~", "Fontenay-aux-Roses", "92260", 0, 0, "1", 487893, 22868, 4, 0],
        ["", "Médiathèque du ~", "Le Tampon", "97430", 1, 0, "0", -212233, 555585, 0, 1],
      ],
    };
    const part = [["-annexe", "~ annexe", "Fontenay-aux-Roses", "92260", 0, 0, "0", 487893, 22868, 0, 2]];
    const S = window.GuichetSearch, g = window.guichet;
    const ix = S.load(raw);
    S.addPart(ix, part);
    const at = (iso) => { S.refreshOpen(ix, new Date(iso), g); return [0, 1, 2].map((i) => [ix.open[i], S.openState(ix, i, g).text]); };
    return {
      slugs: [0, 1, 2].map((i) => S.siteSlug(ix, i)),
      carteGrise: S.search(ix, { q: "carte grise", filters: {} }, 10).items.map((x) => x.i),
      tampon: S.search(ix, { q: "tampon", filters: {} }, 10).items.map((x) => x.i),
      annexe: S.search(ix, { q: "fontenay annexe", filters: {} }, 10).items.map((x) => x.i),
      names: ix.name,
      // Monday 23 November 2026, 10:00 in Paris is 13:00 in La Réunion.
      monday10: at("2026-11-23T10:00:00+01:00"),
      // 08:00 in Paris is 11:00 in La Réunion: the Tampon site is open, not Paris.
      monday8: at("2026-11-23T08:00:00+01:00"),
      // Tuesday 24 November 10:30: exception day 2 opens 10:00-11:00 only.
      tuesday1030: at("2026-11-24T10:30:00+01:00"),
    };
  });
  assert.deepEqual(result.slugs, ["fontenay-aux-roses", "le-tampon", "fontenay-aux-roses-annexe"]);
  assert.deepEqual(result.carteGrise, [0]);
  assert.deepEqual(result.tampon, [1]);
  assert.deepEqual(result.annexe, [2], "a site from a part file is searched too");
  assert.deepEqual(result.names, ["France services de Fontenay-aux-Roses", "Médiathèque du Le Tampon", "Fontenay-aux-Roses annexe"]);
  assert.deepEqual(result.monday10, [[1, "Ouvert — ferme à 12h00"], [0, "Fermé — ouvre aujourd'hui à 13h30"], [0, "Fermé — ouvre demain à 10h00"]]);
  assert.deepEqual(result.monday8, [[0, "Fermé — ouvre aujourd'hui à 08h30"], [1, "Ouvert — ferme à 12h00"], [0, "Fermé — ouvre demain à 10h00"]]);
  assert.deepEqual(result.tuesday1030, [[1, "Ouvert — ferme à 12h00"], [0, "Fermé — ouvre lundi à 08h30"], [1, "Ouvert — ferme à 11h00"]]);
});
