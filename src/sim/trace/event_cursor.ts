// Builds one SimEvent from a decoded chunk's columns: t, kind, cpu and pid
// from their columns, the rest by the kind's codec (event_codec.ts).

import type { SimEvent } from '../../model/events';
import type { ChunkEvents } from './event_decoder';
import { TraceError } from './errors';
import { CODEC_BY_CODE, type ArgReader } from './event_codec';

export class EventCursor implements ArgReader {
  private io: number;
  private so: number;
  private bo: number;

  constructor(
    private readonly c: ChunkEvents,
    private readonly i: number,
  ) {
    this.io = c.intOff[i]!;
    this.so = c.strOff[i]!;
    this.bo = c.blobOff[i]!;
  }

  int(): number {
    return this.c.ints[this.io++]!;
  }

  str(): string {
    return this.c.strings[this.c.strIdx[this.so++]!]!;
  }

  pick(values: readonly string[], what: string): string {
    const code = this.int();
    const v = values[code];
    if (v === undefined) throw new TraceError('corrupt', `unknown ${what} code ${code} in event ${this.i}`);
    return v;
  }

  blob(n: number): Uint8Array {
    const off = this.bo;
    this.bo += n;
    return this.c.blobs.slice(off, off + n);
  }

  json(what: string): unknown {
    const s = this.str();
    try {
      return JSON.parse(s) as unknown;
    } catch {
      throw new TraceError('corrupt', `event ${this.i}: ${what} is not valid JSON`);
    }
  }

  read(): SimEvent {
    const c = this.c;
    const i = this.i;
    const codec = CODEC_BY_CODE[c.kind[i]!];
    if (!codec) throw new TraceError('corrupt', `unknown event kind code ${c.kind[i]} in event ${i}`);
    const ev: Record<string, unknown> = { t: c.t[i]!, kind: codec.kind };
    if (codec.info.cpu) ev.cpu = c.cpu[i]!;
    if (codec.info.pid) ev[codec.info.pid] = c.pid[i]!;
    codec.read(this, ev);
    return ev as unknown as SimEvent;
  }
}
