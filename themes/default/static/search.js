// guichet home page: search as you type, near me, filters kept in the URL.
// The page works without this file (browse links); it only adds to it.
(function () {
  "use strict";
  var S = window.GuichetSearch, PAGE = 10;
  var app, form, input, status, list, more, places, chip, allSites, filters = {};
  var ix = null, g = null, shown = PAGE, buckets = {}, place = null, autoPlace = null, lastPlace = null;
  var announceTimer = 0, replaceTimer = 0, drawn = "";
  var timings = [];

  function el(id) { return document.getElementById(id); }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }
  // "1,2 km" under 10 km, "12 km" beyond: as on site pages.
  function formatKm(km) { return km < 10 ? km.toFixed(1).replace(".", ",") + " km" : Math.round(km) + " km"; }
  // "2 845 lieux": French digit groups, with one formatter (building one
  // per call costs more than the search).
  var NUMBER = new Intl.NumberFormat("fr-FR");
  function plural(n, one, many) { return NUMBER.format(n) + " " + (n > 1 ? many : one); }

  // ---- State <-> URL ----------------------------------------------------
  function readState() {
    var p = new URLSearchParams(location.search);
    input.value = p.get("q") || "";
    filters.label.value = p.get("label") || "";
    if (p.get("label") || p.get("service")) el("more-filters").open = true;
    filters.service.value = p.get("service") || "";
    filters.open.checked = p.get("ouvert") === "1";
    filters.walkIn.checked = p.get("sans-rdv") === "1";
    filters.wheelchair.checked = p.get("fauteuil") === "1";
    var pres = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(p.get("pres") || "");
    place = pres ? { lat: +pres[1], lon: +pres[2], label: p.get("lieu") || "votre position" } : null;
  }
  function stateUrl() {
    var p = new URLSearchParams(location.search), set = function (k, v) { if (v) p.set(k, v); else p.delete(k); };
    set("q", input.value.trim());
    set("label", filters.label.value);
    set("service", filters.service.value);
    set("ouvert", filters.open.checked ? "1" : "");
    set("sans-rdv", filters.walkIn.checked ? "1" : "");
    set("fauteuil", filters.wheelchair.checked ? "1" : "");
    set("pres", place ? place.lat.toFixed(3) + "," + place.lon.toFixed(3) : "");
    set("lieu", place ? place.label : "");
    var qs = p.toString();
    return location.pathname + (qs ? "?" + qs : "") + location.hash;
  }
  // Filters and places are steps the back button returns to; typing is not.
  function pushState() { clearTimeout(replaceTimer); if (stateUrl() !== location.pathname + location.search + location.hash) history.pushState(null, "", stateUrl()); }
  function replaceStateSoon() { clearTimeout(replaceTimer); replaceTimer = setTimeout(function () { history.replaceState(null, "", stateUrl()); }, 400); }

  // ---- Communes (near a typed commune or postcode) -----------------------
  function bucket(key) {
    if (!key) return null;
    if (buckets[key] === undefined) {
      buckets[key] = "loading";
      // Starting a fetch costs milliseconds on a slow phone: after this
      // keystroke's results are drawn, not before.
      setTimeout(function () {
        fetch(app.dataset.communes + key + ".json").then(function (r) { return r.ok ? r.json() : []; })
          .catch(function () { return []; })
          .then(function (rows) { buckets[key] = rows; run(false); });
      }, 0);
    }
    return buckets[key] === "loading" ? null : buckets[key];
  }
  var placesDrawn = "";
  function drawPlaces(found) {
    var offer = found.filter(function (c) { return !autoPlace || c.name !== autoPlace.name; });
    var html = !offer.length || place ? "" : "<p>Les plus proches de :</p><ul>" + offer.map(function (c, k) {
      return '<li><button type="button" class="secondary" data-k="' + k + '">' + esc(S.placeLabel(c)) + "</button></li>";
    }).join("") + "</ul>";
    // The same offer as at the last keystroke costs nothing.
    if (html === placesDrawn) return;
    placesDrawn = html;
    places.innerHTML = html;
    places.hidden = !html;
    if (!html) return;
    places.querySelectorAll("button").forEach(function (b) {
      b.addEventListener("click", function () {
        var c = offer[+b.dataset.k];
        setPlace({ lat: c.lat, lon: c.lon, label: S.placeLabel(c) });
      });
    });
  }
  function setPlace(p) {
    place = p;
    remember(p);
    input.value = "";
    pushState();
    run(true);
    list.querySelector("h3 a") ? list.querySelector("h3 a").focus() : input.focus();
  }
  // The last place the resident gave (typed, picked or near me), for a
  // démarche typed alone afterwards: kept for the tab's life only.
  function remember(p) {
    lastPlace = { lat: p.lat, lon: p.lon, label: p.label };
    try { sessionStorage.setItem("guichet-place", JSON.stringify(lastPlace)); } catch (e) { /* private mode */ }
  }
  function forget() {
    place = null; lastPlace = null;
    try { sessionStorage.removeItem("guichet-place"); } catch (e) { /* private mode */ }
  }
  function recall() {
    try {
      var p = JSON.parse(sessionStorage.getItem("guichet-place") || "null");
      if (p && isFinite(p.lat) && isFinite(p.lon) && typeof p.label === "string") lastPlace = p;
    } catch (e) { /* none kept */ }
  }

  // ---- Results -------------------------------------------------------------
  var APPOINTMENT = ["Sans rendez-vous", "Rendez-vous conseillé", "Sur rendez-vous", "Rendez-vous : non communiqué"];
  function openHtml(i) {
    var open = S.openState(ix, i, g);
    return open ? '<p class="open-state ' + (open.open ? "is-open" : "is-closed") + '">' + esc(open.text) + "</p>" : "";
  }
  function card(item) {
    var i = item.i, c = ix.communes[ix.commune[i]], label = ix.labels[ix.label[i]], flags = ix.flags[i];
    // Optional facts in three states: what is not stated is said so, never read as "no".
    var facts = [APPOINTMENT[flags & 3], flags & 4 ? "Accessible en fauteuil roulant"
      : flags & 8 ? "Non accessible en fauteuil roulant" : "Accessibilité non communiquée"];
    if (ix.hoursOf[i] < 0) facts.push("Horaires non communiqués");
    return '<li class="card" data-i="' + i + '"><h3><a href="' + esc(app.dataset.base + "lieux/" + S.siteSlug(ix, i) + "/") + '">' + esc(ix.name[i]) + "</a></h3>" +
      '<p class="meta">' + (label ? '<span class="badge badge-' + esc(label.id) + '">' + esc(label.short) + "</span> " : "") +
      esc(c.name) + " (" + esc(c.postcode) + ")" + (item.km !== null ? ' · <span class="distance">à ' + formatKm(item.km) + "</span>" : "") + "</p>" +
      (ix.street[i] ? '<p class="address">' + esc(ix.street[i]) + "</p>" : "") +
      openHtml(i) + '<p class="facts">' + facts.join(" · ") + "</p></li>";
  }
  // Open now / next opening of the cards on screen, as the clock moves on:
  // only their text changes, so focus and scrolling stay where they are.
  function refreshCards() {
    list.querySelectorAll("li[data-i]").forEach(function (li) {
      var i = +li.getAttribute("data-i"), p = li.querySelector(".open-state"), open = S.openState(ix, i, g);
      if (!p || !open) return;
      p.textContent = open.text;
      p.className = "open-state " + (open.open ? "is-open" : "is-closed");
    });
  }
  // Asked in the list itself when a démarche or a filter alone would list
  // the whole country from A to Z.
  function askPlace(what) {
    return '<li class="ask-place"><p><strong>Près de quelle commune ?</strong> ' + esc(what) +
      ' Ajoutez votre commune ou votre code postal à la recherche (par exemple « carte grise 92260 »), ou :</p>' +
      '<p><button type="button" class="secondary" data-near-me>Chercher autour de moi</button></p></li>';
  }

  function active() {
    return input.value.trim() || place || filters.label.value || filters.service.value ||
      filters.open.checked || filters.walkIn.checked || filters.wheelchair.checked;
  }
  function filterValues() {
    return { label: indexOf(ix.labels, filters.label.value), service: indexOf(ix.services, filters.service.value),
      open: filters.open.checked, walkIn: filters.walkIn.checked, wheelchair: filters.wheelchair.checked };
  }
  function showChip(p) {
    chip.hidden = !p;
    if (!p) return;
    var of = S.withPreposition(p.label, false);
    chip.querySelector(".place-of").textContent = of[0] === "d'" ? "d’" : of[0] + " ";
    chip.querySelector("strong").textContent = of[1];
  }
  // What the results leave out or cannot tell, for the status line.
  function unknownNote(res) {
    var notes = [];
    if (filters.wheelchair.checked && res.unknown.wheelchair) notes.push("accessibilité non communiquée pour " + plural(res.unknown.wheelchair, "lieu", "lieux"));
    if (filters.walkIn.checked && res.unknown.appointment) notes.push("prise de rendez-vous non communiquée pour " + plural(res.unknown.appointment, "lieu", "lieux"));
    if (!notes.length) return "";
    var s = notes.join(", ");
    return " " + s[0].toUpperCase() + s.slice(1) + " : ils restent dans la liste, renseignez-vous avant de vous déplacer.";
  }

  function run(resetPaging) {
    if (!ix) return;
    var t0 = performance.now();
    if (resetPaging) shown = PAGE;
    var q = input.value.trim(), qn = S.normalise(q), u = S.understand(ix, qn), found = [];
    autoPlace = null;
    // The words that are not a démarche may name the place: a commune or a
    // postcode of the gazetteer, found as they are typed.
    if (u.rest.length >= 2) {
      var rows = bucket(S.communeKey(u.rest));
      if (rows) {
        found = S.communes(rows, u.rest, 4);
        var exact = found.filter(function (c) { return c.exact; });
        var byCode = /^\d{5}$/.test(u.rest);
        if (exact.length === 1 || (byCode && exact.length)) autoPlace = exact[0];
      }
    }
    drawPlaces(found);
    if (!active()) {
      showChip(null);
      list.innerHTML = ""; drawn = ""; more.hidden = true; allSites.hidden = false; status.textContent = "";
      document.dispatchEvent(new CustomEvent("guichet:results", { detail: { ix: ix, keys: null, query: "" } }));
      return;
    }
    // One letter matches nearly every site: wait for a second one.
    if (qn.length === 1 && !place) {
      showChip(null);
      list.innerHTML = ""; drawn = ""; more.hidden = true; allSites.hidden = false;
      clearTimeout(announceTimer);
      status.textContent = "Tapez au moins deux lettres ou chiffres.";
      return;
    }
    if (autoPlace) remember({ lat: autoPlace.lat, lon: autoPlace.lon, label: S.placeLabel(autoPlace) });
    // The place: the one the words name, else the one chosen, else (for a
    // démarche or filters alone) the last one given.
    var fromQuery = !!autoPlace, byWords = !!u.rest && !fromQuery && !u.here;
    var ref = autoPlace ? { lat: autoPlace.lat, lon: autoPlace.lon, label: S.placeLabel(autoPlace) }
      : place || (!byWords ? lastPlace : null);
    var res = S.search(ix, { q: q, place: ref, placeFromQuery: fromQuery, filters: filterValues() }, shown);
    if (byWords && !res.total && u.needs.length) {
      // After a démarche, words no site has are a commune being typed
      // ("carte grise rep…"): the démarche alone meanwhile, not "nothing".
      byWords = false;
      ref = place || lastPlace;
      res = S.search(ix, { q: q, place: ref, placeFromQuery: true, filters: filterValues() }, shown);
    }
    showChip(fromQuery ? null : ref);
    var what = u.needs.length ? "« " + u.needs.map(function (n) { return n.key; }).join(" », « ") + " »" : "";
    // A démarche or filters alone, with no place known: the whole country
    // from A to Z helps no one; ask where, in the list itself.
    // Words that only begin a service's keywords ("car", "retrai") are the
    // same: a démarche being typed.
    var ask = !ref && (!byWords || res.tier >= 4) && res.total > PAGE;
    var html = ask ? askPlace(plural(res.total, "lieu correspond", "lieux correspondent") + (what ? " à " + what : "") + ".")
      : res.items.map(card).join("");
    // Unchanged results (one more letter of the same name) cost no layout.
    if (html !== drawn) {
      list.innerHTML = html; drawn = html;
      var b = list.querySelector("[data-near-me]");
      if (b) b.addEventListener("click", nearMe);
    }
    allSites.hidden = true;
    more.hidden = ask || res.total <= shown;
    timings.push(performance.now() - t0);
    var msg = res.total === 0 ? "Aucun lieu ne correspond. Essayez un autre mot, retirez un filtre, ou parcourez les départements."
      : ask ? plural(res.total, "lieu correspond", "lieux correspondent") + (what ? " à " + what : "") + " : indiquez une commune, un code postal ou « autour de moi » pour voir les plus proches."
      : ref ? plural(res.total, "lieu", "lieux") + (what ? " pour " + what : "") + ", du plus proche au plus loin " + S.ofPlace(ref.label) + "."
      : plural(res.total, "lieu trouvé", "lieux trouvés") + ".";
    if (!ask && res.total > res.items.length) msg += " " + res.items.length + " affichés.";
    msg += unknownNote(res);
    if (ix.n < ix.count) msg += " Recherche parmi " + ix.n + " lieux sur " + ix.count + " : la suite arrive.";
    clearTimeout(announceTimer);
    announceTimer = setTimeout(function () { status.textContent = msg; }, 350);
    document.dispatchEvent(new CustomEvent("guichet:results", { detail: { ix: ix, keys: res.keys, query: stateUrl() } }));
  }
  // The static list of sites (small directories) gets its open-now too.
  function fillCards() {
    var cards = document.querySelectorAll("[data-open-for]");
    if (!cards.length) return;
    var bySlug = new Map();
    for (var i = 0; i < ix.n; i++) bySlug.set(S.siteSlug(ix, i), i);
    cards.forEach(function (p) {
      var i = bySlug.get(p.getAttribute("data-open-for")), st = i === undefined ? null : S.openState(ix, i, g);
      if (!st) return;
      p.textContent = st.text;
      p.className = "open-state " + (st.open ? "is-open" : "is-closed");
      p.hidden = false;
    });
  }

  // A large directory comes in several files: search what has arrived, and
  // search again as each further file lands.
  function loadParts(rest) {
    if (!rest.length) return null;
    return fetch(app.dataset.base + rest.shift()).then(function (r) { return r.json(); }).then(function (rows) {
      S.addPart(ix, rows);
      S.refreshOpen(ix, g.clock(), g);
      run(false);
      return loadParts(rest);
    });
  }
  function indexOf(table, id) { for (var k = 0; k < table.length; k++) if (table[k].id === id) return k; return -1; }

  // ---- Near me ---------------------------------------------------------------
  function nearMe() {
    if (!navigator.geolocation) { status.textContent = "Votre navigateur ne donne pas votre position : tapez votre commune ou votre code postal."; return; }
    status.textContent = "Recherche de votre position…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      setPlace({ lat: pos.coords.latitude, lon: pos.coords.longitude, label: "votre position", here: true });
    }, function () {
      status.textContent = "Position indisponible : tapez votre commune ou votre code postal.";
      input.focus();
    }, { maximumAge: 600000, timeout: 15000 });
  }

  // ---- Keyboard: arrows move between the input and the results ---------------
  function links() { return Array.prototype.slice.call(list.querySelectorAll("h3 a")); }
  function onKey(e) {
    var all = links(), at = all.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && all.length && (e.target === input || at >= 0)) {
      e.preventDefault(); all[Math.min(at + 1, all.length - 1)].focus();
    } else if (e.key === "ArrowUp" && at >= 0) {
      e.preventDefault(); (at === 0 ? input : all[at - 1]).focus();
    } else if (e.key === "Escape" && at >= 0) {
      input.focus();
    }
  }

  function init() {
    app = el("search-app");
    if (!app || !S || !window.guichet) return;
    g = window.guichet;
    form = el("search-form"); input = el("q"); status = el("search-status"); list = el("results");
    more = el("more"); places = el("places"); chip = el("place-chip"); allSites = el("all-sites") || document.createElement("div");
    filters = { label: el("f-label"), service: el("f-service"), open: el("f-open"), walkIn: el("f-walkin"), wheelchair: el("f-wheelchair") };
    app.hidden = false;
    readState();
    recall();
    input.addEventListener("input", function () { replaceStateSoon(); run(true); });
    form.addEventListener("submit", function (e) {
      e.preventDefault(); pushState(); run(true);
      var first = links()[0];
      if (first) first.focus();
    });
    form.addEventListener("change", function (e) { if (e.target !== input) { pushState(); run(true); } });
    el("near-me").addEventListener("click", nearMe);
    chip.querySelector("button").addEventListener("click", function () { forget(); pushState(); run(true); input.focus(); });
    more.addEventListener("click", function () {
      var before = links().length;
      shown += PAGE; run(false);
      var next = links()[before];
      if (next) next.focus();
    });
    app.addEventListener("keydown", onKey);
    window.addEventListener("popstate", function () { readState(); run(true); });
    status.textContent = "Chargement de l'index de recherche…";
    fetch(app.dataset.index).then(function (r) { return r.json(); }).then(function (raw) {
      ix = S.load(raw);
      S.refreshOpen(ix, g.clock(), g);
      setInterval(function () { S.refreshOpen(ix, g.clock(), g); if (filters.open.checked) run(false); else refreshCards(); }, 60000);
      status.textContent = "";
      run(true);
      fillCards();
      return loadParts(ix.parts.slice());
    }).catch(function () {
      status.textContent = "La recherche est indisponible pour le moment : parcourez les lieux par département ci-dessous.";
    });
  }
  // For the benchmark and tests: [sites loaded, sites in all].
  window.guichetSearch = { timings: timings, progress: function () { return ix ? [ix.n, ix.count] : null; } };
  // Deferred scripts run in order before DOMContentLoaded; guichet.js comes last.
  if (window.guichet) init(); else document.addEventListener("DOMContentLoaded", init);
})();
