// The search on the real national France services list (2,845 sites), as a
// resident uses it: a place gives the nearest sites in distance order, a
// démarche with a place gives the nearest sites that offer it, unknown facts
// are said to be unknown. Answers are checked against a brute-force nearest
// computed here from the list's own coordinates and the gazetteer's commune
// points. Offline, at a fixed clock.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { NATIONAL_CSV, NATIONAL_NOW, ROOT, axe, launch, nationalBuild, offlinePage, serve } from "./helpers.mjs";

let server, browser;
before(async () => {
  server = await serve(nationalBuild());
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The CSV's rows as objects (RFC 4180 quoting: commas and doubled quotes inside quotes). */
function readCsv(path) {
  const text = readFileSync(path, "utf8"), rows = [];
  let row = [], field = "", quoted = false;
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (quoted) {
      if (c === '"' && text[k + 1] === '"') { field += '"'; k++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[k + 1] === "\n") k++;
      row.push(field); field = "";
      if (row.length > 1) rows.push(row);
      row = [];
    } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

const SITES = readCsv(NATIONAL_CSV).map((r) => ({
  name: r.lib_fs, street: r.adresse, lat: parseFloat(r.latitude), lon: parseFloat(r.longitude),
}));
const GAZETTEER = readFileSync(join(ROOT, "src/publish/communes.csv"), "utf8").trim().split("\n").map((l) => {
  const [insee, name, postcodes, lat, lon] = l.split(";");
  return { insee, name, postcodes: postcodes.split(" "), lat: +lat, lon: +lon };
});
/** The gazetteer's point of a commune, by name (and postcode when the name is shared). */
function commune(name, postcode) {
  const found = GAZETTEER.filter((c) => c.name === name && (!postcode || c.postcodes.includes(postcode)));
  assert.equal(found.length, 1, `one commune ${name} ${postcode ?? ""}`);
  return found[0];
}
function km(a, b) {
  const r = Math.PI / 180, dLat = (b.lat - a.lat) * r, dLon = (b.lon - a.lon) * r;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
}
/** Every site with coordinates, nearest to `point` first. */
function nearest(point) {
  return SITES.filter((s) => Number.isFinite(s.lat)).map((s) => ({ ...s, km: km(point, s) })).sort((a, b) => a.km - b.km);
}

const home = (query = "") => `${server.origin}/?now=${encodeURIComponent(NATIONAL_NOW)}${query}`;

async function openHome(query) {
  const page = await offlinePage(browser, server.origin, { viewport: { width: 360, height: 800 } });
  await page.goto(home(query));
  await page.waitForFunction(() => { const p = window.guichetSearch.progress(); return p && p[0] === p[1]; });
  return page;
}

/** Types `text` and waits for the announced status that matches `expect`. */
async function search(page, text, expect = /lieu|Aucun/) {
  // The status is announced a moment after the results: clear the last
  // one so that it is not taken for this query's.
  await page.evaluate(() => { document.getElementById("search-status").textContent = ""; });
  await page.fill("#q", text);
  await page.waitForFunction((re) => new RegExp(re).test(document.getElementById("search-status").textContent), expect.source);
  return readCards(page);
}

/** The result cards on screen: name, distance, street, open state, facts. */
function readCards(page) {
  return page.$$eval("#results > li.card", (cards) => cards.map((c) => {
    const d = c.querySelector(".distance");
    return {
      name: c.querySelector("h3").textContent.trim(),
      km: d ? parseFloat(d.textContent.replace("à ", "").replace(",", ".")) : null,
      address: c.querySelector(".address")?.textContent ?? null,
      open: c.querySelector(".open-state")?.textContent ?? null,
      facts: c.querySelector(".facts").textContent,
    };
  }));
}

/**
 * The cards are the brute-force nearest sites, in order: same distances as
 * shown (0.1 km under 10 km, 1 km beyond), same names except where two
 * sites are as near as each other.
 */
function assertNearest(cards, point, label, count = 10) {
  const expected = nearest(point).slice(0, cards.length);
  assert.equal(cards.length, count, `${label}: a page of results`);
  cards.forEach((c, k) => {
    const e = expected[k], step = e.km < 10 ? 0.06 : 0.51;
    assert.ok(c.km !== null && Math.abs(c.km - e.km) <= step, `${label} #${k + 1}: ${c.name} at ${c.km} km, expected ${e.name} at ${e.km.toFixed(2)} km`);
    const tied = expected.filter((x) => Math.abs(x.km - e.km) < 0.05).map((x) => x.name);
    assert.ok(tied.includes(c.name), `${label} #${k + 1}: ${c.name}, expected ${tied.join(" or ")}`);
  });
}

test("a place gives the nearest sites first, in distance order, whatever their names say", async () => {
  const page = await openHome();
  for (const [query, point, said] of [
    ["saint etienne", commune("Saint-Étienne"), "de Saint-Étienne (42)"],
    ["lyon", commune("Lyon"), "de Lyon"],
    ["rouen", commune("Rouen"), "de Rouen (76)"],
    ["92260", commune("Fontenay-aux-Roses"), "de Fontenay-aux-Roses (92260)"],
  ]) {
    const cards = await search(page, query, /du plus proche au plus loin/);
    assertNearest(cards, point, query);
    assert.match(await page.textContent("#search-status"), new RegExp(`^2\\s845 lieux, du plus proche au plus loin ${said.replace(/[()]/g, "\\$&")}\\.`));
  }
  // The two cases, said plainly: the 5.4 km site before any far
  // "Saint-Étienne" name, Villeurbanne before a site 33 km from Lyon.
  const stEtienne = await search(page, "saint etienne", /du plus proche/);
  assert.ok(stEtienne[0].km < 10, JSON.stringify(stEtienne[0]));
  assert.ok(stEtienne.every((c, k) => k === 0 || c.km >= stEtienne[k - 1].km), "non-decreasing distances");
  const lyon = await search(page, "lyon", /du plus proche/);
  const villeurbanne = lyon.findIndex((c) => /Villeurbanne/.test(c.name));
  assert.ok(villeurbanne >= 0 && lyon[villeurbanne].km < 10, JSON.stringify(lyon));
  assert.ok(lyon.slice(0, villeurbanne).every((c) => c.km <= lyon[villeurbanne].km));
  // The next page goes on in the same order.
  await page.click("#more");
  await page.waitForFunction(() => document.querySelectorAll("#results > li.card").length === 20);
  assertNearest(await readCards(page), commune("Lyon"), "lyon, two pages", 20);
  assert.deepEqual(page.errors, []);
});

test("a démarche and a place: the nearest sites that offer it, with distances", async () => {
  const page = await openHome();
  // Every France services site offers the nine operators' services (ANTS,
  // DGFiP, Caf, retraite…): the nearest sites that offer it are the nearest sites.
  for (const [query, point, said] of [
    ["carte grise replonges", commune("Replonges"), "pour « carte grise », du plus proche au plus loin de Replonges (01750)"],
    ["impots rouen", commune("Rouen"), "pour « impots », du plus proche au plus loin de Rouen (76)"],
    ["caf 92260", commune("Fontenay-aux-Roses"), "pour « caf », du plus proche au plus loin de Fontenay-aux-Roses (92260)"],
    ["retraite 69100", commune("Villeurbanne"), "pour « retraite », du plus proche au plus loin de Villeurbanne (69100)"],
    ["carte grise à Replonges", commune("Replonges"), "de Replonges (01750)"],
    ["impôts au Havre", commune("Le Havre"), "du Havre (76)"],
    ["papiers près de Rouen", commune("Rouen"), "pour « papiers », du plus proche au plus loin de Rouen (76)"],
  ]) {
    const cards = await search(page, query, /du plus proche au plus loin/);
    assertNearest(cards, point, query);
    assert.ok((await page.textContent("#search-status")).includes(said), `${query}: ${await page.textContent("#search-status")}`);
  }
  assert.deepEqual(page.errors, []);
});

test("a démarche alone asks where, or uses the last place given, never the whole country from A to Z", async () => {
  const page = await openHome();
  const cards = await search(page, "carte grise", /correspondent/);
  assert.deepEqual(cards, [], "no list from A to Z");
  assert.match(await page.textContent("#results"), /Près de quelle commune \?/);
  assert.match(await page.textContent("#search-status"), /^2\s845 lieux correspondent à « carte grise »/);
  assert.equal(await page.isVisible("#results [data-near-me]"), true);
  // Once a place is given, a démarche alone goes from there.
  await search(page, "replonges", /du plus proche au plus loin de Replonges/);
  const again = await search(page, "carte grise", /pour « carte grise », du plus proche au plus loin de Replonges/);
  assertNearest(again, commune("Replonges"), "carte grise after replonges");
  assert.equal(await page.textContent("#place-chip"), "Lieux les plus proches de Replonges (01750) Effacer ce lieu");
  // A commune being typed after the démarche keeps the démarche's answer
  // meanwhile, and offers the communes it may be.
  await search(page, "carte grise repl", /pour « carte grise », du plus proche au plus loin de Replonges/);
  assert.ok((await page.$$eval("#places button", (b) => b.map((x) => x.textContent))).includes("Replonges (01750)"));
  await page.click("#place-chip button");
  await page.waitForFunction(() => /correspondent/.test(document.getElementById("search-status").textContent));
  assert.deepEqual(page.errors, []);
});

test("unknown accessibility is said to be unknown, not read as no", async () => {
  const page = await openHome();
  await page.check("#f-wheelchair");
  await page.waitForFunction(() => /accessibilité non communiquée/i.test(document.getElementById("search-status").textContent));
  assert.match(await page.textContent("#search-status"), /Accessibilité non communiquée pour 2\s845 lieux/);
  assert.doesNotMatch(await page.textContent("#search-status"), /Aucun lieu/);
  const cards = await search(page, "lyon", /du plus proche au plus loin de Lyon/);
  assert.equal(cards.length, 10);
  assert.ok(cards.every((c) => c.facts.includes("Accessibilité non communiquée")), cards[0].facts);
  assert.match(await page.textContent("#search-status"), /Accessibilité non communiquée pour 2\s845 lieux/);
  assert.deepEqual(page.errors, []);
});

test("result cards show the street address and the open state at the fixed clock", async () => {
  const page = await openHome();
  // Wednesday 2 December 2026, 10:00 in Paris: Valserhône opens 09:00-12:00.
  const cards = await search(page, "valserhone", /du plus proche au plus loin de Valserhône/);
  assert.equal(cards[0].name, "France services de Valserhône");
  assert.equal(cards[0].address, "5-9 Rue des Papetiers");
  assert.equal(cards[0].open, "Ouvert — ferme à 12h00");
  const withStreet = cards.filter((c) => c.address);
  assert.ok(withStreet.length >= 9, "nearly every site has a street");
  for (const c of withStreet) {
    assert.ok(SITES.some((s) => s.name === c.name && c.address.includes(s.street)), `${c.name}: ${c.address}`);
  }
  assert.ok(cards.every((c) => c.open === null || /^(Ouvert|Fermé)/.test(c.open)));
});

test("place names: no empty brackets, the postcode typed, French contractions", async () => {
  const page = await openHome();
  for (const [query, said] of [
    ["paris", "du plus proche au plus loin de Paris."],
    ["marseille", "du plus proche au plus loin de Marseille."],
    ["97430", "du plus proche au plus loin du Tampon (97430)."],
    ["le havre", "du plus proche au plus loin du Havre (76)."],
    ["les abymes", "du plus proche au plus loin des Abymes (971)."],
    ["evry courcouronnes", "du plus proche au plus loin d'Évry-Courcouronnes (91)."],
  ]) {
    await search(page, query, /du plus proche au plus loin/);
    const status = await page.textContent("#search-status");
    assert.ok(status.includes(said), `${query}: ${status}`);
    assert.doesNotMatch(status, /\(\)/);
  }
  // A place picked from the offered communes keeps the contraction in the chip.
  await page.fill("#q", "97430");
  await page.waitForFunction(() => /Tampon/.test(document.getElementById("search-status").textContent));
  assert.deepEqual(page.errors, []);
});

test("axe: no violations on the search page with national results", async () => {
  const page = await openHome();
  await search(page, "carte grise", /correspondent/);
  assert.deepEqual(await axe(page), []);
  await search(page, "carte grise replonges", /du plus proche/);
  assert.deepEqual(await axe(page), []);
});

// The keystroke-to-results time with the CPU slowed four times, from the
// input event to the result list laid out. The figures go to the test's
// diagnostics; with GUICHET_PERF=1 (a quiet machine) they must also meet
// the targets: median ≤ 16 ms, p95 ≤ 50 ms. tests/browser/bench/ measures
// the same on 40,000 synthetic sites.
test("keystrokes on a slow phone: median and p95 from input to results drawn", async (t) => {
  const page = await openHome();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  const times = await page.evaluate(async (queries) => {
    const input = document.getElementById("q"), out = [];
    for (const q of queries) {
      for (let k = 1; k <= q.length; k++) {
        input.value = q.slice(0, k);
        const t0 = performance.now();
        input.dispatchEvent(new Event("input", { bubbles: true }));
        void document.body.offsetHeight;
        out.push(performance.now() - t0);
        await new Promise((ok) => setTimeout(ok, 30));
      }
    }
    return out;
  }, ["92260", "saint etienne", "carte grise replonges", "impots rouen", "caf 92260", "retraite 69100", "lyon"]);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)], p95 = times[Math.floor(times.length * 0.95)];
  t.diagnostic(`${times.length} keystrokes, CPU ×4: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`);
  if (process.env.GUICHET_PERF === "1") {
    assert.ok(median <= 16, `median ${median.toFixed(1)} ms`);
    assert.ok(p95 <= 50, `p95 ${p95.toFixed(1)} ms`);
  }
  assert.deepEqual(page.errors, []);
});
