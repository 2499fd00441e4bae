// Entry of the debugger UI: connect to the session (Electron preload or the
// browser host's WebSocket) and mount the app. `#bench-timeline=<slices>`
// mounts the timeline benchmark instead (synthetic data, loaded on demand),
// `#bench-tracks=<objects>,<cpus>` the change-tracks one;
// `#open=<trace path>&at=<ns>` opens a recorded trace at an instant.
import { mount } from 'svelte';
import App from './App.svelte';
import { DebuggerActions } from './lib/debugger_actions';
import { DebuggerState } from './lib/debugger_state.svelte';
import { connectSession } from './lib/session_client';
import { parseOpenHash } from '../protocol/open_link';
import './styles/theme.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
const bench = /^#bench-timeline=(\d+)(?:,(\d+))?$/.exec(location.hash);
const tracksBench = /^#bench-tracks=(\d+)(?:,(\d+))?$/.exec(location.hash);
if (bench) {
  void import('./bench/timeline_bench').then((b) => b.startTimelineBench(target, Number(bench[1]), Number(bench[2] ?? 16)));
} else if (tracksBench) {
  void import('./bench/tracks_bench').then((b) => b.startTracksBench(target, Number(tracksBench[1]), Number(tracksBench[2] ?? 64)));
} else {
  const session = connectSession();
  const dbg = new DebuggerState();
  mount(App, { target, props: { session, dbg, actions: new DebuggerActions(session, dbg, parseOpenHash(location.hash)) } });
}
