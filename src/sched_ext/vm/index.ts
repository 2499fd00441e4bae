// Public entry of the BPF virtual machine.
export * from './abi';
export * from './fault';
export * from './memory';
export { createVm } from './vm';
export { Stepper } from './interp';
export { decode, type DecodedProgram } from './decode';
export { disassemble, disassembleInsn } from './disasm';
