// guichet maps: a site's place on its page, every point (clustered) on the
// home page. Leaflet is loaded only when a map scrolls into view; without
// JavaScript or tiles the addresses, links and lists stay the way to go.
(function () {
  "use strict";
  var loading = null;

  function addScript(src) {
    return new Promise(function (ok, fail) {
      var s = document.createElement("script");
      s.src = src; s.onload = ok; s.onerror = fail;
      document.head.appendChild(s);
    });
  }
  function addCss(href) {
    var l = document.createElement("link");
    l.rel = "stylesheet"; l.href = href;
    document.head.appendChild(l);
  }
  function leaflet(box) {
    if (!loading) {
      addCss(box.dataset.leafletCss);
      if (box.dataset.clusterCss) addCss(box.dataset.clusterCss);
      loading = addScript(box.dataset.leaflet).then(function () {
        return box.dataset.cluster ? addScript(box.dataset.cluster) : null;
      });
    }
    return loading;
  }
  function whenVisible(box, then) {
    if (!("IntersectionObserver" in window)) { then(); return; }
    var io = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { io.disconnect(); then(); }
    }, { rootMargin: "200px" });
    io.observe(box);
  }

  function makeMap(box, center, zoom) {
    var L = window.L;
    box.classList.add("has-map");
    var map = L.map(box, { zoomControl: false, scrollWheelZoom: false }).setView(center, zoom);
    L.control.zoom({ zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer" }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    if (box.dataset.tiles) {
      var tiles = L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: escapeHtml(box.dataset.attribution || "") }).addTo(map);
      var loaded = false;
      tiles.on("tileload", function () { loaded = true; note(box, null); });
      tiles.on("tileerror", function () { if (!loaded) note(box, box.dataset.fallback || "La carte n'a pas pu être chargée. Les adresses et la liste restent utilisables."); });
    }
    // Leaflet's own labels are English; the container is a named region.
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", box.dataset.label || "Carte");
    return map;
  }
  // A sentence under the map when its tiles fail: a grey box says nothing.
  function note(box, text) {
    var p = box.nextElementSibling;
    if (!p || !p.classList.contains("map-note")) {
      if (!text) return;
      p = document.createElement("p");
      p.className = "map-note";
      p.setAttribute("role", "status");
      box.parentNode.insertBefore(p, box.nextSibling);
    }
    p.hidden = !text;
    if (text) p.textContent = text;
  }
  function escapeHtml(s) {
    return s.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  function dot(L, title) {
    return { icon: L.divIcon({ className: "map-dot", iconSize: [18, 18] }), title: title, alt: title, keyboard: true };
  }

  // A site page: one marker.
  function sitePage(box) {
    whenVisible(box, function () {
      leaflet(box).then(function () {
        var L = window.L, at = [+box.dataset.lat, +box.dataset.lon];
        var map = makeMap(box, at, box.dataset.precision === "commune" ? 13 : 16);
        L.marker(at, dot(L, box.dataset.name)).addTo(map);
      }).catch(function () { box.classList.remove("has-map"); note(box, "La carte n'a pas pu être chargée. L'adresse ci-dessus reste valable."); });
    });
  }

  // Built when opened: rebuilding every slug up front costs too much.
  function popup(ix, i, base) {
    return function () {
      return '<a href="' + escapeHtml(base + "lieux/" + window.GuichetSearch.siteSlug(ix, i) + "/") + '">' + escapeHtml(ix.name[i]) + "</a>";
    };
  }

  // The home page: the current search results, clustered.
  function homePage(box) {
    var latest = null, draw = null, timer = 0;
    document.addEventListener("guichet:results", function (e) {
      latest = e.detail;
      clearTimeout(timer);
      if (draw) timer = setTimeout(function () { draw(latest); }, 300);
    });
    box.parentElement.hidden = false;
    whenVisible(box, function () {
      leaflet(box).then(function () {
        var L = window.L, map = makeMap(box, [46.6, 2.4], 5);
        var group = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false,
          iconCreateFunction: function (c) {
            var n = c.getChildCount(), wide = 40 + Math.max(0, String(n).length - 2) * 9;
            return L.divIcon({ html: "<span>" + n + "</span>", className: "marker-cluster map-cluster", iconSize: [wide, 40] });
          } }).addTo(map);
        // Markers are made once per site and only the difference with what
        // is on the map is added or removed: tens of thousands of points
        // must not be rebuilt each time the results change.
        var made = [], onMap = new Set(), fitted = null;
        draw = function (d) {
          if (!d || !d.ix) return;
          var ix = d.ix, base = box.dataset.base, want = new Set();
          var n = d.keys ? d.keys.length : ix.n;
          for (var k = 0; k < n; k++) {
            var i = d.keys ? d.keys[k] % 1048576 : k;
            if (!isNaN(ix.lat[i])) want.add(i);
          }
          var add = [], remove = [];
          want.forEach(function (i) {
            if (onMap.has(i)) return;
            if (!made[i]) {
              made[i] = L.marker([ix.lat[i], ix.lon[i]], dot(L, ix.name[i]));
              made[i].bindPopup(popup(ix, i, base));
            }
            add.push(made[i]);
          });
          onMap.forEach(function (i) { if (!want.has(i)) remove.push(made[i]); });
          if (remove.length) group.removeLayers(remove);
          if (add.length) group.addLayers(add);
          onMap = want;
          // Refit only when the search changed, not when more sites arrived.
          // With chunked loading the group may hold no marker yet: its
          // bounds are then not valid, and fitting to them throws.
          var bounds = group.getBounds();
          if (want.size && d.query !== fitted && bounds.isValid()) {
            fitted = d.query;
            map.fitBounds(bounds, { maxZoom: 13, padding: [20, 20] });
          }
        };
        draw(latest);
      }).catch(function (e) {
        console.error("guichet map:", e);
        note(box, "La carte n'a pas pu être chargée. La liste des lieux reste utilisable.");
      });
    });
  }

  function init() {
    var site = document.getElementById("map"), all = document.getElementById("map-all");
    if (site && site.dataset.leaflet) sitePage(site);
    if (all) homePage(all);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
