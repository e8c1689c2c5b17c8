/* Driver for the LZ4 library (lz4.c, lz4hc.c, xxhash.c as shipped in the python-lz4 sdist):
   run(n) compresses and decompresses n blocks of 4 KiB of generated text with LZ4 (fast, two
   accelerations), LZ4 HC and the frame format, and returns a checksum of sizes and XXH32. */
#include <stdint.h>
#include <string.h>
#include "lz4.h"
#include "lz4hc.h"
#include "lz4frame.h"
#include "xxhash.h"

#define INPUT 4096
static char input[INPUT];
static char packed[LZ4_COMPRESSBOUND(INPUT) + 1024];
static char unpacked[INPUT];
static char frame[INPUT * 2 + 4096];

static uint32_t seed = 12345;
static uint32_t next(void) { seed = seed * 1103515245u + 12345u; return seed >> 16; }

static const char *const words[] = {
  "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "lorem", "ipsum",
  "compression", "ratio", "stream", "block", "buffer", "window", "match", "literal",
  "offset", "length", "token", "hash", "table", "entropy", "frame", "checksum", "data"};

static void fill(uint32_t round) {
  size_t at = 0;
  seed = 12345u + round * 7919u;
  while (at < INPUT) {
    uint32_t r = next();
    const char *w = words[r % (sizeof words / sizeof *words)];
    size_t len = strlen(w);
    if (r % 13 == 0) {  /* some digits: less compressible */
      for (int i = 0; i < 6 && at < INPUT; i++) input[at++] = (char)('0' + next() % 10);
    }
    for (size_t i = 0; i < len && at < INPUT; i++) input[at++] = w[i];
    if (at < INPUT) input[at++] = (r % 11 == 0) ? '\n' : ' ';
  }
}

uint32_t run(int n) {
  uint32_t check = 0;
  for (int round = 0; round < n; round++) {
    fill((uint32_t)round);
    for (int acceleration = 1; acceleration <= 8; acceleration *= 8) {
      if (acceleration == 8 && round % 2 == 1) break;
      int size = LZ4_compress_fast(input, packed, INPUT, (int)sizeof packed, acceleration);
      int back = LZ4_decompress_safe(packed, unpacked, size, INPUT);
      check = check * 31u + (uint32_t)size;
      check ^= XXH32(unpacked, (size_t)back, check);
    }
    if (round % 8 == 0) {
      int size = LZ4_compress_HC(input, packed, INPUT, (int)sizeof packed, 6);
      int back = LZ4_decompress_safe(packed, unpacked, size, INPUT);
      check = check * 31u + (uint32_t)size;
      check ^= XXH32(unpacked, (size_t)back, check);
    }
    if (round % 4 != 1) continue;
    LZ4F_preferences_t prefs;
    memset(&prefs, 0, sizeof prefs);
    prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
    prefs.frameInfo.blockSizeID = LZ4F_max64KB;
    size_t fsize = LZ4F_compressFrame(frame, sizeof frame, input, INPUT, &prefs);
    if (LZ4F_isError(fsize)) return 1;
    LZ4F_dctx *dctx;
    if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION))) return 2;
    size_t out_size = INPUT, in_size = fsize;
    size_t rc = LZ4F_decompress(dctx, unpacked, &out_size, frame, &in_size, NULL);
    LZ4F_freeDecompressionContext(dctx);
    if (LZ4F_isError(rc)) return 3;
    check = check * 31u + (uint32_t)fsize;
    check ^= XXH32(unpacked, out_size, check);
  }
  return check;
}
