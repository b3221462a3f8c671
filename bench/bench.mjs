// `npm run bench`: a cold single-feature run of the built binary against `node -e 0`,
// as paired, alternating runs on the same machine; the figures go into bench/README.md.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'petsage-build.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const BUDGET = 2;

function timed(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  return ms;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const work = mkdtempSync(path.join(tmpdir(), 'petsage-bench-'));
try {
  const base = path.join(work, 'base');
  timed([BIN, 'init', base]);
  const baseline = [];
  const feature = [];
  // One warm-up of each, so the first round does not pay for a cold disk cache.
  timed(['-e', '0']);
  for (let round = 0; round <= ROUNDS; round += 1) {
    const target = path.join(work, `t${round}`);
    cpSync(base, target, { recursive: true });
    const runFeature = () => timed([BIN, 'feature', '--builtin', 'smoke_test', '--target', target]);
    const runBaseline = () => timed(['-e', '0']);
    // Alternate which goes first, so drift in machine load hits both alike.
    const [first, second] = round % 2 ? [runFeature, runBaseline] : [runBaseline, runFeature];
    const a = first();
    const b = second();
    if (round === 0) continue;
    feature.push(round % 2 ? a : b);
    baseline.push(round % 2 ? b : a);
  }
  const ratios = feature.map((ms, i) => ms / baseline[i]);
  const result = {
    rounds: ROUNDS,
    baselineMs: median(baseline),
    featureMs: median(feature),
    ratio: median(ratios),
  };
  const verdict = result.ratio <= BUDGET ? 'within' : 'OVER';
  const lines = [
    `Command: \`npm run bench\``,
    '',
    `| measure | median |`,
    `|---|---|`,
    `| \`node -e 0\` | ${result.baselineMs.toFixed(1)} ms |`,
    `| \`petsage-build feature --builtin smoke_test\` (cold, fresh backend copy) | ${result.featureMs.toFixed(1)} ms |`,
    `| paired ratio | **${result.ratio.toFixed(2)}x** (budget ${BUDGET}x: ${verdict}) |`,
    '',
    `${ROUNDS} alternating rounds, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
  ];
  console.log(lines.join('\n'));

  const readme = path.join(ROOT, 'bench', 'README.md');
  const text = readFileSync(readme, 'utf8');
  const marked = /<!-- results:start -->[\s\S]*?<!-- results:end -->/;
  writeFileSync(readme, text.replace(marked, `<!-- results:start -->\n${lines.join('\n')}\n<!-- results:end -->`));
  process.exitCode = result.ratio <= BUDGET ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
