// Copies the front-end files listed under "vendor" in package.json from node_modules into
// static/vendor, so the hub serves them itself and never needs a CDN.
import { cpSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { vendor } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
for (const [target, source] of Object.entries(vendor)) {
  const to = join(root, "static", "vendor", target);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(join(root, "node_modules", source), to, { recursive: true });
}
