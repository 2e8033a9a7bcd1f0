// guichet search engine: decodes search-index.json (layout documented in
// src/derive/search.rs) and answers queries. No DOM here: search.js draws.
(function (root) {
  "use strict";

  // Same table as the Rust `fold_char`, so slugs rebuilt here match the
  // published page paths.
  var FOLD = { "à": "a", "â": "a", "ä": "a", "á": "a", "ã": "a", "À": "a", "Â": "a", "Ä": "a", "Á": "a",
    "ç": "c", "Ç": "c", "é": "e", "è": "e", "ê": "e", "ë": "e", "É": "e", "È": "e", "Ê": "e", "Ë": "e",
    "î": "i", "ï": "i", "í": "i", "Î": "i", "Ï": "i", "ô": "o", "ö": "o", "ó": "o", "Ô": "o", "Ö": "o",
    "ù": "u", "û": "u", "ü": "u", "ú": "u", "Ù": "u", "Û": "u", "Ü": "u", "ÿ": "y", "Ÿ": "y",
    "œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae" };
  var SKIPPED = ["saint", "sainte", "st", "ste", "le", "la", "les", "l"];
  // Abbreviations residents type for words in names.
  var ALIASES = { st: ["st", "saint"], ste: ["ste", "sainte"] };

  /** Lowercase, accents dropped, punctuation to single spaces. */
  function normalise(s) {
    return String(s).toLowerCase().replace(/[œæ]/g, function (c) { return c === "œ" ? "oe" : "ae"; })
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  /** The Rust `slugify`: "Saint-Étienne" → "saint-etienne". */
  function slugify(s) {
    var out = "";
    for (var ch of String(s)) {
      var f = FOLD[ch] !== undefined ? FOLD[ch] : ch;
      for (var c of f) {
        if (/[A-Za-z0-9]/.test(c)) out += c.toLowerCase();
        else if (out && out[out.length - 1] !== "-") out += "-";
      }
    }
    return out.replace(/-+$/, "");
  }

  /** Bucket of the commune gazetteer a query needs (Rust `name_key`), or "". */
  function communeKey(qn) {
    var words = qn.split(" ").filter(Boolean);
    if (words.length && /^\d/.test(words[0])) return words[0].length >= 2 ? words[0].slice(0, 2) : "";
    var i = 0;
    while (i < words.length - 1 && SKIPPED.indexOf(words[i]) >= 0) i++;
    var key = words.slice(i).join("").slice(0, 2);
    return key.length === 2 ? key : "";
  }

  function tokens(qn) {
    return qn.split(" ").filter(Boolean).map(function (t) { return ALIASES[t] || [t]; });
  }

  // " word word" contains a word starting with one of the alternatives.
  function hasPrefix(hay, alts) {
    for (var a = 0; a < alts.length; a++) if (hay.indexOf(" " + alts[a]) >= 0) return true;
    return false;
  }

  function parseIntervals(s) {
    return s ? s.split(",").map(function (p) { var ab = p.split("-"); return [+ab[0], +ab[1]]; }) : [];
  }

  /**
   * Decodes the index into column arrays the search scans quickly. Room is
   * made for every site; `addPart` decodes the further files as they come.
   */
  function load(raw) {
    var n = raw.count !== undefined ? raw.count : raw.sites.length, W = Math.max(1, Math.ceil(raw.services.length / 32));
    var ix = {
      n: 0, count: n, W: W, from: raw.from, until: raw.until, tz: raw.tz, parts: raw.parts || [],
      labels: raw.labels.map(function (l) { return { id: l[0], name: l[1], short: l[2], hay: " " + normalise(l[1] + " " + l[2]) }; }),
      services: raw.services.map(function (s) { return { id: s[0], name: s[1], hay: " " + normalise(s[1]) + " " + s[2].join(" ") }; }),
      deps: raw.deps.map(function (d) { return { code: d[0], name: d[1], hay: " " + d[0].toLowerCase() + " " + normalise(d[1]) }; }),
      communes: [], communeIds: new Map(),
      hours: raw.hours, schedules: [],
      name: new Array(n), slug: new Array(n), hay: new Array(n),
      commune: new Int32Array(n), label: new Int32Array(n), svc: new Uint32Array(n * W),
      lat: new Float64Array(n), lon: new Float64Array(n), flags: new Uint8Array(n), hoursOf: new Int32Array(n),
      open: new Uint8Array(n), states: {}, now: null
    };
    addPart(ix, raw.sites);
    return ix;
  }

  /** Appends rows of sites (the first file's or a part's) to the index. */
  function addPart(ix, rows) {
    var W = ix.W;
    for (var r0 = 0; r0 < rows.length && ix.n < ix.count; r0++) {
      var r = rows[r0], i = ix.n++, key = r[2] + "|" + r[3], cid = ix.communeIds.get(key);
      if (cid === undefined) {
        cid = ix.communes.length;
        ix.communes.push({ name: r[2], postcode: r[3], dep: r[4], norm: normalise(r[2]) });
        ix.communeIds.set(key, cid);
      }
      var c = ix.communes[cid];
      ix.name[i] = r[1].replace(/~~?/g, function (m) { return m === "~~" ? "~" : c.name; });
      ix.slug[i] = r[0];
      ix.commune[i] = cid;
      ix.label[i] = r[5] === null ? -1 : r[5];
      var hex = r[6];
      for (var b = 0; b < hex.length; b++) {
        var nib = parseInt(hex[hex.length - 1 - b], 16), bit = b * 4;
        for (var k = 0; k < 4; k++) if (nib & (1 << k)) ix.svc[i * W + ((bit + k) >> 5)] |= 1 << ((bit + k) & 31);
      }
      ix.lat[i] = r[7] === null ? NaN : r[7] / 1e4;
      ix.lon[i] = r[8] === null ? NaN : r[8] / 1e4;
      ix.flags[i] = r[9];
      ix.hoursOf[i] = r[10];
      ix.hay[i] = " " + normalise(ix.name[i]) + " " + c.norm + " " + c.postcode;
    }
  }

  /** Site `i`'s public id, rebuilt from its commune when stored relative to it. */
  function siteSlug(ix, i) {
    var s = ix.slug[i];
    return s === "" || s[0] === "-" ? slugify(ix.communes[ix.commune[i]].name) + s : s;
  }

  /** A schedule in the shape guichet.js `openState` reads, or null when hours are unknown. */
  function schedule(ix, i, addDays) {
    var h = ix.hoursOf[i];
    if (h < 0) return null;
    if (!ix.schedules[h]) {
      var e = ix.hours[h], exceptions = {};
      if (e[2]) e[2].split(";").forEach(function (p) {
        var at = p.indexOf(":");
        exceptions[addDays(ix.from, +p.slice(0, at))] = parseIntervals(p.slice(at + 1));
      });
      ix.schedules[h] = { tz: ix.tz[e[0]], from: ix.from, until: ix.until,
        week: [0, 1, 2, 3, 4, 5, 6].map(function (d) { return parseIntervals(e[1].split("|")[d]); }), exceptions: exceptions };
    }
    return ix.schedules[h];
  }

  /**
   * Recomputes which sites are open at `now`: today's intervals only, once
   * per distinct schedule, so it stays cheap for tens of thousands of sites.
   */
  function refreshOpen(ix, now, g) {
    var zones = {}, byHours = new Int8Array(ix.hours.length).fill(-1);
    ix.now = now;
    ix.states = {};
    for (var i = 0; i < ix.n; i++) {
      var h = ix.hoursOf[i];
      if (h < 0) { ix.open[i] = 0; continue; }
      if (byHours[h] < 0) {
        var s = schedule(ix, i, g.addDays), z = zones[s.tz] || (zones[s.tz] = g.zoned(now, s.tz));
        var today = z.iso < s.from || z.iso > s.until ? [] : Object.prototype.hasOwnProperty.call(s.exceptions, z.iso)
          ? s.exceptions[z.iso] : s.week[(new Date(z.iso + "T12:00:00Z").getUTCDay() + 6) % 7];
        byHours[h] = today.some(function (iv) { return z.minutes >= iv[0] && z.minutes < iv[1]; }) ? 1 : 0;
      }
      ix.open[i] = byHours[h];
    }
  }

  /** guichet.js's open-now text for site `i`, computed once per schedule per refresh. */
  function openState(ix, i, g) {
    var h = ix.hoursOf[i];
    if (h < 0) return null;
    if (!(h in ix.states)) ix.states[h] = g.openState(schedule(ix, i, g.addDays), ix.now);
    return ix.states[h];
  }

  function km(lat1, lon1, lat2, lon2) {
    var r = Math.PI / 180, dLat = (lat2 - lat1) * r, dLon = (lon2 - lon1) * r;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 12742.0176 * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  var last = { ix: null, qn: null, set: null };

  // Sites whose text, département, label or services match every token, with
  // a rank: 0 exact commune or postcode, 1 commune or postcode prefix,
  // 2 words of the name or commune, 3 département or label, 4 services.
  function textMatches(ix, qn) {
    var toks = tokens(qn);
    var candidates = null;
    if (last.ix === ix && last.n === ix.n && last.qn && qn.indexOf(last.qn) === 0) candidates = last.set;
    var W = ix.W, per = toks.map(function (alts) {
      var svc = new Uint32Array(W), labels = [], deps = [];
      ix.services.forEach(function (s, k) { if (hasPrefix(s.hay, alts)) svc[k >> 5] |= 1 << (k & 31); });
      ix.labels.forEach(function (l, k) { if (hasPrefix(l.hay, alts)) labels.push(k); });
      ix.deps.forEach(function (d, k) { if (hasPrefix(d.hay, alts)) deps.push(k); });
      return { alts: alts, svc: svc, labels: labels, deps: deps };
    });
    var out = [], tiers = [];
    var count = candidates ? candidates.length : ix.n;
    for (var c = 0; c < count; c++) {
      var i = candidates ? candidates[c] : c, how = 2, ok = true;
      for (var t = 0; t < per.length && ok; t++) {
        var p = per[t];
        if (hasPrefix(ix.hay[i], p.alts)) continue;
        if (p.labels.indexOf(ix.label[i]) >= 0 || p.deps.indexOf(ix.communes[ix.commune[i]].dep) >= 0) { how = Math.max(how, 3); continue; }
        ok = false;
        for (var w = 0; w < W && !ok; w++) ok = (ix.svc[i * W + w] & p.svc[w]) !== 0;
        how = 4;
      }
      if (!ok) continue;
      var cm = ix.communes[ix.commune[i]];
      out.push(i);
      tiers.push(cm.norm === qn || cm.postcode === qn ? 0
        : qn.length >= 2 && (cm.norm.indexOf(qn) === 0 || cm.postcode.indexOf(qn) === 0) ? 1 : how);
    }
    last = { ix: ix, n: ix.n, qn: qn, set: out };
    return { sites: out, tiers: tiers };
  }

  function passes(ix, i, f) {
    if (f.label !== undefined && f.label >= 0 && ix.label[i] !== f.label) return false;
    if (f.service !== undefined && f.service >= 0 && !(ix.svc[i * ix.W + (f.service >> 5)] & (1 << (f.service & 31)))) return false;
    if (f.open && !ix.open[i]) return false;
    if (f.walkIn && (ix.flags[i] & 3) !== 0) return false;
    if (f.wheelchair && !(ix.flags[i] & 4)) return false;
    return true;
  }

  // The `limit` smallest keys, in order, with a max-heap: O(n log limit)
  // rather than sorting every match.
  function smallest(keys, count, limit) {
    var heap = [];
    function down(h, k) {
      for (;;) {
        var l = 2 * k + 1, r = l + 1, m = k;
        if (l < h.length && h[l] > h[m]) m = l;
        if (r < h.length && h[r] > h[m]) m = r;
        if (m === k) return;
        var t = h[k]; h[k] = h[m]; h[m] = t; k = m;
      }
    }
    for (var j = 0; j < count; j++) {
      var key = keys[j];
      if (heap.length < limit) {
        heap.push(key);
        for (var k = heap.length - 1; k > 0;) {
          var p = (k - 1) >> 1;
          if (heap[p] >= heap[k]) break;
          var t = heap[p]; heap[p] = heap[k]; heap[k] = t; k = p;
        }
      } else if (key < heap[0]) {
        heap[0] = key;
        down(heap, 0);
      }
    }
    return heap.sort(function (a, b) { return a - b; });
  }

  /**
   * Query: { q, place: {lat, lon} | null, placeFromQuery: bool, filters }.
   * Sites matching the text come first by rank, then (when the query named a
   * place) every other site by distance. Returns { total, matched, items:
   * [{ i, km }] } with at most `limit` items, and `keys`: every result, in no
   * particular order (site index = key % 2^20).
   */
  function search(ix, query, limit) {
    var qn = normalise(query.q || ""), f = query.filters || {}, place = query.place;
    var everyone = !qn || !!(place && query.placeFromQuery);
    var m = qn ? textMatches(ix, qn) : null, tierOf = null;
    if (m && everyone) {
      tierOf = new Int8Array(ix.n).fill(-1);
      for (var k = 0; k < m.sites.length; k++) tierOf[m.sites[k]] = m.tiers[k];
    }
    // Only the text matches are visited unless every site is in the results.
    var count = everyone ? ix.n : m.sites.length;
    var keys = new Float64Array(count), n = 0, matched = 0;
    for (var c = 0; c < count; c++) {
      var i = everyone ? c : m.sites[c];
      var tier = everyone ? (tierOf ? tierOf[i] : 0) : m.tiers[c];
      if (!passes(ix, i, f)) continue;
      if (tier < 0) tier = 5; else if (qn) matched++;
      var sub = i; // the index lists sites in name order
      if (place) sub = Math.round((isNaN(ix.lat[i]) ? 40000 : km(place.lat, place.lon, ix.lat[i], ix.lon[i])) * 100);
      keys[n++] = (tier * 1e7 + sub) * 1048576 + i;
    }
    var items = smallest(keys, n, limit).map(function (key) {
      var site = key % 1048576, d = Math.floor(key / 1048576) % 1e7 / 100;
      return { i: site, km: place && d < 40000 ? d : null };
    });
    return { total: n, matched: matched, items: items, keys: keys.subarray(0, n) };
  }

  /** Communes of a gazetteer bucket matching the query, best first. */
  function communes(bucket, qn, max) {
    var toks = tokens(qn), out = [];
    for (var r = 0; r < bucket.length; r++) {
      var row = bucket[r];
      if (row.norm === undefined) { row.norm = " " + normalise(row[0]); row.codes = " " + row[1]; }
      var ok = toks.every(function (alts) { return hasPrefix(row.norm, alts) || hasPrefix(row.codes, alts); });
      if (!ok) continue;
      var exact = row.norm.slice(1) === qn || row.codes.indexOf(" " + qn) >= 0 && qn.length === 5;
      out.push({ name: row[0], postcodes: row[1], lat: row[2] / 1e4, lon: row[3] / 1e4, exact: exact,
        rank: (exact ? 0 : row.norm.indexOf(" " + qn) === 0 ? 1 : 2) * 1000 + row[0].length });
    }
    out.sort(function (a, b) { return a.rank - b.rank || a.name.localeCompare(b.name, "fr"); });
    return out.slice(0, max);
  }

  root.GuichetSearch = { normalise: normalise, slugify: slugify, communeKey: communeKey, load: load, addPart: addPart,
    schedule: schedule, refreshOpen: refreshOpen, openState: openState, siteSlug: siteSlug, search: search, communes: communes, km: km };
})(typeof window !== "undefined" ? window : globalThis);
