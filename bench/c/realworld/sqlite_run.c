/* Driver for SQLite (the amalgamation as shipped in the sqlean.py sdist): run(n) opens an
   in-memory database, creates two tables, inserts 50*n rows with prepared statements in a
   transaction, builds indexes, runs aggregate, join, LIKE, window-function, recursive-CTE,
   sub-query and string-function queries, updates and deletes rows, and returns a checksum
   of every value the queries return (as text). SQLite is built with SQLITE_OS_OTHER: the
   minimal VFS below opens no files (all databases and temporary tables live in memory),
   reads a fixed clock and fills randomness from a fixed seed, so the module needs no host. */
#include <stdint.h>
#include <string.h>
#include "sqlite3.h"

static uint32_t seed;
static uint32_t next(void) { seed = seed * 1103515245u + 12345u; return seed >> 16; }

/* The VFS: no files (SQLITE_TEMP_STORE=3 keeps temporary tables in memory). */
static int vfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags,
                    int *out_flags) {
  (void)vfs; (void)name; (void)flags; (void)out_flags;
  file->pMethods = 0;
  return SQLITE_CANTOPEN;
}
static int vfs_delete(sqlite3_vfs *vfs, const char *name, int sync) {
  (void)vfs; (void)name; (void)sync;
  return SQLITE_IOERR_DELETE;
}
static int vfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *result) {
  (void)vfs; (void)name; (void)flags;
  *result = 0;
  return SQLITE_OK;
}
static int vfs_full_pathname(sqlite3_vfs *vfs, const char *name, int size, char *out) {
  (void)vfs;
  sqlite3_snprintf(size, out, "%s", name);
  return SQLITE_OK;
}
static int vfs_randomness(sqlite3_vfs *vfs, int size, char *out) {
  (void)vfs;
  for (int i = 0; i < size; i++) out[i] = (char)next();
  return size;
}
static int vfs_sleep(sqlite3_vfs *vfs, int microseconds) { (void)vfs; return microseconds; }
static int vfs_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *now) {
  (void)vfs;
  *now = (sqlite3_int64)2461000 * 86400000 + 12345678;  /* a fixed instant (Julian ms) */
  return SQLITE_OK;
}
static int vfs_current_time(sqlite3_vfs *vfs, double *now) {
  sqlite3_int64 ms;
  vfs_current_time_int64(vfs, &ms);
  *now = ms / 86400000.0;
  return SQLITE_OK;
}
static int vfs_last_error(sqlite3_vfs *vfs, int size, char *out) {
  (void)vfs;
  if (size > 0) out[0] = 0;
  return 0;
}

static sqlite3_vfs memory_vfs = {
  2, sizeof(sqlite3_file), 256, 0, "memory", 0,
  vfs_open, vfs_delete, vfs_access, vfs_full_pathname,
  0, 0, 0, 0,  /* no dynamic loading */
  vfs_randomness, vfs_sleep, vfs_current_time, vfs_last_error, vfs_current_time_int64,
  0, 0, 0};

int sqlite3_os_init(void) { return sqlite3_vfs_register(&memory_vfs, 1); }
int sqlite3_os_end(void) { return SQLITE_OK; }

static uint32_t hash;

static void mix(const unsigned char *p) {
  if (!p) { hash = (hash ^ 0xA5u) * 16777619u; return; }
  for (; *p; p++) hash = (hash ^ *p) * 16777619u;
  hash = (hash ^ 0x1Fu) * 16777619u;
}

static int row(void *unused, int columns, char **values, char **names) {
  (void)unused; (void)names;
  for (int i = 0; i < columns; i++) mix((const unsigned char *)values[i]);
  return 0;
}

static sqlite3 *db;
static int failed;

static void exec(const char *sql) {
  if (sqlite3_exec(db, sql, row, 0, 0) != SQLITE_OK) failed = 1;
}

static const char *const words[] = {
  "table", "index", "btree", "pager", "cursor", "vdbe", "parser", "select", "insert",
  "update", "delete", "vacuum", "journal", "schema", "column", "trigger", "view", "blob"};

