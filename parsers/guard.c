/*
 * guard: see guard.h.
 *
 * One linear pass over the bytes libetpan will see.  Every line that could
 * be, for libetpan, a header field, a Content-Type or a boundary delimiter
 * is counted (counting too much is fine, too little is not).  The first
 * line where a limit would be crossed is the cut: libetpan parses only what
 * comes before, so the shallow parts of a hostile mail are still read.
 */
#include <libetpan/libetpan.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/guard.h"
#include "parsers/text.h"

/* Header-like lines libetpan may see: each becomes allocations in its
   tree (6 million of them: 1 GB and 8 s). */
#define PRESCAN_MAX_FIELDS	50000
/* Bytes libetpan may scan for boundaries, summed over the containers
   (each scans its body, to its close delimiter or the end): about 2 ns a
   byte, so 0.25 s at most. */
#define PRESCAN_WORK_BUDGET	((uint64_t)128 << 20)
/* Content-Type values longer than this are not examined in the prescan
   (they count as containers). */
#define PRESCAN_CT_MAX		8192

static int
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

int
guard_field_name(const char *line, size_t n, size_t *namelen)
{
	size_t	i = 0, k;

	while (i < n && line[i] != ':' && (unsigned char)line[i] > ' ' &&
	    (unsigned char)line[i] < 0x7F)
		i++;
	if (i == 0 || i > 998)
		return 0;
	for (k = i; k < n && is_wsp(line[k]); k++)
		;
	if (k >= n || line[k] != ':')
		return 0;
	*namelen = i;
	return 1;
}

/* A declared boundary and how many open containers use it. */
struct bound {
	int		 open;
	char		 s[];
};

struct container {
	size_t		 start;		/* offset of its Content-Type field */
	struct bound	*bound;		/* in prescan.bounds, or NULL */
	int		 open;		/* no close delimiter seen yet */
};

struct prescan {
	const struct message_limits	*lim;
	struct guard			*g;	/* the result: cut, why */
	struct container		*cont;
	size_t				 ncont;
	size_t				 contcap;
	int				 open;	/* containers not closed */
	uint64_t			 closed_work;
	uint64_t			 open_starts;	/* sum of open starts */
	size_t				 ctfields;
	size_t				 fields;
	size_t				 separators;
	/* The last delimiter line and whether only header lines followed:
	   a cut there keeps the part before whole. */
	size_t				 last_sep;
	int				 in_part_header;
	/* Inside a neutralized (too deep) part: nothing counts until a
	   delimiter of an open container ends it. */
	int				 in_cut;
	struct bound			**bounds;	/* sorted, unique */
	size_t				 nbounds;
	size_t				 boundcap;
};

static int
bound_cmp(const char *a, size_t alen, const struct bound *b)
{
	size_t	blen = strlen(b->s);

	if (alen != blen)
		return alen < blen ? -1 : 1;
	return memcmp(a, b->s, alen);
}

