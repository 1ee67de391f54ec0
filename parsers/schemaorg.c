/*
 * schemaorg: schema.org Event / EventReservation in one HTML part (see
 * structured.h), as JSON-LD (<script type="application/ld+json">, read
 * with json-c) or microdata (itemscope / itemtype / itemprop, read from
 * libxml2's tree, as parsers/html.c parses it).
 *
 * An event is an item whose type ends in "Event" ("Event",
 * "EducationEvent", ...), or the reservationFor of one whose type ends in
 * "Reservation"; its name, startDate, endDate, eventStatus (or the
 * reservation's reservationStatus), location (a Place with name, address
 * as PostalAddress or text, telephone; or text) and organizer (or the
 * reservation's provider) are read.
 *
 * Bounds: the HTML is looked at only when it holds "ld+json" or
 * "itemscope", up to STRUCT_MAX_HTML bytes; a script up to
 * STRUCT_MAX_JSON bytes and JSON nesting MAX_JSON_DEPTH; MAX_ITEMS items
 * per script, MAX_SCRIPTS scripts, MAX_ITEMS microdata events; the tree
 * walks visit at most MAX_NODES nodes (MAX_PROP_NODES
 * for one property) and climb at most MAX_CLIMB levels.  No recursion.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "lib/buf.h"
#include "parsers/structured.h"

#define MAX_JSON_DEPTH	16
#define MAX_ITEMS	16
#define MAX_SCRIPTS	8
#define MAX_NODES	200000
#define MAX_PROP_NODES	4096
#define MAX_CLIMB	64
#define MAX_VALUE	1024

/* The type name ends with `suffix` ("http://schema.org/EventReservation",
   "EventReservation" for "Reservation"). */
static int
type_ends(const char *t, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && strncmp(t + n - k, suffix, k) == 0;
}

/* ------------------------------------------------------------ JSON-LD */

static json_object *
jget(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	/* a list where one value is expected: its first */
	if (v != NULL && json_object_is_type(v, json_type_array))
		v = json_object_array_length(v) > 0 ?
		    json_object_array_get_idx(v, 0) : NULL;
	return v;
}

/* A string (or number: "postalCode": 24000) member, or NULL. */
static const char *
jstr(json_object *o, const char *key)
{
	json_object *v = jget(o, key);

	if (v == NULL || !(json_object_is_type(v, json_type_string) ||
	    json_object_is_type(v, json_type_int)))
		return NULL;
	return json_object_get_string(v);
}

/* "@type" (a string or a list of them) ends with suffix. */
static int
jtype(json_object *o, const char *suffix)
{
	json_object *t = NULL, *e;
	size_t i, n;

	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "@type", &t) || t == NULL)
		return 0;
	if (json_object_is_type(t, json_type_string))
		return type_ends(json_object_get_string(t),
		    (size_t)json_object_get_string_len(t), suffix);
	if (!json_object_is_type(t, json_type_array))
		return 0;
	n = json_object_array_length(t);
	for (i = 0; i < n && i < 8; i++)
		if ((e = json_object_array_get_idx(t, i)) != NULL &&
		    json_object_is_type(e, json_type_string) &&
		    type_ends(json_object_get_string(e),
		    (size_t)json_object_get_string_len(e), suffix))
			return 1;
	return 0;
}

/* An organizer or provider (object or text) that is OFII. */
static int
jofii(json_object *who)
{
	if (who == NULL)
		return 0;
	if (json_object_is_type(who, json_type_string))
		return structured_is_ofii(json_object_get_string(who));
	return (jstr(who, "name") != NULL &&
	    structured_is_ofii(jstr(who, "name"))) ||
	    (jstr(who, "url") != NULL && structured_is_ofii(jstr(who, "url"))) ||
	    (jstr(who, "email") != NULL &&
	    structured_is_ofii(jstr(who, "email")));
}

static int
json_event(json_object *ev, json_object *resa, const char *tz_fallback,
    struct structured *s)
{
	struct sraw r;
	json_object *loc, *addr;
	const char *st;

