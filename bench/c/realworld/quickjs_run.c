/* Driver for QuickJS-ng (the JavaScript engine, as vendored in the dukpy sdist): run(n)
   creates a runtime and a context (the whole standard library), compiles a script and
   calls its work(n): classes and closures, array methods and sort with a comparator, Map
   and object properties, string building, regular expressions, JSON round trips, a
   recursive function and typed arrays; returns work's i32 result. */
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include "quickjs.h"

static const char script[] =
  "'use strict';\n"
  "class Shape { constructor(w, h) { this.w = w; this.h = h; } area() { return this.w * this.h; } }\n"
  "class Square extends Shape { constructor(s) { super(s, s); } area() { return super.area() + 1; } }\n"
  "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\n"
  "function counter() { let c = 0; return () => ++c; }\n"
  "function work(n) {\n"
  "  let check = 0;\n"
  "  const next = counter();\n"
  "  for (let round = 0; round < n; round++) {\n"
  "    const shapes = [];\n"
  "    for (let i = 0; i < 60; i++) shapes.push(i % 3 ? new Shape(i, round + 2) : new Square(i));\n"
  "    const areas = shapes.map(s => s.area()).filter(a => a % 2 === 0);\n"
  "    areas.sort((a, b) => b - a);\n"
  "    check = (check * 31 + areas.reduce((s, a) => s + a, 0)) | 0;\n"
  "    const words = new Map();\n"
  "    const text = 'the quick brown fox jumps over the lazy dog ' + round;\n"
  "    for (const w of text.repeat(8).split(' ')) words.set(w, (words.get(w) || 0) + 1);\n"
  "    for (const [w, c] of words) check = (check + w.length * c) | 0;\n"
  "    const doc = { round, items: areas.slice(0, 10), name: `r${round}`, nested: { ok: true } };\n"
  "    const back = JSON.parse(JSON.stringify(doc));\n"
  "    check = (check + back.items.length + back.name.length) | 0;\n"
  "    const m = text.replace(/([aeiou])/g, (x, v) => v.toUpperCase()).match(/[A-Z]/g);\n"
  "    check = (check + m.length + next()) | 0;\n"
  "    const bytes = new Uint8Array(256);\n"
  "    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + round) & 255;\n"
  "    check = (check ^ bytes.reduce((s, b) => (s * 33 + b) | 0, 5381)) | 0;\n"
  "    check = (check + fib(10 + round % 5)) | 0;\n"
  "  }\n"
  "  return check;\n"
  "}\n";

uint32_t run(int n) {
  JSRuntime *runtime = JS_NewRuntime();
  JSContext *context = JS_NewContext(runtime);
  JSValue value = JS_Eval(context, script, sizeof script - 1, "<run>", JS_EVAL_TYPE_GLOBAL);
  uint32_t failed = JS_IsException(value) ? 1u : 0u;
  JS_FreeValue(context, value);
  JSValue global = JS_GetGlobalObject(context);
  JSValue work = JS_GetPropertyStr(context, global, "work");
  JSValue argument = JS_NewInt32(context, n);
  JSValue result = JS_Call(context, work, global, 1, &argument);
  int32_t out = 0;
  if (JS_IsException(result) || JS_ToInt32(context, &out, result) != 0) failed = 2;
  JS_FreeValue(context, result);
  JS_FreeValue(context, work);
  JS_FreeValue(context, global);
  JS_FreeContext(context);
  JS_FreeRuntime(runtime);
  return failed ? failed : (uint32_t)out;
}

/* One fixed instant for the engine's clocks (fixed_clock.h). */
int rw_clock_gettime(clockid_t clock, struct timespec *now) {
  (void)clock;
  now->tv_sec = 1700000000;
  now->tv_nsec = 0;
  return 0;
}

int rw_gettimeofday(struct timeval *now, void *zone) {
  (void)zone;
  now->tv_sec = 1700000000;
  now->tv_usec = 0;
  return 0;
}
