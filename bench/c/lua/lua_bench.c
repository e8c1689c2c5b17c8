/* The Lua 5.4 benchmark program: run(n) creates a Lua state, opens the base, string,
 * table, math and utf8 libraries, compiles the script below and runs it with n (rounds
 * of table, string, closure, metatable and float work), then closes the state. It returns
 * the script's result combined with an FNV-1a hash of everything the script printed.
 * Built by ../build.sh with the Lua sources in src/ and wasm_config.h. */
#include <stdint.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

static uint32_t printed;

void cbench_lua_write(const char *s, size_t l) {
    for (size_t i = 0; i < l; i++) printed = (printed ^ (uint8_t)s[i]) * 16777619u;
}

static const char script[] =
    "local n = ...\n"
    "local floor, sqrt, format = math.floor, math.sqrt, string.format\n"
    "local Vec = {}\n"
    "Vec.__index = Vec\n"
    "Vec.__add = function(a, b) return setmetatable({x = a.x + b.x, y = a.y + b.y}, Vec) end\n"
    "function Vec.new(x, y) return setmetatable({x = x, y = y}, Vec) end\n"
    "function Vec:dot(o) return self.x * o.x + self.y * o.y end\n"
    "local function counter()\n"
    "  local c = 0\n"
    "  return function(k) c = c + k; return c end\n"
    "end\n"
    "local seed = 17\n"
    "local function random(m)\n"
    "  seed = (seed * 1103515245 + 12345) & 0x7fffffff\n"
    "  return seed % m\n"
    "end\n"
    "local acc = 0\n"
    "for round = 1, n do\n"
    "  local t = {}\n"
    "  for i = 1, 200 do t[i] = random(1000) end\n"
    "  table.sort(t, function(a, b) return a > b end)\n"
    "  acc = (acc * 31 + t[1] + t[100] + #t) & 0xffffffff\n"
    "  local words = {}\n"
    "  for i = 1, 100 do\n"
    "    local w = 'w' .. random(40)\n"
    "    words[w] = (words[w] or 0) + 1\n"
    "  end\n"
    "  local keys = {}\n"
    "  for k in pairs(words) do keys[#keys + 1] = k end\n"
    "  table.sort(keys)\n"
    "  for _, k in ipairs(keys) do acc = (acc + words[k] * #k) & 0xffffffff end\n"
    "  local parts = {}\n"
    "  for i = 1, 20 do parts[i] = format('%d:%x', i * round, random(65536)) end\n"
    "  local s = table.concat(parts, ',')\n"
    "  local sum = 0\n"
    "  for a, b in s:gmatch('(%d+):(%x+)') do sum = sum + tonumber(a) + tonumber(b, 16) end\n"
    "  local letters = s:gsub('%d', '')\n"
    "  acc = (acc + sum + #letters + utf8.len(s)) & 0xffffffff\n"
    "  local v, c = Vec.new(0, 0), counter()\n"
    "  for i = 1, 50 do v = v + Vec.new(i, random(10)); c(i) end\n"
    "  acc = (acc + v:dot(Vec.new(1, 2)) + c(0)) & 0xffffffff\n"
    "  local x = 0.0\n"
    "  for i = 1, 50 do x = x + sqrt(i * round) / (i + 0.5) end\n"
    "  acc = (acc + floor(x * 1000)) & 0xffffffff\n"
    "  if round % 10 == 0 then print(round, acc, format('%.3f', x)) end\n"
    "end\n"
    "return acc\n";

static const luaL_Reg libraries[] = {
    {LUA_GNAME, luaopen_base},     {LUA_STRLIBNAME, luaopen_string},
    {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
    {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL},
};

__attribute__((export_name("run")))
uint32_t run(int n) {
    printed = 2166136261u;
    lua_State *L = luaL_newstate();
    if (L == NULL) return 0xdead0001u;
    for (const luaL_Reg *lib = libraries; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    if (luaL_loadbufferx(L, script, sizeof script - 1, "=bench", "t") != LUA_OK) {
        lua_close(L);
        return 0xdead0002u;
    }
    lua_pushinteger(L, n);
    lua_call(L, 1, 1);
    uint32_t result = (uint32_t)lua_tointeger(L, -1);
    lua_close(L);
    return result ^ printed;
}
