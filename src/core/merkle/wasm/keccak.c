/*
 * Batch keccak-256 and Merkle tree kernel for src/core/merkle (compiled to WebAssembly by
 * scripts/build-wasm.sh; the embedded module is kernel.wasm.ts). No libc, no allocation: the
 * caller lays out memory and passes offsets. Trees follow OpenZeppelin's StandardMerkleTree:
 * node i has children 2i+1 and 2i+2, and inner nodes hash their children in sorted order.
 */
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define RATE 136

static const uint64_t RC[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808AULL, 0x8000000080008000ULL,
    0x000000000000808BULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008AULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000AULL,
    0x000000008000808BULL, 0x800000000000008BULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800AULL, 0x800000008000000AULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};

#define ROTL(x, n) (((x) << (n)) | ((x) >> (64 - (n))))

static void keccakf(uint64_t s[25]) {
  uint64_t a0 = s[0]; uint64_t a1 = s[1]; uint64_t a2 = s[2]; uint64_t a3 = s[3]; uint64_t a4 = s[4]; uint64_t a5 = s[5]; uint64_t a6 = s[6]; uint64_t a7 = s[7]; uint64_t a8 = s[8]; uint64_t a9 = s[9]; uint64_t a10 = s[10]; uint64_t a11 = s[11]; uint64_t a12 = s[12]; uint64_t a13 = s[13]; uint64_t a14 = s[14]; uint64_t a15 = s[15]; uint64_t a16 = s[16]; uint64_t a17 = s[17]; uint64_t a18 = s[18]; uint64_t a19 = s[19]; uint64_t a20 = s[20]; uint64_t a21 = s[21]; uint64_t a22 = s[22]; uint64_t a23 = s[23]; uint64_t a24 = s[24];
  for (int round = 0; round < 24; round++) {
    uint64_t c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
    uint64_t c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
    uint64_t c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
    uint64_t c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
    uint64_t c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
    uint64_t d0 = c4 ^ ROTL(c1, 1);
    uint64_t d1 = c0 ^ ROTL(c2, 1);
    uint64_t d2 = c1 ^ ROTL(c3, 1);
    uint64_t d3 = c2 ^ ROTL(c4, 1);
    uint64_t d4 = c3 ^ ROTL(c0, 1);
    uint64_t b0 = a0 ^ d0;
    uint64_t b16 = ROTL(a5 ^ d0, 36);
    uint64_t b7 = ROTL(a10 ^ d0, 3);
    uint64_t b23 = ROTL(a15 ^ d0, 41);
    uint64_t b14 = ROTL(a20 ^ d0, 18);
    uint64_t b10 = ROTL(a1 ^ d1, 1);
    uint64_t b1 = ROTL(a6 ^ d1, 44);
    uint64_t b17 = ROTL(a11 ^ d1, 10);
    uint64_t b8 = ROTL(a16 ^ d1, 45);
    uint64_t b24 = ROTL(a21 ^ d1, 2);
    uint64_t b20 = ROTL(a2 ^ d2, 62);
    uint64_t b11 = ROTL(a7 ^ d2, 6);
    uint64_t b2 = ROTL(a12 ^ d2, 43);
    uint64_t b18 = ROTL(a17 ^ d2, 15);
    uint64_t b9 = ROTL(a22 ^ d2, 61);
    uint64_t b5 = ROTL(a3 ^ d3, 28);
    uint64_t b21 = ROTL(a8 ^ d3, 55);
    uint64_t b12 = ROTL(a13 ^ d3, 25);
    uint64_t b3 = ROTL(a18 ^ d3, 21);
    uint64_t b19 = ROTL(a23 ^ d3, 56);
    uint64_t b15 = ROTL(a4 ^ d4, 27);
    uint64_t b6 = ROTL(a9 ^ d4, 20);
    uint64_t b22 = ROTL(a14 ^ d4, 39);
    uint64_t b13 = ROTL(a19 ^ d4, 8);
    uint64_t b4 = ROTL(a24 ^ d4, 14);
    a0 = b0 ^ (~b1 & b2);
    a1 = b1 ^ (~b2 & b3);
    a2 = b2 ^ (~b3 & b4);
    a3 = b3 ^ (~b4 & b0);
    a4 = b4 ^ (~b0 & b1);
    a5 = b5 ^ (~b6 & b7);
    a6 = b6 ^ (~b7 & b8);
    a7 = b7 ^ (~b8 & b9);
    a8 = b8 ^ (~b9 & b5);
    a9 = b9 ^ (~b5 & b6);
    a10 = b10 ^ (~b11 & b12);
    a11 = b11 ^ (~b12 & b13);
    a12 = b12 ^ (~b13 & b14);
    a13 = b13 ^ (~b14 & b10);
    a14 = b14 ^ (~b10 & b11);
    a15 = b15 ^ (~b16 & b17);
    a16 = b16 ^ (~b17 & b18);
    a17 = b17 ^ (~b18 & b19);
    a18 = b18 ^ (~b19 & b15);
    a19 = b19 ^ (~b15 & b16);
    a20 = b20 ^ (~b21 & b22);
    a21 = b21 ^ (~b22 & b23);
    a22 = b22 ^ (~b23 & b24);
    a23 = b23 ^ (~b24 & b20);
    a24 = b24 ^ (~b20 & b21);
    a0 ^= RC[round];
  }
  s[0] = a0; s[1] = a1; s[2] = a2; s[3] = a3; s[4] = a4; s[5] = a5; s[6] = a6; s[7] = a7; s[8] = a8; s[9] = a9; s[10] = a10; s[11] = a11; s[12] = a12; s[13] = a13; s[14] = a14; s[15] = a15; s[16] = a16; s[17] = a17; s[18] = a18; s[19] = a19; s[20] = a20; s[21] = a21; s[22] = a22; s[23] = a23; s[24] = a24;
}

