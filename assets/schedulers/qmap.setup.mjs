// The userspace half of qmap.bpf.c, ported the way upstream scx_qmap's main()
// reads (docs/userspace.md): set the slice before load, then print the
// counters once a second while the scheduler runs.
//
//   scxray run assets/schedulers/qmap.bpf.o --setup assets/schedulers/qmap.setup.mjs -w interactive -d 3s

export function beforeLoad(skel) {
  // scx_qmap: skel->rodata->slice_ns = __COMPAT_ENUM_OR_ZERO("scx_public_consts", "SCX_SLICE_DFL") or -s
  skel.rodata.slice_ns = 5_000_000n;
}

export function afterAttach(skel) {
  let last = 0n;
  // scx_qmap: while (!exit_req && !UEI_EXITED(skel, uei)) { printf("stats  : enq=%lu dsp=%lu ...\n", ...); sleep(1); }
  skel.every(1000, () => {
    const b = skel.bss;
    if (skel.exitInfo() !== undefined) return;
    const depth = ['queue0', 'queue1', 'queue2'].map((q) => (skel.maps[q].peek() === undefined ? 'empty' : 'busy'));
    print(
      `stats  : enq=${b.nr_enqueued} dsp=${b.nr_dispatched} delta=${b.nr_enqueued - b.nr_dispatched} deq=${b.nr_dequeued} ` +
        `ticks=${b.nr_ticks} stale=${b.nr_stale_pids} overflow=${b.nr_overflow} queues=${depth.join('/')} (+${b.nr_enqueued - last} enq/s)`,
    );
    last = b.nr_enqueued;
  });
}
