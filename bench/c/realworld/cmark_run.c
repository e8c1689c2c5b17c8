/* Driver for cmark-gfm (GitHub's CommonMark parser and HTML renderer, as shipped in the
   cmarkgfm sdist): run(n) builds a Markdown document of n sections (headings, paragraphs
   with emphasis, links and code spans, nested lists, task lists, block quotes, fenced
   code, tables, strikethrough, autolinks, HTML), parses it with the GFM extensions,
   renders HTML and CommonMark, and returns a checksum of both outputs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cmark-gfm.h"
#include "cmark-gfm-core-extensions.h"

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

static uint32_t seed;
static uint32_t next(void) { seed = seed * 1103515245u + 12345u; return seed >> 16; }

static const char *const words[] = {
  "parser", "block", "inline", "container", "paragraph", "emphasis", "delimiter",
  "reference", "link", "image", "entity", "heading", "list", "item", "quote", "fence",
  "table", "cell", "row", "render", "node", "tree", "walk", "text", "strong", "code"};

static const char *word(void) { return words[next() % (sizeof words / sizeof *words)]; }

static void sentence(void) {
  int count = 4 + (int)(next() % 9);
  for (int i = 0; i < count; i++) {
    uint32_t r = next() % 16;
    if (i) put(" ");
    if (r == 0) { put("*"); put(word()); put("*"); }
    else if (r == 1) { put("**"); put(word()); put(" "); put(word()); put("**"); }
    else if (r == 2) { put("`"); put(word()); put("()`"); }
    else if (r == 3) { put("["); put(word()); put("](http://example.com/"); put(word()); put(")"); }
    else if (r == 4) { put("~~"); put(word()); put("~~"); }
    else if (r == 5) { put("https://www."); put(word()); put(".org/x"); }
    else if (r == 6) { put("&amp; <span>"); put(word()); put("</span>"); }
    else if (r == 7) { put("[ref "); put(word()); put("][r1]"); }
    else put(word());
  }
  put(".");
}

static void section(int index) {
  char number[16];
  int k = 0, v = index;
  do { number[k++] = (char)('0' + v % 10); v /= 10; } while (v);
  char heading[40];
  int h = 0;
  for (int level = 1 + index % 3; level > 0; level--) heading[h++] = '#';
  heading[h++] = ' ';
  while (k) heading[h++] = number[--k];
  heading[h] = 0;
  put(heading); put(" "); put(word()); put(" "); put(word()); put("\n\n");
  for (int p = 0; p < 2; p++) { sentence(); put(" "); sentence(); put("\n"); sentence(); put("\n\n"); }
  switch (index % 4) {
    case 0:
      for (int i = 0; i < 4; i++) {
        put(i % 2 ? "- [x] " : "- [ ] "); sentence(); put("\n");
        if (i == 1) { put("  1. "); sentence(); put("\n  2. "); sentence(); put("\n"); }
      }
      break;
    case 1:
      put("> "); sentence(); put("\n> "); sentence(); put("\n>\n> - "); sentence(); put("\n");
      break;
    case 2:
      put("```c\nint "); put(word()); put("(void) {\n  return 42; /* <b> & */\n}\n```\n");
      break;
    default:
      put("| name | kind | note |\n|:-----|:----:|-----:|\n");
      for (int i = 0; i < 4; i++) {
        put("| "); put(word()); put(" | `"); put(word()); put("` | *"); put(word()); put("* |\n");
      }
  }
  put("\n");
}

static uint32_t mix(uint32_t h, const char *p) {
  for (; *p; p++) h = (h ^ (uint8_t)*p) * 16777619u;
  return h;
}

uint32_t run(int n) {
  static const char *const names[] = {"table", "strikethrough", "autolink", "tasklist",
                                      "tagfilter"};
  cmark_gfm_core_extensions_ensure_registered();
  doc_len = 0;
  put("");
  seed = 20240601u;
  for (int i = 0; i < n; i++) section(i);
  put("[r1]: http://example.com/reference \"Title\"\n");
  cmark_parser *parser = cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES);
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension(names[i]));
  cmark_parser_feed(parser, doc, doc_len);
  cmark_node *root = cmark_parser_finish(parser);
  char *html = cmark_render_html(root, CMARK_OPT_DEFAULT,
                                 cmark_parser_get_syntax_extensions(parser));
  char *commonmark = cmark_render_commonmark(root, CMARK_OPT_DEFAULT, 72);
  uint32_t check = mix(mix(2166136261u, html), commonmark) ^ (uint32_t)strlen(html);
  free(html);
  free(commonmark);
  cmark_node_free(root);
  cmark_parser_free(parser);
  return check;
}
