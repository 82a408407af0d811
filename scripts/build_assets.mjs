// `npm run build` (run by `make assets`): builds static/build/, which is not committed.
//   app.css                 static/scss/app.scss compiled with the GOV.UK Design System, compressed
//   govuk-frontend.min.js   GOV.UK Frontend's ES module, imported by static/js/app.js
//   assets/                 GOV.UK Frontend's images and manifest (no fonts: councils use Arial)
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const { css } = sass.compile(join(root, "static", "scss", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  sourceMap: false,
  quietDeps: true,
});
if (css.includes("GDS Transport")) {
  throw new Error("app.css names GDS Transport, which only GOV.UK services may use: check static/scss/app.scss");
}
writeFileSync(join(out, "app.css"), css);

// The source map is not shipped, so its reference is dropped too (no 404 when devtools open).
const js = readFileSync(join(govuk, "govuk-frontend.min.js"), "utf8").replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
writeFileSync(join(out, "govuk-frontend.min.js"), js);

cpSync(join(govuk, "assets", "images"), join(out, "assets", "images"), { recursive: true });
cpSync(join(govuk, "assets", "manifest.json"), join(out, "assets", "manifest.json"));
console.log(`built ${out}`);
