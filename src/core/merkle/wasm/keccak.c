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

typedef uint64_t u64x2 __attribute__((vector_size(16)));
#define ROTL2(x, n) (((x) << (n)) | ((x) >> (64 - (n))))

/* Two keccak-f[1600] permutations at once, one per 64-bit half of each vector lane (wasm simd128). */
static void keccakf2(u64x2 s[25]) {
  u64x2 a0 = s[0]; u64x2 a1 = s[1]; u64x2 a2 = s[2]; u64x2 a3 = s[3]; u64x2 a4 = s[4]; u64x2 a5 = s[5]; u64x2 a6 = s[6]; u64x2 a7 = s[7]; u64x2 a8 = s[8]; u64x2 a9 = s[9]; u64x2 a10 = s[10]; u64x2 a11 = s[11]; u64x2 a12 = s[12]; u64x2 a13 = s[13]; u64x2 a14 = s[14]; u64x2 a15 = s[15]; u64x2 a16 = s[16]; u64x2 a17 = s[17]; u64x2 a18 = s[18]; u64x2 a19 = s[19]; u64x2 a20 = s[20]; u64x2 a21 = s[21]; u64x2 a22 = s[22]; u64x2 a23 = s[23]; u64x2 a24 = s[24];
  for (int round = 0; round < 24; round++) {
    u64x2 c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
    u64x2 c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
    u64x2 c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
    u64x2 c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
    u64x2 c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
    u64x2 d0 = c4 ^ ROTL2(c1, 1);
    u64x2 d1 = c0 ^ ROTL2(c2, 1);
    u64x2 d2 = c1 ^ ROTL2(c3, 1);
    u64x2 d3 = c2 ^ ROTL2(c4, 1);
    u64x2 d4 = c3 ^ ROTL2(c0, 1);
    u64x2 b0 = a0 ^ d0;
    u64x2 b16 = ROTL2(a5 ^ d0, 36);
    u64x2 b7 = ROTL2(a10 ^ d0, 3);
    u64x2 b23 = ROTL2(a15 ^ d0, 41);
    u64x2 b14 = ROTL2(a20 ^ d0, 18);
    u64x2 b10 = ROTL2(a1 ^ d1, 1);
    u64x2 b1 = ROTL2(a6 ^ d1, 44);
    u64x2 b17 = ROTL2(a11 ^ d1, 10);
    u64x2 b8 = ROTL2(a16 ^ d1, 45);
    u64x2 b24 = ROTL2(a21 ^ d1, 2);
    u64x2 b20 = ROTL2(a2 ^ d2, 62);
    u64x2 b11 = ROTL2(a7 ^ d2, 6);
    u64x2 b2 = ROTL2(a12 ^ d2, 43);
    u64x2 b18 = ROTL2(a17 ^ d2, 15);
    u64x2 b9 = ROTL2(a22 ^ d2, 61);
    u64x2 b5 = ROTL2(a3 ^ d3, 28);
    u64x2 b21 = ROTL2(a8 ^ d3, 55);
    u64x2 b12 = ROTL2(a13 ^ d3, 25);
    u64x2 b3 = ROTL2(a18 ^ d3, 21);
    u64x2 b19 = ROTL2(a23 ^ d3, 56);
    u64x2 b15 = ROTL2(a4 ^ d4, 27);
    u64x2 b6 = ROTL2(a9 ^ d4, 20);
    u64x2 b22 = ROTL2(a14 ^ d4, 39);
    u64x2 b13 = ROTL2(a19 ^ d4, 8);
    u64x2 b4 = ROTL2(a24 ^ d4, 14);
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
    a0 ^= (u64x2){RC[round], RC[round]};
  }
  s[0] = a0; s[1] = a1; s[2] = a2; s[3] = a3; s[4] = a4; s[5] = a5; s[6] = a6; s[7] = a7; s[8] = a8; s[9] = a9; s[10] = a10; s[11] = a11; s[12] = a12; s[13] = a13; s[14] = a14; s[15] = a15; s[16] = a16; s[17] = a17; s[18] = a18; s[19] = a19; s[20] = a20; s[21] = a21; s[22] = a22; s[23] = a23; s[24] = a24;
}

