/*
 * html: HTML (UTF-8) -> plain UTF-8 text through libxml2's HTML parser.
 *
 * The parser builds a tree (recovering from any tag soup); we walk it
 * without recursion, following parent/children/next pointers, so a
 * 100000-deep nest of <div> costs no stack.  Text is written through a
 * small "pending separator" state: a block boundary asks for a line break,
 * a table cell for a TAB, white space for a space, and nothing is written
 * until the next visible character.  That gives, for free: no leading or
 * trailing blanks on a line, one space between words, at most one blank
 * line in a row, none at the start or end.  Every line, the last one
 * included, ends with '\n' (as the PDF text does).
 *
 * Decisions:
 * - NBSP (U+00A0), NNBSP (U+202F) and FIGURE SPACE (U+2007) become plain
 *   spaces and collapse with their neighbours: French mail writes
 *   "37000&nbsp;Tours" and "obligatoire&nbsp;:", and the parsers downstream
 *   want one kind of space.
 * - <p>, headings, lists, tables, <pre>, <blockquote>, <hr> stand apart by a
 *   blank line; <div>, <li>, <tr>, <dt>/<dd> and the like by a line break;
 *   every <br> is one line break.  Cells of a row are TAB-separated; an
 *   empty cell adds no TAB.
 * - <script>, <style>, <head> (with <title>), <template> are dropped, as are
 *   comments.  Text inside <pre> keeps its line breaks.
 * - The input is UTF-8 (the MIME layer converted it): the parser is told
 *   so, and a <meta charset> inside cannot switch it to another encoding.
 *   Bytes that are not UTF-8 after all come out as U+FFFD.
 *
 * libxml2's global state: xmlInitParser() is called on every use (it is
 * cheap after the first and thread-safe); xmlCleanupParser() is never
 * called, since other code in the process may still use libxml2.  Parser
 * errors are silenced through the parser options (no error or warning
 * callback on the context), so nothing reaches stderr.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "lib/utf8.h"
#include "parsers/html.h"

/* What an element does to the text around it. */
enum html_role {
	ROLE_INLINE = 0,
	ROLE_LINE,		/* line break before and after */
	ROLE_PARA,		/* blank line before and after */
	ROLE_BREAK,		/* <br>: one line break */
	ROLE_CELL,		/* <td>, <th>: TAB before, unless first */
	ROLE_ITEM,		/* <li>: a line that starts with "- " */
	ROLE_PRE,		/* <pre>: ROLE_PARA, white space kept */
	ROLE_DROP		/* element and its content are not text */
};

static const struct {
	const char	*name;
	enum html_role	 role;
} html_roles[] = {
	{ "address", ROLE_LINE }, { "article", ROLE_LINE },
	{ "aside", ROLE_LINE }, { "blockquote", ROLE_PARA },
	{ "body", ROLE_LINE }, { "br", ROLE_BREAK }, { "caption", ROLE_LINE },
	{ "center", ROLE_LINE }, { "dd", ROLE_LINE }, { "details", ROLE_LINE },
	{ "dialog", ROLE_LINE }, { "div", ROLE_LINE }, { "dl", ROLE_PARA },
	{ "dt", ROLE_LINE }, { "fieldset", ROLE_LINE },
	{ "figcaption", ROLE_LINE }, { "figure", ROLE_LINE },
	{ "footer", ROLE_LINE }, { "form", ROLE_LINE }, { "h1", ROLE_PARA },
	{ "h2", ROLE_PARA }, { "h3", ROLE_PARA }, { "h4", ROLE_PARA },
	{ "h5", ROLE_PARA }, { "h6", ROLE_PARA }, { "head", ROLE_DROP },
	{ "header", ROLE_LINE }, { "hr", ROLE_PARA }, { "html", ROLE_LINE },
	{ "iframe", ROLE_DROP }, { "legend", ROLE_LINE }, { "li", ROLE_ITEM },
	{ "main", ROLE_LINE }, { "nav", ROLE_LINE }, { "noframes", ROLE_LINE },
	{ "object", ROLE_DROP }, { "ol", ROLE_PARA }, { "option", ROLE_LINE },
	{ "p", ROLE_PARA }, { "pre", ROLE_PRE }, { "script", ROLE_DROP },
	{ "section", ROLE_LINE }, { "select", ROLE_LINE },
	{ "style", ROLE_DROP }, { "summary", ROLE_LINE },
	{ "table", ROLE_PARA }, { "tbody", ROLE_LINE }, { "td", ROLE_CELL },
	{ "template", ROLE_DROP }, { "textarea", ROLE_LINE },
	{ "tfoot", ROLE_LINE }, { "th", ROLE_CELL }, { "thead", ROLE_LINE },
	{ "title", ROLE_DROP }, { "tr", ROLE_LINE }, { "ul", ROLE_PARA },
};

