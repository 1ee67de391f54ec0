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
 *   empty cell adds no TAB; the <p> or <div> that holds a cell's text
 *   (Word's tables) does not break the row.
 * - A <p> without vertical margins is one line, not a paragraph: Word and
 *   Outlook write every line of a letter as <p class=MsoNormal> under
 *   "p.MsoNormal {margin:0cm}", Outlook on the web "P {margin-top:0;
 *   margin-bottom:0}", and space their paragraphs with an empty <p>
 *   (&nbsp; or <br>) that shows as a blank line.  What the page shows is
 *   what the parsers downstream read: an address block is lines, not
 *   paragraphs.  The margins come from the document's <style> sheets
 *   (rules on "p", "p.class" and ".class"; later rules win, a class over
 *   "p") and the <p>'s own style attribute.
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
#include <strings.h>

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
	ROLE_PLINE,		/* <p> without margins: a line, an empty one
				   a blank line */
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

/* ------------------------------------------------ margins of <p> */

#define MAX_P_RULES	32	/* rules on <p> margins kept from the sheets */
#define MAX_CLASS	64	/* longest class name kept */
#define MAX_CLASSES	8	/* class names of one <p> looked at */

/* Vertical margins a declaration block sets: -1 not set, 0 some space,
   1 none (or less than a point, as Word's "margin-bottom:.0001pt"). */
struct margins {
	int	 top, bottom;
};

/* One rule of the sheets that sets a margin of <p>: on every <p> (cls ""),
   or on a class. */
struct p_rule {
	char		 cls[MAX_CLASS];
	struct margins	 m;
};

struct sheet {
	struct p_rule	 v[MAX_P_RULES];
	size_t		 n;
};

static int
css_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/*
 * One CSS length, s[0..n): 1 if it is no space (less than a point), 0 if
 * it is some (or not a length: "auto", a percentage of something).
 */
static int
css_zero(const char *s, size_t n)
{
	static const struct {
		const char	*unit;
		double		 pt;
	} units[] = {
		{ "pt", 1 }, { "px", 0.75 }, { "cm", 28.35 }, { "mm", 2.835 },
		{ "in", 72 }, { "pc", 12 }, { "em", 12 }, { "rem", 12 },
		{ "ex", 6 }, { "", 1 },
	};
	double v = 0, scale = 1;
	size_t i = 0, k, u;
	int digits = 0, frac = 0;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'); i++) {
		if (s[i] == '.') {
			if (frac)
				return 0;
			frac = 1;
			continue;
		}
		digits++;
		if (frac) {
			scale /= 10;
			v += (s[i] - '0') * scale;
		} else if (v < 1e6)
			v = v * 10 + (s[i] - '0');
	}
	if (digits == 0)
		return 0;
	if (v == 0)
		return 1;
	for (u = i; u < n && ((s[u] | 0x20) >= 'a' && (s[u] | 0x20) <= 'z');
	    u++)
		;
	for (k = 0; k < sizeof(units) / sizeof(units[0]); k++)
		if (strlen(units[k].unit) == u - i &&
		    strncasecmp(s + i, units[k].unit, u - i) == 0)
			return v * units[k].pt < 1;
	return 0;
}

/* The margins set by the declarations s[0..n) ("margin:0cm; font-size:
   11pt"), over *m: a later declaration wins. */
static void
css_margins(const char *s, size_t n, struct margins *m)
{
	size_t i = 0, pa, pb, va, vb, t[4][2], nt, k;

	while (i < n) {
		while (i < n && (css_space(s[i]) || s[i] == ';'))
			i++;
		pa = i;
		while (i < n && s[i] != ':' && s[i] != ';')
			i++;
		pb = i;
		while (pb > pa && css_space(s[pb - 1]))
			pb--;
		if (i >= n || s[i] != ':')
			continue;
		va = ++i;
		while (i < n && s[i] != ';')
			i++;
		vb = i;
		/* the values, "!important" left out */
		for (nt = 0, k = va; k < vb && nt < 4;) {
			while (k < vb && css_space(s[k]))
				k++;
			if (k >= vb || s[k] == '!')
				break;
			t[nt][0] = k;
			while (k < vb && !css_space(s[k]) && s[k] != '!')
				k++;
			t[nt++][1] = k;
		}
		if (nt == 0)
			continue;
		if (pb - pa == 6 && strncasecmp(s + pa, "margin", 6) == 0) {
			/* 1 or 2 values: top = bottom; 3 or 4: top, _, bottom */
			m->top = css_zero(s + t[0][0], t[0][1] - t[0][0]);
			k = nt >= 3 ? 2 : 0;
			m->bottom = css_zero(s + t[k][0], t[k][1] - t[k][0]);
		} else if (pb - pa == 10 &&
		    strncasecmp(s + pa, "margin-top", 10) == 0)
			m->top = css_zero(s + t[0][0], t[0][1] - t[0][0]);
		else if (pb - pa == 13 &&
		    strncasecmp(s + pa, "margin-bottom", 13) == 0)
			m->bottom = css_zero(s + t[0][0], t[0][1] - t[0][0]);
	}
}