/* One permutation: the two-way kernel with its second half idle (as fast as a scalar version here,
 * and one definition of the rounds instead of two). */
static void keccakf(uint64_t s[25]) {
  u64x2 v[25];
  for (int i = 0; i < 25; i++) v[i] = (u64x2){s[i], 0};
  keccakf2(v);
  for (int i = 0; i < 25; i++) s[i] = v[i][0];
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

/* Stores the first 32 bytes of each of the two states. */
static inline void squeeze2(const u64x2 s[25], uint8_t *a, uint8_t *b) {
  for (int i = 0; i < 4; i++) {
    store64(a + 8 * i, s[i][0]);
    store64(b + 8 * i, s[i][1]);
  }
}

/* Inner nodes i and i+1 (same level) at once: each is the keccak of its sorted children. */
static void pairNodes2(uint8_t *tree, uint64_t i) {
  const uint8_t *la = tree + 32 * (2 * i + 1), *ra = la + 32;
  const uint8_t *lb = tree + 32 * (2 * i + 3), *rb = lb + 32;
  if (less32(ra, la)) { const uint8_t *t = la; la = ra; ra = t; }
  if (less32(rb, lb)) { const uint8_t *t = lb; lb = rb; rb = t; }
  u64x2 s[25];
  for (int j = 0; j < 25; j++) s[j] = (u64x2){0, 0};
  for (int j = 0; j < 4; j++) {
    s[j] = (u64x2){load64(la + 8 * j), load64(lb + 8 * j)};
    s[4 + j] = (u64x2){load64(ra + 8 * j), load64(rb + 8 * j)};
  }
  s[8] = (u64x2){1, 1};
  s[16] = (u64x2){0x8000000000000000ULL, 0x8000000000000000ULL};
  keccakf2(s);
  squeeze2(s, tree + 32 * i, tree + 32 * (i + 1));
}

/* Fills every inner node below and including `root` in a tree of n leaves (2n-1 nodes). The nodes
 * under one root at relative depth d are the contiguous run starting at (root+1)*2^d - 1, so two
 * threads can build the subtrees of nodes 1 and 2 independently; deeper levels go first. */
EXPORT("buildSubtree")
void buildSubtree(uint8_t *tree, uint32_t n, uint32_t root) {
  uint64_t inner = (uint64_t)n - 1; /* inner nodes are 0 .. n-2 */
  if (root >= inner) return;
  int depth = 0;
  while (((uint64_t)root + 1) * ((uint64_t)2 << depth) - 1 < inner) depth++;
  for (int d = depth; d >= 0; d--) {
    uint64_t first = ((uint64_t)root + 1) * ((uint64_t)1 << d) - 1;
    uint64_t end = first + ((uint64_t)1 << d);
    if (end > inner) end = inner;
    uint64_t i = first;
    for (; i + 1 < end; i += 2) pairNodes2(tree, i);
    if (i < end) {
      const uint8_t *l = tree + 32 * (2 * i + 1);
      const uint8_t *r = l + 32;
      if (less32(r, l)) hash64(r, l, tree + 32 * i);
      else hash64(l, r, tree + 32 * i);
    }
  }
}

/* Places n leaf hashes (in value order) at their tree positions: the leaf of rank r (ascending hash
 * order, order[r] = its value index) sits at node 2n-2-r, as in OpenZeppelin's layout. */
EXPORT("placeLeaves")
void placeLeaves(uint8_t *tree, const uint8_t *leaves, const uint32_t *order, uint32_t n) {
  uint64_t last = 2 * (uint64_t)n - 2;
  for (uint32_t r = 0; r < n; r++) {
    const uint64_t *src = (const uint64_t *)(leaves + 32 * (uint64_t)order[r]);
    uint64_t *dst = (uint64_t *)(tree + 32 * (last - r));
    dst[0] = src[0]; dst[1] = src[1]; dst[2] = src[2]; dst[3] = src[3];
  }
}

/* Writes the inclusion proofs of `count` leaves (tree indices in `at`) back to back into `out`, leaf
 * to root, 32 bytes per sibling; returns the bytes written. The caller sizes `out` for the depth. */
EXPORT("writeProofs")
uint32_t writeProofs(const uint8_t *tree, const uint32_t *at, uint32_t count, uint8_t *out) {
  uint8_t *w = out;
  for (uint32_t j = 0; j < count; j++) {
    for (uint32_t t = at[j]; t > 0; t = (t - 1) >> 1) {
      uint32_t s = (t & 1) ? t + 1 : t - 1;
      const u64x2 *src = (const u64x2 *)(tree + 32 * (uint64_t)s);
      u64x2 *dst = (u64x2 *)w;
      dst[0] = src[0]; dst[1] = src[1];
      w += 32;
    }
  }
  return (uint32_t)(w - out);
}

/* Code leaves keccak(keccak(abi.encode(uint256 gtin, string serial))) for n serials of one width
 * (1..32 bytes) packed back to back: the 128-byte encoding is assembled here, so the caller only
 * copies the packed serials in. */
EXPORT("codeLeafHashes")
void codeLeafHashes(const uint8_t *gtinWord, const uint8_t *serials, uint32_t width, uint32_t n, uint8_t *out) {
  uint8_t msg[2][128];
  uint8_t inner[32];
  for (int m = 0; m < 2; m++) {
    for (int i = 0; i < 128; i++) msg[m][i] = 0;
    for (int i = 0; i < 32; i++) msg[m][i] = gtinWord[i];
    msg[m][63] = 0x40;
    msg[m][95] = (uint8_t)width;
  }
  uint32_t i = 0;
  for (; i + 1 < n; i += 2) {
    const uint8_t *sa = serials + (uint64_t)width * i;
    for (uint32_t c = 0; c < width; c++) {
      msg[0][96 + c] = sa[c];
      msg[1][96 + c] = sa[width + c];
    }
    u64x2 s[25];
    for (int j = 0; j < 25; j++) s[j] = (u64x2){0, 0};
    for (int j = 0; j < 16; j++) s[j] = (u64x2){load64(msg[0] + 8 * j), load64(msg[1] + 8 * j)};
    /* padding of a 128-byte message: 0x01 at byte 128, 0x80 at byte 135, both in lane 16 */
    s[16] = (u64x2){0x8000000000000001ULL, 0x8000000000000001ULL};
    keccakf2(s);
    u64x2 t[25];
    for (int j = 0; j < 25; j++) t[j] = (u64x2){0, 0};
    for (int j = 0; j < 4; j++) t[j] = s[j];
    t[4] = (u64x2){1, 1};
    t[16] = (u64x2){0x8000000000000000ULL, 0x8000000000000000ULL};
    keccakf2(t);
    squeeze2(t, out + 32 * (uint64_t)i, out + 32 * (uint64_t)(i + 1));
  }
  if (i < n) {
    const uint8_t *sa = serials + (uint64_t)width * i;
    for (uint32_t c = 0; c < width; c++) msg[0][96 + c] = sa[c];
    keccak256_impl(msg[0], 128, inner);
    hash32(inner, out + 32 * (uint64_t)i);
  }
}

/* Rejection sampling of serial characters, straight into kernel memory: each random byte below
 * `rejectFrom` becomes alphabet[byte % alphabetLen]; the rest are dropped, so no character is
 * favoured. Writes at most `outLen` characters and returns how many it wrote. */
EXPORT("sampleChars")
uint32_t sampleChars(const uint8_t *rnd, uint32_t rndLen, const uint8_t *alphabet, uint32_t alphabetLen,
                     uint32_t rejectFrom, uint8_t *out, uint32_t outLen) {
  uint32_t w = 0;
  for (uint32_t i = 0; i < rndLen && w < outLen; i++) {
    uint32_t b = rnd[i];
    if (b < rejectFrom) out[w++] = alphabet[b % alphabetLen];
  }
  return w;
}