/* The text being built: a growing buffer and the separator owed. */
struct text_out {
	char	*buf;
	size_t	 len, cap;
	int	 nomem;
	int	 newlines;	/* line breaks owed (0-2) */
	int	 tab;		/* a TAB owed (cell boundary) */
	int	 space;		/* a space owed */
	int	 bullet;	/* a list item's "- " owed */
	size_t	 line_start;	/* offset of the current line */
};

static enum html_role
element_role(const xmlNode *n)
{
	const char *name = (const char *)n->name;
	size_t i;

	if (name == NULL)
		return ROLE_INLINE;
	for (i = 0; i < sizeof(html_roles) / sizeof(html_roles[0]); i++)
		if (strcmp(name, html_roles[i].name) == 0)
			return html_roles[i].role;
	return ROLE_INLINE;
}

static void
out_bytes(struct text_out *o, const char *s, size_t n)
{
	if (o->nomem)
		return;
	if (o->cap - o->len <= n) {
		size_t ncap = o->cap ? o->cap : 256;
		char *nbuf;

		while (ncap - o->len <= n) {
			if (ncap > SIZE_MAX / 2) {
				o->nomem = 1;
				return;
			}
			ncap *= 2;
		}
		if ((nbuf = realloc(o->buf, ncap)) == NULL) {
			o->nomem = 1;
			return;
		}
		o->buf = nbuf;
		o->cap = ncap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* Ask for `n` line breaks at least before the next text. */
static void
want_newlines(struct text_out *o, int n)
{
	if (o->newlines < n)
		o->newlines = n;
}

/* Write the separator owed, then the visible character(s) s[0..n). */
static void
out_visible(struct text_out *o, const char *s, size_t n)
{
	if (o->newlines > 0) {
		if (o->len > 0) {
			out_bytes(o, "\n\n", (size_t)o->newlines);
			o->line_start = o->len;
		}
	} else if (o->len > o->line_start) {
		if (o->tab)
			out_bytes(o, "\t", 1);
		else if (o->space)
			out_bytes(o, " ", 1);
	}
	o->newlines = o->tab = o->space = 0;
	/* a list item keeps its mark, as a plain text mail writes it: the
	   lists of times and of things to bring are read from it */
	if (o->bullet) {
		out_bytes(o, "- ", 2);
		o->bullet = 0;
	}
	out_bytes(o, s, n);
}

/* Bytes of the white space character at p (0 if none): ASCII blanks and
   the no-break spaces U+00A0, U+2007, U+202F. */
static size_t
space_len(const unsigned char *p, int pre)
{
	switch (p[0]) {
	case ' ': case '\t': case '\r': case '\f':
		return 1;
	case '\n':
		return pre ? 0 : 1;
	case 0xC2:
		return p[1] == 0xA0 ? 2 : 0;
	case 0xE2:
		return p[1] == 0x80 && (p[2] == 0x87 || p[2] == 0xAF) ? 3 : 0;
	}
	return 0;
}

/*
 * Text node content: each run of white space becomes one owed space;
 * inside <pre> a line break stays a line break.
 */
static void
out_text(struct text_out *o, const char *s, int pre)
{
	const unsigned char *p = (const unsigned char *)s, *run;
	uint32_t cp;
	size_t n;

	while (*p != '\0') {
		if (*p == '\n' && pre) {
			/* Not want_newlines(): two in a row are a blank line. */
			if (o->newlines < 2)
				o->newlines++;
			p++;
		} else if ((n = space_len(p, pre)) > 0) {
			o->space = 1;
			p += n;
		} else {
			/* A run of visible characters, written at once. */
			for (run = p; *p != '\0' && space_len(p, 0) == 0;
			    p += n) {
				/* The NUL ends any sequence: at most 4 bytes
				   are looked at, never past it. */
				if (utf8_decode((const char *)p, 4, &cp,
				    &n) == -1) {
					/* libxml2 passes stray bytes through
					   when told the input is UTF-8: one
					   U+FFFD per byte. */
					if (p > run)
						out_visible(o, (const char *)run,
						    (size_t)(p - run));
					out_visible(o, UTF8_REPLACEMENT, 3);
					run = p + 1;
					n = 1;
				}
			}
			if (p > run)
				out_visible(o, (const char *)run,
				    (size_t)(p - run));
		}
	}
}

static void
enter_element(struct text_out *o, enum html_role role)
{
	switch (role) {
	case ROLE_LINE:
		want_newlines(o, 1);
		break;
	case ROLE_PARA:
	case ROLE_PRE:
		want_newlines(o, 2);
		break;
	case ROLE_BREAK:
		/* Counted, not "at least": <br><br> is a blank line, while
		   a block ending right after a <br> adds nothing to it. */
		if (o->newlines < 2)
			o->newlines++;
		break;
	case ROLE_CELL:
		o->tab = 1;
		break;
	case ROLE_ITEM:
		want_newlines(o, 1);
		o->bullet = 1;
		break;
	case ROLE_INLINE:
	case ROLE_DROP:
		break;
	}
}

static void
leave_element(struct text_out *o, enum html_role role)
{
	switch (role) {
	case ROLE_ITEM:
		o->bullet = 0;	/* an empty item */
		want_newlines(o, 1);
		break;
	case ROLE_LINE:
		want_newlines(o, 1);
		break;
	case ROLE_PARA:
	case ROLE_PRE:
		want_newlines(o, 2);
		break;
	case ROLE_CELL:
		o->space = 1;	/* "a</td>b" outside a row still splits */
		break;
	case ROLE_BREAK:
	case ROLE_INLINE:
	case ROLE_DROP:
		break;
	}
}

char *
html_to_text(const char *html, size_t len)
{
	struct text_out o;
	htmlDocPtr doc;
	xmlNode *n, *root;
	int pre = 0;

	memset(&o, 0, sizeof(o));
	if (html == NULL || len == 0)
		return strdup("");
	if (len > INT_MAX)
		len = INT_MAX;	/* libxml2 takes an int; mail is capped far
				   below that anyway */
	xmlInitParser();
	/*
	 * RECOVER: tag soup is the norm in mail.  NOERROR, NOWARNING: no
	 * output on stderr.  NONET: never fetch a DTD.  Not NOBLANKS: the
	 * space in "<b>8h30</b> <i>Tours</i>" is a blank node.  Not
	 * NOIMPLIED: implied <html>/<body> are harmless.  IGNORE_ENC: a
	 * <meta charset> cannot override "UTF-8".  HUGE: without it libxml2
	 * stops at 256 levels of nesting and drops the rest of the mail;
	 * its tree building and freeing are iterative (2.9.14: a million
	 * levels parse in a 512 KB stack), and the size of the input is
	 * capped by the MIME layer.
	 */
	doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
	    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC |
	    XML_PARSE_HUGE);
	if (doc == NULL)
		return strdup("");
	root = xmlDocGetRootElement(doc);

	/* Pre-order walk; `n` climbs back through parent pointers. */
	n = root;
	while (n != NULL) {
		enum html_role role = ROLE_INLINE;
		int descend = 0;

		if (n->type == XML_ELEMENT_NODE) {
			role = element_role(n);
			if (role != ROLE_DROP) {
				enter_element(&o, role);
				if (role == ROLE_PRE)
					pre++;
				descend = n->children != NULL;
			}
		} else if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) {
			if (n->content != NULL)
				out_text(&o, (const char *)n->content, pre > 0);
		}
		if (descend) {
			n = n->children;
			continue;
		}
		if (n->type == XML_ELEMENT_NODE && role != ROLE_DROP) {
			leave_element(&o, role);
			if (role == ROLE_PRE)
				pre--;
		}
		/* Next sibling, or climb, closing each element left. */
		while (n != NULL && n != root && n->next == NULL) {
			n = n->parent;
			if (n != NULL && n->type == XML_ELEMENT_NODE) {
				role = element_role(n);
				leave_element(&o, role);
				if (role == ROLE_PRE)
					pre--;
			}
		}
		if (n == NULL || n == root)
			break;
		n = n->next;
	}
	xmlFreeDoc(doc);

	if (o.nomem) {
		free(o.buf);
		return NULL;
	}
	if (o.len > 0)
		out_bytes(&o, "\n", 1);	/* every line ends with one */
	out_bytes(&o, "", 1);		/* the NUL; "" when there is no text */
	if (o.nomem) {
		free(o.buf);
		return NULL;
	}
	return o.buf;
}
