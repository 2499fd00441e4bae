// Every example scheduler survives fork churn, hotplug-free affinity and
// overload without an ejection or a diagnostic, on the oldest and newest
// emulated kernels. A TypeScript spec: `scxray test` runs it through tsx.
// Run: npx scxray test assets/tests/examples.scx.ts

const schedulers = ['fifo', 'vtime', 'qmap', 'rbtree', 'list', 'cgweight'];

export default schedulers.map((name) => ({
  name,
  object: `../schedulers/${name}.bpf.o`,
  duration: '500ms',
  matrix: { workloads: ['fork-burst', 'affinity-pinned', 'overload'], seeds: [1], cpus: [4], kernels: ['6.12.0', '6.19.0'] },
  expect: { noEjection: true, diagnostics: 'none' as const, utilisation: { above: 0.5 } },
}));
