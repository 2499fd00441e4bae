// Constants the code templates splice into generated source.
export { ALU, ATOMIC, CAST_KERN_IMM, JMP, MODE, SIZE } from './opcodes';
import { LO_BASE } from './memory';

/** LO_BASE as a decimal literal for generated code. */
export const LO_BASE_LITERAL = String(LO_BASE);
