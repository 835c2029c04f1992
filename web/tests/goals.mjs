// What web/tests/measure.mjs and measure_lab.mjs share: RUNS fresh runs against one
// server, each printed as it ends, then each goal's median as a table row.
//   const runs = await measureRuns((server) => measureOnce(server));
//   const unmet = reportGoals(runs, [["cold load to ready", "coldMs", 4000, "ms"], ...]);
import { cpus, loadavg } from "node:os";
import { serve } from "../../tests/browser/site.mjs";

export const RUNS = Number(process.env.RUNS || 3);

// The middle of the finite `values` (the lower middle for an even count), NaN if none.
export const median = (values) => {
  const known = values.filter(Number.isFinite).sort((a, b) => a - b);
  return known.length ? known[Math.floor((known.length - 1) / 2)] : NaN;
};

const load = () => `load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`;

// RUNS results of `measureOnce(server)` (each an object of numbers), the machine's load printed before and after.
export async function measureRuns(measureOnce) {
  const loadBefore = load();
  const server = await serve();
  const runs = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      runs.push(await measureOnce(server));
      console.log(`run ${i + 1}: ${JSON.stringify(runs.at(-1), (key, value) => (typeof value === "number" ? Math.round(value) : value))}`);
    }
  } finally {
    server.stop();
  }
  console.log(`\nthe machine: ${loadBefore} before, ${load()} after (times grow with it)`);
  return runs;
}

const shown = (value, unit) =>
  !Number.isFinite(value) ? "n/a" : unit === "bytes" ? `${(value / 1024 / 1024).toFixed(1)} MB` : `${Math.round(value)} ms`;

// Prints a row per goal [what, key, goal, unit ("ms" or "bytes")] with the runs' median; returns how many were missed.
export function reportGoals(runs, goals) {
  console.log(`\n| what (median of ${runs.length} fresh profiles) | measured | goal | met |\n|---|---|---|---|`);
  let unmet = 0;
  for (const [what, key, goal, unit = "ms"] of goals) {
    const value = median(runs.map((run) => run[key]));
    const met = Number.isFinite(value) ? (value <= goal ? "yes" : "no") : "not measured";
    if (met === "no") unmet++;
    console.log(`| ${what} | ${shown(value, unit)} | ≤ ${shown(goal, unit)} | ${met} |`);
  }
  return unmet;
}
