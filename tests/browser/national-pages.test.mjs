// Pages of the national build as a resident reads them, without searching:
// public holidays closed in each site's own zone, French order on a
// département page, every card saying where and when, unknown facts said to
// be unknown. And the sample's notices page in the order residents need.
// Offline, at fixed clocks.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { NATIONAL_NOW, axe, buildSample, launch, nationalBuild, offlinePage, serve } from "./helpers.mjs";

let national, sample, browser, out;
before(async () => {
  out = nationalBuild();
  national = await serve(out);
  sample = await serve(buildSample());
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await national?.close();
  await sample?.close();
});

/** The site pages of a département whose schedule opens on `weekday` (0 = Monday) at 10:00. */
function openAtTen(dep, weekday) {
  const found = [];
  for (const slug of readdirSync(join(out, "lieux"))) {
    let html;
    try { html = readFileSync(join(out, "lieux", slug, "index.html"), "utf8"); } catch { continue; }
    if (!html.includes(`/departements/${dep}/`)) continue;
    const m = /id="schedule">([^<]*)</.exec(html);
    if (!m) continue;
    const week = JSON.parse(m[1]).week[weekday];
    if (week.some(([a, b]) => a <= 600 && b > 600)) found.push(slug);
  }
  assert.ok(found.length, `a site of ${dep} open at 10:00 on day ${weekday}`);
  return found[0];
}

async function openNow(slug, now) {
  const page = await offlinePage(browser, national.origin);
  await page.goto(`${national.origin}/lieux/${slug}/?now=${encodeURIComponent(now)}`);
  await page.waitForSelector("#open-now:not([hidden])");
  const text = await page.textContent("#open-now");
  await page.context().close();
  return text;
}

test("France services are closed on public holidays of their own zone, open on others' holidays", async () => {
  const paris = openAtTen("75", 4), moselle = openAtTen("57", 4);
  // Christmas Day 2026, a Friday: closed everywhere.
  assert.match(await openNow(paris, "2026-12-25T10:00:00+01:00"), /^Fermé/);
  assert.match(await openNow(moselle, "2026-12-25T10:00:00+01:00"), /^Fermé/);
  // The Friday before: open.
  assert.match(await openNow(paris, "2026-12-18T10:00:00+01:00"), /^Ouvert/);
  // Good Friday 2027 (26 March) is a holiday in Alsace-Moselle only.
  assert.match(await openNow(moselle, "2027-03-26T10:00:00+01:00"), /^Fermé/);
  assert.match(await openNow(paris, "2027-03-26T10:00:00+01:00"), /^Ouvert/);
  const page = readFileSync(join(out, "lieux", paris, "index.html"), "utf8");
  assert.match(page, /Fermé les jours fériés, comme tous les lieux France services\./);
});

test("a département page lists communes in French order, each card with street, day and unknown accessibility", async () => {
  const page = await offlinePage(browser, national.origin, { viewport: { width: 360, height: 800 } });
  await page.goto(`${national.origin}/departements/42/?now=${encodeURIComponent(NATIONAL_NOW)}`);
  const communes = await page.$$eval(".card .meta", (ps) => ps.map((p) => p.lastChild.textContent.trim().replace(/ \(\d+\)$/, "")));
  const at = (name) => communes.indexOf(name);
  assert.ok(at("Saint-Étienne") >= 0 && at("Saint-Étienne") < at("Saint-Symphorien-de-Lay"), communes.join(", "));
  assert.ok(at("Boën-sur-Lignon") >= 0 && at("Boën-sur-Lignon") < at("Bourg-Argental"), communes.join(", "));
  const collator = new Intl.Collator("fr", { ignorePunctuation: true });
  assert.deepEqual(communes, [...communes].sort(collator.compare));
  const cards = await page.$$eval(".card", (cs) => cs.map((c) => c.innerText));
  for (const card of cards) {
    assert.match(card, /Accessibilité non communiquée/);
    assert.match(card, /Mercredi 2 décembre|Horaires non communiqués/);
  }
  assert.deepEqual(await axe(page), []);
  await page.context().close();
});

test("the notices page: running now, then upcoming by start date, then archives newest first", async () => {
  const page = await offlinePage(browser, sample.origin);
  await page.goto(`${sample.origin}/avis/`);
  const current = await page.$$eval("#en-cours-titre ~ .notice h3", (hs) => hs.map((h) => h.textContent));
  const archived = await page.$$eval("#archives-titre ~ .notice h3", (hs) => hs.map((h) => h.textContent));
  // The sample's clock is 23 November 2026: nothing runs yet; Villeparisis
  // from 30 November, Fontenay from 24 December, Joinville from 5 January.
  assert.deepEqual(current, [
    "Information : Ateliers « Mon compte Caf » en décembre",
    "Fermeture exceptionnelle pour les fêtes",
    "Horaires modifiés en janvier 2027",
  ]);
  assert.deepEqual(archived, ["Fermeture estivale du Point numérique Caf"]);
  await page.context().close();
});

test("on a phone, the first result of a search shows on the first screen", async () => {
  const page = await offlinePage(browser, national.origin, { viewport: { width: 360, height: 740 } });
  await page.goto(`${national.origin}/?now=${encodeURIComponent(NATIONAL_NOW)}`);
  await page.fill("#q", "carte grise replonges");
  await page.waitForSelector("#results > li h3");
  const top = await page.$eval("#results > li h3", (h) => h.getBoundingClientRect().top);
  assert.ok(top < 740 - 24, `first result at ${top} px`);
  await page.context().close();
});
