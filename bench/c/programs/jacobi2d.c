/* jacobi-2d: the PolyBench/C 5-point stencil, written afresh. Two n x n f64 grids,
 * 20 time steps of B = 0.2 * (5 neighbours of A), then A = 0.2 * (5 neighbours of B).
 * run(n) returns a weighted sum of A. */
#include <stdlib.h>

#define STEPS 20

__attribute__((export_name("run")))
double run(int n) {
    double *a = malloc(sizeof(double) * n * n);
    double *b = malloc(sizeof(double) * n * n);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            a[i * n + j] = ((double)i * (j + 2) + 2) / n;
            b[i * n + j] = ((double)i * (j + 3) + 3) / n;
        }
    for (int t = 0; t < STEPS; t++) {
        for (int i = 1; i < n - 1; i++)
            for (int j = 1; j < n - 1; j++)
                b[i * n + j] = 0.2 * (a[i * n + j] + a[i * n + j - 1] + a[i * n + j + 1]
                                      + a[(i + 1) * n + j] + a[(i - 1) * n + j]);
        for (int i = 1; i < n - 1; i++)
            for (int j = 1; j < n - 1; j++)
                a[i * n + j] = 0.2 * (b[i * n + j] + b[i * n + j - 1] + b[i * n + j + 1]
                                      + b[(i + 1) * n + j] + b[(i - 1) * n + j]);
    }
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) sum += a[i * n + j] * (j % 5 + 1);
    free(a);
    free(b);
    return sum;
}
