/* gemm: C = alpha*A*B + beta*C on n x n doubles, the PolyBench/C kernel written afresh.
 * Dense f64 linear algebra: f64.load / f64.mul / f64.add in a triple loop, row-major
 * address arithmetic. run(n) returns a weighted sum of C. */
#include <stdlib.h>

__attribute__((export_name("run")))
double run(int n) {
    double *a = malloc(sizeof(double) * n * n);
    double *b = malloc(sizeof(double) * n * n);
    double *c = malloc(sizeof(double) * n * n);
    double alpha = 1.5, beta = 1.2;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            a[i * n + j] = (double)((i * j + 1) % n) / n;
            b[i * n + j] = (double)((i * (j + 1) + 2) % n) / n;
            c[i * n + j] = (double)((i * (j + 2) + 3) % n) / n;
        }
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) c[i * n + j] *= beta;
        for (int k = 0; k < n; k++)
            for (int j = 0; j < n; j++)
                c[i * n + j] += alpha * a[i * n + k] * b[k * n + j];
    }
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) sum += c[i * n + j] * ((i + j) % 7 + 1);
    free(a);
    free(b);
    free(c);
    return sum;
}
