/* Force-included into QuickJS-ng (after noio.h): its clock reads (Date.now(), new Date(),
   performance.now(), the GC's timing) go to the driver's rw_clock_gettime and
   rw_gettimeofday, which return one fixed instant: the results are deterministic and the
   module needs no WASI clock_time_get import. */
#include <time.h>
#include <sys/time.h>
int rw_clock_gettime(clockid_t clock, struct timespec *now);
int rw_gettimeofday(struct timeval *now, void *zone);
#define clock_gettime rw_clock_gettime
#define gettimeofday rw_gettimeofday
