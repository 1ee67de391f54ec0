/*
 * buf: see buf.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/utf8.h"

/* Without a bound, stay far from size_t overflow. */
#define BUF_HARD_MAX	(SIZE_MAX / 4)

void
buf_init(struct buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

/* Room for `more` bytes and the NUL after them. */
static int
reserve(struct buf *b, size_t more)
{
	size_t	 ncap;
	char	*np;
	size_t	 max = b->max == 0 || b->max > BUF_HARD_MAX ? BUF_HARD_MAX :
		    b->max;

	if (b->failed)
		return -1;
	if (more > max - b->len) {
		b->failed = 1;
		return -1;
	}
	if (b->cap - b->len > more)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap - b->len <= more)
		ncap *= 2;
	if ((np = realloc(b->p, ncap)) == NULL) {
		b->failed = 1;
		return -1;
	}
	b->p = np;
	b->cap = ncap;
	return 0;
}

int
buf_reserve(struct buf *b, size_t more)
{
	return reserve(b, more);
}

int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (reserve(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int
buf_addstr(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int
buf_add_cp(struct buf *b, uint32_t cp)
{
	char	u[4];

	return buf_add(b, u, utf8_encode(cp, u));
}

int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 aq;
	int	 n;

	if (b->failed)
		return -1;
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0 || reserve(b, (size_t)n) == -1) {
		b->failed = 1;
		return -1;
	}
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *
buf_finish(struct buf *b, size_t *lenp)
{
	char	*s;
	size_t	 len;

	if (reserve(b, 0) == -1) {
		buf_free(b);
		return NULL;
	}
	b->p[b->len] = '\0';
	s = b->p;
	len = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	if (lenp != NULL)
		*lenp = len;
	return s;
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}