/* The stored copy of a declared boundary, or NULL. */
static struct bound *
bound_find(const struct prescan *ps, const char *s, size_t n)
{
	size_t	lo = 0, hi = ps->nbounds, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = bound_cmp(s, n, ps->bounds[mid])) == 0)
			return ps->bounds[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Keep a declared boundary (trailing spaces dropped) in sorted order. */
static struct bound *
bound_add(struct prescan *ps, const char *b)
{
	struct bound	*known, *copy, **nb;
	size_t		 n = strlen(b), i;

	while (n > 0 && is_wsp(b[n - 1]))
		n--;
	if ((known = bound_find(ps, b, n)) != NULL)
		return known;
	if (ps->nbounds == ps->boundcap) {
		size_t ncap = ps->boundcap ? ps->boundcap * 2 : 8;

		if ((nb = reallocarray(ps->bounds, ncap, sizeof(*nb))) == NULL)
			return NULL;
		ps->bounds = nb;
		ps->boundcap = ncap;
	}
	if ((copy = malloc(sizeof(*copy) + n + 1)) == NULL)
		return NULL;
	copy->open = 0;
	memcpy(copy->s, b, n);
	copy->s[n] = '\0';
	for (i = ps->nbounds; i > 0 && bound_cmp(copy->s, n,
	    ps->bounds[i - 1]) < 0; i--)
		ps->bounds[i] = ps->bounds[i - 1];
	ps->bounds[i] = copy;
	ps->nbounds++;
	return copy;
}

/* Bytes libetpan scans at offset pos: each container scans its body to its
   close delimiter, or on to pos while it is open. */
static uint64_t
prescan_work(const struct prescan *ps, size_t pos)
{
	return ps->closed_work + (uint64_t)ps->open * pos - ps->open_starts;
}

static void
prescan_cut(struct prescan *ps, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
prescan_cut(struct prescan *ps, size_t pos, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	/* In the header block of a part: cut before its delimiter, or
	   libetpan sees an empty last part and drops the whole multipart. */
	ps->g->cut = ps->in_part_header ? ps->last_sep : pos;
	if (ps->g->limited)
		return;		/* the first reason is the one told */
	ps->g->limited = 1;
	va_start(ap, fmt);
	n = snprintf(ps->g->why, sizeof(ps->g->why),
	    "MIME structure cut short: ");
	vsnprintf(ps->g->why + n, sizeof(ps->g->why) - n, fmt, ap);
	va_end(ap);
}

/*
 * Turn a container's Content-Type field into one that makes the part a
 * leaf of type GUARD_CUT_TYPE (dropped by message.c's walk), in place and
 * at the same length so that nothing else moves: what it held is skipped,
 * what follows keeps its structure.  0 if the first line is too short.
 */
static int
neutralize_field(char *buf, size_t start, size_t end)
{
	static const char	repl[] = "Content-Type:" GUARD_CUT_TYPE;
	size_t			i, eol;

	for (eol = start; eol < end && buf[eol] != '\r' && buf[eol] != '\n';
	    eol++)
		;
	if (eol - start < sizeof(repl) - 1)
		return 0;
	memcpy(buf + start, repl, sizeof(repl) - 1);
	for (i = start + sizeof(repl) - 1; i < end; i++)
		if (buf[i] != '\r' && buf[i] != '\n')
			buf[i] = ' ';
	return 1;
}

/* A Content-Type field from `start` (its name) to `end`.  Returns 1 when it
   crosses a limit (ps->g->cut set), -1 on out-of-memory, else 0. */
static int
prescan_content_type(struct prescan *ps, char *raw, size_t start,
    size_t end)
{
	struct mailmime_content	*ct = NULL;
	struct container	*nc;
	struct bound		*bound = NULL;
	const char		*v;
	char			*b, bname[] = "boundary";
	size_t			 vlen, idx = 0, maxn;
	int			 container = 1, oom = 0;

	maxn = (size_t)ps->lim->max_parts * GUARD_PARTS_FACTOR;
	if (++ps->ctfields > maxn) {
		prescan_cut(ps, start, "more than %zu Content-Type fields",
		    maxn);
		return 1;
	}
	v = (const char *)memchr(raw + start, ':', end - start) + 1;
	vlen = raw + end - v;
	/* Unreadable or huge values count as containers: the prescan
	   must never be more lenient than libetpan. */
	if (vlen <= PRESCAN_CT_MAX &&
	    mailmime_content_parse(v, vlen, &idx, &ct) == MAILIMF_NO_ERROR) {
		container = ct->ct_type != NULL &&
		    ct->ct_type->tp_type == MAILMIME_TYPE_COMPOSITE_TYPE;
		if (container && (b = mailmime_content_param_get(ct, bname)) !=
		    NULL && (bound = bound_add(ps, b)) == NULL)
			oom = 1;
		mailmime_content_free(ct);
		if (oom)
			return -1;
	}
	if (!container)
		return 0;
	if (ps->open + 1 > ps->lim->max_depth) {
		if (neutralize_field(raw, start, end)) {
			/* Deeper levels become one leaf, dropped: the
			   shallow parts and their siblings stay intact. */
			if (!ps->g->limited)
				snprintf(ps->g->why, sizeof(ps->g->why), "MIME "
				    "structure cut short: more than %d nested "
				    "MIME containers (multipart or message)",
				    ps->lim->max_depth);
			ps->g->limited = 1;
			ps->in_cut = 1;
			return 0;
		}
		prescan_cut(ps, start, "more than %d nested MIME containers "
		    "(multipart or message)", ps->lim->max_depth);
		return 1;
	}
	if (ps->ncont + 1 > maxn) {
		prescan_cut(ps, start, "more than %zu MIME containers", maxn);
		return 1;
	}
	if (ps->ncont == ps->contcap) {
		size_t ncap = ps->contcap ? ps->contcap * 2 : 16;

		if ((nc = reallocarray(ps->cont, ncap, sizeof(*nc))) == NULL)
			return -1;
		ps->cont = nc;
		ps->contcap = ncap;
	}
	ps->cont[ps->ncont].start = start;
	ps->cont[ps->ncont].bound = bound;
	ps->cont[ps->ncont].open = 1;
	if (bound != NULL)
		bound->open++;
	ps->ncont++;
	ps->open++;
	ps->open_starts += start;
	return 0;
}

/* A "--boundary" or "--boundary--" line from pos to end (line break and
   trailing blanks excluded).  Returns 1 when it crosses a limit. */
static int
prescan_delimiter(struct prescan *ps, const char *raw, size_t pos,
    size_t end)
{
	struct bound	*b;
	size_t		 n = end - pos - 2, i, maxsep;

	if ((b = bound_find(ps, raw + pos + 2, n)) != NULL) {
		maxsep = (size_t)ps->lim->max_parts * GUARD_PARTS_FACTOR;
		ps->in_part_header = 0;
		if (++ps->separators > maxsep) {
			prescan_cut(ps, pos, "more than %zu MIME parts",
			    maxsep);
			return 1;
		}
		ps->last_sep = pos;
		ps->in_part_header = 1;
		return 0;
	}
	if (n < 2 || raw[end - 1] != '-' || raw[end - 2] != '-' ||
	    (b = bound_find(ps, raw + pos + 2, n - 2)) == NULL)
		return 0;
	/* Close delimiter: the innermost open container with it ends. */
	for (i = ps->ncont; i > 0; i--) {
		struct container *c = &ps->cont[i - 1];

		if (c->open && c->bound == b) {
			c->open = 0;
			b->open--;
			ps->open--;
			ps->open_starts -= c->start;
			ps->closed_work += pos - c->start;
			break;
		}
	}
	return 0;
}

/* Does the line end a neutralized part: a delimiter (or close delimiter)
   of a container that is still open? */
static int
ends_cut_region(const struct prescan *ps, const char *raw, size_t pos,
    size_t end)
{
	struct bound	*b;
	size_t		 n;

	if (end - pos < 2 || raw[pos] != '-' || raw[pos + 1] != '-')
		return 0;
	n = end - pos - 2;
	if ((b = bound_find(ps, raw + pos + 2, n)) != NULL && b->open > 0)
		return 1;
	return n >= 2 && raw[end - 1] == '-' && raw[end - 2] == '-' &&
	    (b = bound_find(ps, raw + pos + 2, n - 2)) != NULL && b->open > 0;
}

/* Sets ps->g->cut (len when all of it may be parsed).  -1 on out-of-memory. */
static int
prescan(struct prescan *ps, char *raw, size_t len)
{
	const char	*nl;
	size_t		 pos = 0, next, end, fstart = 0, flen = 0, namelen;
	int		 infield = 0, isct = 0, r;

	ps->g->cut = len;
	while (pos < len) {
		if (prescan_work(ps, pos) > PRESCAN_WORK_BUDGET) {
			prescan_cut(ps, pos, "%zu nested MIME containers over "
			    "%zu bytes: too costly to parse", ps->ncont, pos);
			return 0;
		}
		nl = memchr(raw + pos, '\n', len - pos);
		next = nl ? (size_t)(nl - raw) + 1 : len;
		end = nl ? (size_t)(nl - raw) : len;
		if (is_wsp(raw[pos]) && infield) {
			flen += next - pos;
			if (flen > ps->lim->max_header_line)
				goto longfield;
			pos = next;
			continue;
		}
		if (infield && isct &&
		    (r = prescan_content_type(ps, raw, fstart, pos)) != 0)
			return r == -1 ? -1 : 0;
		infield = 0;
		while (end > pos && (raw[end - 1] == '\r' ||
		    is_wsp(raw[end - 1])))
			end--;
		if (ps->in_cut) {
			if (!ends_cut_region(ps, raw, pos, end)) {
				pos = next;
				continue;
			}
			ps->in_cut = 0;
		}
		if (end == pos)
			ps->in_part_header = 0;		/* its body starts */
		if (end - pos >= 2 && raw[pos] == '-' && raw[pos + 1] == '-' &&
		    prescan_delimiter(ps, raw, pos, end))
			return 0;
		if (guard_field_name(raw + pos, end - pos, &namelen)) {
			if (++ps->fields > PRESCAN_MAX_FIELDS) {
				prescan_cut(ps, pos, "more than %d header "
				    "fields", PRESCAN_MAX_FIELDS);
				return 0;
			}
			infield = 1;
			fstart = pos;
			flen = next - pos;
			isct = namelen == 12 &&
			    text_ascii_ncaseeq(raw + pos, "content-type", 12);
			if (flen > ps->lim->max_header_line)
				goto longfield;
		}
		pos = next;
	}
	if (infield && isct &&
	    prescan_content_type(ps, raw, fstart, len) == -1)
		return -1;
	return 0;
longfield:
	prescan_cut(ps, fstart, "a MIME header field longer than %zu bytes",
	    ps->lim->max_header_line);
	return 0;
}

static void
prescan_free(struct prescan *ps)
{
	size_t	i;

	for (i = 0; i < ps->nbounds; i++)
		free(ps->bounds[i]);
	free(ps->bounds);
	free(ps->cont);
}

int
guard_mime(struct guard *g, char *raw, size_t len,
    const struct message_limits *lim)
{
	struct prescan	ps;
	int		r;

	memset(g, 0, sizeof(*g));
	memset(&ps, 0, sizeof(ps));
	ps.lim = lim;
	ps.g = g;
	r = prescan(&ps, raw, len);
	prescan_free(&ps);
	return r;
}