/* Keep the rule "selectors { declarations }" if it sets a margin of <p>:
   one entry per selector "p", "p.class" or ".class" (a descendant,
   attribute or pseudo-class selector is not followed). */
static void
sheet_rule(struct sheet *sh, const char *sel, size_t nsel, const char *decl,
    size_t ndecl)
{
	struct margins m = { -1, -1 };
	size_t i = 0, a, b, c;

	css_margins(decl, ndecl, &m);
	if (m.top == -1 && m.bottom == -1)
		return;
	while (i < nsel && sh->n < MAX_P_RULES) {
		while (i < nsel && (css_space(sel[i]) || sel[i] == ','))
			i++;
		a = i;
		while (i < nsel && sel[i] != ',')
			i++;
		b = i;
		while (b > a && css_space(sel[b - 1]))
			b--;
		if (b > a && (sel[a] == 'p' || sel[a] == 'P'))
			a++;
		else if (b > a && sel[a] != '.')
			continue;
		if (a == b)
			c = 0;		/* "p" */
		else if (sel[a] == '.') {
			for (c = a + 1; c < b && (sel[c] == '-' ||
			    sel[c] == '_' || (sel[c] >= '0' && sel[c] <= '9') ||
			    ((sel[c] | 0x20) >= 'a' && (sel[c] | 0x20) <= 'z'));
			    c++)
				;
			if (c != b || b - a - 1 == 0 || b - a - 1 >= MAX_CLASS)
				continue;
			c = b - a - 1;
			a++;
		} else
			continue;	/* "pre", "p > span", "p:first-child" */
		memcpy(sh->v[sh->n].cls, sel + a, c);
		sh->v[sh->n].cls[c] = '\0';
		sh->v[sh->n].m = m;
		sh->n++;
	}
}

/* Index past the comment or markup token at s[i] ("/ * ... * /", "<!--",
   "-->"), or i. */
static size_t
css_skip(const char *s, size_t n, size_t i)
{
	if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
		for (i += 2; i + 1 < n && !(s[i] == '*' && s[i + 1] == '/');
		    i++)
			;
		return i + 1 < n ? i + 2 : n;
	}
	if (i + 3 < n && memcmp(s + i, "<!--", 4) == 0)
		return i + 4;
	if (i + 2 < n && memcmp(s + i, "-->", 3) == 0)
		return i + 3;
	return i;
}

/* Index of the first c of s[i..n) outside comments, or n. */
static size_t
css_find(const char *s, size_t n, size_t i, const char *set)
{
	size_t k;

	while (i < n) {
		if ((k = css_skip(s, n, i)) != i) {
			i = k;
			continue;
		}
		if (strchr(set, s[i]) != NULL)
			return i;
		i++;
	}
	return n;
}

/* The rules of one style sheet.  Blocks of at-rules are skipped, except
   the conditional ones (@media, @supports) whose rules are read. */
static void
sheet_add(struct sheet *sh, const char *s)
{
	size_t n = strlen(s), i = 0, k, open, close;
	int depth;

	while (i < n) {
		if ((k = css_skip(s, n, i)) != i) {
			i = k;
			continue;
		}
		if (css_space(s[i]) || s[i] == '}' || s[i] == ';') {
			i++;
			continue;
		}
		if (s[i] == '@') {
			open = css_find(s, n, i, "{;");
			if (open >= n || s[open] == ';') {
				i = open + 1;
				continue;
			}
			if (strncasecmp(s + i, "@media", 6) == 0 ||
			    strncasecmp(s + i, "@supports", 9) == 0) {
				i = open + 1;
				continue;
			}
			for (depth = 0, k = open; k < n; k++) {
				if (s[k] == '{')
					depth++;
				else if (s[k] == '}' && --depth == 0)
					break;
			}
			i = k + 1;
			continue;
		}
		open = css_find(s, n, i, "{}");
		if (open >= n || s[open] == '}') {
			i = open + 1;
			continue;
		}
		close = css_find(s, n, open + 1, "}");
		sheet_rule(sh, s + i, open - i, s + open + 1, close - open - 1);
		i = close + 1;
	}
}

