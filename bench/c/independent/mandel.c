/* Mandelbrot set membership on a grid, in float (f32) and double, and a float
   Horner-polynomial/Newton iteration. Built at -O2. Our own code. */
#include <stdint.h>

static uint32_t mandel_f32(int w, int h, int iters) {
    uint32_t count = 0;
    for (int y = 0; y < h; y++) {
        float ci = 2.0f * y / h - 1.0f;
        for (int x = 0; x < w; x++) {
            float cr = 3.0f * x / w - 2.0f, zr = 0, zi = 0;
            int k = 0;
            while (k < iters && zr * zr + zi * zi <= 4.0f) {
                float t = zr * zr - zi * zi + cr;
                zi = 2.0f * zr * zi + ci;
                zr = t;
                k++;
            }
            count += (uint32_t)k;
        }
    }
    return count;
}

static double newton_sum(int n) {
    double s = 0;
    for (int i = 1; i <= n; i++) {
        double a = i * 0.37 + 1.0, x = a;
        for (int k = 0; k < 6; k++) x = x - (x * x * x - a) / (3.0 * x * x);
        s += x;
    }
    return s;
}

uint32_t run(int n) {
    uint32_t h = mandel_f32(8 + n, 8 + n, 50);
    double s = newton_sum(n * 10);
    return h * 2654435761u + (uint32_t)(int64_t)(s * 1000.0);
}
