// The names of the session's methods and pushes, and the Electron IPC
// channels that carry them: dependency-free so the sandboxed preload can use
// them without bundling the schemas. contract.ts defines the schemas under
// exactly these names (a test checks).

export const METHOD_LIST = [
  'hostInfo',
  'listExamples',
  'openObject',
  'openTrace',
  'chooseFile',
  'startRun',
  'pause',
  'resume',
  'stop',
  'runStatus',
  'saveTrace',
  'slices',
  'stateAt',
  'events',
  'changeTracks',
  'flows',
  'schedMarks',
  'lineCounts',
  'rangeSummary',
  'importSchedTrace',
  'debugSetBreakpoints',
  'debugStart',
  'debugResume',
  'debugReverse',
  'debugEval',
  'debugCall',
  'debugSource',
] as const;

export const PUSH_LIST = ['progress', 'runState', 'error', 'objectOpened', 'traceOpened'] as const;

/** Renderer -> main: ipcRenderer.invoke(IPC_REQUEST, { method, params }) -> Result. */
export const IPC_REQUEST = 'scxray:request';
/** Main -> renderer: webContents.send(IPC_PUSH, { channel, payload }). */
export const IPC_PUSH = 'scxray:push';
