// Setup module for userland.bpf.c: a userspace scheduler in the manner of
// scx_userland. Its userTask pops the pids the BPF side queued in `enqueued`
// and dispatches them back through `dispatched`, FIFO, each time it runs.

export function beforeLoad(skel) {
  const usersched = skel.userTask('usersched', () => {
    let n = 0;
    for (let pid = skel.maps.enqueued.pop(); pid !== undefined; pid = skel.maps.enqueued.pop()) {
      if (skel.maps.dispatched.push(pid) !== 0) throw new Error(`dispatched is full at pid ${pid}`);
      n++;
    }
    // the CPU time a round takes grows with the tasks it handled
    return { runNs: 5_000 + 1_000 * n };
  });
  // scx_userland writes getpid() here before SCX_OPS_LOAD
  skel.rodata.usersched_pid = usersched.pid;
}

export function afterAttach(skel) {
  skel.every(500, () => print('user enqueues', skel.bss.nr_user_enqueues, 'dispatches', skel.bss.nr_user_dispatches, 'usersched runs', skel.bss.nr_usersched_runs));
}
