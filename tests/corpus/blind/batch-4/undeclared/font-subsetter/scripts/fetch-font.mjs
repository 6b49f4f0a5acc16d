import { mkdir, writeFile } from "node:fs/promises";

const [family, weights = "400", subset = "latin"] = process.argv.slice(2);
const css2 = `https://fonts.googleapis.com/css2?family=${encodeURIComponent(family)}:wght@${weights.split(",").join(";")}&display=swap`;
// a modern UA makes Google return woff2
const ua = { "User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124 Safari/537.36" };
const css = await (await fetch(css2, { headers: ua })).text();

await mkdir("public/fonts", { recursive: true });
let out = "";
for (const block of css.split("/* ").slice(1)) {
  const name = block.slice(0, block.indexOf(" */"));
  if (name !== subset) continue;
  const url = block.match(/url\((https:\/\/[^)]+)\)/)[1];
  const weight = block.match(/font-weight: (\d+)/)[1];
  const file = `${family.replace(/\s+/g, "")}-${weight}-${subset}.woff2`;
  await writeFile(`public/fonts/${file}`, Buffer.from(await (await fetch(url)).arrayBuffer()));
  out += block.slice(block.indexOf("@font-face")).replace(url, `./${file}`) + "\n";
}
await writeFile("public/fonts/fonts.css", out);
console.log("wrote public/fonts/fonts.css");
