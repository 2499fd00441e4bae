// The last line of defence of the command line: an error no command turned
// into its own message (a file that is a directory, unreadable, on a full
// disk; a typed input error raised somewhere deep) becomes one line naming
// the file and the problem, exit 2 ("bad input"; the README keeps exit 1 for
// an ejected scheduler). Anything else is a bug in scxray and keeps its stack.

import { osErrorCode, osErrorText } from '../../base/os_error';
import { LoadError } from '../../sched_ext/loader/index';
import { SimSetupError } from '../../sim/bpf_ops';
import { TraceError } from '../../sim/trace/errors';
import { WorkloadError } from '../../sim/workload/load';

/** The one line for an input error escaping command `command`, or null when `e` is not one. */
export function cliErrorLine(e: unknown, command: string | undefined): string | null {
  const prefix = command && /^[a-z-]+$/.test(command) ? `scxray ${command}: ` : 'scxray: ';
  if (osErrorCode(e)) {
    const path = (e as { path?: unknown }).path;
    return `${prefix}${typeof path === 'string' ? `${path}: ` : ''}${osErrorText(e)}`;
  }
  if (e instanceof TraceError || e instanceof LoadError || e instanceof WorkloadError || e instanceof SimSetupError) return prefix + e.message;
  return null;
}
