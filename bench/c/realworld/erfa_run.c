/* Driver for ERFA (Essential Routines for Fundamental Astronomy, the C library behind
   astropy's time and coordinate code, as shipped in the pyerfa sdist): run(n) takes n
   instants, one every 37.3 days from 2021, and for each converts UTC to TAI, TT and UT1,
   builds the IAU 2006/2000A precession-nutation matrix and Greenwich sidereal time, the
   Earth's heliocentric and barycentric position and velocity, the eight planets' (VSOP-
   like Plan94) and the Moon's positions, the observed place of three stars from an
   observatory (aberration, light deflection, refraction), and the Besselian epoch;
   returns a checksum of the bits of every double computed. All floating point: the
   nutation series alone has about 1,400 terms of sines and cosines. */
#include <stdint.h>
#include <string.h>
#include "erfa.h"

static uint32_t hash;
static int failed;

static void mix(const double *values, int count) {
  for (int i = 0; i < count; i++) {
    uint64_t bits;
    memcpy(&bits, &values[i], sizeof bits);
    for (int k = 0; k < 8; k++) hash = (hash ^ (uint8_t)(bits >> (8 * k))) * 16777619u;
  }
}

uint32_t run(int n) {
  static const double stars[3][6] = {  /* ra, dec (rad), pm ra, pm dec (rad/yr), px, rv */
    {2.71, 0.174, 1e-5, 5e-6, 0.1, 55.0},
    {0.35, -0.96, -2e-6, 3e-6, 0.02, -12.0},
    {5.12, 1.12, 0.0, 0.0, 0.0, 0.0}};
  hash = 2166136261u;
  failed = 0;
  for (int i = 0; i < n; i++) {
    double utc1, utc2, tai1, tai2, tt1, tt2, ut11, ut12;
    int day = 1 + (i * 37) % 28, hour = (i * 7) % 24;
    if (eraDtf2d("UTC", 2021 + i / 10, 1 + i % 12, day, hour, (i * 13) % 60,
                 (i * 7.25) - 60.0 * (int)((i * 7.25) / 60.0), &utc1, &utc2))
      failed = 1;
    utc2 += 0.3 * (i % 3);
    double dut1 = -0.1 + 0.01 * (i % 20);
    if (eraUtctai(utc1, utc2, &tai1, &tai2) < 0) failed = 2;
    eraTaitt(tai1, tai2, &tt1, &tt2);
    if (eraUtcut1(utc1, utc2, dut1, &ut11, &ut12) < 0) failed = 3;
    double out[8] = {tai2, tt2, ut12};
    mix(out, 3);
    double rnpb[3][3];
    eraPnm06a(tt1, tt2, rnpb);
    mix(&rnpb[0][0], 9);
    out[0] = eraGst06a(ut11, ut12, tt1, tt2);
    out[1] = eraEra00(ut11, ut12);
    out[2] = eraEpb(tt1, tt2);
    mix(out, 3);
    double pvh[2][3], pvb[2][3], pv[2][3];
    if (eraEpv00(tt1, tt2, pvh, pvb)) failed = 4;
    mix(&pvh[0][0], 6);
    mix(&pvb[0][0], 6);
    for (int planet = 1; planet <= 8; planet++) {
      if (eraPlan94(tt1, tt2, planet, pv) < 0) failed = 5;
      mix(&pv[0][0], 6);
    }
    eraMoon98(tt1, tt2, pv);
    mix(&pv[0][0], 6);
    for (int s = 0; s < 3; s++) {
      double aob, zob, hob, dob, rob, eo;
      if (eraAtco13(stars[s][0] + 0.01 * i, stars[s][1], stars[s][2], stars[s][3],
                    stars[s][4], stars[s][5], utc1, utc2, dut1, -0.29, 0.89, 1200.0,
                    1e-7, -2e-7, 800.0 + i % 50, 12.0, 0.6, 0.55, &aob, &zob, &hob, &dob,
                    &rob, &eo) < 0)
        failed = 6;
      double observed[6] = {aob, zob, hob, dob, rob, eo};
      mix(observed, 6);
    }
  }
  return failed ? (uint32_t)failed : hash;
}
