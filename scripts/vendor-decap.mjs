// Copies the pinned editor library (Decap CMS, the browser bundle of the
// npm package) into the theme, with its licences, so /admin/ loads nothing
// from another host. Only the bundle is needed, not the package's dependency
// tree, so it comes from `npm pack` rather than `npm ci`.
// Usage: node scripts/vendor-decap.mjs
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const VERSION = "3.16.3";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dest = join(root, "themes/default/static/vendor/decap-cms");
const work = mkdtempSync(join(tmpdir(), "decap-"));
execFileSync("npm", ["pack", `decap-cms@${VERSION}`, "--silent"], { cwd: work, stdio: ["ignore", "ignore", "inherit"] });
execFileSync("tar", ["xzf", `decap-cms-${VERSION}.tgz`], { cwd: work });
const dist = join(work, "package/dist");
// The main bundle loads its chunks (editor widgets, locales, wasm) by these
// names from its own folder: they are copied as they are, without source maps
// and without `cms.js`, a second copy of the same bundle.
for (const f of readdirSync(dest)) if (f !== "LICENSE" && f !== "README.md") rmSync(join(dest, f));
const files = readdirSync(dist).filter((f) => /^(\d+\.)?decap-cms\.js$/.test(f) || f.endsWith(".wasm"));
for (const f of files) copyFileSync(join(dist, f), join(dest, f));
copyFileSync(join(dist, "decap-cms.js.LICENSE.txt"), join(dest, "LICENSE-bundled"));
const sha = createHash("sha256").update(readFileSync(join(dest, "decap-cms.js"))).digest("hex");
const bytes = files.reduce((n, f) => n + readFileSync(join(dest, f)).length, 0);
const readme = readFileSync(join(dest, "README.md"), "utf8")
  .replace(/^- version: .*$/m, `- version: ${VERSION}`)
  .replace(/^- decap-cms\.js sha256: .*$/m, `- decap-cms.js sha256: ${sha}`)
  .replace(/^- size: .*$/m, `- size: ${files.length} files, ${bytes} bytes`);
writeFileSync(join(dest, "README.md"), readme);
rmSync(work, { recursive: true });
console.log(`decap-cms ${VERSION}: ${files.length} files, ${bytes} bytes → ${dest}`);
