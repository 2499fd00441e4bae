// cgweight (assets/schedulers/cgweight.bpf.c): CPU time split by cgroup
// cpu.weight (/web 300 against /batch 100), and a custom predicate over the
// events: ops.cgroup_move is called for the "mover" task (the only one the
// workload moves), and for no other task.
// Run: npx scxray test assets/tests/cgweight.scx.mjs

/** @param {import('scxray').RunResult} run */
function onlyMoverMoves(run) {
  const moves = run.events({ kind: 'op', op: 'cgroup_move' });
  if (moves.length === 0) return 'ops.cgroup_move was never called';
  for (const e of moves) {
    const group = run.task(e.pid).group;
    if (group !== 'mover') return { ok: false, message: `ops.cgroup_move for pid ${e.pid} of group ${group}`, at: e.t };
  }
  return true;
}

export default {
  object: '../schedulers/cgweight.bpf.o',
  duration: '1s',
  matrix: { workloads: ['cgroups'], seeds: [1, 2], cpus: [2, 4] },
  expect: {
    noEjection: true,
    diagnostics: 'none',
    fairness: { by: 'cgroup', tolerance: 0.1 },
    check: { onlyMoverMoves },
  },
};
