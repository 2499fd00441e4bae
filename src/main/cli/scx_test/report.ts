// Reports of `scxray test`: a readable summary, JUnit XML (testsuites →
// one testsuite per spec → one testcase per matrix cell, <failure> per
// failed expectation, <error> when the case could not run) and TAP version
// 14 (one test point per case, failures as YAML diagnostics).

import type { ExpectFailure } from './expect';
import type { TestCase } from './spec';

export interface CaseResult {
  testCase: TestCase;
  status: 'pass' | 'fail' | 'error';
  failures: ExpectFailure[];
  /** Why the case could not run (bad object, bad workload, …). */
  error?: string;
  ms: number;
  /** Kept trace of a failed case, and the commands that open it at the failing instant. */
  trace?: string;
  replay?: string;
  ui?: string;
}

export function caseName(r: CaseResult): string {
  return `${r.testCase.spec.name} [${r.testCase.label}]`;
}

export function counts(results: readonly CaseResult[]): { passed: number; failed: number; errors: number } {
  return {
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    errors: results.filter((r) => r.status === 'error').length,
  };
}

export function formatSummary(results: readonly CaseResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const mark = r.status === 'pass' ? 'PASS' : r.status === 'fail' ? 'FAIL' : 'ERROR';
    lines.push(`${mark.padEnd(5)} ${caseName(r)} (${(r.ms / 1000).toFixed(2)}s)`);
    if (r.error) lines.push(`      ${r.error}`);
    for (const f of r.failures) lines.push(`      ${f.expectation}: ${f.message}`);
    if (r.trace) lines.push(`      trace:  ${r.trace}`, `      replay: ${r.replay}`, `      UI:     ${r.ui}`);
  }
  const c = counts(results);
  lines.push('', `${c.passed} passed, ${c.failed} failed${c.errors ? `, ${c.errors} errors` : ''} (${results.length} cases)`);
  return lines.join('\n') + '\n';
}

function xmlEscape(s: string): string {
  // characters XML 1.0 cannot carry at all are dropped, the rest escaped
  // eslint-disable-next-line no-control-regex -- these control characters are exactly what XML 1.0 forbids
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const secs = (ms: number): string => (ms / 1000).toFixed(3);

export function formatJunit(results: readonly CaseResult[], timestamp = new Date()): string {
  const bySpec = new Map<string, CaseResult[]>();
  for (const r of results) {
    const key = `${r.testCase.spec.file}\u0000${r.testCase.spec.name}`;
    bySpec.set(key, [...(bySpec.get(key) ?? []), r]);
  }
  const total = counts(results);
  const totalMs = results.reduce((a, r) => a + r.ms, 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="scxray test" tests="${results.length}" failures="${total.failed}" errors="${total.errors}" time="${secs(totalMs)}">`,
  ];
  let id = 0;
  for (const rs of bySpec.values()) {
    const spec = rs[0]!.testCase.spec;
    const c = counts(rs);
    const ms = rs.reduce((a, r) => a + r.ms, 0);
    out.push(`  <testsuite name="${xmlEscape(spec.name)}" id="${id++}" package="scxray" tests="${rs.length}" failures="${c.failed}" errors="${c.errors}" skipped="0" time="${secs(ms)}" timestamp="${timestamp.toISOString().slice(0, 19)}" hostname="localhost">`);
    out.push('    <properties>', `      <property name="spec" value="${xmlEscape(spec.file)}"/>`, `      <property name="object" value="${xmlEscape(spec.object)}"/>`, '    </properties>');
    for (const r of rs) {
      out.push(`    <testcase name="${xmlEscape(r.testCase.label)}" classname="${xmlEscape(spec.name)}" time="${secs(r.ms)}">`);
      if (r.error) out.push(`      <error message="${xmlEscape(r.error)}" type="error">${xmlEscape(r.error)}</error>`);
      for (const f of r.failures) out.push(`      <failure message="${xmlEscape(f.message)}" type="${xmlEscape(f.expectation)}">${xmlEscape(`${f.expectation}: ${f.message}\nat ${f.at} ns`)}</failure>`);
      if (r.trace) out.push(`      <system-out>${xmlEscape(`trace: ${r.trace}\nreplay: ${r.replay}\nUI: ${r.ui}`)}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('    <system-out></system-out>', '    <system-err></system-err>', '  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

/** A YAML scalar that survives any text: JSON strings are valid YAML double-quoted scalars. */
const yamlString = (s: string): string => JSON.stringify(s);

export function formatTap(results: readonly CaseResult[]): string {
  const out = ['TAP version 14', `1..${results.length}`];
  results.forEach((r, i) => {
    // "#" would start a TAP directive in the description
    const name = caseName(r).replace(/#/g, '\\#');
    out.push(`${r.status === 'pass' ? 'ok' : 'not ok'} ${i + 1} - ${name}`);
    if (r.status !== 'pass') {
      out.push('  ---');
      if (r.error) out.push(`  error: ${yamlString(r.error)}`);
      if (r.failures.length) {
        out.push('  failures:');
        for (const f of r.failures) out.push(`    - expectation: ${yamlString(f.expectation)}`, `      message: ${yamlString(f.message)}`, `      at_ns: ${f.at}`);
      }
      if (r.trace) out.push(`  trace: ${yamlString(r.trace)}`, `  replay: ${yamlString(r.replay!)}`);
      out.push('  ...');
    }
  });
  return out.join('\n') + '\n';
}
