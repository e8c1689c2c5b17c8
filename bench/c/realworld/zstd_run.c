/* Driver for Zstandard (the single-file zstd.c as shipped in the zstandard sdist): run(n)
   makes n blocks of 4 KiB of text-like data (words, numbers, repeats at several
   distances), compresses the whole buffer one-shot at levels 1, 3 and 9, with streaming
   compression at level 5 in 4 KiB chunks and with a dictionary made of the first 2 KiB,
   decompresses every frame (one-shot and streaming), checks the round trips and returns a
   checksum of the compressed frames. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#define ZSTD_STATIC_LINKING_ONLY
#include "zstd.h"

static uint32_t seed;
static uint32_t next(void) { seed = seed * 1103515245u + 12345u; return seed >> 16; }

static const char *const words[] = {
  "frame", "block", "literal", "sequence", "huffman", "entropy", "window", "match",
  "offset", "repeat", "dictionary", "checksum", "level", "stream", "buffer", "table"};

static size_t fill(unsigned char *out, size_t size) {
  size_t len = 0;
  while (len + 64 < size) {
    uint32_t r = next();
    if (r % 7 == 0 && len > 300) {  /* a repeat of earlier data */
      size_t distance = 16 + next() % (len < 4000 ? len - 16 : 4000);
      size_t count = 8 + next() % 40;
      for (size_t i = 0; i < count; i++, len++) out[len] = out[len - distance];
    } else if (r % 5 == 0) {
      uint32_t v = next() * 7919u;
      do { out[len++] = (unsigned char)('0' + v % 10); v /= 10; } while (v);
      out[len++] = ' ';
    } else {
      const char *w = words[next() % 16];
      size_t k = strlen(w);
      memcpy(out + len, w, k);
      len += k;
      out[len++] = (unsigned char)(r % 11 == 0 ? '\n' : ' ');
    }
  }
  while (len < size) out[len++] = '.';
  return len;
}

static uint32_t mix(uint32_t h, const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

uint32_t run(int n) {
  size_t size = (size_t)n * 4096;
  unsigned char *src = malloc(size), *back = malloc(size);
  size_t bound = ZSTD_compressBound(size);
  unsigned char *dst = malloc(bound);
  if (!src || !back || !dst) return 1;
  seed = 99u;
  fill(src, size);
  uint32_t h = 2166136261u;
  ZSTD_CCtx *cctx = ZSTD_createCCtx();
  ZSTD_DCtx *dctx = ZSTD_createDCtx();
  static const int levels[] = {1, 3, 9};
  for (int k = 0; k < 3; k++) {
    size_t c = ZSTD_compressCCtx(cctx, dst, bound, src, size, levels[k]);
    if (ZSTD_isError(c)) return 2;
    h = mix(h, dst, c);
    size_t d = ZSTD_decompressDCtx(dctx, back, size, dst, c);
    if (ZSTD_isError(d) || d != size || memcmp(back, src, size)) return 3;
  }
  /* streaming, level 5 with a checksum, 4 KiB input chunks */
  ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 5);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  ZSTD_outBuffer out = {dst, bound, 0};
  for (size_t pos = 0; pos < size; pos += 4096) {
    ZSTD_inBuffer in = {src + pos, size - pos < 4096 ? size - pos : 4096, 0};
    ZSTD_EndDirective mode = pos + 4096 >= size ? ZSTD_e_end : ZSTD_e_continue;
    size_t left;
    do {
      left = ZSTD_compressStream2(cctx, &out, &in, mode);
      if (ZSTD_isError(left)) return 4;
    } while (mode == ZSTD_e_end ? left != 0 : in.pos < in.size);
  }
  h = mix(h, dst, out.pos);
  ZSTD_inBuffer in = {dst, out.pos, 0};
  ZSTD_outBuffer into = {back, size, 0};
  ZSTD_DCtx_reset(dctx, ZSTD_reset_session_and_parameters);
  while (in.pos < in.size) {
    size_t r = ZSTD_decompressStream(dctx, &into, &in);
    if (ZSTD_isError(r)) return 5;
  }
  if (into.pos != size || memcmp(back, src, size)) return 6;
  /* a raw-content dictionary from the first 2 KiB, each 1 KiB piece compressed alone */
  ZSTD_CDict *cdict = ZSTD_createCDict(src, 2048, 4);
  ZSTD_DDict *ddict = ZSTD_createDDict(src, 2048);
  for (size_t pos = 2048; pos + 1024 <= size; pos += 1024) {
    size_t c = ZSTD_compress_usingCDict(cctx, dst, bound, src + pos, 1024, cdict);
    if (ZSTD_isError(c)) return 7;
    h = mix(h, dst, c);
    size_t d = ZSTD_decompress_usingDDict(dctx, back, 1024, dst, c, ddict);
    if (d != 1024 || memcmp(back, src + pos, 1024)) return 8;
  }
  ZSTD_freeCDict(cdict);
  ZSTD_freeDDict(ddict);
  ZSTD_freeCCtx(cctx);
  ZSTD_freeDCtx(dctx);
  free(src); free(back); free(dst);
  return h;
}
