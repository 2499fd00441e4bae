// Compile a loaded program to a JavaScript function once, at load time.

import { interpret } from '../interp';
import type { CompiledProgram, ExecState, VmCore } from '../machine';
import { buildWithScope } from '../scope';
import { findBlocks } from './blocks';
import { jitSource } from './codegen';

type Factory = (core: VmCore, prog: CompiledProgram, tail: Int32Array, interp: typeof interpret) => (st: ExecState) => void;

export function compileJit(prog: CompiledProgram, core: VmCore): void {
  const blocks = findBlocks(prog.code);
  const source = jitSource(prog, blocks);
  const factory = buildWithScope<Factory>(source);
  prog.jit = factory(core, prog, blocks.tail, interpret);
  prog.jitSource = source;
}

/** Runner for VmCore: compiled code, falling back to the interpreter for programs without it. */
export function runJit(core: VmCore, prog: CompiledProgram, st: ExecState): void {
  if (prog.jit !== undefined) prog.jit(st);
  else interpret(core, prog, st, Infinity);
}
