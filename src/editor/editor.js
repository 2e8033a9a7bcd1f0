// Starts Decap CMS for guichet. The admin page carries, as JSON, the
// configuration guichet generated from the directory (sites, notice kinds,
// the labels' charter rules); this script adds the checks `guichet check`
// makes on a notice, so the form refuses early what check would refuse and
// warns about a closure announced too late, then starts the editor.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("guichet-editor").textContent);
  const config = data.config;
  const rules = data.rules;
  const CMS = window.CMS;
  const h = window.h;

  // serve gives its own build day, so a fixed clock (`--now`) fixes the
  // default publication date too; a built site follows the browser's clock.
  if (data.today) {
    for (const field of config.collections[0].fields) {
      if (field.name === "published") field.default = data.today;
    }
  }

  // A date as YYYY-MM-DD, whichever way Decap holds it: a string from the
  // form, a Date from a TOML date read from the file, or a dayjs object.
  function day(value) {
    if (!value) return null;
    if (typeof value === "string") return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
    if (value instanceof Date) return isNaN(value) ? null : value.toISOString().slice(0, 10);
    if (typeof value.format === "function") return value.format("YYYY-MM-DD");
    return null;
  }

  function frenchDate(iso) {
    const [y, m, d] = iso.split("-").map(Number);
    return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString("fr-FR", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" });
  }

  // What `guichet check` would say about the notice being edited: errors
  // block saving, warnings are charter findings that check reports but a
  // build publishes anyway.
  function findings(notice) {
    const errors = [];
    const warnings = [];
    const from = day(notice.from);
    const to = day(notice.to);
    const published = day(notice.published);
    if (from && to && to < from) {
      errors.push(`Le dernier jour (${frenchDate(to)}) est avant le premier (${frenchDate(from)}) : le dernier jour est inclus, inversez les dates.`);
    }
    if (notice.kind === "hours" && !(notice.hours || "").trim()) {
      errors.push("Un avis « Horaires modifiés » donne les horaires temporaires dans le champ « Horaires temporaires ».");
    }
    const label = rules.labels[rules.site_labels[notice.site]];
    if (label && notice.kind === "closure" && from) {
      const need = label.closure_notice_days;
      const rule = `La charte ${label.name} demande d'annoncer une fermeture au moins ${need} jours à l'avance`;
      if (!published) {
        warnings.push(`${rule} : indiquez la date de publication pour que ce délai puisse être vérifié.`);
      } else {
        const lead = Math.round((Date.parse(from) - Date.parse(published)) / 86400000);
        if (lead < need) {
          const said = lead <= 0 ? "le jour même ou après" : `${lead} jour${lead > 1 ? "s" : ""} avant`;
          warnings.push(`${rule} ; celle-ci est annoncée ${said}. Elle sera publiée, mais « guichet check » la signalera.`);
        }
      }
      if (warnings.length && label.cite) warnings.push(`Source : ${label.cite}.`);
    }
    return { errors, warnings };
  }

  function entryData(props) {
    const entry = props.entry;
    const values = entry && entry.get("data");
    return values && values.toJS ? values.toJS() : {};
  }

  // The findings of the entry being edited. Decap re-renders a field only
  // when its own value changes, and this field has none: the preview, which
  // follows every change, hands the findings over, and the field listens.
  let latest = { errors: [], warnings: [] };
  const listeners = new Set();
  function publish(found) {
    if (JSON.stringify(found) === JSON.stringify(latest)) return;
    latest = found;
    // After the preview's render, never during it.
    setTimeout(() => listeners.forEach((listener) => listener()), 0);
  }

  // A field that holds no value: it shows the findings in the form. Saving
  // is refused below, from the entry as saved: these findings may be those
  // of the last change the preview saw.
  const ChecksControl = window.createClass({
    componentDidMount() {
      latest = findings(entryData(this.props));
      this.listener = () => this.forceUpdate();
      listeners.add(this.listener);
      this.forceUpdate();
    },
    componentWillUnmount() {
      listeners.delete(this.listener);
    },
    render() {
      const { errors, warnings } = latest;
      const attrs = { id: this.props.forID, className: this.props.classNameWrapper, role: "status", "data-guichet-checks": "" };
      if (!errors.length && !warnings.length) return h("p", attrs, "Aucun problème détecté.");
      return h("div", attrs,
        errors.map((text, i) => h("p", { key: "e" + i, style: { color: "#a00000", fontWeight: "bold" } }, text)),
        warnings.map((text, i) => h("p", { key: "w" + i, style: { color: "#6b4200" } }, "Attention : " + text)));
    },
  });
  CMS.registerWidget("guichet-checks", ChecksControl, () => null);

  // Saving is refused on errors even with the preview closed.
  CMS.registerEventListener({
    name: "preSave",
    handler: ({ entry }) => {
      if (entry.get("collection") !== "notices") return undefined;
      const { errors } = findings(entry.get("data").toJS());
      if (errors.length) throw new Error(errors.join(" "));
      return undefined;
    },
  });

  const KINDS = { closure: "Fermeture exceptionnelle", hours: "Horaires modifiés", info: "Information" };

  // The notice as the site page shows it, with the site's stylesheet.
  const NoticePreview = window.createClass({
    render() {
      const entry = this.props.entry;
      const kind = entry.getIn(["data", "kind"]) || "info";
      const from = day(entry.getIn(["data", "from"]));
      const to = day(entry.getIn(["data", "to"]));
      const title = entry.getIn(["data", "title"]) || KINDS[kind] || "";
      const found = findings(entryData(this.props));
      publish(found);
      const { errors, warnings } = found;
      const when = from ? (to && to !== from ? `Du ${frenchDate(from)} au ${frenchDate(to)}` : `Le ${frenchDate(from)}`) : "";
      return h("main", { id: "contenu" },
        errors.concat(warnings).map((text, i) => h("p", { key: i, className: "banner" }, text)),
        h("article", { className: `notice notice-${kind}` },
          h("h3", {}, title),
          h("p", { className: "when" }, when),
          h("div", { className: "body" }, this.props.widgetFor("body"))));
    },
  });
  CMS.registerPreviewTemplate("notices", NoticePreview);
  if (data.style) CMS.registerPreviewStyle(data.style);

  CMS.init({ config });
})();
