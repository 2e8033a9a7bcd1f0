// guichet serve only: reloads the page after each rebuild and, while the
// inputs have errors, shows them over the last good page. Never deployed.
(function () {
  "use strict";
  var script = document.currentScript;
  var shown = script && script.getAttribute("data-build");
  var box = null;

  function hide() {
    if (box) {
      box.remove();
      box = null;
    }
  }

  function line(parent, tag, text, css) {
    var el = document.createElement(tag);
    el.textContent = text;
    if (css) el.style.cssText = css;
    parent.appendChild(el);
    return el;
  }

  function section(title, problems, color) {
    if (!problems.length) return;
    line(box, "h3", title, "margin:1rem 0 .5rem;font:bold 1.05rem system-ui,sans-serif");
    var list = line(box, "ol", "", "margin:0;padding-left:1.5rem");
    problems.forEach(function (p) {
      var item = line(list, "li", "", "margin-bottom:.8rem");
      var where = p.file + ":" + p.line + ":" + p.column;
      line(item, "div", where + " — " + p.message, "color:" + color);
      if (p.help) line(item, "div", "aide : " + p.help, "color:#b3e5fc");
    });
  }

  function show(status) {
    hide();
    box = document.createElement("div");
    box.id = "guichet-problems";
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(25,25,35,.97);color:#fff;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace";
    line(box, "h2", "guichet : la dernière modification contient des erreurs",
      "margin:0 0 .5rem;font:bold 1.3rem/1.3 system-ui,sans-serif;color:#ff8a80");
    line(box, "p", "La page affichée est celle de la dernière version correcte. " +
      "Corrigez le fichier : la page se rechargera toute seule.",
      "margin:0 0 .5rem;font-family:system-ui,sans-serif");
    var problems = status.problems || [];
    var blocking = function (p) { return p.level === "error" && p.kind === "input"; };
    section("Erreurs qui bloquent la publication", problems.filter(blocking), "#ffcdd2");
    section("Autres constats (ne bloquent pas)", problems.filter(function (p) {
      return !blocking(p);
    }), "#fff3c4");
    if (status.more) line(box, "p", "… et " + status.more + " autres : guichet check les liste tous.");
    var close = line(box, "button", "Masquer", "margin-top:1rem;font:inherit;padding:.3rem 1rem");
    close.type = "button";
    close.addEventListener("click", hide);
    document.body.appendChild(box);
  }

  function apply(status) {
    if (!status.ok) {
      show(status);
    } else if (status.build !== shown) {
      location.reload();
    } else {
      hide();
    }
  }

  // One event stream per browser, not per tab: a browser opens at most six
  // connections to a host, and a stream held by each tab would leave none
  // for pages once six tabs are open. The tab holding the lock listens and
  // tells the others; when it closes, the next tab takes over.
  function handle(data) {
    try {
      apply(typeof data === "string" ? JSON.parse(data) : data);
    } catch (err) {
      console.error("guichet serve:", err);
    }
  }
  var channel = window.BroadcastChannel ? new BroadcastChannel("guichet-serve") : null;
  if (channel) channel.onmessage = function (e) { handle(e.data); };

  function listen() {
    var events = new EventSource("/__guichet/events");
    events.addEventListener("status", function (e) {
      if (channel) channel.postMessage(e.data);
      handle(e.data);
    });
  }

  // Without locks (an address that is not a secure context) every tab asks
  // for the status now and then: short requests that hold no connection.
  function poll() {
    var last = null;
    (function ask() {
      fetch("/__guichet/status", { cache: "no-store" }).then(function (r) { return r.text(); })
        .then(function (text) { if (text !== last) { last = text; handle(text); } })
        .catch(function () {})
        .then(function () { setTimeout(ask, 500); });
    })();
  }

  if (navigator.locks && channel && window.EventSource) {
    navigator.locks.request("guichet-serve-events", function () {
      listen();
      // Held until this tab closes.
      return new Promise(function () {});
    });
  } else {
    poll();
  }
})();