	memset(&r, 0, sizeof(r));
	if ((st = jstr(ev, "startDate")) == NULL ||
	    structured_iso_time(st, &r.start) == -1)
		return 0;
	if ((st = jstr(ev, "endDate")) != NULL)
		(void)structured_iso_time(st, &r.end);
	r.name = jstr(ev, "name");
	r.desc = jstr(ev, "description");
	if ((loc = jget(ev, "location")) != NULL) {
		if (json_object_is_type(loc, json_type_string))
			r.location = json_object_get_string(loc);
		else {
			r.loc_name = jstr(loc, "name");
			r.phone = jstr(loc, "telephone");
			if ((addr = jget(loc, "address")) != NULL &&
			    json_object_is_type(addr, json_type_string))
				r.location = json_object_get_string(addr);
			else if (addr != NULL) {
				r.street = jstr(addr, "streetAddress");
				r.postal_code = jstr(addr, "postalCode");
				r.locality = jstr(addr, "addressLocality");
			}
		}
	}
	st = jstr(ev, "eventStatus");
	r.cancelled = st != NULL && strstr(st, "Cancelled") != NULL;
	r.ofii = jofii(jget(ev, "organizer"));
	if (resa != NULL) {
		st = jstr(resa, "reservationStatus");
		r.cancelled |= st != NULL && strstr(st, "Cancelled") != NULL;
		r.ofii |= jofii(jget(resa, "provider"));
		r.uid = jstr(resa, "reservationNumber");
	}
	return structured_add(s, &r, tz_fallback);
}

static int
json_item(json_object *o, const char *tz_fallback, struct structured *s)
{
	json_object *ev;

	if (jtype(o, "Reservation") && (ev = jget(o, "reservationFor")) != NULL)
		return json_event(ev, o, tz_fallback, s);
	if (jtype(o, "Event"))
		return json_event(o, NULL, tz_fallback, s);
	return 0;
}

static int
jsonld_read(const char *text, size_t len, const char *tz_fallback,
    struct structured *s)
{
	struct json_tokener *tok;
	json_object *root, *list, *o;
	size_t i, n;
	int r = 0;

	if (len > STRUCT_MAX_JSON || len > INT_MAX ||
	    (tok = json_tokener_new_ex(MAX_JSON_DEPTH)) == NULL)
		return 0;
	root = json_tokener_parse_ex(tok, text, (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(root);
		root = NULL;
	}
	json_tokener_free(tok);
	if (root == NULL)
		return 0;	/* malformed: nothing said */
	list = root;
	if (json_object_is_type(root, json_type_object) &&
	    json_object_object_get_ex(root, "@graph", &o) && o != NULL &&
	    json_object_is_type(o, json_type_array))
		list = o;
	if (json_object_is_type(list, json_type_array)) {
		n = json_object_array_length(list);
		for (i = 0; i < n && i < MAX_ITEMS && r == 0; i++)
			r = json_item(json_object_array_get_idx(list, i),
			    tz_fallback, s);
	} else
		r = json_item(list, tz_fallback, s);
	json_object_put(root);
	return r;
}

/* ------------------------------------------------------------ the tree */

static const char *
attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	for (a = n->properties; a != NULL; a = a->next)
		if (a->name != NULL && strcasecmp((const char *)a->name,
		    name) == 0)
			return a->children != NULL &&
			    a->children->type == XML_TEXT_NODE &&
			    a->children->content != NULL ?
			    (const char *)a->children->content : "";
	return NULL;
}

/* Next node of a pre-order walk of the subtree of top, or NULL. */
static xmlNode *
next_node(xmlNode *n, const xmlNode *top, int descend)
{
	if (descend && n->children != NULL)
		return n->children;
	while (n != NULL && n != top && n->next == NULL)
		n = n->parent;
	return n == NULL || n == top ? NULL : n->next;
}

/* The space-separated list holds the word. */
static int
has_token(const char *list, const char *word)
{
	size_t n = strlen(word), k;

	while (list != NULL && *list != '\0') {
		while (*list == ' ' || *list == '\t' || *list == '\n' ||
		    *list == '\r')
			list++;
		for (k = 0; list[k] != '\0' && list[k] != ' ' &&
		    list[k] != '\t' && list[k] != '\n' && list[k] != '\r'; k++)
			;
		if (k == n && strncmp(list, word, n) == 0)
			return 1;
		list += k;
	}
	return 0;
}