/* The content of every <style> element of the tree, in document order. */
static void
sheet_read(struct sheet *sh, xmlNode *root)
{
	xmlNode *n = root, *c;

	while (n != NULL) {
		if (n->type == XML_ELEMENT_NODE && n->name != NULL &&
		    strcasecmp((const char *)n->name, "style") == 0) {
			for (c = n->children; c != NULL; c = c->next)
				if (c->content != NULL)
					sheet_add(sh, (const char *)c->content);
		} else if (n->type == XML_ELEMENT_NODE && n->children != NULL) {
			n = n->children;
			continue;
		}
		while (n != NULL && n != root && n->next == NULL)
			n = n->parent;
		if (n == NULL || n == root)
			break;
		n = n->next;
	}
}

/* The text of attribute `name` of element n, or NULL. */
static const char *
attr_text(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	for (a = n->properties; a != NULL; a = a->next)
		if (a->name != NULL &&
		    strcasecmp((const char *)a->name, name) == 0)
			return a->children != NULL && a->children->content !=
			    NULL ? (const char *)a->children->content : NULL;
	return NULL;
}

/* Whether the class list `classes` ("MsoNormal x") holds `cls`. */
static int
has_class(const char *classes, const char *cls)
{
	size_t n = strlen(cls), k;
	const char *p = classes;
	int i;

	for (i = 0; *p != '\0' && i < MAX_CLASSES; i++) {
		while (css_space(*p))
			p++;
		for (k = 0; p[k] != '\0' && !css_space(p[k]); k++)
			;
		if (k == n && k > 0 && strncasecmp(p, cls, n) == 0)
			return 1;
		p += k;
	}
	return 0;
}

static void
margins_over(struct margins *m, const struct margins *by)
{
	if (by->top != -1)
		m->top = by->top;
	if (by->bottom != -1)
		m->bottom = by->bottom;
}

/* A <p> with neither top nor bottom margin: the rules on "p", then those
   on its classes (more specific), then its style attribute. */
static int
p_without_margins(const struct sheet *sh, const xmlNode *n)
{
	struct margins m = { 0, 0 }, own = { -1, -1 };
	const char *classes = attr_text(n, "class"), *style;
	size_t i;

	for (i = 0; i < sh->n; i++)
		if (sh->v[i].cls[0] == '\0')
			margins_over(&m, &sh->v[i].m);
	for (i = 0; classes != NULL && i < sh->n; i++)
		if (sh->v[i].cls[0] != '\0' && has_class(classes, sh->v[i].cls))
			margins_over(&m, &sh->v[i].m);
	if ((style = attr_text(n, "style")) != NULL) {
		css_margins(style, strlen(style), &own);
		margins_over(&m, &own);
	}
	return m.top == 1 && m.bottom == 1;
}

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
	size_t	 pline_len;	/* len when the last ROLE_PLINE began */
	int	 cell_fresh;	/* in a cell, before its first text */
};

/*
 * A "p" inside a "p" is Word's <o:p> (libxml2 drops the prefix): an
 * empty or &nbsp; marker within the line, not a paragraph of its own (an
 * HTML <p> closes the open one).  A few ancestors are enough: it sits
 * right under the <p>, at most in a <span> or <b>.
 */
static int
inside_p(const xmlNode *n)
{
	int k;

	for (k = 0, n = n->parent; n != NULL && k < 4; k++, n = n->parent)
		if (n->type == XML_ELEMENT_NODE && n->name != NULL &&
		    strcmp((const char *)n->name, "p") == 0)
			return 1;
	return 0;
}

