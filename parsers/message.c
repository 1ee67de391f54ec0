/*
 * message: raw RFC 5322 mail -> headers, decoded UTF-8 text parts and
 * attachments, through libetpan.  See message.h.
 *
 * The top-level header is split here (with its own limits); libetpan gets
 * only the top-level MIME fields and the body.  Its MIME parser recurses
 * once per nesting level (an 8 MB stack overflows at about 25,000 levels)
 * and its time grows with depth x size, so a linear prescan of those bytes
 * runs first (guard.h): containers nested too deep are turned into one
 * leaf, in place, and the input is cut where other limits would be
 * crossed.  The
 * tree libetpan returns is then walked with an explicit stack, never by
 * recursion.
 *
 * libetpan pitfalls this file works around (measured, libetpan 1.9.4):
 * mailmime_part_parse() output is freed with mmap_string_unref(); the tree
 * points into the input buffer; RFC 2231 parameters (filename*=...) are
 * left raw; decoders never fail; a multipart without a boundary parameter
 * becomes one leaf; an empty last part makes a whole multipart a leaf.
 */
#include <libetpan/libetpan.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ascii.h"
#include "lib/civil.h"
#include "lib/errstr.h"
#include "lib/utf8.h"
#include "parsers/fields.h"
#include "parsers/guard.h"
#include "parsers/html.h"
#include "parsers/message.h"
#include "parsers/mimeparam.h"
#include "parsers/text.h"

/* Top-level header fields kept; a flood of fields beyond is dropped. */
#define MAX_HEADERS		1000
/* Where a PDF header may start (readers accept leading junk). */
#define PDF_MAGIC_WINDOW	1024
/* Multiparts without a boundary re-parsed with a guessed one. */
#define MAX_RECOVERIES		4
/* A file name longer than this is cut (at a character boundary). */
#define MAX_FILENAME_BYTES	1024
/* Top-level Content-* fields handed to libetpan. */
#define MAX_MIME_FIELDS		16

struct walk_item {
	struct mailmime	*mime;
	int		 depth;
	int		 forwarded;
};

struct parse_ctx {
	const struct message_limits	*lim;
	struct message			*msg;
	size_t				 partcap;
	size_t				 headercap;
	int				 entities;
	int				 oom;
	struct walk_item		*stack;
	size_t				 nstack;
	size_t				 stackcap;
	/* Trees (and the buffers they point into) from boundary recovery,
	   freed after the walk. */
	struct mailmime			*extra_tree[MAX_RECOVERIES];
	char				*extra_buf[MAX_RECOVERIES];
	int				 nextra;
	/* Top-level MIME fields (Content-*, MIME-Version): raw offsets.
	   libetpan sees only these and the body, not Received & co. */
	size_t				 mimefield[MAX_MIME_FIELDS][2];
	int				 nmimefields;
	/* The mail was cut (at max_message): cut_at is its length then,
	   and a leaf whose body runs to one of cut_end[] (the end of the
	   input, of a recovered multipart's buffer) is cut short. */
	size_t				 cut_at;
	const char			*cut_end[1 + MAX_RECOVERIES];
	int				 ncut_end;
};

