// Entry of the debugger UI: connect to the session (Electron preload or the
// browser host's WebSocket) and mount the app.
import { mount } from 'svelte';
import App from './App.svelte';
import { DebuggerActions } from './lib/debugger_actions';
import { DebuggerState } from './lib/debugger_state.svelte';
import { connectSession } from './lib/session_client';
import './styles/theme.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
const session = connectSession();
const dbg = new DebuggerState();
mount(App, { target, props: { session, dbg, actions: new DebuggerActions(session, dbg) } });
