/* An f64 matrix product, n x n, repeated (bench/tiering.py). */
#define N 24
static double a[N][N], b[N][N], c[N][N];
__attribute__((export_name("run"))) double run(unsigned rounds) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) { a[i][j] = i + j * 0.5; b[i][j] = i - j * 0.25; }
    double total = 0;
    for (unsigned r = 0; r < rounds; r++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int k = 0; k < N; k++) s += a[i][k] * b[k][j];
                c[i][j] = s;
            }
        total += c[r % N][(r * 7) % N];
        a[r % N][r % N] += 1.0;
    }
    return total;
}
