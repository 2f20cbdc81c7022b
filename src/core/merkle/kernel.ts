import { fromBase64 } from "../bytes";
import { KERNEL_WASM_BASE64 } from "./wasm/kernel-wasm";

/**
 * The WebAssembly keccak/Merkle kernel (wasm/keccak.c). One instance per thread, compiled on first
 * use. Callers reserve scratch memory with `reserve` and copy in and out of `bytes()`; the kernel
 * itself never allocates.
 */
export interface Kernel {
  /** The module's memory as bytes; re-read after every reserve (growing detaches the old view). */
  bytes(): Uint8Array;
  /** Ensures `size` bytes of scratch memory and returns its offset. Invalidates earlier reservations. */
  reserve(size: number): number;
  keccak256(inPtr: number, len: number, outPtr: number): void;
  leafHashes(basePtr: number, offsetsPtr: number, n: number, outPtr: number): void;
  leafHashesFixed(basePtr: number, len: number, n: number, outPtr: number): void;
  hashPair(aPtr: number, bPtr: number, outPtr: number): void;
  /** Fills the inner nodes of the subtree under `root` of a tree of n leaves. */
  buildSubtree(treePtr: number, n: number, root: number): void;
  /** Puts n leaf hashes (value order) at their tree positions given their ascending-hash order. */
  placeLeaves(treePtr: number, leavesPtr: number, orderPtr: number, n: number): void;
  /** Writes the proofs of `count` leaves (tree indices at `atPtr`) back to back; returns the bytes. */
  writeProofs(treePtr: number, atPtr: number, count: number, outPtr: number): number;
  /** Code leaf hashes of n packed serials of one width, under one GTIN word. */
  codeLeafHashes(gtinPtr: number, serialsPtr: number, width: number, n: number, outPtr: number): void;
  /** Maps random bytes to alphabet characters by rejection; returns the characters written. */
  sampleChars(
    rndPtr: number,
    rndLen: number,
    alphabetPtr: number,
    alphabetLen: number,
    rejectFrom: number,
    outPtr: number,
    outLen: number,
  ): number;
}

interface KernelExports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
  keccak256(a: number, b: number, c: number): void;
  leafHashes(a: number, b: number, c: number, d: number): void;
  leafHashesFixed(a: number, b: number, c: number, d: number): void;
  hashPair(a: number, b: number, c: number): void;
  buildSubtree(a: number, b: number, c: number): void;
  placeLeaves(a: number, b: number, c: number, d: number): void;
  writeProofs(a: number, b: number, c: number, d: number): number;
  codeLeafHashes(a: number, b: number, c: number, d: number, e: number): void;
  sampleChars(a: number, b: number, c: number, d: number, e: number, f: number, g: number): number;
}

const PAGE = 65536;
let instance: Kernel | undefined;

export function kernel(): Kernel {
  if (instance) return instance;
  const module = new WebAssembly.Module(fromBase64(KERNEL_WASM_BASE64) as Uint8Array<ArrayBuffer>);
  const ex = new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
  const heapBase = (Number(ex.__heap_base.value) + 63) & ~63;
  instance = {
    bytes: () => new Uint8Array(ex.memory.buffer),
    reserve(size: number): number {
      const needed = heapBase + size;
      const have = ex.memory.buffer.byteLength;
      if (needed > have) ex.memory.grow(Math.ceil((needed - have) / PAGE));
      return heapBase;
    },
    keccak256: ex.keccak256,
    leafHashes: ex.leafHashes,
    leafHashesFixed: ex.leafHashesFixed,
    hashPair: ex.hashPair,
    buildSubtree: ex.buildSubtree,
    placeLeaves: ex.placeLeaves,
    writeProofs: ex.writeProofs,
    codeLeafHashes: ex.codeLeafHashes,
    sampleChars: ex.sampleChars,
  };
  return instance;
}

/**
 * keccak256 of `data` in the kernel: some twenty times faster than JavaScript on short messages,
 * for the services that hash every event of every capture (a page keeps noble's, and no kernel).
 */
export function kernelKeccak256(data: Uint8Array): Uint8Array {
  const k = kernel();
  const base = k.reserve(data.length + 32);
  const mem = k.bytes();
  mem.set(data, base);
  k.keccak256(base, data.length, base + data.length);
  return mem.slice(base + data.length, base + data.length + 32);
}
