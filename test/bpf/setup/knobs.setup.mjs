// Setup module for knobs.bpf.c, ported the way scx_pair's main() reads:
// open → rodata and max_entries → load → syscall program → attach → stats.

export function beforeLoad(skel) {
  skel.rodata.nr_cpu_ids = skel.nrCpus;
  // pair each CPU with its neighbour, as scx_pair's -S stride 1 does
  for (let i = 0; i < skel.nrCpus; i++) skel.rodata.pair_cpu[i] = i ^ 1;
  skel.rodata.cfg.slice_ns = 5_000_000n;
  skel.rodata.cfg.tag = 'paired';
  skel.maps.pair_ctx.setMaxEntries(skel.nrCpus / 2);
  print('configured', skel.nrCpus, 'cpus,', skel.maps.pair_ctx.maxEntries, 'pairs');
}

export function afterLoad(skel) {
  // like bpfland's enable_primary_cpu(): clear, then add CPUs 0 and 2
  const clear = skel.progs.enable_primary_cpu.testRun({ ctx: { cpu_id: -1 } });
  if (clear.retval !== 0) throw new Error(`clearing the primary domain failed: ${clear.retval}`);
  for (const cpu of [0, 2]) {
    const r = skel.progs.enable_primary_cpu.testRun({ ctx: { cpu_id: cpu } });
    print('primary', cpu, 'retval', r.retval, 'cookie', r.ctx.cookie);
  }
  const bad = skel.progs.enable_primary_cpu.testRun({ ctx: { cpu_id: 99 } });
  print('primary 99 retval', bad.retval);
}

export function afterAttach(skel) {
  print('attached; ops.init saw', skel.bss.seen_pairs, 'pairs');
  skel.every(1000, () => {
    print('enqueued', skel.bss.nr_enqueued, 'pair0', skel.maps.pair_ctx.lookup(0).enqueues);
  });
}
