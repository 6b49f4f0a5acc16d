import { mkdir } from "node:fs/promises";
import path from "node:path";
import fg from "fast-glob";
import sharp from "sharp";
import { Command } from "commander";

const program = new Command()
  .argument("<dir>")
  .option("--width <n>", "max width", "1600")
  .option("--format <fmt>", "webp | avif | jpeg | png", "webp")
  .option("--quality <q>", "quality", "80")
  .parse();

const [dir] = program.args;
const opts = program.opts<{ width: string; format: keyof sharp.FormatEnum; quality: string }>();
const out = path.join(dir, "out");
await mkdir(out, { recursive: true });
const files = await fg(["*.{jpg,jpeg,png,webp,avif}"], { cwd: dir, caseSensitiveMatch: false });
const stamp = new Date().toISOString().slice(0, 10);
for (const name of files) {
  const started = Date.now();
  const target = path.join(out, `${path.parse(name).name}-${stamp}.${opts.format}`);
  await sharp(path.join(dir, name))
    .rotate()
    .resize({ width: Number(opts.width), withoutEnlargement: true })
    .toFormat(opts.format, { quality: Number(opts.quality) })
    .toFile(target);
  if (Date.now() - started > 2000) console.warn(`slow: ${name}`);
  console.log(`${name} -> ${target} (${Date.now() - started} ms)`);
}