static enum html_role
element_role(const struct sheet *sh, const xmlNode *n)
{
	const char *name = (const char *)n->name;
	size_t i;

	if (name == NULL)
		return ROLE_INLINE;
	for (i = 0; i < sizeof(html_roles) / sizeof(html_roles[0]); i++)
		if (strcmp(name, html_roles[i].name) == 0) {
			if (strcmp(name, "p") != 0)
				return html_roles[i].role;
			if (inside_p(n))
				return ROLE_INLINE;
			return p_without_margins(sh, n) ? ROLE_PLINE :
			    ROLE_PARA;
		}
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
	o->newlines = o->tab = o->space = o->cell_fresh = 0;
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

static int
named(const xmlNode *n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && n->name != NULL &&
	    strcmp((const char *)n->name, name) == 0;
}

/* The <p> or <div> that holds a cell's text (Word: <td><p>08h15</p>). */
static int
text_block(const xmlNode *n)
{
	return named(n, "p") || named(n, "div");
}

/* n is the last thing in its <td>/<th>: what follows it in the cell is
   at most white space or comments (a few looked at). */
static int
last_in_cell(const xmlNode *n)
{
	const xmlNode *m;
	int k;

	if (!named(n->parent, "td") && !named(n->parent, "th"))
		return 0;
	for (k = 0, m = n->next; m != NULL; m = m->next, k++) {
		if (k == 16 || m->type == XML_ELEMENT_NODE)
			return 0;
		if ((m->type == XML_TEXT_NODE ||
		    m->type == XML_CDATA_SECTION_NODE) && m->content != NULL) {
			const unsigned char *c = m->content;

			while (*c != '\0' && space_len(c, 0) > 0)
				c += space_len(c, 0);
			if (*c != '\0')
				return 0;
		}
	}
	return 1;
}

/*
 * The <p> or <div> around a cell's text (Word writes <td><p>08h15</p>
 * </td>) does not break the row: the cell stays a TAB-separated column.
 * A block further down the cell ("Centre X<br>41 rue Y", a second <p>)
 * breaks lines within it, and a table or a list in a cell still stands
 * apart.
 */
static void
enter_element(struct text_out *o, enum html_role role, const xmlNode *n)
{
	int open = o->cell_fresh && text_block(n);

	switch (role) {
	case ROLE_LINE:
		if (!open)
			want_newlines(o, 1);
		break;
	case ROLE_PLINE:
		if (!open)
			want_newlines(o, 1);
		o->pline_len = o->len;
		break;
	case ROLE_PARA:
	case ROLE_PRE:
		if (!open)
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
		o->cell_fresh = 1;
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
leave_element(struct text_out *o, enum html_role role, const xmlNode *n)
{
	/* the text block of a cell, empty or the cell's last: the next
	   cell follows on the same line */
	if (text_block(n) && (o->cell_fresh || last_in_cell(n)))
		return;
	switch (role) {
	case ROLE_ITEM:
		o->bullet = 0;	/* an empty item */
		want_newlines(o, 1);
		break;
	case ROLE_LINE:
		want_newlines(o, 1);
		break;
	case ROLE_PLINE:
		/* "<p>&nbsp;</p>", "<p><br></p>": the blank line the
		   letter shows (<p> do not nest, so the mark is this one's) */
		want_newlines(o, o->len == o->pline_len ? 2 : 1);
		break;
	case ROLE_PARA:
	case ROLE_PRE:
		want_newlines(o, 2);
		break;
	case ROLE_CELL:
		o->space = 1;	/* "a</td>b" outside a row still splits */
		o->cell_fresh = 0;
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
	struct sheet sh;
	htmlDocPtr doc;
	xmlNode *n, *root;
	int pre = 0;

	memset(&o, 0, sizeof(o));
	memset(&sh, 0, sizeof(sh));
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
	sheet_read(&sh, root);

	/* Pre-order walk; `n` climbs back through parent pointers. */
	n = root;
	while (n != NULL) {
		enum html_role role = ROLE_INLINE;
		int descend = 0;

		if (n->type == XML_ELEMENT_NODE) {
			role = element_role(&sh, n);
			if (role != ROLE_DROP) {
				enter_element(&o, role, n);
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
			leave_element(&o, role, n);
			if (role == ROLE_PRE)
				pre--;
		}
		/* Next sibling, or climb, closing each element left. */
		while (n != NULL && n != root && n->next == NULL) {
			n = n->parent;
			if (n != NULL && n->type == XML_ELEMENT_NODE) {
				role = element_role(&sh, n);
				leave_element(&o, role, n);
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
