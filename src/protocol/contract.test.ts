import { describe, expect, it } from 'vitest';
import { checkPush, checkRequest, checkResult } from './validate';
import { decodeFrame, encodeFrame } from './wire';
import { METHOD_NAMES, PUSH_CHANNELS } from './contract';

describe('session contract: requests', () => {
  it('accepts a valid startRun and fills defaults', () => {
    const r = checkRequest({
      method: 'startRun',
      params: { workload: { preset: 'mixed' }, cpus: 4, seed: 1, durationNs: 1e9 },
    });
    expect(r.ok).toBe(true);
    if (r.ok && r.value.method === 'startRun') {
      const p = r.value.params as { engine: string; sets: Record<string, string> };
      expect(p.engine).toBe('jit');
      expect(p.sets).toEqual({});
    }
  });

  it('rejects a wrong field type naming the field', () => {
    const r = checkRequest({
      method: 'startRun',
      params: { workload: { preset: 'mixed' }, cpus: 'four', seed: 1, durationNs: 1e9 },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_request');
      expect(r.error.where).toBe('params.cpus');
      expect(r.error.message).toContain('params.cpus');
      expect(r.error.message).toContain('startRun');
    }
  });

  it('names the nested field inside a union (upload without data)', () => {
    const r = checkRequest({ method: 'openObject', params: { name: 'x.bpf.o', dataBase64: 42 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.where).toBe('params.dataBase64');
  });

  it('rejects unknown extra fields (strict params)', () => {
    const r = checkRequest({ method: 'stateAt', params: { t: 5, extra: true } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/extra/);
  });

  it('rejects an inverted time window naming t1', () => {
    const r = checkRequest({ method: 'slices', params: { t0: 10, t1: 5, nsPerPx: 1 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.where).toBe('params.t1');
  });

  it('rejects unknown methods and non-objects', () => {
    const u = checkRequest({ method: 'rm -rf', params: {} });
    expect(u.ok).toBe(false);
    if (!u.ok) {
      expect(u.error.code).toBe('unknown_method');
      expect(u.error.message).toContain('rm -rf');
    }
    const n = checkRequest('hello');
    expect(n.ok).toBe(false);
    const m = checkRequest({ params: {} });
    expect(m.ok).toBe(false);
    if (!m.ok) expect(m.error.where).toBe('method');
  });

  it('every method and push has schemas', () => {
    expect(METHOD_NAMES).toContain('openObject');
    expect(METHOD_NAMES).toContain('slices');
    expect(PUSH_CHANNELS).toEqual(expect.arrayContaining(['progress', 'runState', 'error']));
  });
});

describe('session contract: results and pushes', () => {
  it('flags a host result that breaks the contract as internal', () => {
    const r = checkResult('hostInfo', { host: 'tv', version: '1', nativeDialogs: false });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('internal');
      expect(r.error.where).toBe('result.host');
    }
  });

  it('validates slices results as typed arrays', () => {
    const good = {
      t0: 0, t1: 10, nsPerPx: 1,
      cpu: new Int32Array(1), pid: new Int32Array(1), start: new Float64Array(1), end: new Float64Array(1), merged: new Uint32Array(1),
    };
    expect(checkResult('slices', good).ok).toBe(true);
    expect(checkResult('slices', { ...good, pid: [1] }).ok).toBe(false);
  });

  it('validates pushes', () => {
    expect(checkPush('progress', { runId: 1, tNs: 5, durationNs: 10, eventCount: 3 }).ok).toBe(true);
    const bad = checkPush('progress', { runId: 1, tNs: 'x', durationNs: 10, eventCount: 3 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.where).toBe('payload.tNs');
  });
});

describe('wire framing', () => {
  it('round-trips typed arrays and bigints through JSON', () => {
    const frame = {
      type: 'response' as const, id: 3, ok: true as const,
      result: { start: new Float64Array([1.5, 2e12]), pid: new Int32Array([-1, 7]), n: 5n, bytes: new Uint8Array([1, 2, 3]) },
    };
    const back = decodeFrame(encodeFrame(frame)) as { result: Record<string, unknown> };
    expect(back.result.start).toBeInstanceOf(Float64Array);
    expect(Array.from(back.result.start as Float64Array)).toEqual([1.5, 2e12]);
    expect(Array.from(back.result.pid as Int32Array)).toEqual([-1, 7]);
    expect(back.result.n).toBe('5');
    expect(Array.from(back.result.bytes as Uint8Array)).toEqual([1, 2, 3]);
  });

  it('keeps typed-array subviews to their own bytes', () => {
    const buf = new Int32Array([9, 8, 7, 6]);
    const back = decodeFrame(encodeFrame({ type: 'push', channel: 'x', payload: buf.subarray(1, 3) })) as { payload: Int32Array };
    expect(Array.from(back.payload)).toEqual([8, 7]);
  });
});

describe('channel name lists', () => {
  it('match the schemas exactly (the preload uses the lists)', async () => {
    const { METHOD_LIST, PUSH_LIST } = await import('./channels');
    expect([...METHOD_LIST].sort()).toEqual([...METHOD_NAMES].sort());
    expect([...PUSH_LIST].sort()).toEqual([...PUSH_CHANNELS].sort());
  });
});