static inline uint64_t load64(const uint8_t *p) {
  uint64_t v;
  __builtin_memcpy(&v, p, 8); /* wasm is little-endian, as keccak lanes are */
  return v;
}

static inline void store64(uint8_t *p, uint64_t v) { __builtin_memcpy(p, &v, 8); }

static void keccak256_impl(const uint8_t *in, uint32_t len, uint8_t *out) {
  uint64_t s[25] = {0};
  while (len >= RATE) {
    for (int i = 0; i < RATE / 8; i++) s[i] ^= load64(in + 8 * i);
    keccakf(s);
    in += RATE;
    len -= RATE;
  }
  uint8_t last[RATE];
  for (int i = 0; i < RATE; i++) last[i] = 0;
  for (uint32_t i = 0; i < len; i++) last[i] = in[i];
  last[len] ^= 0x01;
  last[RATE - 1] ^= 0x80;
  for (int i = 0; i < RATE / 8; i++) s[i] ^= load64(last + 8 * i);
  keccakf(s);
  for (int i = 0; i < 4; i++) store64(out + 8 * i, s[i]);
}

/* keccak(a || b) for two 32-byte words, without a padding buffer: 64 bytes fit in one block. */
static void hash64(const uint8_t *a, const uint8_t *b, uint8_t *out) {
  uint64_t s[25] = {0};
  for (int i = 0; i < 4; i++) s[i] = load64(a + 8 * i);
  for (int i = 0; i < 4; i++) s[4 + i] = load64(b + 8 * i);
  s[8] = 0x01;
  s[16] = 0x8000000000000000ULL;
  keccakf(s);
  for (int i = 0; i < 4; i++) store64(out + 8 * i, s[i]);
}

/* keccak of one 32-byte word. */
static void hash32(const uint8_t *a, uint8_t *out) {
  uint64_t s[25] = {0};
  for (int i = 0; i < 4; i++) s[i] = load64(a + 8 * i);
  s[4] = 0x01;
  s[16] = 0x8000000000000000ULL;
  keccakf(s);
  for (int i = 0; i < 4; i++) store64(out + 8 * i, s[i]);
}

/* Whether a < b as 256-bit big-endian numbers (byte-wise compare). */
static int less32(const uint8_t *a, const uint8_t *b) {
  for (int i = 0; i < 32; i++) {
    if (a[i] != b[i]) return a[i] < b[i];
  }
  return 0;
}

EXPORT("keccak256")
void keccak256(const uint8_t *in, uint32_t len, uint8_t *out) { keccak256_impl(in, len, out); }

/* OpenZeppelin leaf hashes keccak(keccak(m)) of n messages laid out at offsets[i]..offsets[i+1]. */
EXPORT("leafHashes")
void leafHashes(const uint8_t *base, const uint32_t *offsets, uint32_t n, uint8_t *out) {
  uint8_t inner[32];
  for (uint32_t i = 0; i < n; i++) {
    keccak256_impl(base + offsets[i], offsets[i + 1] - offsets[i], inner);
    hash32(inner, out + 32 * i);
  }
}

/* The same for n messages of one fixed length, back to back (the common case: code leaves). */
EXPORT("leafHashesFixed")
void leafHashesFixed(const uint8_t *base, uint32_t len, uint32_t n, uint8_t *out) {
  uint8_t inner[32];
  for (uint32_t i = 0; i < n; i++) {
    keccak256_impl(base + (uint64_t)len * i, len, inner);
    hash32(inner, out + 32 * i);
  }
}

/* Sorted-pair hash of two nodes, as MerkleProof.sol's commutative keccak. */
EXPORT("hashPair")
void hashPair(const uint8_t *a, const uint8_t *b, uint8_t *out) {
  if (less32(b, a)) hash64(b, a, out);
  else hash64(a, b, out);
}

/* Fills inner nodes [from, to) of a tree whose nodes are 32 bytes each, from the last to the first,
 * so that children (2i+1, 2i+2) are ready before their parent. Leaves must already be in place. */
EXPORT("buildRange")
void buildRange(uint8_t *tree, uint32_t from, uint32_t to) {
  for (uint32_t i = to; i-- > from;) {
    const uint8_t *l = tree + 32 * (2 * (uint64_t)i + 1);
    const uint8_t *r = l + 32;
    if (less32(r, l)) hash64(r, l, tree + 32 * (uint64_t)i);
    else hash64(l, r, tree + 32 * (uint64_t)i);
  }
}
