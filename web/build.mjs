// Builds the web app into dist/ (committed, so the single-node host serves it without Node.js):
//   node build.mjs          write dist/
//   node build.mjs --check  fail when dist/ differs from a fresh build (someone changed src/ without rebuilding)
import { build } from 'esbuild';
import { readFile, writeFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const check = process.argv.includes('--check');

const result = await build({
  entryPoints: [join(root, 'src/main.ts')],
  bundle: true,
  splitting: true, // MSAL (Azure sign-in only) goes into its own chunk, loaded on demand
  format: 'esm',
  target: ['es2022'],
  minify: true,
  legalComments: 'none',
  outdir: dist,
  entryNames: 'app',
  chunkNames: 'chunks/[name]-[hash]',
  write: false,
  logLevel: 'warning',
});

const files = new Map(result.outputFiles.map(f => [relative(dist, f.path), Buffer.from(f.contents)]));
for (const name of ['index.html', 'app.css', 'staticwebapp.config.json']) files.set(name, await readFile(join(root, 'static', name)));

async function list(dir, base = dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...await list(p, base)); else out.push(relative(base, p));
  }
  return out;
}

if (check) {
  // config.json is written at deployment (Azure), never committed.
  const existing = new Set((await list(dist)).filter(name => name !== 'config.json'));
  const problems = [];
  for (const [name, content] of files) {
    const current = existing.has(name) ? await readFile(join(dist, name)) : null;
    if (!current || !current.equals(content)) problems.push(`${name} differs`);
    existing.delete(name);
  }
  for (const extra of existing) problems.push(`${extra} is not produced by the build`);
  if (problems.length) {
    console.error(`web/dist is stale (${problems.join('; ')}). Run 'npm run build' in web/ and commit web/dist.`);
    process.exit(1);
  }
  console.log('web/dist matches the sources.');
} else {
  await rm(dist, { recursive: true, force: true });
  let total = 0;
  for (const [name, content] of files) {
    await mkdir(dirname(join(dist, name)), { recursive: true });
    await writeFile(join(dist, name), content);
    total += content.length;
  }
  const sizes = [...files].map(([n, c]) => `${n} ${(c.length / 1024).toFixed(1)} KB`).join(', ');
  console.log(`web/dist: ${sizes} (total ${(total / 1024).toFixed(1)} KB)`);
}
