/* Driver for libyaml (the YAML 1.1 parser and emitter, as shipped in the ruamel.yaml.clib
   sdist): run(n) builds a YAML document of n records (nested mappings and sequences, plain,
   quoted and block scalars, anchors and aliases, flow collections), loads it into a node
   graph with yaml_parser_load, dumps it back with yaml_emitter_dump into memory, parses the
   output again event by event, and returns a checksum of the output and the events. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "yaml.h"

static char *doc;
static size_t doc_len, doc_cap;

static void put(const char *s) {
  size_t len = strlen(s);
  if (doc_len + len + 1 > doc_cap) {
    doc_cap = (doc_len + len + 1) * 2;
    doc = realloc(doc, doc_cap);
  }
  memcpy(doc + doc_len, s, len + 1);
  doc_len += len;
}

static void put_int(unsigned v) {
  char digits[12];
  int k = 11;
  digits[k] = 0;
  do { digits[--k] = (char)('0' + v % 10); v /= 10; } while (v);
  put(digits + k);
}

static uint32_t seed;
static uint32_t next(void) { seed = seed * 1103515245u + 12345u; return seed >> 16; }

static const char *const words[] = {
  "alpha", "beta", "gamma", "delta", "scalar", "mapping", "sequence", "anchor", "alias",
  "document", "stream", "flow", "block", "folded", "literal", "plain", "quoted", "tag"};

static const char *word(void) { return words[next() % (sizeof words / sizeof *words)]; }

static void record(int i) {
  put("- id: "); put_int((unsigned)i); put("\n");
  put("  name: "); put(word()); put("-"); put(word()); put("\n");
  put("  title: \""); put(word()); put(" \\\"q\\\" \\u00e9 "); put(word()); put("\"\n");
  put("  note: '"); put(word()); put(" it''s "); put(word()); put("'\n");
  put("  enabled: "); put(next() % 2 ? "true" : "false"); put("\n");
  put("  ratio: "); put_int(next() % 100); put("."); put_int(next() % 1000); put("\n");
  put("  tags: ["); put(word()); put(", "); put(word()); put(", \""); put(word()); put("\"]\n");
  put("  point: {x: "); put_int(next() % 500); put(", y: "); put_int(next() % 500); put("}\n");
  if (i % 3 == 0) { put("  base: &b"); put_int((unsigned)i); put("\n    kind: "); put(word()); put("\n    size: "); put_int(next() % 64); put("\n"); }
  else { put("  base: *b"); put_int((unsigned)(i - i % 3)); put("\n"); }
  put("  children:\n");
  for (int c = 0; c < 3; c++) {
    put("    - key: "); put(word()); put("\n      value: "); put_int(next()); put("\n");
  }
  put("  text: |\n    "); put(word()); put(" "); put(word()); put("\n    "); put(word()); put(" line\n");
  put("  folded: >\n    "); put(word()); put(" "); put(word()); put("\n    "); put(word()); put("\n");
}

static char out[1 << 20];

static uint32_t mix(uint32_t h, const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

uint32_t run(int n) {
  doc_len = 0;
  put("%YAML 1.1\n---\n");
  seed = 777u;
  for (int i = 0; i < n; i++) record(i);
  put("...\n");

  yaml_parser_t parser;
  yaml_document_t document;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, (const unsigned char *)doc, doc_len);
  if (!yaml_parser_load(&parser, &document)) return 1;
  yaml_parser_delete(&parser);

  size_t written = 0;
  yaml_emitter_t emitter;
  yaml_emitter_initialize(&emitter);
  yaml_emitter_set_output_string(&emitter, (unsigned char *)out, sizeof out, &written);
  yaml_emitter_set_unicode(&emitter, 1);
  yaml_emitter_set_width(&emitter, 60);
  if (!yaml_emitter_open(&emitter)) return 2;
  if (!yaml_emitter_dump(&emitter, &document)) return 3;  /* deletes the document */
  if (!yaml_emitter_close(&emitter)) return 4;
  yaml_emitter_delete(&emitter);

  uint32_t check = mix(2166136261u, (const unsigned char *)out, written);
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, (const unsigned char *)out, written);
  yaml_event_t event;
  do {
    if (!yaml_parser_parse(&parser, &event)) return 5;
    check = check * 31u + (uint32_t)event.type;
    if (event.type == YAML_SCALAR_EVENT) check = mix(check, event.data.scalar.value, event.data.scalar.length);
    if (event.type == YAML_STREAM_END_EVENT) { yaml_event_delete(&event); break; }
    yaml_event_delete(&event);
  } while (1);
  yaml_parser_delete(&parser);
  return check ^ (uint32_t)written;
}
