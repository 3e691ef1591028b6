// Copies the front-end files listed under "vendor" in package.json from node_modules into
// static/vendor, so the hub serves them itself and never needs a CDN. Source-map comments are
// removed (the maps are not copied: production's collectstatic would fail on the missing
// files), and the few addresses a bundle would fetch from elsewhere are replaced (the
// Content-Security-Policy allows no third-party origin).
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { vendor } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const SOURCE_MAP = /^[ \t]*(\/\/[#@] sourceMappingURL=.*|\/\*[#@] sourceMappingURL=.*\*\/)[ \t]*$/gm;
// target: [[address in the bundle, its replacement], …] (none needed by today's packages).
const REPLACEMENTS = {};

for (const [target, source] of Object.entries(vendor)) {
  const to = join(root, "static", "vendor", target);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(join(root, "node_modules", source), to, { recursive: true });
  if (!/\.(js|css)$/.test(to)) continue;
  let text = readFileSync(to, "utf8").replace(SOURCE_MAP, "");
  for (const [from, replacement] of REPLACEMENTS[target] || []) {
    if (!text.includes(from)) throw new Error(`${target}: « ${from} » introuvable (nouvelle version ?)`);
    text = text.split(from).join(replacement);
  }
  writeFileSync(to, text);
}
