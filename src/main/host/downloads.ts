// "Save trace as…" in the browser host: the session (in a pool worker) offers
// its run's trace under a random one-time id; GET /download/<id> (with the
// host token) streams it as an attachment. An offer is withdrawn when its
// session closes, since the temp trace is deleted then.

import { createReadStream, statSync } from 'node:fs';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

export interface DownloadOffer {
  file: string;
  name: string;
}

export class Downloads {
  private readonly offers = new Map<string, DownloadOffer & { session: number }>();

  /** Offer `file` under `id` (chosen by the session worker) for the page of `session`. */
  add(id: string, file: string, name: string, session: number): void {
    this.offers.set(id, { file, name, session });
  }

  /** The offer for `id`, removed (each offer is fetched once). */
  take(id: string): DownloadOffer | undefined {
    const o = this.offers.get(id);
    this.offers.delete(id);
    return o;
  }

  /** A session ended: its temp traces are deleted, so its offers go too. */
  withdrawSession(session: number): void {
    for (const [id, o] of this.offers) if (o.session === session) this.offers.delete(id);
  }
}

export function sendDownload(res: ServerResponse, headers: OutgoingHttpHeaders, offer: DownloadOffer): void {
  let size: number;
  try {
    size = statSync(offer.file).size;
  } catch {
    res.writeHead(410, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('the trace is gone (its session ended)\n');
    return;
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(size),
    // the name is ours (scheduler name + run id); quote it and drop anything a header cannot carry
    'Content-Disposition': `attachment; filename="${offer.name.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
  });
  const stream = createReadStream(offer.file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