static const char *const queries[] = {
  "SELECT grp, count(*), sum(qty), round(avg(price), 3), min(name), max(name) "
  "FROM item GROUP BY grp ORDER BY grp",
  "SELECT g.label, count(i.id), round(sum(i.price * i.qty), 2) FROM item i "
  "JOIN grp g ON g.id = i.grp WHERE i.qty > 10 GROUP BY g.label ORDER BY 3 DESC, 1",
  "SELECT id, name FROM item WHERE name LIKE '%er-%' AND qty BETWEEN 20 AND 60 "
  "ORDER BY price DESC, id LIMIT 40",
  "SELECT id, sum(qty) OVER (PARTITION BY grp ORDER BY id ROWS BETWEEN 3 PRECEDING "
  "AND CURRENT ROW), rank() OVER (PARTITION BY grp ORDER BY price DESC) FROM item "
  "WHERE id % 5 = 0 ORDER BY id",
  "SELECT upper(substr(name, 1, 6)) || '/' || length(note), printf('%08.3f', price), "
  "hex(id * 7919), replace(note, 'a', 'A') FROM item WHERE id % 17 = 3 ORDER BY id",
  "SELECT grp, group_concat(id, ',') FROM (SELECT grp, id FROM item WHERE qty = 42 "
  "ORDER BY id) GROUP BY grp ORDER BY grp",
  "SELECT count(*) FROM item a WHERE price > (SELECT avg(price) FROM item b "
  "WHERE b.grp = a.grp)",
  "SELECT name, count(*) AS c FROM item GROUP BY name HAVING c > 1 ORDER BY c DESC, name "
  "LIMIT 25",
  "SELECT date(2461000.5 + id % 400), strftime('%Y-%m-%d %H:%M', 2461000.25 + id / 7.0), "
  "CAST(price * 100 AS INTEGER) % 97, typeof(note), coalesce(NULL, qty, 0) "
  "FROM item WHERE id % 53 = 1 ORDER BY id",
};

uint32_t run(int n) {
  hash = 2166136261u;
  seed = 4242u;
  failed = 0;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  exec("CREATE TABLE grp(id INTEGER PRIMARY KEY, label TEXT NOT NULL);"
       "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, grp INTEGER REFERENCES grp,"
       " qty INTEGER, price REAL, note TEXT)");
  exec("BEGIN");
  sqlite3_stmt *insert;
  if (sqlite3_prepare_v2(db, "INSERT INTO grp VALUES (?1, ?2)", -1, &insert, 0)) return 2;
  for (int g = 0; g < 24; g++) {
    char label[32];
    sqlite3_snprintf(sizeof label, label, "group-%s-%d", words[g % 18], g);
    sqlite3_bind_int(insert, 1, g);
    sqlite3_bind_text(insert, 2, label, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(insert) != SQLITE_DONE) failed = 1;
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  if (sqlite3_prepare_v2(db, "INSERT INTO item(name, grp, qty, price, note) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)", -1, &insert, 0)) return 3;
  int rows = 50 * n;
  for (int i = 0; i < rows; i++) {
    char name[48], note[80];
    sqlite3_snprintf(sizeof name, name, "%s-%s", words[next() % 18], words[next() % 18]);
    sqlite3_snprintf(sizeof note, note, "%s %s a %d %s", words[next() % 18],
                     words[next() % 18], (int)(next() % 1000), words[next() % 18]);
    sqlite3_bind_text(insert, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(insert, 2, (int)(next() % 24));
    sqlite3_bind_int(insert, 3, (int)(next() % 100));
    sqlite3_bind_double(insert, 4, (next() % 100000) / 100.0);
    if (i % 11 == 0) sqlite3_bind_null(insert, 5);
    else sqlite3_bind_text(insert, 5, note, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(insert) != SQLITE_DONE) failed = 1;
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  exec("COMMIT");
  exec("CREATE INDEX item_grp ON item(grp, price); CREATE INDEX item_name ON item(name)");
  for (unsigned q = 0; q < sizeof queries / sizeof *queries; q++) exec(queries[q]);
  exec("UPDATE item SET price = price * 1.5, note = note || '!' WHERE grp % 3 = 0");
  exec("DELETE FROM item WHERE id % 7 = 0");
  for (unsigned q = 0; q < sizeof queries / sizeof *queries; q++) exec(queries[q]);
  char sql[200];
  sqlite3_snprintf(sizeof sql, sql, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1"
                   " FROM c WHERE x < %d) SELECT sum(x * x %% 7), count(*) FROM c", 200 * n);
  exec(sql);
  exec("SELECT count(*), sum(qty), total(price) FROM item");
  sqlite3_close(db);
  return failed ? 4 : hash;
}
