/*
 * wire: the IMAP protocol text as pure functions, see imap/wire.h.
 *
 * Who owns what: an imap_stream owns the response being assembled (and
 * its error); an imap_reply owns everything it collected, until the
 * session moves a result out of it to its caller.  Nothing here keeps
 * state between calls, does I/O, or knows about libcurl: the stream is fed
 * whatever bytes arrive, in any chunking, and the parser sees one complete
 * response at a time, so both can be fed arbitrary bytes (a fuzz target
 * does).  The one side effect: a LIST name that cannot be decoded is
 * skipped with a warning in the log.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "imap/mutf7.h"
#include "imap/wire.h"
#include "lib/errstr.h"
#include "lib/log.h"

#define MAX_TEXT		200	/* server text quoted in errors */

/* Server text for a log line or an error: printable, bounded. */
static char *
sanitize(const char *p, size_t n)
{
	char *out;
	size_t i, o = 0;

	if (n > MAX_TEXT)
		n = MAX_TEXT;
	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		out[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	out[o] = '\0';
	return out;
}

/* ------------------------------------------------------------------ */
/* The byte stream: responses, lines and literals, with bounds.       */

void
imap_stream_init(struct imap_stream *st, size_t limit,
    int (*cb)(void *, const char *, size_t, char **), void *arg)
{
	memset(st, 0, sizeof(*st));
	st->limit = limit;
	st->cb = cb;
	st->arg = arg;
}

void
imap_stream_clear(struct imap_stream *st)
{
	free(st->buf);
	free(st->err);
	st->buf = st->err = NULL;
	st->len = st->cap = 0;
}

static int
stream_fail(struct imap_stream *st, char *msg)
{
	st->failed = 1;
	if (st->err == NULL)
		st->err = msg;
	else
		free(msg);
	return -1;
}

int
imap_stream_failf(struct imap_stream *st, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	return stream_fail(st, msg);
}

static int
stream_append(struct imap_stream *st, const char *p, size_t n)
{
	if (n > st->limit - st->len)
		return imap_stream_failf(st, "a server response is larger than "
		    "%zu bytes", st->limit);
	if (st->len + n + 1 > st->cap) {
		size_t ncap = st->cap ? st->cap : 4096;
		char *nb;

		while (ncap < st->len + n + 1)
			ncap *= 2;
		if (ncap > st->limit + 1)
			ncap = st->limit + 1;
		if ((nb = realloc(st->buf, ncap)) == NULL)
			return imap_stream_failf(st, "out of memory");
		st->buf = nb;
		st->cap = ncap;
	}
	memcpy(st->buf + st->len, p, n);
	st->len += n;
	st->buf[st->len] = '\0';
	return 0;
}

/*
 * A line just completed at buf[line_start..len) (CRLF included): does it
 * announce a literal "{n}" / "{n+}"?  -1 malformed, 0 no, 1 yes (*np).
 */
static int
line_literal(const char *line, size_t len, uint64_t *np)
{
	size_t end = len, i, digits = 0;
	uint64_t n = 0;

	if (end >= 1 && line[end - 1] == '\n')
		end--;
	if (end >= 1 && line[end - 1] == '\r')
		end--;
	if (end == 0 || line[end - 1] != '}')
		return 0;
	i = end - 1;
	if (i > 0 && line[i - 1] == '+')	/* LITERAL+ form */
		i--;
	while (i > 0 && isdigit((unsigned char)line[i - 1])) {
		i--;
		digits++;
	}
	if (i == 0 || line[i - 1] != '{')
		return 0;
	if (digits == 0 || digits > 19)
		return -1;
	for (; digits > 0; digits--, i++)
		n = n * 10 + (uint64_t)(line[i] - '0');
	*np = n;
	return 1;
}

int
imap_stream_feed(struct imap_stream *st, const char *p, size_t n)
{
	if (st->failed)
		return -1;
	while (n > 0) {
		const char *nl;
		size_t k;
		uint64_t lit;
		int r;

		if (st->literal_left > 0) {
			k = st->literal_left < n ? (size_t)st->literal_left : n;
			if (stream_append(st, p, k) == -1)
				return -1;
			st->literal_left -= k;
			p += k;
			n -= k;
			if (st->literal_left == 0)
				st->line_start = st->len;
			continue;
		}
		nl = memchr(p, '\n', n);
		k = nl ? (size_t)(nl - p) + 1 : n;
		if (st->len - st->line_start + k > IMAP_MAX_LINE)
			return imap_stream_failf(st, "a server response line is "
			    "longer than %d bytes", IMAP_MAX_LINE);
		if (stream_append(st, p, k) == -1)
			return -1;
		p += k;
		n -= k;
		if (nl == NULL)
			break;
		r = line_literal(st->buf + st->line_start,
		    st->len - st->line_start, &lit);
		if (r == -1)
			return imap_stream_failf(st, "malformed literal in a "
			    "server response");
		if (r == 1) {
			if (lit > st->limit - st->len) {
				st->oversize = 1;
				return imap_stream_failf(st, "the server announced "
				    "%llu bytes, more than the limit of %zu",
				    (unsigned long long)lit, st->limit);
			}
			st->literal_left = lit;
			st->line_start = st->len;
			continue;
		}
		/* A complete response. */
		{
			char *err = NULL;

			if (st->cb != NULL &&
			    st->cb(st->arg, st->buf, st->len, &err) == -1)
				return stream_fail(st, err);
		}
		st->len = 0;
		st->line_start = 0;
	}
	return 0;
}

int
imap_stream_finish(struct imap_stream *st)
{
	if (st->failed)
		return -1;
	if (st->len > 0 || st->literal_left > 0)
		return imap_stream_failf(st, "the server response was cut short "
		    "(%llu bytes of a literal missing)",
		    (unsigned long long)st->literal_left);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Tokens of one response.                                            */

struct cur {
	const char	*p, *end;
};

static int
peek(const struct cur *c)
{
	return c->p < c->end ? (unsigned char)*c->p : -1;
}

static int
skip_sp(struct cur *c)
{
	if (peek(c) != ' ')
		return -1;
	while (peek(c) == ' ')
		c->p++;
	return 0;
}

/* Atom characters; `brackets`: '[' and ']' too (astring, flags). */
static int
atom_char(int ch, int brackets)
{
	if (ch < 0x21 || ch == 0x7f)
		return 0;
	if (strchr("(){\"", ch) != NULL)
		return 0;
	if (!brackets && (ch == '[' || ch == ']'))
		return 0;
	return 1;
}

static int
get_atom(struct cur *c, int brackets, const char **sp, size_t *np)
{
	const char *s = c->p;

	while (atom_char(peek(c), brackets))
		c->p++;
	if (c->p == s)
		return -1;
	*sp = s;
	*np = (size_t)(c->p - s);
	return 0;
}

static int
atom_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

static int
get_u64(struct cur *c, uint64_t *vp)
{
	uint64_t v = 0;
	int digits = 0;

	while (isdigit(peek(c))) {
		if (++digits > 19)
			return -1;
		v = v * 10 + (uint64_t)(*c->p - '0');
		c->p++;
	}
	if (digits == 0)
		return -1;
	*vp = v;
	return 0;
}

static int
get_u32(struct cur *c, uint32_t *vp)
{
	uint64_t v;

	if (get_u64(c, &v) == -1 || v > UINT32_MAX)
		return -1;
	*vp = (uint32_t)v;
	return 0;
}

/*
 * A string: quoted, literal, or (astring) an atom; NIL when nil_ok.
 * sp and np point into the response for literals and atoms; a quoted
 * string is unescaped into allocp (freed by the caller).  NIL: NULL.
 */
static int
get_string(struct cur *c, int astring, int nil_ok, const char **sp,
    size_t *np, char **allocp)
{
	int ch = peek(c);

	*allocp = NULL;
	if (ch == '"') {
		char *out;
		size_t o = 0;

		c->p++;
		if ((out = malloc((size_t)(c->end - c->p) + 1)) == NULL)
			return -1;
		for (;;) {
			ch = peek(c);
			if (ch == -1 || ch == '\r' || ch == '\n') {
				free(out);
				return -1;
			}
			c->p++;
			if (ch == '"')
				break;
			if (ch == '\\') {
				ch = peek(c);
				if (ch != '\\' && ch != '"') {
					free(out);
					return -1;
				}
				c->p++;
			}
			out[o++] = (char)ch;
		}
		out[o] = '\0';
		*allocp = out;
		*sp = out;
		*np = o;
		return 0;
	}
	if (ch == '{') {
		uint64_t n;

		c->p++;
		if (get_u64(c, &n) == -1)
			return -1;
		if (peek(c) == '+')
			c->p++;
		if (peek(c) != '}')
			return -1;
		c->p++;
		if (peek(c) == '\r')
			c->p++;
		if (peek(c) != '\n')
			return -1;
		c->p++;
		if (n > (uint64_t)(c->end - c->p))
			return -1;
		*sp = c->p;
		*np = (size_t)n;
		c->p += n;
		return 0;
	}
	if (get_atom(c, 1, sp, np) == -1)
		return -1;
	if (atom_is(*sp, *np, "NIL") && nil_ok) {
		*sp = NULL;
		*np = 0;
		return 0;
	}
	if (!astring)
		return -1;
	return 0;
}

/* Any value: atom, number, string, or a (nested) list; no recursion. */
static int
skip_value(struct cur *c)
{
	int depth = 0;

	for (;;) {
		const char *s;
		size_t n;
		char *alloc;
		int ch;

		if (depth > 0)
			while (peek(c) == ' ')
				c->p++;
		ch = peek(c);
		if (ch == -1)
			return -1;
		if (ch == '(') {
			depth++;
			c->p++;
			continue;
		}
		if (ch == ')') {
			if (depth == 0)
				return -1;
			depth--;
			c->p++;
		} else if (ch == '"' || ch == '{') {
			if (get_string(c, 0, 0, &s, &n, &alloc) == -1)
				return -1;
			free(alloc);
		} else if (ch == '[') {		/* BODY[...] style */
			const char *e = memchr(c->p, ']', (size_t)(c->end -
			    c->p));

			if (e == NULL)
				return -1;
			c->p = e + 1;
		} else if (get_atom(c, 1, &s, &n) == -1)
			return -1;
		if (depth == 0)
			return 0;
	}
}

/* ------------------------------------------------------------------ */
/* What responses say.                                                 */

void
imap_reply_init(struct imap_reply *r, int cmd)
{
	memset(r, 0, sizeof(*r));
	r->cmd = cmd;
}

/*
 * The free functions of the result types of imap/session.h: the parser
 * builds those values, and frees them with a reply it gives up.
 */
void
imap_folder_list_free(struct imap_folder_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
imap_uids_free(struct imap_uids *u)
{
	free(u->v);
	u->v = NULL;
	u->n = 0;
	u->truncated = 0;
}

void
imap_msginfos_free(struct imap_msginfos *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->v[i].headers);
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

void
imap_reply_clear(struct imap_reply *r)
{
	free(r->status_text);
	free(r->bye);
	free(r->caps);
	free(r->body);
	free(r->want_uids);
	imap_folder_list_free(&r->folders);
	imap_uids_free(&r->uids);
	imap_msginfos_free(&r->infos);
	memset(r, 0, sizeof(*r));
}

static int
set_text(char **dst, const char *p, size_t n)
{
	char *t = sanitize(p, n);

	if (t == NULL)
		return -1;
	free(*dst);
	*dst = t;
	return 0;
}

/* Capability list: the rest of the line (or of a [CAPABILITY ...]). */
static int
set_caps(struct imap_reply *r, const char *p, size_t n)
{
	char *caps;

	if (n > 4096)
		n = 4096;
	if ((caps = malloc(n + 1)) == NULL)
		return -1;
	memcpy(caps, p, n);
	caps[n] = '\0';
	free(r->caps);
	r->caps = caps;
	return 0;
}

/*
 * resp-text after OK/NO/BAD/BYE/PREAUTH: "[CODE args] text" or "text".
 * Codes we use: UIDVALIDITY, UIDNEXT, CAPABILITY.
 */
static int
parse_resp_text(struct imap_reply *r, struct cur *c, char **textp,
    char **errstr)
{
	while (peek(c) == ' ')
		c->p++;
	if (peek(c) == '[') {
		const char *code, *e;
		size_t n;
		struct cur a;

		c->p++;
		e = memchr(c->p, ']', (size_t)(c->end - c->p));
		if (e == NULL)
			return errstr_set(errstr, "malformed response code");
		a.p = c->p;
		a.end = e;
		if (get_atom(&a, 0, &code, &n) == -1)
			return errstr_set(errstr, "malformed response code");
		if (atom_is(code, n, "UIDVALIDITY") ||
		    atom_is(code, n, "UIDNEXT")) {
			uint32_t v;

			if (skip_sp(&a) == -1 || get_u32(&a, &v) == -1 ||
			    a.p != a.end)
				return errstr_set(errstr, "malformed %.*s in the "
				    "server's reply", (int)n, code);
			if (atom_is(code, n, "UIDNEXT"))
				r->mailbox.uidnext = v;
			else {
				r->mailbox.uidvalidity = v;
				r->seen_uidvalidity = 1;
			}
		} else if (atom_is(code, n, "CAPABILITY")) {
			while (peek(&a) == ' ')
				a.p++;
			if (set_caps(r, a.p, (size_t)(a.end - a.p)) == -1)
				return errstr_set(errstr, "out of memory");
		}
		c->p = e + 1;
		while (peek(c) == ' ')
			c->p++;
	}
	if (textp != NULL && set_text(textp, c->p, (size_t)(c->end - c->p))
	    == -1)
		return errstr_set(errstr, "out of memory");
	return 0;
}

static const struct {
	const char	*flag;
	unsigned	 bit;
} list_flags[] = {
	{ "\\Noselect", IMAP_FOLDER_NOSELECT },
	{ "\\NonExistent", IMAP_FOLDER_NOSELECT },
	{ "\\Junk", IMAP_FOLDER_JUNK },
	{ "\\Trash", IMAP_FOLDER_TRASH },
	{ "\\Sent", IMAP_FOLDER_SENT },
	{ "\\Drafts", IMAP_FOLDER_DRAFTS },
	{ "\\Archive", IMAP_FOLDER_ARCHIVE },
	{ "\\All", IMAP_FOLDER_ALL },
};

/* Names of junk folders where the server has no SPECIAL-USE. */
static const char *const junk_names[] = {
	"Junk", "Spam", "Junk E-mail", "Junk Email", "Junk Mail",
	"Bulk Mail", "Courrier indésirable", "Courriers indésirables",
	"Indésirables", "Pourriel", "Pourriels", "Spams", "Correo no deseado",
	"Posta indesiderata", "Spam-Verdacht",
};

static int
is_junk_name(const char *name, char delim)
{
	const char *last = name;
	size_t i;

	if (delim != '\0' && strrchr(name, delim) != NULL)
		last = strrchr(name, delim) + 1;
	for (i = 0; i < sizeof(junk_names) / sizeof(junk_names[0]); i++)
		if (strcasecmp(last, junk_names[i]) == 0)
			return 1;
	return 0;
}

/* * LIST (flags) delim name [extended data] */
static int
parse_list(struct imap_reply *r, struct cur *c, char **errstr)
{
	struct imap_folder f = { NULL, 0, '\0' };
	struct imap_folder *nv;
	const char *s;
	size_t n, i;
	char *alloc = NULL, *raw, *derr = NULL;

	if (skip_sp(c) == -1 || peek(c) != '(')
		return errstr_set(errstr, "malformed LIST response");
	c->p++;
	while (peek(c) != ')') {
		while (peek(c) == ' ')
			c->p++;
		if (peek(c) == ')')
			break;
		if (get_atom(c, 0, &s, &n) == -1)
			return errstr_set(errstr, "malformed LIST flags");
		for (i = 0; i < sizeof(list_flags) / sizeof(list_flags[0]);
		    i++)
			if (atom_is(s, n, list_flags[i].flag))
				f.flags |= list_flags[i].bit;
	}
	c->p++;
	if (skip_sp(c) == -1 || get_string(c, 0, 1, &s, &n, &alloc) == -1 ||
	    (s != NULL && n != 1)) {
		free(alloc);
		return errstr_set(errstr, "malformed LIST delimiter");
	}
	f.delim = s ? s[0] : '\0';
	free(alloc);
	if (skip_sp(c) == -1 || get_string(c, 1, 0, &s, &n, &alloc) == -1)
		return errstr_set(errstr, "malformed LIST mailbox name");
	if (memchr(s, '\0', n) != NULL || (raw = strndup(s, n)) == NULL) {
		free(alloc);
		return errstr_set(errstr, "malformed LIST mailbox name");
	}
	free(alloc);
	/* Anything after the name (LIST-EXTENDED data) is not ours. */
	if (strcasecmp(raw, "INBOX") == 0) {
		f.name = strdup("INBOX");
		f.flags |= IMAP_FOLDER_INBOX;
	} else if (mutf7_decode(raw, &f.name, &derr) == -1) {
		char *clean = sanitize(raw, strlen(raw));

		log_warnx("imap: skipping folder \"%s\": %s",
		    clean ? clean : "?", derr ? derr : "bad name");
		free(clean);
		free(derr);
		free(raw);
		return 0;
	}
	free(raw);
	if (f.name == NULL)
		return errstr_set(errstr, "out of memory");
	if (!(f.flags & IMAP_FOLDER_JUNK) && is_junk_name(f.name, f.delim))
		f.flags |= IMAP_FOLDER_JUNK_NAME;
	if (r->folders.n >= 100000) {
		free(f.name);
		return errstr_set(errstr, "more than 100000 folders");
	}
	nv = reallocarray(r->folders.v, r->folders.n + 1, sizeof(*nv));
	if (nv == NULL) {
		free(f.name);
		return errstr_set(errstr, "out of memory");
	}
	r->folders.v = nv;
	r->folders.v[r->folders.n++] = f;
	return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

size_t
imap_uids_sort_unique(uint32_t *v, size_t n)
{
	size_t i, o;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u32);
	for (i = 1, o = 1; i < n; i++)
		if (v[i] != v[o - 1])
			v[o++] = v[i];
	return o;
}

/* * SEARCH n n n ...  (collects everything >= uid_min; sorted later) */
static int
parse_search(struct imap_reply *r, struct cur *c, char **errstr)
{
	while (c->p < c->end) {
		uint32_t uid, *nv;

		if (skip_sp(c) == -1)
			return errstr_set(errstr, "malformed SEARCH response");
		if (c->p == c->end)
			break;
		if (peek(c) == '(')	/* (MODSEQ n) of CONDSTORE */
			return skip_value(c) == -1 ? errstr_set(errstr,
			    "malformed SEARCH response") : 0;
		if (get_u32(c, &uid) == -1 || uid == 0)
			return errstr_set(errstr, "malformed UID in a SEARCH "
			    "response");
		if (uid < r->uid_min)
			continue;
		/* A line holds at most IMAP_MAX_LINE / 2 numbers. */
		if ((r->uids.n & 255) == 0) {
			nv = reallocarray(r->uids.v, r->uids.n + 256,
			    sizeof(*nv));
			if (nv == NULL)
				return errstr_set(errstr, "out of memory");
			r->uids.v = nv;
		}
		r->uids.v[r->uids.n++] = uid;
	}
	return 0;
}

static int
want_uid(const struct imap_reply *r, uint32_t uid)
{
	/* bsearch() must not be given a NULL array, even of 0 elements. */
	return r->nwant_uids > 0 && bsearch(&uid, r->want_uids,
	    r->nwant_uids, sizeof(uint32_t), cmp_u32) != NULL;
}

/* * n FETCH (item value ...) */
static int
parse_fetch(struct imap_reply *r, struct cur *c, char **errstr)
{
	uint32_t uid = 0;
	uint64_t size = 0;
	int has_uid = 0, has_size = 0, has_hdr = 0, has_body = 0;
	const char *hdr = NULL, *body = NULL;
	size_t hdr_len = 0, body_len = 0;
	char *alloc_hdr = NULL, *alloc_body = NULL;
	int ret = -1;

	if (skip_sp(c) == -1 || peek(c) != '(')
		return errstr_set(errstr, "malformed FETCH response");
	c->p++;
	for (;;) {
		const char *name, *sect = NULL;
		size_t n, sect_len = 0;

		while (peek(c) == ' ')
			c->p++;
		if (peek(c) == ')') {
			c->p++;
			break;
		}
		if (get_atom(c, 0, &name, &n) == -1) {
			errstr_set(errstr, "malformed FETCH item");
			goto out;
		}
		if (peek(c) == '[') {
			const char *e = memchr(c->p, ']',
			    (size_t)(c->end - c->p));

			if (e == NULL) {
				errstr_set(errstr, "malformed FETCH section");
				goto out;
			}
			sect = c->p + 1;
			sect_len = (size_t)(e - sect);
			c->p = e + 1;
			if (peek(c) == '<') {		/* <origin> */
				while (c->p < c->end && *c->p != '>')
					c->p++;
				if (peek(c) != '>') {
					errstr_set(errstr, "malformed FETCH "
					    "origin");
					goto out;
				}
				c->p++;
			}
		}
		if (skip_sp(c) == -1) {
			errstr_set(errstr, "malformed FETCH response");
			goto out;
		}
		if (sect == NULL && atom_is(name, n, "UID")) {
			if (get_u32(c, &uid) == -1 || uid == 0) {
				errstr_set(errstr, "malformed UID in FETCH");
				goto out;
			}
			has_uid = 1;
		} else if (sect == NULL && atom_is(name, n, "RFC822.SIZE")) {
			if (get_u64(c, &size) == -1) {
				errstr_set(errstr, "malformed RFC822.SIZE");
				goto out;
			}
			has_size = 1;
		} else if (sect != NULL && atom_is(name, n, "BODY") &&
		    (sect_len == 0 || (sect_len > 18 &&
		    strncasecmp(sect, "HEADER.FIELDS", 13) == 0))) {
			const char **vp = sect_len == 0 ? &body : &hdr;
			size_t *lp = sect_len == 0 ? &body_len : &hdr_len;
			char **ap = sect_len == 0 ? &alloc_body : &alloc_hdr;

			if (*ap != NULL || *vp != NULL) {
				errstr_set(errstr, "FETCH item given twice");
				goto out;
			}
			if (get_string(c, 0, 1, vp, lp, ap) == -1) {
				errstr_set(errstr, "malformed FETCH body");
				goto out;
			}
			if (sect_len == 0)
				has_body = 1;
			else
				has_hdr = 1;
		} else if (skip_value(c) == -1) {
			errstr_set(errstr, "malformed FETCH value");
			goto out;
		}
	}
	/* Only what we asked for counts: unsolicited FETCH (FLAGS) pass. */
	if (!has_uid)
		ret = 0;
	else if (r->want_body) {
		if (uid != r->body_uid)
			ret = 0;
		else {
			if (has_size) {
				r->body_size = size;
				r->size_seen = 1;
			}
			if (has_body) {
				if (r->body_seen) {
					errstr_set(errstr, "message body sent "
					    "twice");
					goto out;
				}
				if (body == NULL) {
					errstr_set(errstr, "the server has no "
					    "body for UID %u", uid);
					goto out;
				}
				if ((r->body = malloc(body_len + 1)) == NULL) {
					errstr_set(errstr, "out of memory");
					goto out;
				}
				memcpy(r->body, body, body_len);
				r->body[body_len] = '\0';
				r->body_len = body_len;
				r->body_seen = 1;
			}
			ret = 0;
		}
	} else if (has_hdr && want_uid(r, uid)) {
		struct imap_msginfo *mi;
		size_t i;

		for (i = 0; i < r->infos.n; i++)
			if (r->infos.v[i].uid == uid)
				break;
		if (i == r->infos.n) {
			mi = reallocarray(r->infos.v, r->infos.n + 1,
			    sizeof(*mi));
			if (mi == NULL) {
				errstr_set(errstr, "out of memory");
				goto out;
			}
			r->infos.v = mi;
			mi = &r->infos.v[r->infos.n];
			memset(mi, 0, sizeof(*mi));
			mi->uid = uid;
			if ((mi->headers = malloc(hdr_len + 1)) == NULL) {
				errstr_set(errstr, "out of memory");
				goto out;
			}
			if (hdr_len > 0)
				memcpy(mi->headers, hdr, hdr_len);
			mi->headers[hdr_len] = '\0';
			mi->headers_len = hdr_len;
			mi->size = size;
			r->infos.n++;
		}
		ret = 0;
	} else
		ret = 0;
out:
	free(alloc_hdr);
	free(alloc_body);
	return ret;
}

/* * STATUS mailbox (UIDNEXT n UIDVALIDITY n ...) */
static int
parse_status(struct imap_reply *r, struct cur *c, char **errstr)
{
	const char *s;
	char *alloc = NULL;
	size_t n;

	if (skip_sp(c) == -1 || get_string(c, 1, 0, &s, &n, &alloc) == -1) {
		free(alloc);
		return errstr_set(errstr, "malformed STATUS response");
	}
	free(alloc);
	if (skip_sp(c) == -1 || peek(c) != '(')
		return errstr_set(errstr, "malformed STATUS response");
	c->p++;
	while (peek(c) != ')') {
		uint32_t v;

		if (get_atom(c, 0, &s, &n) == -1 || skip_sp(c) == -1 ||
		    get_u32(c, &v) == -1)
			return errstr_set(errstr, "malformed STATUS response");
		if (atom_is(s, n, "UIDNEXT"))
			r->mailbox.uidnext = v;
		else if (atom_is(s, n, "UIDVALIDITY")) {
			r->mailbox.uidvalidity = v;
			r->seen_uidvalidity = 1;
		} else if (atom_is(s, n, "MESSAGES"))
			r->mailbox.exists = v;
		while (peek(c) == ' ')
			c->p++;
		if (peek(c) == -1)
			return errstr_set(errstr, "malformed STATUS response");
	}
	return 0;
}

int
imap_parse_response(struct imap_reply *r, const char *resp, size_t len,
    char **errstr)
{
	struct cur c = { resp, resp + len };
	const char *s;
	size_t n;

	/* The line's CRLF (the stream cut there) is not part of it. */
	if (c.end > c.p && c.end[-1] == '\n')
		c.end--;
	if (c.end > c.p && c.end[-1] == '\r')
		c.end--;
	if (c.p == c.end)
		return errstr_set(errstr, "empty line in the server's reply");
	if (*c.p == '+')		/* continuation (AUTHENTICATE) */
		return 0;
	if (c.end - c.p >= 2 && c.p[0] == '*' && c.p[1] == ' ') {
		c.p += 2;
		if (isdigit(peek(&c))) {
			uint32_t num;

			if (get_u32(&c, &num) == -1 || skip_sp(&c) == -1 ||
			    get_atom(&c, 0, &s, &n) == -1)
				return errstr_set(errstr, "malformed numbered "
				    "response");
			if (atom_is(s, n, "EXISTS"))
				r->mailbox.exists = num;
			else if (atom_is(s, n, "FETCH"))
				return parse_fetch(r, &c, errstr);
			return 0;
		}
		if (get_atom(&c, 0, &s, &n) == -1)
			return errstr_set(errstr, "malformed untagged response");
		if (atom_is(s, n, "OK") || atom_is(s, n, "NO") ||
		    atom_is(s, n, "BAD") || atom_is(s, n, "PREAUTH"))
			return parse_resp_text(r, &c, NULL, errstr);
		if (atom_is(s, n, "BYE"))
			return r->status == 'N' || r->status == 'B' ? 0 :
			    parse_resp_text(r, &c, &r->bye, errstr);
		if (atom_is(s, n, "CAPABILITY")) {
			while (peek(&c) == ' ')
				c.p++;
			if (set_caps(r, c.p, (size_t)(c.end - c.p)) == -1)
				return errstr_set(errstr, "out of memory");
			return 0;
		}
		if (atom_is(s, n, "LIST") && r->cmd == IMAP_CMD_LIST)
			return parse_list(r, &c, errstr);
		if (atom_is(s, n, "SEARCH") && r->cmd == IMAP_CMD_SEARCH)
			return parse_search(r, &c, errstr);
		if (atom_is(s, n, "STATUS") && r->cmd == IMAP_CMD_STATUS)
			return parse_status(r, &c, errstr);
		return 0;		/* FLAGS, ESEARCH, ...: not ours */
	}
	/* Tagged: TAG SP (OK / NO / BAD) [SP resp-text] */
	if (get_atom(&c, 1, &s, &n) == -1 || skip_sp(&c) == -1 ||
	    get_atom(&c, 0, &s, &n) == -1)
		return errstr_set(errstr, "malformed tagged response");
	/*
	 * After a NO or BAD libcurl closes with a LOGOUT in the same
	 * transfer; its "OK" must not hide why the command failed.
	 */
	if (r->status == 'N' || r->status == 'B')
		return 0;
	if (atom_is(s, n, "OK"))
		r->status = 'O';
	else if (atom_is(s, n, "NO"))
		r->status = 'N';
	else if (atom_is(s, n, "BAD"))
		r->status = 'B';
	else
		return errstr_set(errstr, "malformed tagged response");
	return parse_resp_text(r, &c, &r->status_text, errstr);
}

int
imap_reply_cb(void *arg, const char *resp, size_t len, char **errstr)
{
	return imap_parse_response(arg, resp, len, errstr);
}

/* ------------------------------------------------------------------ */
/* Building commands.                                                  */

/* Quoted string; CR, LF and NUL cannot be sent in one. */
static int
append_quoted(char **dst, size_t *len, size_t *cap, const char *s)
{
	size_t need = strlen(s) * 2 + 3;
	char *p;

	if (*len + need + 1 > *cap) {
		size_t ncap = (*len + need + 1) * 2;
		char *nb = realloc(*dst, ncap);

		if (nb == NULL)
			return -1;
		*dst = nb;
		*cap = ncap;
	}
	p = *dst + *len;
	*p++ = '"';
	for (; *s != '\0'; s++) {
		if (*s == '\r' || *s == '\n')
			return -1;
		if (*s == '"' || *s == '\\')
			*p++ = '\\';
		*p++ = *s;
	}
	*p++ = '"';
	*p = '\0';
	*len = (size_t)(p - *dst);
	return 0;
}

static int
append_str(char **dst, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > *cap) {
		size_t ncap = (*len + n + 1) * 2;
		char *nb = realloc(*dst, ncap);

		if (nb == NULL)
			return -1;
		*dst = nb;
		*cap = ncap;
	}
	memcpy(*dst + *len, s, n + 1);
	*len += n;
	return 0;
}

int
imap_quote_mailbox(const char *utf8, char **outp, char **errstr)
{
	char *enc, *out = NULL;
	size_t len = 0, cap = 0;

	*outp = NULL;
	if (strcasecmp(utf8, "INBOX") == 0)
		utf8 = "INBOX";
	if (mutf7_encode(utf8, &enc, errstr) == -1)
		return -1;
	if (append_quoted(&out, &len, &cap, enc) == -1) {
		free(enc);
		free(out);
		return errstr_set(errstr, "mailbox name: out of memory");
	}
	free(enc);
	*outp = out;
	return 0;
}

static int
non_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

int
imap_search_command(const struct imap_criteria *cr, char **cmdp,
    char **errstr)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char *cmd = NULL, tmp[64];
	size_t len = 0, cap = 0, i, nkeys = cr->nfrom + cr->nsubject;
	int utf8 = 0;

	*cmdp = NULL;
	for (i = 0; i < cr->nfrom; i++)
		utf8 |= non_ascii(cr->from[i]);
	for (i = 0; i < cr->nsubject; i++)
		utf8 |= non_ascii(cr->subject[i]);
	if (cr->uid_max != 0)
		snprintf(tmp, sizeof(tmp), "UID SEARCH %sUID %u:%u",
		    utf8 ? "CHARSET UTF-8 " : "", cr->uid_min ? cr->uid_min : 1,
		    cr->uid_max);
	else
		snprintf(tmp, sizeof(tmp), "UID SEARCH %sUID %u:*",
		    utf8 ? "CHARSET UTF-8 " : "", cr->uid_min ? cr->uid_min :
		    1);
	if (append_str(&cmd, &len, &cap, tmp) == -1)
		goto nomem;
	if (cr->since != 0) {
		struct tm tm;

		if (localtime_r(&cr->since, &tm) == NULL) {
			free(cmd);
			return errstr_set(errstr, "search: bad SINCE date");
		}
		snprintf(tmp, sizeof(tmp), " SINCE %d-%s-%04d", tm.tm_mday,
		    months[tm.tm_mon], tm.tm_year + 1900);
		if (append_str(&cmd, &len, &cap, tmp) == -1)
			goto nomem;
	}
	/* a OR b OR c = OR OR a b c: (nkeys - 1) prefixes. */
	for (i = 1; i < nkeys; i++)
		if (append_str(&cmd, &len, &cap, " OR") == -1)
			goto nomem;
	for (i = 0; i < nkeys; i++) {
		const char *key = i < cr->nfrom ? " FROM " : " SUBJECT ";
		const char *val = i < cr->nfrom ? cr->from[i] :
		    cr->subject[i - cr->nfrom];

		if (*val == '\0') {
			free(cmd);
			return errstr_set(errstr, "search: empty string");
		}
		if (append_str(&cmd, &len, &cap, key) == -1)
			goto nomem;
		if (append_quoted(&cmd, &len, &cap, val) == -1) {
			free(cmd);
			return errstr_set(errstr, "search: a string holds a line "
			    "break");
		}
	}
	if (len > 8000) {
		free(cmd);
		return errstr_set(errstr, "search: criteria too long");
	}
	*cmdp = cmd;
	return 0;
nomem:
	free(cmd);
	return errstr_set(errstr, "search: out of memory");
}

char *
imap_uid_set(const uint32_t *v, size_t n)
{
	char *out = NULL, tmp[32];
	size_t len = 0, cap = 0, i = 0;

	while (i < n) {
		size_t j = i;

		while (j + 1 < n && v[j + 1] == v[j] + 1)
			j++;
		if (j > i)
			snprintf(tmp, sizeof(tmp), "%s%u:%u", i ? "," : "",
			    v[i], v[j]);
		else
			snprintf(tmp, sizeof(tmp), "%s%u", i ? "," : "", v[i]);
		if (append_str(&out, &len, &cap, tmp) == -1) {
			free(out);
			return NULL;
		}
		i = j + 1;
	}
	return out;
}

