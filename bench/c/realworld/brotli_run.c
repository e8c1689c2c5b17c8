/* Driver for the Brotli library (c/common, c/dec, c/enc as shipped in the Brotli sdist):
   run(n) compresses n blocks of 2 KiB of generated text with the one-shot encoder at
   qualities 1, 4 and 6 (one per block, in turn) and decompresses every result, returning
   a checksum of the compressed sizes and the bytes that came back. */
#include <stdint.h>
#include <string.h>
#include <brotli/decode.h>
#include <brotli/encode.h>

#define INPUT 2048
static uint8_t input[INPUT];
static uint8_t packed[INPUT * 2 + 1024];
static uint8_t unpacked[INPUT];

static uint32_t seed;
static uint32_t next(void) { seed = seed * 1103515245u + 12345u; return seed >> 16; }

static const char *const words[] = {
  "<div class=\"item\">", "</div>", "the", "of", "and", "function", "return", "value",
  "window", "document", "http://example.org/", "brotli", "dictionary", "context", "model",
  "Huffman", "code", "distance", "insert", "copy", "length", "meta-block", "stream"};

static void fill(uint32_t round) {
  size_t at = 0;
  seed = 4242u + round * 7919u;
  while (at < INPUT) {
    uint32_t r = next();
    const char *w = words[r % (sizeof words / sizeof *words)];
    size_t len = strlen(w);
    if (r % 17 == 0)
      for (int i = 0; i < 5 && at < INPUT; i++) input[at++] = (uint8_t)('0' + next() % 10);
    for (size_t i = 0; i < len && at < INPUT; i++) input[at++] = (uint8_t)w[i];
    if (at < INPUT) input[at++] = (r % 7 == 0) ? '\n' : ' ';
  }
}

static uint32_t mix(uint32_t h, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

uint32_t run(int n) {
  static const int qualities[3] = {1, 4, 6};
  uint32_t check = 2166136261u;
  for (int round = 0; round < n; round++) {
    fill((uint32_t)round);
    size_t size = sizeof packed;
    if (!BrotliEncoderCompress(qualities[round % 3], 16, BROTLI_MODE_TEXT, INPUT, input,
                               &size, packed)) return 1;
    size_t back = INPUT;
    if (BrotliDecoderDecompress(size, packed, &back, unpacked) != BROTLI_DECODER_RESULT_SUCCESS)
      return 2;
    if (back != INPUT || memcmp(input, unpacked, INPUT) != 0) return 3;
    check = mix(check ^ (uint32_t)size, unpacked, back);
  }
  return check;
}

/* The encoder calls exit() when malloc fails (built with -Dexit=rw_exit): without a host,
   that is a trap. */
_Noreturn void rw_exit(int code) { (void)code; __builtin_trap(); }
