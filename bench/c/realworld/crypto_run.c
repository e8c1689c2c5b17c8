/* Driver for PyCryptodome's C primitives (as shipped in the pycryptodome sdist): run(n)
   encrypts and authenticates n messages of 4 KiB: AES-128 in CBC mode (and decrypts back),
   AES-256 in CTR mode, ChaCha20 with a Poly1305 tag, SHA-256, SHA-512 and SHA3-256 digests
   of the ciphertexts, and one Ed25519 scalar multiplication of the base point per message
   (64-bit limb arithmetic, a precomputed table); returns a checksum of every output. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The library's entry points (each .c file is a module of its own in the sdist). */
int AES_start_operation(const uint8_t key[], size_t key_len, void **state);
int CBC_start_operation(void *cipher, const uint8_t iv[], size_t iv_len, void **state);
int CBC_encrypt(void *state, const uint8_t *in, uint8_t *out, size_t len);
int CBC_decrypt(void *state, const uint8_t *in, uint8_t *out, size_t len);
int CBC_stop_operation(void *state);
int CTR_start_operation(void *cipher, uint8_t counter0[], size_t counter0_len,
                        size_t prefix_len, unsigned counter_len, unsigned little_endian,
                        void **state);
int CTR_encrypt(void *state, const uint8_t *in, uint8_t *out, size_t len);
int CTR_stop_operation(void *state);
int SHA256_init(void **state);
int SHA256_update(void *state, const uint8_t *buf, size_t len);
int SHA256_digest(const void *state, uint8_t *digest, size_t size);
int SHA256_destroy(void *state);
int SHA512_init(void **state, size_t digest_size);
int SHA512_update(void *state, const uint8_t *buf, size_t len);
int SHA512_digest(const void *state, uint8_t *digest, size_t size);
int SHA512_destroy(void *state);
int keccak_init(void **state, size_t capacity_bytes, uint8_t rounds);
int keccak_absorb(void *state, const uint8_t *in, size_t len);
int keccak_digest(void *state, uint8_t *digest, size_t len, uint8_t padding);
int keccak_destroy(void *state);
int chacha20_init(void **state, const uint8_t *key, size_t key_size, const uint8_t *nonce,
                  size_t nonce_size);
int chacha20_encrypt(void *state, const uint8_t in[], uint8_t out[], size_t len);
int chacha20_destroy(void *state);
int poly1305_init(void **state, const uint8_t r[16], size_t r_len, const uint8_t s[16],
                  size_t s_len);
int poly1305_update(void *state, const uint8_t *in, size_t len);
int poly1305_digest(const void *state, uint8_t digest[16], size_t len);
int poly1305_destroy(void *state);
int ed25519_decode_point(void **out, const uint8_t *encoded, size_t len, void *context);
int ed25519_scalar(void *point, const uint8_t *scalar, size_t scalar_len, uint64_t seed);
int ed25519_get_xy(uint8_t *xb, uint8_t *yb, size_t modsize, void *point);
void ed25519_free_point(void *point);

/* pycryptodome forces assertions on; a failed one traps here instead of printing. */
void __assert_fail(const char *expr, const char *file, int line, const char *function) {
  (void)expr; (void)file; (void)line; (void)function;
  __builtin_trap();
}

static uint32_t hash, failed;
static void mix(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) hash = (hash ^ p[i]) * 16777619u;
}

static uint32_t seed;
static uint32_t next(void) { seed = seed * 1103515245u + 12345u; return seed >> 16; }

#define SIZE 4096
static uint8_t plain[SIZE], cipher[SIZE], back[SIZE];

uint32_t run(int n) {
  static const uint8_t base[32] = {  /* the Ed25519 base point, encoded */
    0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
    0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
    0x66, 0x66, 0x66, 0x66};
  uint8_t key[32], iv[16], digest[64], x[32], y[32];
  hash = 2166136261u;
  failed = 0;
  seed = 2024u;
  for (int round = 0; round < n; round++) {
    for (int i = 0; i < SIZE; i++) plain[i] = (uint8_t)(i % 7 == 0 ? next() : 'a' + i % 26);
    for (int i = 0; i < 32; i++) key[i] = (uint8_t)next();
    for (int i = 0; i < 16; i++) iv[i] = (uint8_t)next();
    void *aes, *mode;
    /* AES-128-CBC, round trip */
    if (AES_start_operation(key, 16, &aes) || CBC_start_operation(aes, iv, 16, &mode)) failed = 1;
    CBC_encrypt(mode, plain, cipher, SIZE);
    CBC_stop_operation(mode);
    mix(cipher, SIZE);
    AES_start_operation(key, 16, &aes);  /* stopping a mode frees its cipher */
    CBC_start_operation(aes, iv, 16, &mode);
    CBC_decrypt(mode, cipher, back, SIZE);
    CBC_stop_operation(mode);
    if (memcmp(plain, back, SIZE)) failed = 2;
    /* AES-256-CTR: 8-byte nonce prefix, 8-byte big-endian counter */
    if (AES_start_operation(key, 32, &aes) || CTR_start_operation(aes, iv, 16, 8, 8, 0, &mode))
      failed = 3;
    CTR_encrypt(mode, plain, cipher, SIZE);
    CTR_stop_operation(mode);
    mix(cipher, SIZE);
    /* digests of the CTR ciphertext */
    void *sha;
    SHA256_init(&sha);
    for (int i = 0; i < SIZE; i += 1000) SHA256_update(sha, cipher + i, SIZE - i < 1000 ? SIZE - i : 1000);
    SHA256_digest(sha, digest, 32);
    SHA256_destroy(sha);
    mix(digest, 32);
    SHA512_init(&sha, 64);
    SHA512_update(sha, cipher, SIZE);
    SHA512_digest(sha, digest, 64);
    SHA512_destroy(sha);
    mix(digest, 64);
    keccak_init(&sha, 64, 24);  /* SHA3-256: capacity 512 bits, padding 0x06 */
    keccak_absorb(sha, cipher, SIZE);
    keccak_digest(sha, digest, 32, 0x06);
    keccak_destroy(sha);
    mix(digest, 32);
    /* ChaCha20 + Poly1305 (key r and s from the digest) */
    void *stream, *mac;
    if (chacha20_init(&stream, key, 32, iv, 12)) failed = 4;
    chacha20_encrypt(stream, plain, cipher, SIZE);
    chacha20_destroy(stream);
    mix(cipher, SIZE);
    poly1305_init(&mac, digest, 16, digest + 16, 16);
    poly1305_update(mac, cipher, SIZE);
    poly1305_digest(mac, digest, 16);
    poly1305_destroy(mac);
    mix(digest, 16);
    /* Ed25519: the base point times a scalar from the digest */
    void *point;
    if (ed25519_decode_point(&point, base, 32, 0)) failed = 5;
    ed25519_scalar(point, digest, 16, next());
    ed25519_get_xy(x, y, 32, point);
    ed25519_free_point(point);
    mix(x, 32);
    mix(y, 32);
  }
  return failed ? failed : hash;
}
