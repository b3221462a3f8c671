// `npm run bench`: the built binary against `node -e 0` on the same machine, as paired and
// alternating runs, and batches of 1,000 and 10,000 features; the figures go into bench/README.md.
//
// It works in BENCH_DIR, by default /dev/shm (tmpfs) where there is one: this VM's disk takes
// anywhere from 0.1 to 0.9 ms to create one file depending on its writeback state, which would
// measure the disk rather than the tool. Set BENCH_DIR to measure on another file system.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readmeBlock } from '../test/helpers/readme-example.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'petsage-build.cjs');
const LOADER = path.join(ROOT, 'bin', 'load-bundle.cjs');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const BENCH_DIR = process.env.BENCH_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const BUDGETS = { coldRatio: 2, coldGoal: 1.4, batch1000: 2000, batch10000: 10000, rss10000: 300, coldResourceRatio: 2, resources1000: 3000 };

function timed(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  return ms;
}

/** Peak resident memory of one run, measured inside the process that does the work. */
function peakRss(args) {
  const script = `const { main } = require(${JSON.stringify(LOADER)}).loadBundle().bundle; main(${JSON.stringify(args)}).then((code) => { process.exitCode = code; process.stderr.write('RSS ' + process.resourceUsage().maxRSS + '\\n'); });`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  const match = /RSS (\d+)/.exec(result.stderr);
  if (result.status !== 0 || !match) throw new Error(`peak RSS run failed: ${result.stderr}`);
  return Number(match[1]) / 1024;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const work = mkdtempSync(path.join(BENCH_DIR, 'petsage-bench-'));
let copies = 0;
const fresh = (base) => {
  const target = path.join(work, `t${(copies += 1)}`);
  cpSync(base, target, { recursive: true });
  return target;
};

function batchFile(count) {
  const file = path.join(work, `batch-${count}.json`);
  const payloads = Array.from({ length: count }, (_, i) => ({ feature: `feature_${i}`, description: `Feature number ${i}.` }));
  writeFileSync(file, JSON.stringify(payloads));
  return file;
}

try {
  const base = path.join(work, 'base');
  timed([BIN, 'init', base]);

  // A cold single feature against node -e 0, alternating which goes first.
  timed(['-e', '0']);
  const baseline = [];
  const single = [];
  for (let round = 0; round <= ROUNDS; round += 1) {
    const target = fresh(base);
    const runFeature = () => timed([BIN, 'feature', '--builtin', 'smoke_test', '--target', target]);
    const runBaseline = () => timed(['-e', '0']);
    const [first, second] = round % 2 ? [runFeature, runBaseline] : [runBaseline, runFeature];
    const a = first();
    const b = second();
    if (round === 0) continue; // warm-up
    single.push(round % 2 ? a : b);
    baseline.push(round % 2 ? b : a);
  }
  const coldRatio = median(single.map((ms, i) => ms / baseline[i]));

  // A cold resource feature: the README's example payload, a CRUD module with its migration.
  const pets = path.join(work, 'pets.json');
  writeFileSync(pets, readmeBlock('payload'));
  const resourceRatios = [];
  for (let round = 0; round <= ROUNDS; round += 1) {
    const target = fresh(base);
    const runFeature = () => timed([BIN, 'feature', pets, '--target', target]);
    const runBaseline = () => timed(['-e', '0']);
    const [first, second] = round % 2 ? [runFeature, runBaseline] : [runBaseline, runFeature];
    const a = first();
    const b = second();
    if (round === 0) continue;
    resourceRatios.push(round % 2 ? a / b : b / a);
  }
  const coldResourceRatio = median(resourceRatios);

  // 1,000 resources in one batch: a module, a migration and a registry line each.
  const resourceBatch = path.join(work, 'resources-1000.json');
  writeFileSync(resourceBatch, JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({
    feature: `resource_${i}`,
    description: `Resource number ${i}.`,
    resource: { name: `item${i}`, fields: { title: { type: 'str', max_length: 80, unique: true }, count: { type: 'int', ge: 0, default: 0, filterable: true }, note: { type: 'text', required: false, nullable: true } } },
  }))));
  const resources1000 = median(Array.from({ length: 3 }, () => timed([BIN, 'feature', resourceBatch, '--target', fresh(base), '--quiet'])));

  // Batches: one transaction, one aggregator patch, median of three runs each.
  const batches = {};
  for (const count of [1000, 10000]) {
    const file = batchFile(count);
    const runs = Array.from({ length: 3 }, () => timed([BIN, 'feature', file, '--target', fresh(base), '--quiet']));
    batches[count] = median(runs);
  }
  const growth = batches[10000] / 10000 / (batches[1000] / 1000);

  // The same 1,000 again (nothing changes) and `check` of them: both read every record against
  // one aggregator, which must be analysed once, not once per feature.
  const again = fresh(base);
  timed([BIN, 'feature', batchFile(1000), '--target', again, '--quiet']);
  const rerun1000 = median(Array.from({ length: 3 }, () => timed([BIN, 'feature', batchFile(1000), '--target', again, '--quiet'])));
  const check1000 = median(Array.from({ length: 3 }, () => timed([BIN, 'check', '--target', again, '--quiet'])));

  const rss = {
    single: peakRss(['feature', '--builtin', 'smoke_test', '--target', fresh(base), '--quiet']),
    batch10000: peakRss(['feature', path.join(work, 'batch-10000.json'), '--target', fresh(base), '--quiet']),
  };

  const verdict = (ok) => (ok ? 'within' : 'OVER');
  const lines = [
    'Command: `npm run bench`',
    '',
    '| measure | result | budget |',
    '|---|---|---|',
    `| \`node -e 0\` (median) | ${median(baseline).toFixed(1)} ms | |`,
    `| cold \`feature --builtin smoke_test\` into a fresh backend copy (median) | ${median(single).toFixed(1)} ms | |`,
    `| cold single feature / \`node -e 0\` (median of paired ratios) | **${coldRatio.toFixed(2)}x** | 2x (goal ${BUDGETS.coldGoal}x): ${verdict(coldRatio <= BUDGETS.coldRatio)}${coldRatio <= BUDGETS.coldGoal ? ', goal reached' : ', goal not reached'} |`,
    `| cold resource feature (the README's \`pets.json\`) / \`node -e 0\` (median of paired ratios) | **${coldResourceRatio.toFixed(2)}x** | ${BUDGETS.coldResourceRatio}x: ${verdict(coldResourceRatio <= BUDGETS.coldResourceRatio)} |`,
    `| 1,000 resources in one batch | **${resources1000.toFixed(0)} ms** | 3,000 ms: ${verdict(resources1000 <= BUDGETS.resources1000)} |`,
    `| 1,000 features in one batch | **${batches[1000].toFixed(0)} ms** | 2,000 ms: ${verdict(batches[1000] <= BUDGETS.batch1000)} |`,
    `| 10,000 features in one batch | **${batches[10000].toFixed(0)} ms** | 10,000 ms: ${verdict(batches[10000] <= BUDGETS.batch10000)} |`,
    `| per-feature cost, 10,000 / 1,000 | ${growth.toFixed(2)} | linear (about 1) |`,
    `| the same 1,000 again (nothing changes) | **${rerun1000.toFixed(0)} ms** | 2,000 ms: ${verdict(rerun1000 <= BUDGETS.batch1000)} |`,
    `| \`check\` of those 1,000 | **${check1000.toFixed(0)} ms** | 2,000 ms: ${verdict(check1000 <= BUDGETS.batch1000)} |`,
    `| peak RSS, single feature | ${rss.single.toFixed(0)} MiB | |`,
    `| peak RSS, 10,000 features | **${rss.batch10000.toFixed(0)} MiB** | ${BUDGETS.rss10000} MiB: ${verdict(rss.batch10000 <= BUDGETS.rss10000)} |`,
    '',
    `${ROUNDS} alternating rounds for the cold run; batches are the median of 3. Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, in ${BENCH_DIR}.`,
  ];
  console.log(lines.join('\n'));

  const readme = path.join(ROOT, 'bench', 'README.md');
  const text = readFileSync(readme, 'utf8');
  const marked = /<!-- results:start -->[\s\S]*?<!-- results:end -->/;
  writeFileSync(readme, text.replace(marked, `<!-- results:start -->\n${lines.join('\n')}\n<!-- results:end -->`));
  const withinBudget = coldRatio <= BUDGETS.coldRatio && batches[1000] <= BUDGETS.batch1000 && batches[10000] <= BUDGETS.batch10000 && rerun1000 <= BUDGETS.batch1000 && check1000 <= BUDGETS.batch1000 && rss.batch10000 <= BUDGETS.rss10000 && coldResourceRatio <= BUDGETS.coldResourceRatio && resources1000 <= BUDGETS.resources1000;
  process.exitCode = withinBudget ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
