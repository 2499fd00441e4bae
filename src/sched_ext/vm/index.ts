// Public entry of the BPF virtual machine (design notes: README.md).
export * from './abi';
export * from './fault';
export * from './memory';
export { createVm, type DebuggableVm } from './vm';
export { Stepper } from './interp';
export { lineAt } from './machine';
export { decode, type DecodedProgram } from './decode';
export { disassemble, disassembleInsn, HELPER_NAMES, type DisasmNames } from './disasm';
