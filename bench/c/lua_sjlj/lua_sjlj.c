/* Lua 5.4 with setjmp/longjmp error handling, for the emscripten-trampoline benchmark
 * (bench/sjlj.py). run(script, n) creates a Lua state, opens the base, string, table,
 * math and utf8 libraries, runs script number `script` (below) with argument n, and
 * returns the script's checksum combined with an FNV-1a hash of what it printed.
 * Returns 0xdead000X on a setup failure. Built by build.sh. */
#include <stdint.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

static uint32_t printed;

void lua_sjlj_write(const char *s, size_t l) {
    for (size_t i = 0; i < l; i++) printed = (printed ^ (uint8_t)s[i]) * 16777619u;
}

static const char *const scripts[] = {
    /* 0 strings: building, formatting, pattern matching */
    "local n = ...\n"
    "local acc, parts = 0, {}\n"
    "for i = 1, n do\n"
    "  local s = string.format('%d-%s-%x', i, string.rep('ab', i % 7), i * 7919)\n"
    "  parts[#parts + 1] = s:upper():reverse()\n"
    "  if #parts == 50 then\n"
    "    local joined = table.concat(parts, '|')\n"
    "    for a, b in joined:gmatch('(%x+)%-(%u*)') do acc = (acc + #a * 3 + #b) & 0xffffffff end\n"
    "    acc = (acc * 31 + #joined:gsub('AB', 'c')) & 0xffffffff\n"
    "    parts = {}\n"
    "  end\n"
    "end\n"
    "print('strings', acc)\n"
    "return acc\n",
    /* 1 tables: hash and array parts, sorting, iteration */
    "local n = ...\n"
    "local seed = 7\n"
    "local function rnd(m) seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % m end\n"
    "local acc, counts = 0, {}\n"
    "for i = 1, n do\n"
    "  local k = 'k' .. rnd(500)\n"
    "  counts[k] = (counts[k] or 0) + 1\n"
    "  counts[rnd(300)] = i\n"
    "  if i % 200 == 0 then\n"
    "    local keys = {}\n"
    "    for key, v in pairs(counts) do if type(key) == 'string' then keys[#keys + 1] = key end end\n"
    "    table.sort(keys)\n"
    "    for j, key in ipairs(keys) do acc = (acc * 17 + counts[key] * j) & 0xffffffff end\n"
    "    table.insert(keys, 1, 'x'); table.remove(keys)\n"
    "    acc = (acc + #keys) & 0xffffffff\n"
    "  end\n"
    "end\n"
    "print('tables', acc)\n"
    "return acc\n",
    /* 2 closures and recursion */
    "local n = ...\n"
    "local function fib(k) if k < 2 then return k end return fib(k - 1) + fib(k - 2) end\n"
    "local function adder(a) return function(b) return a + b end end\n"
    "local function compose(f, g) return function(x) return f(g(x)) end end\n"
    "local acc = 0\n"
    "for i = 1, n do\n"
    "  local f = compose(adder(i), adder(i * 2))\n"
    "  acc = (acc + f(i) + fib(i % 12)) & 0xffffffff\n"
    "  local function walk(d) if d == 0 then return 1 end return walk(d - 1) + walk(d - 1) end\n"
    "  acc = (acc + walk(i % 6)) & 0xffffffff\n"
    "end\n"
    "print('closures', acc)\n"
    "return acc\n",
    /* 3 objects: metatables, inheritance, metamethods */
    "local n = ...\n"
    "local Point = {}\n"
    "Point.__index = Point\n"
    "function Point.new(x, y) return setmetatable({x = x, y = y}, Point) end\n"
    "Point.__add = function(a, b) return Point.new(a.x + b.x, a.y + b.y) end\n"
    "Point.__eq = function(a, b) return a.x == b.x and a.y == b.y end\n"
    "Point.__tostring = function(p) return '(' .. p.x .. ',' .. p.y .. ')' end\n"
    "function Point:norm1() return math.abs(self.x) + math.abs(self.y) end\n"
    "local Particle = setmetatable({}, {__index = Point})\n"
    "Particle.__index = Particle\n"
    "Particle.__add = Point.__add\n"
    "function Particle.new(x, y, m) local p = Point.new(x, y); p.m = m; return setmetatable(p, Particle) end\n"
    "function Particle:energy() return self.m * self:norm1() end\n"
    "local acc, sum = 0, Point.new(0, 0)\n"
    "for i = 1, n do\n"
    "  local p = Particle.new(i % 13 - 6, i % 7 - 3, i % 5 + 1)\n"
    "  sum = sum + p\n"
    "  acc = (acc + p:energy() + (p == Point.new(0, 0) and 1 or 0)) & 0xffffffff\n"
    "  if i % 100 == 0 then acc = (acc + #tostring(sum)) & 0xffffffff end\n"
    "end\n"
    "print('objects', acc, tostring(sum))\n"
    "return acc\n",
    /* 4 errors: pcall/error in a loop (every error is a longjmp) */
    "local n = ...\n"
    "local function fail(i)\n"
    "  if i % 3 == 0 then error({code = i}) end\n"
    "  if i % 3 == 1 then error('bad ' .. i) end\n"
    "  return nil + i\n"
    "end\n"
    "local function deep(d, i) if d == 0 then return fail(i) end return deep(d - 1, i) + 1 end\n"
    "local acc = 0\n"
    "for i = 1, n do\n"
    "  local ok, e = pcall(deep, i % 4, i)\n"
    "  if type(e) == 'table' then acc = acc + e.code else acc = acc + #e end\n"
    "  local ok2, e2 = pcall(function() local ok3 = pcall(error, i); error(ok3 and 'x' or 'y', 0) end)\n"
    "  acc = (acc * 3 + #e2 + (ok or ok2 and 1 or 0)) & 0xffffffff\n"
    "  local ok4, r = pcall(string.rep)\n"
    "  acc = (acc + #r) & 0xffffffff\n"
    "end\n"
    "print('errors', acc)\n"
    "return acc\n",
};

#define SCRIPT_COUNT (sizeof scripts / sizeof scripts[0])

static const luaL_Reg libraries[] = {
    {LUA_GNAME, luaopen_base},     {LUA_STRLIBNAME, luaopen_string},
    {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
    {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL},
};

__attribute__((export_name("run")))
uint32_t run(uint32_t script, int n) {
    printed = 2166136261u;
    if (script >= SCRIPT_COUNT) return 0xdead0001u;
    lua_State *L = luaL_newstate();
    if (L == NULL) return 0xdead0002u;
    for (const luaL_Reg *lib = libraries; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    if (luaL_loadstring(L, scripts[script]) != LUA_OK) {
        lua_close(L);
        return 0xdead0003u;
    }
    lua_pushinteger(L, n);
    /* a protected call: an error escaping the script is a longjmp to here */
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        size_t length;
        const char *message = lua_tolstring(L, -1, &length);
        lua_sjlj_write(message, length);
        lua_close(L);
        return printed ^ 0xdead0004u;
    }
    uint32_t result = (uint32_t)lua_tointeger(L, -1);
    lua_close(L);
    return result ^ printed;
}

/* The script count, for the benchmark's driver. */
__attribute__((export_name("script_count")))
uint32_t script_count(void) { return SCRIPT_COUNT; }
