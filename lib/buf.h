/*
 * buf: the one growable byte buffer, bounded (after curl's dynbuf).
 * Appends never fail loudly: the first failure (out of memory, or more than
 * `max` bytes) marks the buffer failed and every later append is ignored,
 * so a builder checks once, at buf_finish().  The content is kept
 * NUL-terminated after every successful append.  A zeroed struct buf is
 * an empty buffer without a bound: `struct buf b = { 0 };` is enough.
 */
#ifndef OFII_LIB_BUF_H
#define OFII_LIB_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	char	*p;		/* NULL until something was added */
	size_t	 len;		/* bytes in p, without the final NUL */
	size_t	 cap;
	size_t	 max;		/* bytes it may hold */
	int	 failed;	/* an append failed: later ones are ignored */
};

/* An empty buffer that holds at most `max` bytes (0: no bound but memory). */
void	buf_init(struct buf *, size_t max);

/* Room for `more` bytes after the content (and a NUL), for a writer
   that fills p + len itself (iconv) and then moves len.  0 or -1. */
int	buf_reserve(struct buf *, size_t more);

/* 0, or -1 when the buffer is (now) failed. */
int	buf_add(struct buf *, const void *, size_t);
int	buf_addstr(struct buf *, const char *);
int	buf_addc(struct buf *, char);
int	buf_add_cp(struct buf *, uint32_t cp);	/* one code point, UTF-8 */
int	buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	buf_vprintf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));

/*
 * Hand the NUL-terminated content over ("" when nothing was added) and
 * reset the buffer.  NULL when an append failed or memory ran out: then
 * everything is freed.  *lenp (if not NULL) receives the length.
 */
char	*buf_finish(struct buf *, size_t *lenp);

/* Free the content and reset. */
void	buf_free(struct buf *);

#endif
