// C++ without the standard library (clang++ -O2, no exceptions, no RTTI): class
// hierarchies with virtual methods, templates (a small vector, a generic heap and a
// fixed-point number type with operator overloading), new/delete over malloc. Our own.
#include <stdint.h>
#include <stdlib.h>

void *operator new(size_t n) { return malloc(n); }
void operator delete(void *p) noexcept { free(p); }
void operator delete(void *p, size_t) noexcept { free(p); }
void *operator new[](size_t n) { return malloc(n); }
void operator delete[](void *p) noexcept { free(p); }

template <typename T> class Vec {
    T *data_ = nullptr;
    int size_ = 0, cap_ = 0;
public:
    ~Vec() { delete[] data_; }
    void push(const T &v) {
        if (size_ == cap_) {
            int cap = cap_ ? cap_ * 2 : 4;
            T *d = new T[cap];
            for (int i = 0; i < size_; i++) d[i] = data_[i];
            delete[] data_;
            data_ = d; cap_ = cap;
        }
        data_[size_++] = v;
    }
    T &operator[](int i) { return data_[i]; }
    int size() const { return size_; }
    void pop() { size_--; }
};

template <typename T, typename Less> class Heap {
    Vec<T> items;
    Less less;
public:
    void push(const T &v) {
        items.push(v);
        for (int i = items.size() - 1; i > 0;) {
            int p = (i - 1) / 2;
            if (!less(items[i], items[p])) break;
            T t = items[i]; items[i] = items[p]; items[p] = t; i = p;
        }
    }
    T pop() {
        T top = items[0];
        items[0] = items[items.size() - 1];
        items.pop();
        for (int i = 0;;) {
            int l = 2 * i + 1, m = i;
            if (l < items.size() && less(items[l], items[m])) m = l;
            if (l + 1 < items.size() && less(items[l + 1], items[m])) m = l + 1;
            if (m == i) break;
            T t = items[i]; items[i] = items[m]; items[m] = t; i = m;
        }
        return top;
    }
    bool empty() const { return items.size() == 0; }
};

struct Fixed {  // 16.16 fixed point
    int32_t raw;
    static Fixed of(int32_t v) { return Fixed{v * 65536}; }
    Fixed operator+(Fixed o) const { return Fixed{raw + o.raw}; }
    Fixed operator-(Fixed o) const { return Fixed{raw - o.raw}; }
    Fixed operator*(Fixed o) const { return Fixed{(int32_t)(((int64_t)raw * o.raw) >> 16)}; }
    Fixed operator/(Fixed o) const { return Fixed{o.raw ? (int32_t)(((int64_t)raw << 16) / o.raw) : 0}; }
    bool operator<(Fixed o) const { return raw < o.raw; }
};

class Animal {
public:
    virtual ~Animal() {}
    virtual Fixed speed(int t) const = 0;
    virtual uint32_t sound(uint32_t h) const { return h * 31u + 1; }
};
class Cat : public Animal {
    Fixed base;
public:
    explicit Cat(int b) : base(Fixed::of(b)) {}
    Fixed speed(int t) const override { return base + Fixed::of(t % 5) / Fixed::of(3); }
    uint32_t sound(uint32_t h) const override { return (h ^ 0x9e3779b9u) * 17u; }
};
class Snail : public Animal {
    Fixed base;
public:
    explicit Snail(int b) : base(Fixed{b * 1000}) {}
    Fixed speed(int t) const override { return base * Fixed::of(1 + t % 3); }
};
class Horse : public Cat {
public:
    explicit Horse(int b) : Cat(b * 3) {}
    Fixed speed(int t) const override { return Cat::speed(t) * Fixed::of(2) - Fixed::of(1); }
    uint32_t sound(uint32_t h) const override { return Cat::sound(h) + 7u; }
};

struct Event { Fixed time; int who; };
struct Earlier { bool operator()(const Event &a, const Event &b) const {
    return a.time < b.time || (!(b.time < a.time) && a.who < b.who); } };

extern "C" uint32_t run(int n) {
    uint32_t h = 0;
    for (int r = 0; r < n; r++) {
        Vec<Animal *> zoo;
        for (int i = 0; i < 40; i++) {
            int k = (i * 7 + r) % 3;
            zoo.push(k == 0 ? static_cast<Animal *>(new Cat(i % 9 + 1))
                     : k == 1 ? static_cast<Animal *>(new Snail(i % 4 + 1))
                              : static_cast<Animal *>(new Horse(i % 5 + 1)));
        }
        Heap<Event, Earlier> events;
        for (int i = 0; i < zoo.size(); i++) events.push(Event{Fixed::of(0), i});
        for (int step = 0; step < 400; step++) {
            Event e = events.pop();
            Animal *a = zoo[e.who];
            h = a->sound(h) + (uint32_t)e.time.raw;
            Fixed dt = Fixed::of(100) / (a->speed(step) + Fixed::of(1));
            events.push(Event{e.time + dt, e.who});
        }
        while (!events.empty()) h = h * 3u + (uint32_t)events.pop().time.raw;
        for (int i = 0; i < zoo.size(); i++) delete zoo[i];
    }
    return h;
}
