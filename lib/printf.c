/* SPDX-License-Identifier: MIT */
/*
 * The formatter behind Keel's console and snprintf. Freestanding and small;
 * 64-bit values (ll) are divided with libgcc's helpers only when printed in
 * decimal, which happens on reports, never on a hot path.
 */
#include <keel/printf.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

struct spec {
	bool left;
	char pad;
	int width;
};

static int emit_str(printf_sink sink, void *arg, const char *s, size_t len,
		    const struct spec *sp)
{
	int n = 0;
	int fill = sp->width > (int)len ? sp->width - (int)len : 0;

	if (!sp->left)
		for (; fill > 0; fill--, n++)
			sink(arg, sp->pad);
	for (size_t i = 0; i < len; i++, n++)
		sink(arg, s[i]);
	for (; fill > 0; fill--, n++)
		sink(arg, ' ');
	return n;
}

static int emit_num(printf_sink sink, void *arg, uint64_t v, unsigned base,
		    bool upper, bool neg, struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int i = sizeof(buf);
	int n = 0;

	do {
		buf[--i] = digits[v % base];
		v /= base;
	} while (v);
	if (neg) {
		if (sp->pad == '0' && !sp->left) {
			/* sign goes before the zero padding */
			sink(arg, '-');
			n++;
			if (sp->width)
				sp->width--;
		} else {
			buf[--i] = '-';
		}
	}
	return n + emit_str(sink, arg, buf + i, sizeof(buf) - i, sp);
}

int vformat(printf_sink sink, void *arg, const char *fmt, va_list ap)
{
	int n = 0;

	for (; *fmt; fmt++) {
		struct spec sp = { .left = false, .pad = ' ', .width = 0 };
		int lng = 0;
		uint64_t u;
		int64_t s;
		const char *str;
		char c;

		if (*fmt != '%') {
			sink(arg, *fmt);
			n++;
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '0')
				sp.pad = '0';
			else
				break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			sp.width = sp.width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			lng++;
			fmt++;
		}
		if (*fmt == 'z') /* size_t is 32-bit on arm32, long on the host */
			lng = sizeof(size_t) == 8 ? 2 : 0, fmt++;
		switch (*fmt) {
		case 'd':
		case 'i':
			s = lng >= 2 ? va_arg(ap, long long) :
			    lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
			n += emit_num(sink, arg, s < 0 ? -(uint64_t)s : (uint64_t)s,
				      10, false, s < 0, &sp);
			break;
		case 'u':
		case 'x':
		case 'X':
			u = lng >= 2 ? va_arg(ap, unsigned long long) :
			    lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			n += emit_num(sink, arg, u, *fmt == 'u' ? 10 : 16,
				      *fmt == 'X', false, &sp);
			break;
		case 'p':
			n += emit_str(sink, arg, "0x", 2, &(struct spec){ .pad = ' ' });
			sp.pad = '0';
			sp.width = 2 * sizeof(void *);
			n += emit_num(sink, arg, (uintptr_t)va_arg(ap, void *), 16,
				      false, false, &sp);
			break;
		case 's':
			str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			n += emit_str(sink, arg, str, strlen(str), &sp);
			break;
		case 'c':
			c = (char)va_arg(ap, int);
			n += emit_str(sink, arg, &c, 1, &sp);
			break;
		case '%':
			sink(arg, '%');
			n++;
			break;
		case '\0':
			return n;
		default:
			/* unknown conversion: print it as is, visibly */
			sink(arg, '%');
			sink(arg, *fmt);
			n += 2;
			break;
		}
	}
	return n;
}

struct buf_sink {
	char *buf;
	size_t size;
	size_t len;
};

static void buf_put(void *arg, char c)
{
	struct buf_sink *b = arg;

	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_sink b = { buf, size, 0 };
	int n = vformat(buf_put, &b, fmt, ap);

	if (size)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