static void	 note(struct parse_ctx *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

void
message_limits_default(struct message_limits *lim)
{
	lim->max_message = 25 * 1024 * 1024;
	lim->max_header_line = 64 * 1024;
	lim->max_depth = 64;
	lim->max_parts = 256;
	lim->max_attachment = 20 * 1024 * 1024;
}

static int
ascii_caseeq(const char *a, const char *b)
{
	size_t	la = strlen(a);

	return la == strlen(b) && text_ascii_ncaseeq(a, b, la);
}

static int
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static char *
memdup_str(const char *s, size_t n)
{
	char	*p;

	if ((p = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Printable ASCII copy of a string from the mail, for warnings (which end
   up in logs): nothing the mail wrote can forge a log line. */
static void
log_safe(char *dst, size_t dstsz, const char *src)
{
	size_t	i;

	for (i = 0; src != NULL && src[i] != '\0' && i + 1 < dstsz; i++)
		dst[i] = (src[i] >= ' ' && src[i] < 0x7F) ? src[i] : '?';
	dst[i] = '\0';
}


/* Record a problem: the first one becomes msg->warning; `truncated` says a
   limit was hit and something was skipped. */
static void
note(struct parse_ctx *ctx, int truncated, const char *fmt, ...)
{
	va_list	ap;
	char	buf[256];

	if (truncated)
		ctx->msg->truncated = 1;
	if (ctx->msg->warning != NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if ((ctx->msg->warning = strdup(buf)) == NULL)
		ctx->oom = 1;
}

/* Cut a UTF-8 string to at most max bytes without splitting a character. */
static size_t
utf8_cut(char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	len = utf8_boundary(s, max);
	s[len] = '\0';
	return len;
}

/* Trim spaces at both ends, in place. */
static size_t
trim(char *s, size_t len)
{
	size_t	start = 0;

	while (len > 0 && s[len - 1] == ' ')
		len--;
	while (start < len && s[start] == ' ')
		start++;
	memmove(s, s + start, len - start);
	s[len - start] = '\0';
	return len - start;
}

/* ---------------------------------------------------------------------
 * Top-level header fields
 */

/*
 * Unfold a raw field value: each line break and the whitespace after it
 * become one space.  At most cap bytes are kept (*cut says so).  The result
 * is one line of valid UTF-8 (raw 8-bit bytes read as UTF-8 if valid, else
 * windows-1252) without control characters, trimmed.
 */
static char *
unfold_value(const char *v, size_t n, size_t cap, int *cut)
{
	char	*tmp, *res;
	size_t	 i = 0, w = 0, reslen;

	*cut = 0;
	if ((tmp = malloc((n < cap ? n : cap) + 1)) == NULL)
		return NULL;
	while (i < n) {
		if (w >= cap) {
			*cut = 1;
			break;
		}
		if (v[i] == '\r' || v[i] == '\n') {
			while (i < n && (v[i] == '\r' || v[i] == '\n'))
				i++;
			while (i < n && is_wsp(v[i]))
				i++;
			tmp[w++] = ' ';
			continue;
		}
		tmp[w++] = v[i++];
	}
	res = text_to_utf8(NULL, tmp, w, &reslen, NULL);
	free(tmp);
	if (res == NULL)
		return NULL;
	reslen = text_clean_controls(res, reslen, TEXT_ONE_LINE);
	reslen = trim(res, reslen);
	utf8_cut(res, reslen, cap);
	return res;
}

static int
add_header(struct parse_ctx *ctx, const char *raw, size_t start,
    size_t namelen, size_t end)
{
	struct message		*msg = ctx->msg;
	struct message_header	*h, *nh;
	const char		*colon;
	int			 cut;

	/* MIME fields are kept for libetpan even past MAX_HEADERS: junk
	   fields in front must not turn the body into plain text. */
	if ((namelen > 8 && text_ascii_ncaseeq(raw + start, "Content-", 8)) ||
	    (namelen == 12 && text_ascii_ncaseeq(raw + start, "MIME-Version", 12))) {
		/* (field names are printable ASCII: see guard_field_name()) */
		if (end - start > ctx->lim->max_header_line)
			note(ctx, 1, "header field %.*s longer than %zu bytes: "
			    "ignored", (int)(namelen < 64 ? namelen : 64),
			    raw + start, ctx->lim->max_header_line);
		else if (ctx->nmimefields < MAX_MIME_FIELDS) {
			ctx->mimefield[ctx->nmimefields][0] = start;
			ctx->mimefield[ctx->nmimefields][1] = end;
			ctx->nmimefields++;
		}
	}
	if (msg->nheaders >= MAX_HEADERS) {
		note(ctx, 1, "more than %d header fields: the rest ignored",
		    MAX_HEADERS);
		return ctx->oom ? -1 : 0;
	}
	if (msg->nheaders == ctx->headercap) {
		size_t ncap = ctx->headercap ? ctx->headercap * 2 : 32;

		if ((nh = reallocarray(msg->headers, ncap, sizeof(*nh))) ==
		    NULL)
			return -1;
		msg->headers = nh;
		ctx->headercap = ncap;
	}
	colon = memchr(raw + start + namelen, ':', end - start - namelen);
	h = &msg->headers[msg->nheaders];
	if ((h->name = memdup_str(raw + start, namelen)) == NULL)
		return -1;
	h->value = unfold_value(colon + 1, raw + end - colon - 1,
	    ctx->lim->max_header_line, &cut);
	if (h->value == NULL) {
		free(h->name);
		return -1;
	}
	msg->nheaders++;
	if (cut)
		note(ctx, 1, "header field %.*s longer than %zu bytes: cut",
		    (int)(namelen < 64 ? namelen : 64), h->name,
		    ctx->lim->max_header_line);
	return ctx->oom ? -1 : 0;
}

/*
 * Split the top-level header block into fields, in order.  The block ends
 * at the first empty line, or at the first line that is neither a field
 * nor a continuation (as libetpan does).  *bodyp receives the body offset.
 */
static int
split_headers(struct parse_ctx *ctx, const char *raw, size_t len,
    size_t *bodyp)
{
	const char	*nl;
	size_t		 pos = 0, next, end, fstart = 0, namelen = 0;
	int		 infield = 0;

	/* An mbox "From " separator line is not a field ("From : x",
	   obsolete syntax, is). */
	if (len >= 5 && memcmp(raw, "From ", 5) == 0 &&
	    !guard_field_name(raw, len, &namelen)) {
		nl = memchr(raw, '\n', len);
		pos = nl ? (size_t)(nl - raw) + 1 : len;
	}
	while (pos < len) {
		nl = memchr(raw + pos, '\n', len - pos);
		next = nl ? (size_t)(nl - raw) + 1 : len;
		end = nl ? (size_t)(nl - raw) : len;
		if (end > pos && raw[end - 1] == '\r')
			end--;
		if (is_wsp(raw[pos]) && end > pos) {
			pos = next;	/* continuation of the current field */
			continue;
		}
		if (infield) {
			if (add_header(ctx, raw, fstart, namelen, pos) == -1)
				return -1;
			infield = 0;
		}
		if (end == pos) {	/* empty line: the body follows */
			pos = next;
			break;
		}
		if (!guard_field_name(raw + pos, end - pos, &namelen))
			break;
		fstart = pos;
		infield = 1;
		pos = next;
	}
	if (infield && add_header(ctx, raw, fstart, namelen, len) == -1)
		return -1;
	*bodyp = pos;
	return 0;
}

const char *
message_header(const struct message *msg, const char *name)
{
	size_t	i;

	if (msg == NULL || name == NULL)
		return NULL;
	for (i = 0; i < msg->nheaders; i++)
		if (ascii_caseeq(msg->headers[i].name, name))
			return msg->headers[i].value;
	return NULL;
}

/* ---------------------------------------------------------------------
 * MIME leaves
 */

static const char *
mime_type_name(const struct mailmime_content *ct)
{
	const struct mailmime_type	*t;

	if (ct == NULL || (t = ct->ct_type) == NULL)
		return "text";
	if (t->tp_type == MAILMIME_TYPE_DISCRETE_TYPE &&
	    t->tp_data.tp_discrete_type != NULL) {
		switch (t->tp_data.tp_discrete_type->dt_type) {
		case MAILMIME_DISCRETE_TYPE_TEXT:
			return "text";
		case MAILMIME_DISCRETE_TYPE_IMAGE:
			return "image";
		case MAILMIME_DISCRETE_TYPE_AUDIO:
			return "audio";
		case MAILMIME_DISCRETE_TYPE_VIDEO:
			return "video";
		case MAILMIME_DISCRETE_TYPE_APPLICATION:
			return "application";
		case MAILMIME_DISCRETE_TYPE_EXTENSION:
			if (t->tp_data.tp_discrete_type->dt_extension)
				return t->tp_data.tp_discrete_type->
				    dt_extension;
			break;
		default:
			break;
		}
	} else if (t->tp_type == MAILMIME_TYPE_COMPOSITE_TYPE &&
	    t->tp_data.tp_composite_type != NULL) {
		switch (t->tp_data.tp_composite_type->ct_type) {
		case MAILMIME_COMPOSITE_TYPE_MESSAGE:
			return "message";
		case MAILMIME_COMPOSITE_TYPE_MULTIPART:
			return "multipart";
		case MAILMIME_COMPOSITE_TYPE_EXTENSION:
			if (t->tp_data.tp_composite_type->ct_token)
				return t->tp_data.tp_composite_type->ct_token;
			break;
		default:
			break;
		}
	}
	return "application";
}

static const char *
mime_subtype_name(const struct mailmime_content *ct)
{
	if (ct == NULL || ct->ct_type == NULL || ct->ct_subtype == NULL)
		return ct == NULL || ct->ct_type == NULL ? "plain" :
		    "octet-stream";
	return ct->ct_subtype;
}

static int
mime_is(const struct mailmime *m, const char *type, const char *subtype)
{
	return ascii_caseeq(mime_type_name(m->mm_content_type), type) &&
	    (subtype == NULL ||
	    ascii_caseeq(mime_subtype_name(m->mm_content_type), subtype));
}

/* Lowercase "type/subtype", printable ASCII only. */
static char *
content_type_string(const struct mailmime_content *ct)
{
	const char	*type = mime_type_name(ct), *sub = mime_subtype_name(ct);
	char		*s;
	size_t		 tl = strlen(type), sl = strlen(sub), i;

	if (tl > 127)
		tl = 127;
	if (sl > 127)
		sl = 127;
	if ((s = malloc(tl + sl + 2)) == NULL)
		return NULL;
	memcpy(s, type, tl);
	s[tl] = '/';
	memcpy(s + tl + 1, sub, sl);
	s[tl + sl + 1] = '\0';
	for (i = 0; s[i] != '\0'; i++)
		s[i] = (s[i] > ' ' && s[i] < 0x7F) ?
		    text_ascii_lower((unsigned char)s[i]) : '_';
	return s;
}

/* Content-Disposition filename (RFC 2231 or 2047), else Content-Type name,
   trimmed and cut to MAX_FILENAME_BYTES. */
static int
part_filename(const struct mailmime_disposition *dsp,
    const struct mailmime_content *ct, char **out)
{
	size_t	len;
	int	r;

	if ((r = mime_filename(dsp, ct, out)) == 1) {
		len = trim(*out, strlen(*out));
		utf8_cut(*out, len, MAX_FILENAME_BYTES);
		if ((*out)[0] == '\0') {
			free(*out);
			*out = NULL;
		}
	}
	return r == -1 ? -1 : 0;
}

/* Transfer-decode a body into a malloc'd NUL-terminated copy. */
static int
decode_body(const struct mailmime_data *body, char **out, size_t *outlen)
{
	const char	*raw = "";
	char		*dec = NULL;
	size_t		 rawlen = 0, declen = 0, idx = 0;
	int		 enc = MAILMIME_MECHANISM_8BIT;

	if (body != NULL && body->dt_type == MAILMIME_DATA_TEXT &&
	    body->dt_data.dt_text.dt_data != NULL) {
		raw = body->dt_data.dt_text.dt_data;
		rawlen = body->dt_data.dt_text.dt_length;
		if (body->dt_encoded)
			enc = body->dt_encoding;
	}
	if ((enc == MAILMIME_MECHANISM_BASE64 ||
	    enc == MAILMIME_MECHANISM_QUOTED_PRINTABLE) && rawlen > 0) {
		/* Never fails on bad input; its result is an MMAPString. */
		if (mailmime_part_parse(raw, rawlen, &idx, enc, &dec,
		    &declen) != MAILIMF_NO_ERROR || dec == NULL) {
			if (dec != NULL)
				mmap_string_unref(dec);
			*out = strdup("");
			*outlen = 0;
			return *out == NULL ? -1 : 0;
		}
		*out = memdup_str(dec, declen);
		mmap_string_unref(dec);
		*outlen = declen;
	} else {
		*out = memdup_str(raw, rawlen);
		*outlen = rawlen;
	}
	return *out == NULL ? -1 : 0;
}

static int
ends_with_pdf(const char *name)
{
	size_t	n;

	if (name == NULL || (n = strlen(name)) < 4)
		return 0;
	return text_ascii_ncaseeq(name + n - 4, ".pdf", 4);
}

/* An iCalendar object: text/calendar, application/ics, or a *.ics file
   (booking sites send it as application/octet-stream). */
static int
is_calendar(const char *content_type, const char *name)
{
	size_t	n;

	if (strcmp(content_type, "text/calendar") == 0 ||
	    strcmp(content_type, "application/ics") == 0)
		return 1;
	if (name == NULL || (n = strlen(name)) < 4)
		return 0;
	return text_ascii_ncaseeq(name + n - 4, ".ics", 4);
}

static int
has_pdf_magic(const char *d, size_t len)
{
	return memmem(d, len < PDF_MAGIC_WINDOW ? len : PDF_MAGIC_WINDOW,
	    "%PDF-", 5) != NULL;
}

static void
part_free(struct message_part *p)
{
	free(p->content_type);
	free(p->filename);
	free(p->data);
	free(p->text);
	memset(p, 0, sizeof(*p));
}

/*
 * Does this body run to where the mail was cut?  Then it is cut short:
 * its end (a closing delimiter, the rest of its bytes) is missing.  Up to
 * the last line break: libetpan gives a line break before the end of its
 * input to the delimiter it expects next.
 */
static int
at_cut(const struct parse_ctx *ctx, const struct mailmime_data *body)
{
	uintptr_t	 end, cut;
	int		 i;

	if (ctx->ncut_end == 0 || body == NULL ||
	    body->dt_type != MAILMIME_DATA_TEXT ||
	    body->dt_data.dt_text.dt_data == NULL)
		return 0;	/* nothing to read anyway */
	end = (uintptr_t)body->dt_data.dt_text.dt_data +
	    body->dt_data.dt_text.dt_length;
	for (i = 0; i < ctx->ncut_end; i++) {
		cut = (uintptr_t)ctx->cut_end[i];
		if (end <= cut && cut - end <= 2)
			return 1;
	}
	return 0;
}

/*
 * A part whose body starts where the part starts: libetpan found no end to
 * its header (no empty line), so what it calls the body is the header, cut.
 */
static int
header_cut(const struct mailmime *mime)
{
	const struct mailmime_data *body = mime->mm_data.mm_single;

	return body == NULL || body->dt_type != MAILMIME_DATA_TEXT ||
	    body->dt_data.dt_text.dt_data == mime->mm_mime_start;
}

/*
 * Build the part for a leaf.  Returns 1 (kept), 0 (skipped: too large, or
 * cut short with the mail) or -1 (out-of-memory).
 */
static int
make_leaf(struct parse_ctx *ctx, struct mailmime *mime, int depth,
    int forwarded, struct message_part *part)
{
	struct mailmime_single_fields	 sf;
	char				*dec = NULL, *u, cs[48], ct[64];
	char				 charset_param[] = "charset";
	const char			*charset = NULL;
	size_t				 declen = 0, ulen;
	unsigned			 notes = 0;
	int				 is_text, is_cal;

	memset(part, 0, sizeof(*part));
	memset(&sf, 0, sizeof(sf));
	part->depth = depth;
	part->forwarded = forwarded;
	mailmime_single_fields_init(&sf, mime->mm_mime_fields,
	    mime->mm_content_type);
	if ((part->content_type = content_type_string(mime->mm_content_type))
	    == NULL)
		goto oom;
	if (strcmp(part->content_type, GUARD_CUT_TYPE) == 0) {
		part_free(part);	/* the guard said why */
		return 0;
	}
	is_text = strncmp(part->content_type, "text/", 5) == 0;
	if (at_cut(ctx, mime->mm_data.mm_single) && (!is_text ||
	    (depth > 0 && header_cut(mime)))) {
		/* Half an attachment is no attachment: dropped, and not
		   even decoded.  Text is read as far as it goes, unless
		   the cut is in its header: then its type is a guess. */
		if (depth > 0 && header_cut(mime))
			snprintf(ct, sizeof(ct), "last");
		else
			log_safe(ct, sizeof(ct), part->content_type);
		note(ctx, 1, "mail cut at %zu bytes (the size limit): its "
		    "%s part is not read", ctx->cut_at, ct);
		ctx->msg->skipped_parts++;
		part_free(part);
		return ctx->oom ? -1 : 0;
	}
	if (part_filename(sf.fld_disposition, mime->mm_content_type,
	    &part->filename) == -1)
		goto oom;
	part->attachment = sf.fld_disposition != NULL &&
	    sf.fld_disposition->dsp_type != NULL &&
	    sf.fld_disposition->dsp_type->dsp_type ==
	    MAILMIME_DISPOSITION_TYPE_ATTACHMENT;
	if (decode_body(mime->mm_data.mm_single, &dec, &declen) == -1)
		goto oom;
	if (declen > ctx->lim->max_attachment) {
		log_safe(ct, sizeof(ct), part->content_type);
		note(ctx, 1, "%s part of %zu bytes over the %zu-byte limit: "
		    "skipped", ct, declen, ctx->lim->max_attachment);
		ctx->msg->skipped_parts++;
		free(dec);
		part_free(part);
		return ctx->oom ? -1 : 0;
	}
	is_cal = is_calendar(part->content_type, part->filename);
	if (has_pdf_magic(dec, declen) && (!is_text ||
	    ends_with_pdf(part->filename))) {
		part->kind = PART_PDF;
	} else if (is_text || is_cal) {
		part->kind = is_cal ? PART_CALENDAR :
		    strcmp(part->content_type, "text/html") == 0 ?
		    PART_HTML : PART_TEXT;
		if (mime->mm_content_type != NULL)
			charset = mailmime_content_param_get(
			    mime->mm_content_type, charset_param);
		u = text_to_utf8(charset, dec, declen, &ulen, &notes);
		free(dec);
		if ((dec = u) == NULL)
			goto oom;
		declen = ulen;
		log_safe(cs, sizeof(cs), charset);
		if (notes & TEXT_UNKNOWN_CHARSET)
			note(ctx, 0, "unknown charset \"%s\": text read as "
			    "UTF-8 or windows-1252", cs);
		else if (notes & TEXT_REPLACED)
			note(ctx, 0, "invalid %s bytes in a text part replaced "
			    "by U+FFFD", charset ? cs : "us-ascii");
	} else {
		part->kind = PART_OTHER;
		if (strcmp(part->content_type, "application/pdf") == 0 ||
		    ends_with_pdf(part->filename))
			note(ctx, 0, "a PDF attachment does not start with "
			    "%%PDF-: not read as a PDF");
	}
	part->data = dec;
	part->len = declen;
	dec = NULL;
	if (part->kind == PART_HTML) {
		if ((part->text = html_to_text(part->data, part->len)) == NULL)
			goto oom;
	} else if (part->kind == PART_TEXT) {
		if ((part->text = memdup_str(part->data, part->len)) == NULL)
			goto oom;
	}
	if (part->text != NULL)
		text_clean_controls(part->text, strlen(part->text), 0);
	return ctx->oom ? -1 : 1;
oom:
	free(dec);
	part_free(part);
	return -1;
}

static int
append_part(struct parse_ctx *ctx, struct message_part *part)
{
	struct message		*msg = ctx->msg;
	struct message_part	*np;

	if (msg->nparts == ctx->partcap) {
		size_t ncap = ctx->partcap ? ctx->partcap * 2 : 8;

		if ((np = reallocarray(msg->parts, ncap, sizeof(*np))) ==
		    NULL) {
			part_free(part);
			return -1;
		}
		msg->parts = np;
		ctx->partcap = ncap;
	}
	msg->parts[msg->nparts++] = *part;
	return 0;
}

/* ---------------------------------------------------------------------
 * Walking the tree
 */

static int
push(struct parse_ctx *ctx, struct mailmime *mime, int depth, int forwarded)
{
	struct walk_item	*ns;

	if (mime == NULL)
		return 0;
	if (ctx->nstack == ctx->stackcap) {
		size_t ncap = ctx->stackcap ? ctx->stackcap * 2 : 32;

		if ((ns = reallocarray(ctx->stack, ncap, sizeof(*ns))) == NULL)
			return -1;
		ctx->stack = ns;
		ctx->stackcap = ncap;
	}
	ctx->stack[ctx->nstack].mime = mime;
	ctx->stack[ctx->nstack].depth = depth;
	ctx->stack[ctx->nstack].forwarded = forwarded;
	ctx->nstack++;
	return 0;
}

/* Count one more entity; 0 once over the limit (and say so). */
static int
count_entity(struct parse_ctx *ctx)
{
	if (++ctx->entities <= ctx->lim->max_parts)
		return 1;
	note(ctx, 1, "more than %d MIME parts: the rest skipped",
	    ctx->lim->max_parts);
	return 0;
}

/* Any character in the text but whitespace (NBSP included)? */
static int
has_visible_text(const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			continue;
		if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) {
			s++;
			continue;
		}
		return 1;
	}
	return 0;
}

/* A multipart or message child that holds text worth choosing (looked at
   one level down only: bounded). */
static int
container_has_text(const struct mailmime *m)
{
	clistiter	*it;
	struct mailmime	*c;

	if (m->mm_type == MAILMIME_MESSAGE)
		return 1;
	if (m->mm_type != MAILMIME_MULTIPLE)
		return 0;
	for (it = clist_begin(m->mm_data.mm_multipart.mm_mp_list); it != NULL;
	    it = clist_next(it)) {
		c = clist_content(it);
		if (c->mm_type != MAILMIME_SINGLE || mime_is(c, "text", NULL))
			return 1;
	}
	return 0;
}

/*
 * multipart/alternative: one meaning, so one child.  The last is the
 * richest (RFC 2046 5.1.4): from the end, an HTML part that yields text
 * or a multipart holding text (related: HTML and images); else the last
 * text/plain with text; else the last child.  A text/calendar child is
 * kept besides (an Outlook or BlueMind invitation: the same meeting as
 * the letter, written for a calendar), before the chosen one.
 */
static int
choose_alternative(struct parse_ctx *ctx, struct mailmime *mime, int depth,
    int forwarded)
{
	clist			*l = mime->mm_data.mm_multipart.mm_mp_list;
	clistiter		*it;
	struct mailmime		*c;
	struct message_part	 part;
	int			 r;

	for (it = clist_begin(l); it != NULL; it = clist_next(it)) {
		c = clist_content(it);
		if (c->mm_type != MAILMIME_SINGLE ||
		    !mime_is(c, "text", "calendar"))
			continue;
		if (!count_entity(ctx))
			return 0;
		if ((r = make_leaf(ctx, c, depth + 1, forwarded, &part)) == -1)
			return -1;
		if (r == 1 && append_part(ctx, &part) == -1)
			return -1;
	}
	for (it = clist_end(l); it != NULL; it = clist_previous(it)) {
		c = clist_content(it);
		if (c->mm_type == MAILMIME_SINGLE &&
		    mime_is(c, "text", "html")) {
			if (!count_entity(ctx))
				return 0;
			if ((r = make_leaf(ctx, c, depth + 1, forwarded,
			    &part)) == -1)
				return -1;
			if (r == 1 && has_visible_text(part.text))
				return append_part(ctx, &part);
			if (r == 1)
				part_free(&part);
		} else if (c->mm_type != MAILMIME_SINGLE &&
		    container_has_text(c))
			return push(ctx, c, depth + 1, forwarded);
	}
	for (it = clist_end(l); it != NULL; it = clist_previous(it)) {
		c = clist_content(it);
		if (c->mm_type != MAILMIME_SINGLE ||
		    !mime_is(c, "text", "plain"))
			continue;
		if (!count_entity(ctx))
			return 0;
		if ((r = make_leaf(ctx, c, depth + 1, forwarded, &part)) == -1)
			return -1;
		if (r == 1 && has_visible_text(part.text))
			return append_part(ctx, &part);
		if (r == 1)
			part_free(&part);
	}
	if ((it = clist_end(l)) != NULL && !(((struct mailmime *)
	    clist_content(it))->mm_type == MAILMIME_SINGLE &&
	    mime_is(clist_content(it), "text", "calendar")))
		return push(ctx, clist_content(it), depth + 1, forwarded);
	return 0;
}

/*
 * A multipart without a boundary parameter, which libetpan leaves as one
 * leaf: take the first "--token" line of its body as the boundary and
 * parse the body again with it.  Returns -1 only on out-of-memory.
 */
static int
recover_boundary(struct parse_ctx *ctx, struct mailmime *mime, int depth,
    int forwarded)
{
	static const char	 bchars[] = "0123456789abcdefghijklmnopqrstuvwxyz"
				     "ABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ";
	const struct mailmime_data *body = mime->mm_data.mm_single;
	struct mailmime		*tree = NULL, *mp;
	const char		*raw, *nl, *sub = mime_subtype_name(
				     mime->mm_content_type);
	char			 subtype[64], boundary[72], *buf;
	size_t			 rawlen, pos = 0, next, end, blen = 0, n;
	size_t			 seps = 0, hlen, idx = 0;
	int			 found = 0, i;

	log_safe(subtype, sizeof(subtype), sub);
	for (i = 0; subtype[i] != '\0'; i++)
		if (!strchr(bchars, subtype[i]) || strchr("'()/:=? ",
		    subtype[i]))
			break;
	if (subtype[i] != '\0' || i == 0)
		strcpy(subtype, "mixed");
	if (body == NULL || body->dt_type != MAILMIME_DATA_TEXT ||
	    ctx->nextra >= MAX_RECOVERIES) {
		note(ctx, 1, "multipart/%s without a boundary: skipped",
		    subtype);
		return ctx->oom ? -1 : 0;
	}
	raw = body->dt_data.dt_text.dt_data;
	rawlen = body->dt_data.dt_text.dt_length;
	for (pos = 0; pos < rawlen; pos = next) {
		nl = memchr(raw + pos, '\n', rawlen - pos);
		next = nl ? (size_t)(nl - raw) + 1 : rawlen;
		end = nl ? (size_t)(nl - raw) : rawlen;
		while (end > pos && (raw[end - 1] == '\r' ||
		    is_wsp(raw[end - 1])))
			end--;
		if (end - pos < 3 || raw[pos] != '-' || raw[pos + 1] != '-')
			continue;
		n = end - pos - 2;
		if (!found) {
			if (n > 70 || strspn(raw + pos + 2, bchars) < n)
				continue;
			memcpy(boundary, raw + pos + 2, n);
			boundary[n] = '\0';
			blen = n;
			found = 1;
		}
		if (n == blen && memcmp(raw + pos + 2, boundary, n) == 0)
			seps++;
	}
	if (!found || seps > (size_t)ctx->lim->max_parts *
	    GUARD_PARTS_FACTOR) {
		note(ctx, 1, "multipart/%s without a boundary: skipped",
		    subtype);
		return ctx->oom ? -1 : 0;
	}
	note(ctx, 0, "multipart/%s without a boundary parameter: boundary "
	    "guessed from its body", subtype);
	hlen = strlen("Content-Type: multipart/; boundary=\"\"\r\n\r\n") +
	    strlen(subtype) + blen;
	if ((buf = malloc(hlen + rawlen + 1)) == NULL)
		return -1;
	snprintf(buf, hlen + 1, "Content-Type: multipart/%s; boundary=\"%s\""
	    "\r\n\r\n", subtype, boundary);
	memcpy(buf + hlen, raw, rawlen);
	buf[hlen + rawlen] = '\0';
	if (mailmime_parse(buf, hlen + rawlen, &idx, &tree) !=
	    MAILIMF_NO_ERROR || tree == NULL) {
		free(buf);
		return ctx->oom ? -1 : 0;
	}
	ctx->extra_tree[ctx->nextra] = tree;
	ctx->extra_buf[ctx->nextra] = buf;
	ctx->nextra++;
	if (at_cut(ctx, body))
		ctx->cut_end[ctx->ncut_end++] = buf + hlen + rawlen;
	mp = tree->mm_type == MAILMIME_MESSAGE ?
	    tree->mm_data.mm_message.mm_msg_mime : NULL;
	if (mp != NULL && mp->mm_type == MAILMIME_MULTIPLE)
		return push(ctx, mp, depth, forwarded);
	return ctx->oom ? -1 : 0;
}

static int
walk(struct parse_ctx *ctx, struct mailmime *root)
{
	struct walk_item	 it;
	struct message_part	 part;
	clistiter		*c;
	int			 r;

	if (root->mm_type == MAILMIME_MESSAGE) {
		if (push(ctx, root->mm_data.mm_message.mm_msg_mime, 0, 0) == -1)
			return -1;
	} else if (push(ctx, root, 0, 0) == -1)
		return -1;
	while (ctx->nstack > 0) {
		it = ctx->stack[--ctx->nstack];
		if (it.depth > ctx->lim->max_depth) {
			note(ctx, 1, "MIME nesting deeper than %d levels: "
			    "deeper parts skipped", ctx->lim->max_depth);
			continue;
		}
		if (!count_entity(ctx))
			break;
		switch (it.mime->mm_type) {
		case MAILMIME_MESSAGE:
			r = push(ctx, it.mime->mm_data.mm_message.mm_msg_mime,
			    it.depth + 1, 1);
			break;
		case MAILMIME_MULTIPLE:
			if (mime_is(it.mime, "multipart", "alternative")) {
				r = choose_alternative(ctx, it.mime, it.depth,
				    it.forwarded);
				break;
			}
			r = 0;
			/* Pushed last to first, so popped in order. */
			for (c = clist_end(it.mime->mm_data.mm_multipart.
			    mm_mp_list); c != NULL && r == 0;
			    c = clist_previous(c))
				r = push(ctx, clist_content(c), it.depth + 1,
				    it.forwarded);
			break;
		case MAILMIME_SINGLE:
			if (mime_is(it.mime, "multipart", NULL)) {
				r = recover_boundary(ctx, it.mime, it.depth,
				    it.forwarded);
				break;
			}
			r = make_leaf(ctx, it.mime, it.depth, it.forwarded,
			    &part);
			if (r == 1)
				r = append_part(ctx, &part);
			break;
		default:
			r = 0;
			break;
		}
		if (r == -1 || ctx->oom)
			return -1;
	}
	return 0;
}

/* libetpan could not parse the body at all: keep it as one text part. */
static int
body_as_text(struct parse_ctx *ctx, const char *raw, size_t len,
    size_t body)
{
	struct message_part	part;

	memset(&part, 0, sizeof(part));
	note(ctx, 0, "MIME structure unreadable: body kept as plain text");
	part.kind = PART_TEXT;
	if ((part.content_type = strdup("text/plain")) == NULL ||
	    (part.data = text_to_utf8(NULL, raw + body, len - body, &part.len,
	    NULL)) == NULL ||
	    (part.text = memdup_str(part.data, part.len)) == NULL) {
		part_free(&part);
		return -1;
	}
	text_clean_controls(part.text, strlen(part.text), 0);
	return append_part(ctx, &part);
}

/*
 * What libetpan parses: the top-level MIME fields, an empty line and the
 * body.  The other top-level fields are read by split_headers(), with
 * their own limits; libetpan would build lists of every address of a
 * 200 KB To: line for nothing.
 */
static char *
mime_input(const struct parse_ctx *ctx, const char *raw, size_t len,
    size_t body, size_t *outlen)
{
	char	*buf;
	size_t	 n = 0, total = len - body + 2, flen;
	int	 i;

	for (i = 0; i < ctx->nmimefields; i++)
		total += ctx->mimefield[i][1] - ctx->mimefield[i][0] + 2;
	if ((buf = malloc(total + 1)) == NULL)
		return NULL;
	for (i = 0; i < ctx->nmimefields; i++) {
		flen = ctx->mimefield[i][1] - ctx->mimefield[i][0];
		memcpy(buf + n, raw + ctx->mimefield[i][0], flen);
		n += flen;
		if (flen == 0 || buf[n - 1] != '\n') {
			memcpy(buf + n, "\r\n", 2);
			n += 2;
		}
	}
	memcpy(buf + n, "\r\n", 2);
	n += 2;
	memcpy(buf + n, raw + body, len - body);
	n += len - body;
	buf[n] = '\0';
	*outlen = n;
	return buf;
}

/* message_parse() and message_parse_cut(): `cut` says raw is only the
   start of the mail. */
static int
parse(const char *raw, size_t len, int cut, const struct message_limits *lim,
    struct message **msgp, char **errstr)
{
	struct message_limits	 deflim;
	struct parse_ctx	 ctx;
	struct guard		 guard;
	struct message		*msg;
	struct mailmime		*root = NULL;
	char			*buf;
	size_t			 body = 0, idx = 0, buflen;
	int			 r, i;

	*msgp = NULL;
	if (lim == NULL) {
		message_limits_default(&deflim);
		lim = &deflim;
	}
	if (raw == NULL)
		raw = "";
	if (len > lim->max_message) {
		len = lim->max_message;
		cut = 1;
	}
	if ((msg = calloc(1, sizeof(*msg))) == NULL)
		goto oom;
	msg->date_utc = (time_t)-1;
	msg->cut = cut;
	memset(&ctx, 0, sizeof(ctx));
	ctx.lim = lim;
	ctx.msg = msg;
	ctx.cut_at = len;
	if (cut) {
		/*
		 * A delimiter line at the very end of its input, whole or
		 * not, makes libetpan drop every part of the multipart:
		 * the last line goes if it may be one.
		 */
		const char *nl = len > 1 ? memrchr(raw, '\n', len - 1) : NULL;
		size_t last = nl != NULL ? (size_t)(nl - raw) + 1 : 0;

		if (len - last >= 2 && raw[last] == '-' && raw[last + 1] == '-')
			len = last;
	}
	if (split_headers(&ctx, raw, len, &body) == -1 ||
	    message_derive_fields(msg) == -1)
		goto oom;

	if ((buf = mime_input(&ctx, raw, len, body, &buflen)) == NULL)
		goto oom;
	if (cut)
		ctx.cut_end[ctx.ncut_end++] = buf + buflen;
	r = guard_mime(&guard, buf, buflen, lim);
	if (r == 0 && guard.limited)
		note(&ctx, 1, "%s", guard.why);
	if (r == -1 || ctx.oom) {
		free(buf);
		goto oom;
	}
	if (mailmime_parse(buf, guard.cut, &idx, &root) != MAILIMF_NO_ERROR ||
	    root == NULL)
		r = body_as_text(&ctx, raw, len, body);
	else {
		r = walk(&ctx, root);
		for (i = 0; i < ctx.nextra; i++) {
			mailmime_free(ctx.extra_tree[i]);
			free(ctx.extra_buf[i]);
		}
		mailmime_free(root);
		free(ctx.stack);
	}
	free(buf);
	if (cut)
		note(&ctx, 1, "mail cut at %zu bytes (the size limit): the rest "
		    "is not read", ctx.cut_at);
	if (r == -1 || ctx.oom)
		goto oom;
	*msgp = msg;
	return 0;
oom:
	message_free(msg);
	errstr_set(errstr, "out of memory while parsing a message");
	return -1;
}

int
message_parse(const char *raw, size_t len, const struct message_limits *lim,
    struct message **msgp, char **errstr)
{
	return parse(raw, len, 0, lim, msgp, errstr);
}

int
message_parse_cut(const char *raw, size_t len,
    const struct message_limits *lim, struct message **msgp, char **errstr)
{
	return parse(raw, len, 1, lim, msgp, errstr);
}

void
message_free(struct message *msg)
{
	size_t	i;

	if (msg == NULL)
		return;
	for (i = 0; i < msg->nheaders; i++) {
		free(msg->headers[i].name);
		free(msg->headers[i].value);
	}
	free(msg->headers);
	for (i = 0; i < msg->nparts; i++)
		part_free(&msg->parts[i]);
	free(msg->parts);
	free(msg->from);
	free(msg->from_addr);
	free(msg->subject);
	free(msg->message_id);
	free(msg->date);
	free(msg->warning);
	free(msg);
}