/* One itemtype of the item ends with suffix. */
static int
itemtype_ends(const xmlNode *n, const char *suffix)
{
	const char *t = attr(n, "itemtype");
	size_t k;

	while (t != NULL && *t != '\0') {
		while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
			t++;
		for (k = 0; t[k] != '\0' && t[k] != ' ' && t[k] != '\t' &&
		    t[k] != '\n' && t[k] != '\r'; k++)
			;
		if (k > 0 && type_ends(t, k, suffix))
			return 1;
		t += k;
	}
	return 0;
}

static int
is_scope(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE && attr(n, "itemscope") != NULL;
}

/* The item a property element belongs to: its nearest item ancestor. */
static const xmlNode *
owner(const xmlNode *n)
{
	int k;

	for (n = n->parent, k = 0; n != NULL && k < MAX_CLIMB;
	    n = n->parent, k++)
		if (is_scope(n))
			return n;
	return NULL;
}

/* The first element of item `scope` with property `name`. */
static xmlNode *
prop(xmlNode *scope, const char *name)
{
	xmlNode *n;
	int seen = 0, nested;

	for (n = next_node(scope, scope, 1); n != NULL && seen < MAX_PROP_NODES;
	    seen++) {
		nested = 0;
		if (n->type == XML_ELEMENT_NODE) {
			if (has_token(attr(n, "itemprop"), name) &&
			    owner(n) == scope)
				return n;
			/* what is inside another item is that item's */
			nested = is_scope(n);
		}
		n = next_node(n, scope, !nested);
	}
	return NULL;
}

/* Text content, white space runs as one space, cut (at a character) after
   MAX_VALUE bytes.  NULL on out-of-memory. */
static char *
node_text(xmlNode *n)
{
	xmlChar *t = xmlNodeGetContent(n);
	struct buf b = { 0 };
	const char *p;
	int space = 0;

	for (p = (const char *)t; p != NULL && *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = b.len > 0;
			continue;
		}
		if (b.len >= MAX_VALUE && ((unsigned char)*p & 0xC0) != 0x80)
			break;
		if (space)
			buf_addc(&b, ' ');
		space = 0;
		buf_addc(&b, *p);
	}
	xmlFree(t);
	return buf_finish(&b, NULL);
}

/* A property's value (microdata's rules: content, datetime, href, ...). */
static char *
prop_value(xmlNode *scope, const char *name)
{
	xmlNode *n = prop(scope, name);
	const char *v = NULL, *tag;

	if (n == NULL)
		return NULL;
	tag = (const char *)n->name;
	if ((v = attr(n, "content")) == NULL) {
		if (strcasecmp(tag, "time") == 0)
			v = attr(n, "datetime");
		else if (strcasecmp(tag, "a") == 0 ||
		    strcasecmp(tag, "link") == 0 ||
		    strcasecmp(tag, "area") == 0)
			v = attr(n, "href");
		else if (strcasecmp(tag, "data") == 0 ||
		    strcasecmp(tag, "meter") == 0)
			v = attr(n, "value");
	}
	if (v != NULL)
		return strndup(v, MAX_VALUE);
	return node_text(n);
}

struct mdvals {
	char	*v[12];
	size_t	 n;
	int	 oom;
};

/* A value kept for the event's life; NULL stays NULL. */
static const char *
keep(struct mdvals *mv, char *s)
{
	if (s == NULL)
		return NULL;
	if (mv->n == sizeof(mv->v) / sizeof(mv->v[0])) {
		free(s);
		return NULL;
	}
	return mv->v[mv->n++] = s;
}

static int
micro_event(xmlNode *ev, xmlNode *resa, const char *tz_fallback,
    struct structured *s)
{
	struct mdvals mv;
	struct sraw r;
	xmlNode *loc, *addr, *org;
	const char *st;
	size_t i;
	int ret = 0;

