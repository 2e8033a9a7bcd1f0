// guichet: progressive enhancement. Pages work without this file; it adds
// open-now computed in each site's own time zone and hides expired notices.
(function () {
  "use strict";
  var DAYS = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"];

  // Building a formatter is costly; the search asks for thousands of sites.
  var formatters = {};
  function formatter(tz) {
    if (!formatters[tz]) {
      formatters[tz] = new Intl.DateTimeFormat("en-GB", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    }
    return formatters[tz];
  }

  // Wall-clock date and minutes in time zone `tz`, whatever the visitor's zone.
  // The search asks it for each result card at the same instant: the last
  // answer per zone is kept.
  var lastZoned = {};
  function zoned(date, tz) {
    var t = date.getTime(), kept = lastZoned[tz];
    if (kept && kept.t === t) return kept.z;
    var parts = {};
    formatter(tz).formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    var iso = parts.year + "-" + parts.month + "-" + parts.day;
    var z = { iso: iso, minutes: (+parts.hour) * 60 + (+parts.minute) };
    lastZoned[tz] = { t: t, z: z };
    return z;
  }
  function addDays(iso, n) {
    var d = new Date(iso + "T12:00:00Z");
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }
  function weekdayOf(iso) { return new Date(iso + "T12:00:00Z").getUTCDay(); }
  function hhmm(m) { var h = Math.floor(m / 60), mm = m % 60; return (h < 10 ? "0" : "") + h + "h" + (mm < 10 ? "0" : "") + mm; }

  // Intervals of a date from the precomputed schedule; null outside its range.
  function dayIntervals(s, iso) {
    if (iso < s.from || iso > s.until) return null;
    if (Object.prototype.hasOwnProperty.call(s.exceptions, iso)) return s.exceptions[iso];
    return s.week[(weekdayOf(iso) + 6) % 7];
  }

  // "Ouvert — ferme à 17h00" / "Fermé — ouvre mardi à 13h30".
  function openState(s, now) {
    var z = zoned(now, s.tz);
    var today = dayIntervals(s, z.iso);
    if (today === null) return null;
    for (var i = 0; i < today.length; i++) {
      if (z.minutes >= today[i][0] && z.minutes < today[i][1]) {
        return { open: true, text: "Ouvert — ferme à " + hhmm(today[i][1]) };
      }
    }
    // Day by day from today; dates from one base in milliseconds, not by
    // parsing strings, since the search asks this of many sites at once.
    var base = Date.parse(z.iso + "T12:00:00Z");
    for (var d = 0; d < 60; d++) {
      var day = new Date(base + d * 864e5), iso = day.toISOString().slice(0, 10);
      if (iso < s.from || iso > s.until) break;
      var list = Object.prototype.hasOwnProperty.call(s.exceptions, iso) ? s.exceptions[iso] : s.week[(day.getUTCDay() + 6) % 7];
      for (var j = 0; j < list.length; j++) {
        if (d > 0 || list[j][0] > z.minutes) {
          var when = d === 0 ? "aujourd'hui" : d === 1 ? "demain" : DAYS[day.getUTCDay()] + (d >= 7 ? " " + iso.slice(8, 10).replace(/^0/, "") + "/" + iso.slice(5, 7) : "");
          return { open: false, text: "Fermé — ouvre " + when + " à " + hhmm(list[j][0]) };
        }
      }
    }
    return { open: false, text: "Fermé" };
  }

  function clock() {
    // A fixed clock for tests and previews: ?now=2026-11-23T10:00:00Z
    var m = /[?&]now=([^&]+)/.exec(location.search);
    return m ? new Date(decodeURIComponent(m[1])) : new Date();
  }

  function init() {
    var now = clock();
    var el = document.getElementById("schedule"), out = document.getElementById("open-now");
    var s = null;
    if (el && out) {
      try { s = JSON.parse(el.textContent); } catch (e) { s = null; }
      var st = s && openState(s, now);
      if (st) {
        out.textContent = st.text;
        out.className = "open-state " + (st.open ? "is-open" : "is-closed");
        out.hidden = false;
      }
    }
    // A printout says where it came from (printed only, see style.css).
    var foot = document.querySelector(".bottom .wrap");
    if (foot && !document.querySelector(".print-url")) {
      var url = document.createElement("p");
      url.className = "print-url";
      url.textContent = "Adresse de cette page : " + location.href.replace(/[?#].*$/, "");
      foot.appendChild(url);
    }
    // A page built days ago still hides notices that have ended.
    var tz = s ? s.tz : "Europe/Paris", today = zoned(now, tz).iso;
    document.querySelectorAll("[data-until]").forEach(function (n) {
      if (n.getAttribute("data-until") < today) n.hidden = true;
    });
    // A card's hours of the build day say nothing true on another day.
    document.querySelectorAll("[data-day]").forEach(function (n) {
      if (n.getAttribute("data-day") !== today) n.hidden = true;
    });
  }
  window.guichet = { openState: openState, zoned: zoned, addDays: addDays, clock: clock };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
