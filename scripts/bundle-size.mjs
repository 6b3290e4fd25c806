#!/usr/bin/env node
/**
 * Size of the production Worker bundle and where its bytes come from (issue 12's goal:
 * at most 100 KB gzip; BENCHMARKS.md section 6).
 *
 * The bundle is built as `npm run bench` builds it: `wrangler deploy --dry-run --outdir <tmp>
 * --env production` (wrangler.toml's build settings: minify, keep_names), and the emitted
 * code (.js/.wasm, not the source map) is gzipped at level 9. The ranking attributes every
 * byte of index.js to its source module through index.js.map, gzips each module's bytes on
 * their own and scales those figures so they add up to the real total: an approximation
 * (a module compresses a little better inside the whole bundle), good for ranking.
 *
 * `node scripts/bundle-size.mjs [--top N] [--json] [--check]`; `--check` exits 1 over the goal.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "./lib/import-sources.mjs";

/** The goal of issue 12, in bytes of gzip (100 KB). */
const GOAL_BYTES = 100 * 1024;

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_VALUE = new Map(B64.split("").map((c, i) => [c, i]));

function gzipBytes(data) {
  return gzipSync(data, { level: 9 }).byteLength;
}

/** The values of one source-map segment (base64 VLQ). */
function decodeSegment(segment) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = B64_VALUE.get(ch) ?? 0;
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** The emitted text of each source module (by the map's source paths). */
function textPerSource(code, map) {
  const per = new Map();
  const add = (key, text) => per.set(key, (per.get(key) ?? "") + text);
  const lines = code.split("\n");
  const mappingLines = map.mappings.split(";");
  let source = 0;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li];
    const points = [];
    let column = 0;
    for (const segment of (mappingLines[li] ?? "").split(",")) {
      if (segment === "") continue;
      const v = decodeSegment(segment);
      column += v[0];
      if (v.length > 1) source += v[1];
      points.push({ column, source: v.length > 1 ? source : -1 });
    }
    if (points.length === 0 || points[0].column > 0) add("(unmapped)", line.slice(0, points[0]?.column ?? line.length));
    points.forEach((p, i) => {
      const end = i + 1 < points.length ? points[i + 1].column : line.length;
      add(p.source < 0 ? "(unmapped)" : (map.sources[p.source] ?? "(unmapped)"), line.slice(p.column, end));
    });
  }
  return per;
}

/** A module's name relative to the repository (zod and other packages by package-relative path). */
function moduleName(source, outdir) {
  const clean = source.replace(/\\/g, "/");
  const nm = clean.lastIndexOf("node_modules/");
  if (nm >= 0) return clean.slice(nm);
  // The map's sources are relative to the map, which lies in the output folder.
  const abs = path.resolve(outdir, clean);
  return abs.startsWith(ROOT + path.sep) ? path.relative(ROOT, abs).replace(/\\/g, "/") : clean;
}

/** The folder a module is counted under in the summary. */
function folderOf(name) {
  if (name.startsWith("node_modules/"))
    return name
      .split("/")
      .slice(0, name.split("/")[1].startsWith("@") ? 3 : 2)
      .join("/");
  const parts = name.split("/");
  return parts.length > 2 ? parts.slice(0, 2).join("/") : parts[0];
}

/** Builds the production bundle and measures it: `{ bytes, gzip, files, modules, folders }`. */
function measure() {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "passgage-bundle-size-"));
  try {
    execFileSync(
      process.execPath,
      [path.join(ROOT, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outdir", outdir, "--env", "production"],
      {
        cwd: ROOT,
        stdio: ["ignore", "ignore", "inherit"],
        env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
      },
    );
    const files = readdirSync(outdir).filter((f) => /\.(m?js|wasm)$/.test(f));
    let bytes = 0;
    let gzip = 0;
    for (const f of files) {
      const buf = readFileSync(path.join(outdir, f));
      bytes += buf.byteLength;
      gzip += gzipBytes(buf);
    }
    const code = readFileSync(path.join(outdir, "index.js"), "utf8");
    const map = JSON.parse(readFileSync(path.join(outdir, "index.js.map"), "utf8"));
    const perModule = [...textPerSource(code, map)].map(([source, text]) => ({
      module: moduleName(source, outdir),
      bytes: Buffer.byteLength(text),
      alone: gzipBytes(text),
    }));
    const indexGzip = gzipBytes(code);
    const aloneSum = perModule.reduce((s, m) => s + m.alone, 0);
    const modules = perModule
      .map((m) => ({ module: m.module, bytes: m.bytes, gzip: Math.round((m.alone * indexGzip) / aloneSum) }))
      .sort((a, b) => b.gzip - a.gzip);
    const byFolder = new Map();
    for (const m of modules) {
      const f = byFolder.get(folderOf(m.module)) ?? { folder: folderOf(m.module), bytes: 0, gzip: 0 };
      f.bytes += m.bytes;
      f.gzip += m.gzip;
      byFolder.set(f.folder, f);
    }
    const folders = [...byFolder.values()].sort((a, b) => b.gzip - a.gzip);
    return { files, bytes, gzip, modules, folders };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function kb(n) {
  return (n / 1024).toFixed(1);
}

const args = process.argv.slice(2);
const topAt = args.indexOf("--top");
const top = topAt >= 0 ? Number(args[topAt + 1]) : 40;
const result = measure();
if (args.includes("--json")) {
  console.log(JSON.stringify({ goalBytes: GOAL_BYTES, ...result }, null, 2));
} else {
  console.log(
    `${result.files.join(", ")}: ${result.bytes} bytes (${kb(result.bytes)} KB), gzip (zlib level 9) ${result.gzip} bytes (${kb(result.gzip)} KB); goal ${kb(GOAL_BYTES)} KB: ${result.gzip <= GOAL_BYTES ? "met" : `missed by ${result.gzip - GOAL_BYTES} bytes`}`,
  );
  console.log("\nBy folder (raw bytes, estimated gzip bytes):");
  for (const f of result.folders) console.log(`${String(f.bytes).padStart(8)} ${String(f.gzip).padStart(7)}  ${f.folder}`);
  console.log(`\nTop ${top} modules (raw bytes, estimated gzip bytes):`);
  for (const m of result.modules.slice(0, top)) console.log(`${String(m.bytes).padStart(8)} ${String(m.gzip).padStart(7)}  ${m.module}`);
}
if (args.includes("--check") && result.gzip > GOAL_BYTES) process.exit(1);
