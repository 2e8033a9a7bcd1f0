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
  // Words between a démarche and a place ("impôts à Rouen", "caf près de
  // Lyon"): dropped before the rest is looked up as a place.
  var JOINERS = ["a", "au", "aux", "pres", "de", "du", "des", "d", "en", "sur", "vers", "autour", "dans", "cote",
    "chez", "pour", "proche", "proches", "mon", "ma", "mes"];
  // "…près de chez moi", "…ici": the resident's own position.
  var HERE = ["moi", "ici", "nous"];
  var EARTH_KM = 6371.0088;

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
  // The same with the alternatives' " word" made once, for loops over sites.
  function hasWord(hay, needles) {
    for (var a = 0; a < needles.length; a++) if (hay.indexOf(needles[a]) >= 0) return true;
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
      hours: raw.hours.slice(), schedules: [],
      name: new Array(n), slug: new Array(n), hay: new Array(n),
      commune: new Int32Array(n), label: new Int32Array(n), svc: new Uint32Array(n * W),
      lat: new Float64Array(n), lon: new Float64Array(n), flags: new Uint8Array(n), hoursOf: new Int32Array(n),
      street: new Array(n),
      // Unit vectors: the chord between two of them orders sites by
      // great-circle distance with three multiplications, no trigonometry.
      x: new Float64Array(n), y: new Float64Array(n), z: new Float64Array(n),
      siteDep: new Int32Array(n),
      // Sites by the first two and three letters of each word of their
      // text: a typed word is looked for only among the sites it can match.
      post: new Map(), communePost: new Map(),
      open: new Uint8Array(n), states: {}, now: null,
      phrases: new Map()
    };
    raw.services.forEach(function (s, k) { s[2].forEach(function (w) { addPhrase(ix, w, k, -1); }); });
    raw.labels.forEach(function (l, k) { addPhrase(ix, l[1], -1, k); addPhrase(ix, l[2], -1, k); });
    ix.phrases.forEach(function (list) { list.sort(function (a, b) { return b.words.length - a.words.length; }); });
    addPart(ix, raw.sites);
    return ix;
  }

  // A démarche's words, filed under their first word: services' everyday
  // keywords ("carte grise" → ANTS) and labels' names ("france services").
  function addPhrase(ix, text, service, label) {
    var words = normalise(text).split(" ").filter(Boolean);
    if (!words.length) return;
    var list = ix.phrases.get(words[0]), key = words.join(" "), e = null;
    if (!list) ix.phrases.set(words[0], list = []);
    for (var k = 0; k < list.length && !e; k++) if (list[k].key === key) e = list[k];
    if (!e) list.push(e = { key: key, words: words, svc: new Uint32Array(ix.W), labels: [] });
    if (service >= 0) e.svc[service >> 5] |= 1 << (service & 31);
    if (label >= 0 && e.labels.indexOf(label) < 0) e.labels.push(label);
  }

  /**
   * What the resident asks for: `needs`, the démarches named (each a set of
   * services and labels, longest keyword first: "carte grise", not "carte"),
   * and `rest`, the other words in order, joining words dropped, to be read
   * as a place or as words of a name. `here`: the rest says "near me".
   * A keyword's last word may be cut short when it ends the query, so
   * "carte gri" already means ANTS; single words must be whole ("per" is
   * not "permis": it may be Perpignan being typed).
   */
  function understand(ix, qn) {
    var words = qn.split(" ").filter(Boolean), needs = [], rest = [];
    for (var s = 0; s < words.length; s++) {
      var list = ix.phrases.get(words[s]) || [], hit = null;
      for (var p = 0; p < list.length && !hit; p++) {
        var pw = list[p].words, ok = pw.length <= words.length - s;
        for (var j = 1; j < pw.length && ok; j++) {
          var w = words[s + j];
          ok = w === pw[j] || (j === pw.length - 1 && s + j === words.length - 1 && pw[j].indexOf(w) === 0);
        }
        if (ok) hit = list[p];
      }
      if (hit) { needs.push(hit); s += hit.words.length - 1; } else rest.push(words[s]);
    }
    var here = rest.length > 0 && rest.some(function (w) { return HERE.indexOf(w) >= 0; }) &&
      rest.every(function (w) { return HERE.indexOf(w) >= 0 || JOINERS.indexOf(w) >= 0; });
    if (here) rest = [];
    else if (needs.length) {
      var dropped = "";
      while (rest.length && JOINERS.indexOf(rest[0]) >= 0) dropped = rest.shift();
      // "au Havre" is "Le Havre", "aux Abymes" "Les Abymes".
      var article = { au: "le", du: "le", aux: "les", des: "les" }[dropped];
      if (article && rest.length) rest.unshift(article);
    }
    return { needs: needs, rest: rest.join(" "), here: here };
  }

  /**
   * Appends rows of sites to the index: the first file's, or a part's
   * ({hours, sites}: a part brings the schedules its sites are the first to use).
   */
  function addPart(ix, rows) {
    var W = ix.W;
    if (!Array.isArray(rows)) {
      for (var h = 0; h < rows.hours.length; h++) ix.hours.push(rows.hours[h]);
      rows = rows.sites;
    }
    for (var r0 = 0; r0 < rows.length && ix.n < ix.count; r0++) {
      var r = rows[r0], i = ix.n++, key = r[2] + "|" + r[3], cid = ix.communeIds.get(key);
      if (cid === undefined) {
        cid = ix.communes.length;
        ix.communes.push({ name: r[2], postcode: r[3], dep: r[4], norm: normalise(r[2]) });
        ix.communeIds.set(key, cid);
        [ix.communes[cid].norm.slice(0, 2), r[3].slice(0, 2)].forEach(function (k, j, both) {
          if (j && k === both[0]) return;
          var list = ix.communePost.get(k);
          if (!list) ix.communePost.set(k, list = []);
          list.push(cid);
        });
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
      var u = unit(ix.lat[i], ix.lon[i]);
      ix.x[i] = u[0]; ix.y[i] = u[1]; ix.z[i] = u[2];
      ix.flags[i] = r[9];
      ix.hoursOf[i] = r[10];
      ix.street[i] = r[11] || "";
      ix.hay[i] = " " + normalise(ix.name[i]) + " " + c.norm + " " + c.postcode;
      ix.siteDep[i] = c.dep === null || c.dep === undefined ? ix.deps.length : c.dep;
      var words = ix.hay[i].split(" ");
      for (var w = 1; w < words.length; w++) {
        for (var len = 2; len <= 3 && len <= words[w].length; len++) {
          var key = words[w].slice(0, len), list = ix.post.get(key);
          if (!list) ix.post.set(key, list = []);
          if (list[list.length - 1] !== i) list.push(i);
        }
      }
    }
  }

  /** Site `i`'s public id, rebuilt from its commune when stored relative to it. */
  function siteSlug(ix, i) {
    var s = ix.slug[i];
    if (s !== "" && s[0] !== "-") return s;
    var c = ix.communes[ix.commune[i]];
    if (c.slug === undefined) c.slug = slugify(c.name);
    return c.slug + s;
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

  function unit(lat, lon) {
    var r = Math.PI / 180, c = Math.cos(lat * r);
    return [c * Math.cos(lon * r), c * Math.sin(lon * r), Math.sin(lat * r)];
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
    var toks = tokens(qn), n = ix.n;
    var candidates = null;
    if (last.ix === ix && last.n === n && last.qn && qn.indexOf(last.qn) === 0) candidates = last.set;
    var W = ix.W, per = toks.map(function (alts) {
      var svc = new Uint32Array(W), anySvc = false, labels = new Uint8Array(ix.labels.length + 1), deps = new Uint8Array(ix.deps.length + 1);
      ix.services.forEach(function (s, k) { if (hasPrefix(s.hay, alts)) { svc[k >> 5] |= 1 << (k & 31); anySvc = true; } });
      ix.labels.forEach(function (l, k) { if (hasPrefix(l.hay, alts)) labels[k] = 1; });
      ix.deps.forEach(function (d, k) { if (hasPrefix(d.hay, alts)) deps[k] = 1; });
      // Sites with a word starting with the token: only those in the
      // posting lists of its first two or three letters are read, not every site.
      var short = alts.some(function (a) { return a.length < 2; }), lists = short ? [] : alts.map(function (a) { return ix.post.get(a.slice(0, 3)) || []; });
      var size = short ? n : lists.reduce(function (sum, l) { return sum + l.length; }, 0);
      // Narrowed down by the last keystroke: reading the few candidates beats the lists.
      var needles = alts.map(function (a) { return " " + a; });
      if (candidates && candidates.length < size) return { words: null, needles: needles, svc: svc, anySvc: anySvc, labels: labels, deps: deps };
      var words = new Uint8Array(n);
      if (short) {
        for (var i = 0; i < n; i++) if (hasWord(ix.hay[i], needles)) words[i] = 1;
      } else {
        needles.forEach(function (needle, j) {
          var list = lists[j], k;
          // A token of two or three letters is its list's key: every site in it matches.
          if (needle.length <= 4) for (k = 0; k < list.length; k++) words[list[k]] = 1;
          else for (k = 0; k < list.length; k++) if (ix.hay[list[k]].indexOf(needle) >= 0) words[list[k]] = 1;
        });
      }
      return { words: words, needles: needles, svc: svc, anySvc: anySvc, labels: labels, deps: deps };
    });
    // 0: the commune's name or postcode is the query, 1: begins with it.
    var communeTier = new Uint8Array(ix.communes.length).fill(2);
    if (qn.length >= 2) (ix.communePost.get(qn.slice(0, 2)) || []).forEach(function (cid) {
      var cm = ix.communes[cid];
      if (cm.norm === qn || cm.postcode === qn) communeTier[cid] = 0;
      else if (cm.norm.startsWith(qn) || cm.postcode.startsWith(qn)) communeTier[cid] = 1;
    });
    var count = candidates ? candidates.length : n, found = 0;
    // Typed arrays: tens of thousands of matches, no garbage to collect.
    var out = new Int32Array(count), tiers = new Uint8Array(count);
    for (var c = 0; c < count; c++) {
      var i = candidates ? candidates[c] : c, how = 2, ok = true;
      for (var t = 0; t < per.length && ok; t++) {
        var p = per[t];
        if (p.words ? p.words[i] : hasWord(ix.hay[i], p.needles)) continue;
        var lab = ix.label[i];
        if ((lab >= 0 && p.labels[lab]) || p.deps[ix.siteDep[i]]) { how = how > 3 ? how : 3; continue; }
        ok = false;
        if (p.anySvc) for (var w = 0; w < W && !ok; w++) ok = (ix.svc[i * W + w] & p.svc[w]) !== 0;
        how = 4;
      }
      if (!ok) continue;
      var ct = communeTier[ix.commune[i]];
      out[found] = i;
      tiers[found++] = ct < 2 ? ct : how;
    }
    out = out.subarray(0, found);
    last = { ix: ix, n: n, qn: qn, set: out };
    return { sites: out, tiers: tiers.subarray(0, found) };
  }

  // Optional facts have three states: a filter drops only the sites known
  // not to fit; those that do not say stay, and are counted.
  function passes(ix, i, f, needs) {
    if (f.label !== undefined && f.label >= 0 && ix.label[i] !== f.label) return false;
    if (f.service !== undefined && f.service >= 0 && !(ix.svc[i * ix.W + (f.service >> 5)] & (1 << (f.service & 31)))) return false;
    if (f.open && !ix.open[i]) return false;
    var a = ix.flags[i] & 3;
    if (f.walkIn && (a === 1 || a === 2)) return false;
    if (f.wheelchair && (ix.flags[i] & 8)) return false;
    for (var k = 0; k < needs.length; k++) {
      var need = needs[k], ok = need.labels.indexOf(ix.label[i]) >= 0;
      for (var w = 0; w < ix.W && !ok; w++) ok = (ix.svc[i * ix.W + w] & need.svc[w]) !== 0;
      if (!ok) return false;
    }
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
   * The démarches named in `q` (see `understand`) keep the sites that offer
   * them; the other words must match the sites' text, unless
   * `placeFromQuery` says they named the place. With a place, results go
   * from the nearest to the farthest, whatever matched how: a site far away
   * whose name has the words is not placed before a nearer one. Without
   * one, by how well the text matched, then by name.
   * Returns { total, items: [{ i, km }] (at most `limit`), keys: every
   * result in no particular order (site index = key % 2^20), needs, rest,
   * tier: without a place, how the best result matched the words (0 its
   * commune, 2 its name, 3 its département or label, 4 a service's words),
   * unknown: { wheelchair, appointment } counts of results that do not say }.
   */
  function search(ix, query, limit) {
    var f = query.filters || {}, place = query.place, u = understand(ix, normalise(query.q || ""));
    // One letter after a démarche ("impôts r") is a place being typed: it
    // would match nearly every site, so it waits for a second one.
    var text = query.placeFromQuery || u.here || (u.needs.length && u.rest.length < 2) ? "" : u.rest;
    var m = text ? textMatches(ix, text) : null;
    var count = m ? m.sites.length : ix.n, keys = new Float64Array(count), n = 0;
    var px = 0, py = 0, pz = 0, unknownWheelchair = 0, unknownAppointment = 0, best = 9;
    if (place) { var p = unit(place.lat, place.lon); px = p[0]; py = p[1]; pz = p[2]; }
    var sieve = u.needs.length || f.open || f.walkIn || f.wheelchair || f.label >= 0 || f.service >= 0;
    for (var c = 0; c < count; c++) {
      var i = m ? m.sites[c] : c;
      if (sieve && !passes(ix, i, f, u.needs)) continue;
      var flags = ix.flags[i];
      if (!(flags & 12)) unknownWheelchair++;
      if ((flags & 3) === 3) unknownAppointment++;
      var sub;
      if (place) {
        // Chord length in millionths of the Earth's radius (6 m steps).
        var dx = ix.x[i] - px, dy = ix.y[i] - py, dz = ix.z[i] - pz;
        sub = isNaN(dx) ? 9e6 : Math.round(Math.sqrt(dx * dx + dy * dy + dz * dz) * 1e6);
      } else {
        var tier = m ? m.tiers[c] : 0;
        if (tier < best) best = tier;
        sub = tier * 1048576 + i; // the index lists sites in name order
      }
      keys[n++] = sub * 1048576 + i;
    }
    var items = smallest(keys, n, limit).map(function (key) {
      var site = key % 1048576;
      return { i: site, km: place && !isNaN(ix.lat[site]) ? km(place.lat, place.lon, ix.lat[site], ix.lon[site]) : null };
    });
    return { total: n, items: items, keys: keys.subarray(0, n), needs: u.needs, rest: u.rest, here: u.here, tier: best,
      unknown: { wheelchair: unknownWheelchair, appointment: unknownAppointment } };
  }

  // "saint etienne" for "st etienne".
  function bareName(qn) {
    return qn.replace(/^st /, "saint ").replace(/^ste /, "sainte ");
  }

  /**
   * Communes of a gazetteer bucket matching the query, best first. `exact`:
   * the query is the commune's whole name or one of its postcodes; `code`:
   * the postcode typed (or begun), so that "97430" reads "Le Tampon (97430)"
   * and not the commune's first postcode.
   */
  function communes(bucket, qn, max) {
    var toks = tokens(qn).map(function (alts) { return alts.map(function (a) { return " " + a; }); });
    var out = [], bare = bareName(qn), digits = /^\d+$/.test(qn);
    for (var r = 0; r < bucket.length; r++) {
      var row = bucket[r];
      if (row.norm === undefined) { row.norm = " " + normalise(row[0]); row.codes = " " + row[1]; row.bare = bareName(row.norm.slice(1)); }
      var ok = true;
      for (var t = 0; t < toks.length && ok; t++) ok = hasWord(row.norm, toks[t]) || hasWord(row.codes, toks[t]);
      if (!ok) continue;
      var at = digits ? row.codes.indexOf(" " + qn) : -1;
      var exact = row.norm.slice(1) === qn || row.bare === bare || (at >= 0 && qn.length === 5);
      out.push({ name: row[0], postcodes: row[1], lat: row[2] / 1e4, lon: row[3] / 1e4, exact: exact,
        code: at >= 0 ? row.codes.substr(at + 1, 5) : "",
        rank: (exact ? 0 : row.norm.indexOf(" " + qn) === 0 ? 1 : 2) * 1000 + row[0].length });
    }
    out.sort(function (a, b) { return a.rank - b.rank || a.name.localeCompare(b.name, "fr"); });
    return out.slice(0, max);
  }

  /**
   * How a commune is named to residents: with the postcode typed, else its
   * only postcode, else its département when it has several ("Lyon (69)",
   * "Le Tampon (974)"), else the name alone (never "Paris ()").
   */
  function placeLabel(c) {
    var codes = (c.postcodes || "").split(" ").filter(Boolean), code = c.code;
    if (!code && codes.length === 1) code = codes[0];
    if (!code && codes.length) {
      var p = codes[0];
      code = p.slice(0, 2) === "97" || p.slice(0, 2) === "98" ? p.slice(0, 3) : p.slice(0, 2) === "20" ? (p < "20200" ? "2A" : "2B") : p.slice(0, 2);
    }
    return code ? c.name + " (" + code + ")" : c.name;
  }

  var VOWEL = /^[AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆaeiouyàâäéèêëîïôöùûüœæ]/;
  /**
   * A place name after "de" or "à", contracted as French requires:
   * ["du", "Tampon (97430)"], ["des", "Abymes"], ["d'", "Évry"], ["au",
   * "Havre"], ["aux", "Abymes"]; "La" and "L'" do not contract.
   */
  function withPreposition(name, to) {
    var m = /^(Le|Les) (.+)$/.exec(name);
    if (m) return [to ? (m[1] === "Le" ? "au" : "aux") : (m[1] === "Le" ? "du" : "des"), m[2]];
    if (!to && VOWEL.test(name)) return ["d'", name];
    return [to ? "à" : "de", name];
  }
  /** "du Tampon (97430)", "de Rouen (76000)", "d'Évry (91000)", "au Havre (76600)". */
  function ofPlace(name, to) {
    var p = withPreposition(name, to);
    return p[0] === "d'" ? p[0] + p[1] : p[0] + " " + p[1];
  }

  root.GuichetSearch = { normalise: normalise, slugify: slugify, communeKey: communeKey, load: load, addPart: addPart,
    schedule: schedule, refreshOpen: refreshOpen, openState: openState, siteSlug: siteSlug, search: search, communes: communes, km: km,
    understand: understand, placeLabel: placeLabel, withPreposition: withPreposition, ofPlace: ofPlace };
})(typeof window !== "undefined" ? window : globalThis);