	memset(&mv, 0, sizeof(mv));
	memset(&r, 0, sizeof(r));
	if ((st = keep(&mv, prop_value(ev, "startDate"))) == NULL ||
	    structured_iso_time(st, &r.start) == -1)
		goto done;
	if ((st = keep(&mv, prop_value(ev, "endDate"))) != NULL)
		(void)structured_iso_time(st, &r.end);
	r.name = keep(&mv, prop_value(ev, "name"));
	if ((loc = prop(ev, "location")) != NULL && is_scope(loc)) {
		r.loc_name = keep(&mv, prop_value(loc, "name"));
		r.phone = keep(&mv, prop_value(loc, "telephone"));
		if ((addr = prop(loc, "address")) != NULL && is_scope(addr)) {
			r.street = keep(&mv, prop_value(addr,
			    "streetAddress"));
			r.postal_code = keep(&mv, prop_value(addr,
			    "postalCode"));
			r.locality = keep(&mv, prop_value(addr,
			    "addressLocality"));
		} else if (addr != NULL)
			r.location = keep(&mv, node_text(addr));
	} else if (loc != NULL)
		r.location = keep(&mv, node_text(loc));
	st = keep(&mv, prop_value(resa != NULL ? resa : ev,
	    resa != NULL ? "reservationStatus" : "eventStatus"));
	r.cancelled = st != NULL && strstr(st, "Cancelled") != NULL;
	if ((org = prop(ev, "organizer")) != NULL)
		r.ofii = (st = keep(&mv, is_scope(org) ?
		    prop_value(org, "name") : node_text(org))) != NULL &&
		    structured_is_ofii(st);
	ret = structured_add(s, &r, tz_fallback);
done:
	for (i = 0; i < mv.n; i++)
		free(mv.v[i]);
	return ret;
}

/* Every JSON-LD script and microdata item of the tree. */
static int
tree_read(xmlNode *root, const char *tz_fallback, struct structured *s)
{
	xmlNode *n, *ev;
	const char *type;
	xmlChar *text;
	int seen = 0, scripts = 0, items = 0, r = 0;

	for (n = root; n != NULL && seen < MAX_NODES && r == 0; seen++) {
		if (n->type != XML_ELEMENT_NODE) {
			n = next_node(n, root, 0);
			continue;
		}
		if (strcasecmp((const char *)n->name, "script") == 0 &&
		    (type = attr(n, "type")) != NULL &&
		    strcasestr(type, "ld+json") != NULL &&
		    scripts++ < MAX_SCRIPTS) {
			if ((text = xmlNodeGetContent(n)) != NULL) {
				r = jsonld_read((const char *)text,
				    strlen((const char *)text), tz_fallback, s);
				xmlFree(text);
			}
		} else if (is_scope(n) && attr(n, "itemprop") == NULL &&
		    items < MAX_ITEMS) {
			/* a top-level item (one that is a property of
			   another is read through that one) */
			if (itemtype_ends(n, "Reservation") &&
			    (ev = prop(n, "reservationFor")) != NULL &&
			    is_scope(ev)) {
				items++;
				r = micro_event(ev, n, tz_fallback, s);
			} else if (itemtype_ends(n, "Event")) {
				items++;
				r = micro_event(n, NULL, tz_fallback, s);
			}
		}
		n = next_node(n, root, 1);
	}
	return r;
}

int
schemaorg_read(const char *html, size_t len, const char *tz_fallback,
    struct structured *s)
{
	htmlDocPtr doc;
	xmlNode *root;
	int r;

	if (html == NULL || len == 0 || len > STRUCT_MAX_HTML ||
	    (strcasestr(html, "ld+json") == NULL &&
	    strcasestr(html, "itemscope") == NULL))
		return 0;
	xmlInitParser();
	/* the options of html_to_text (parsers/html.c), for the same tree */
	doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
	    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC |
	    XML_PARSE_HUGE);
	if (doc == NULL)
		return 0;
	if ((root = xmlDocGetRootElement(doc)) == NULL) {
		xmlFreeDoc(doc);
		return 0;
	}
	r = tree_read(root, tz_fallback, s);
	xmlFreeDoc(doc);
	return r;
}
