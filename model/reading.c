/*
 * reading: see reading.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/errstr.h"
#include "model/reading.h"

/* The zones an appointment can be in (parsers/address.c): the structure
   holds static strings, so a zone read back is one of these. */
static const char *const zones[] = {
	"Europe/Paris", "America/Guadeloupe", "America/Martinique",
	"America/Cayenne", "Indian/Reunion", "Indian/Mayotte"
};

/*
 * Strings from a mail: control characters never reach the output (the
 * parsers promise it; this is the last line of defence).
 */
static struct json_object *
jstr(const char *s)
{
	struct json_object *o;
	char *copy, *p;

	if (s == NULL)
		return NULL;
	if ((copy = strdup(s)) == NULL)
		return NULL;
	for (p = copy; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	o = json_object_new_string(copy);
	free(copy);
	return o;
}

static struct json_object *
jtime(const struct walltime *t)
{
	char buf[32];

	if (t->year == 0)
		return NULL;
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d", t->year,
	    t->month, t->day, t->hour, t->minute);
	return json_object_new_string(buf);
}

/* Adds `v` (NULL is JSON null); a failed allocation of a non-null value
   is noticed by the caller through `nomem`. */
static void
add(struct json_object *o, const char *key, struct json_object *v,
    int wanted, int *nomem)
{
	if (wanted && v == NULL)
		*nomem = 1;
	if (json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		*nomem = 1;
	}
}

int
reading_add_json(struct json_object *o, const struct mail_facts *f,
    const struct convocation *c, int internal)
{
	struct json_object *a, *x;
	int nomem = 0;
	size_t i;

	add(o, "message_id", f->message_id && f->message_id[0] ?
	    jstr(f->message_id) : NULL, f->message_id && f->message_id[0],
	    &nomem);
	add(o, "from", jstr(f->from_addr), f->from_addr != NULL, &nomem);
	add(o, "sender_trust", jstr(sender_trust_name(c->trust)), 1, &nomem);
	add(o, "kind", jstr(conv_kind_name(c->kind)), 1, &nomem);
	if ((a = json_object_new_array()) == NULL)
		return -1;
	for (i = 0; i < c->nappts; i++) {
		const struct appointment *ap = &c->appts[i];
		struct json_object *j = json_object_new_object();

		if (j == NULL) {
			nomem = 1;
			break;
		}
		add(j, "type", jstr(appt_type_name(ap->type)), 1, &nomem);
		add(j, "start", jtime(&ap->start), ap->start.year != 0,
		    &nomem);
		add(j, "end", jtime(&ap->end), ap->end.year != 0, &nomem);
		add(j, "tzid", jstr(ap->tzid), ap->tzid != NULL, &nomem);
		add(j, "place", jstr(ap->place), ap->place != NULL, &nomem);
		add(j, "postal_code", ap->postal_code[0] ?
		    jstr(ap->postal_code) : NULL, ap->postal_code[0] != '\0',
		    &nomem);
		add(j, "city", jstr(ap->city), ap->city != NULL, &nomem);
		add(j, "person", jstr(ap->person), ap->person != NULL,
		    &nomem);
		if (json_object_array_add(a, j) != 0) {
			json_object_put(j);
			nomem = 1;
		}
	}
	add(o, "appointments", a, 1, &nomem);
	if (c->xray != NULL) {
		if ((x = json_object_new_object()) == NULL)
			return -1;
		add(x, "name", jstr(c->xray->name), c->xray->name != NULL,
		    &nomem);
		add(x, "address", jstr(c->xray->address),
		    c->xray->address != NULL, &nomem);
		add(x, "postal_code", c->xray->postal_code[0] ?
		    jstr(c->xray->postal_code) : NULL,
		    c->xray->postal_code[0] != '\0', &nomem);
		add(x, "city", jstr(c->xray->city), c->xray->city != NULL,
		    &nomem);
		add(x, "phone", jstr(c->xray->phone), c->xray->phone != NULL,
		    &nomem);
		add(o, "xray_center", x, 1, &nomem);
	} else
		add(o, "xray_center", NULL, 0, &nomem);
	if ((a = json_object_new_array()) == NULL)
		return -1;
	for (i = 0; i < ITEM_COUNT; i++)
		if (c->items & (1u << i) &&
		    json_object_array_add(a, jstr(item_name((enum item)i))) != 0)
			nomem = 1;
	add(o, "items_to_bring", a, 1, &nomem);
	add(o, "previous_start", jtime(&c->previous_start),
	    c->previous_start.year != 0, &nomem);
	if ((a = json_object_new_array()) == NULL)
		return -1;
	for (i = 0; i < NOTE_COUNT; i++)
		if (c->notes & (1u << i) &&
		    json_object_array_add(a, jstr(note_name((enum note)i))) != 0)
			nomem = 1;
	add(o, "notes", a, 1, &nomem);
	add(o, "person", jstr(c->person), c->person != NULL, &nomem);
	if (internal) {
		add(o, "subject", jstr(f->subject), f->subject != NULL,
		    &nomem);
		add(o, "date", jstr(f->date), f->date != NULL, &nomem);
		add(o, "date_utc", f->date_utc == (time_t)-1 ? NULL :
		    json_object_new_int64((int64_t)f->date_utc),
		    f->date_utc != (time_t)-1, &nomem);
		add(o, "xray_on_site", json_object_new_boolean(c->xray_on_site),
		    1, &nomem);
		add(o, "unreadable_pdfs", json_object_new_int(f->unreadable_pdfs),
		    1, &nomem);
		add(o, "skipped_parts", json_object_new_int(f->skipped_parts),
		    1, &nomem);
	}
	return nomem ? -1 : 0;
}

/* ------------------------------------------------------------ reading */

/* Member `key` of `o`, a count from 0 to 1000000, into *out (left alone
   when absent or null); -1 and *errstr when it is something else. */
static int
get_count(struct json_object *o, const char *key, int *out, char **errstr)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) < 0 ||
	    json_object_get_int64(v) > 1000000)
		return errstr_set(errstr, "reading: bad %s", key);
	*out = json_object_get_int(v);
	return 0;
}

/* Member `key` of `o`: a string, or NULL when absent or null; -1 when it
   is something else. */
static int
get_str(struct json_object *o, const char *key, const char **out)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -1;
	*out = json_object_get_string(v);
	return 0;
}

/* A copy of string member `key` ("" for null when `empty`), or -1. */
static int
dup_str(struct json_object *o, const char *key, int empty, char **out,
    char **errstr)
{
	const char *s;

	*out = NULL;
	if (get_str(o, key, &s) == -1)
		return errstr_set(errstr, "reading: \"%s\" is not a string",
		    key);
	if (s == NULL && !empty)
		return 0;
	if ((*out = strdup(s ? s : "")) == NULL)
		return errstr_set(errstr, "out of memory");
	return 0;
}

static int
get_walltime(struct json_object *o, const char *key, struct walltime *t,
    char **errstr)
{
	const char *s;
	char tail;

	memset(t, 0, sizeof(*t));
	if (get_str(o, key, &s) == -1)
		return errstr_set(errstr, "reading: \"%s\" is not a string",
		    key);
	if (s == NULL)
		return 0;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d%c", &t->year, &t->month, &t->day,
	    &t->hour, &t->minute, &tail) != 5 || t->year < 1900 ||
	    t->month < 1 || t->month > 12 || t->day < 1 || t->day > 31 ||
	    t->hour < 0 || t->hour > 23 || t->minute < 0 || t->minute > 59) {
		memset(t, 0, sizeof(*t));
		return errstr_set(errstr, "reading: bad %s \"%.40s\"", key, s);
	}
	return 0;
}

static int
get_postal_code(struct json_object *o, char out[6], char **errstr)
{
	const char *s;
	size_t i;

	out[0] = '\0';
	if (get_str(o, "postal_code", &s) == -1)
		return errstr_set(errstr, "reading: bad postal_code");
	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (i >= 5 || s[i] < '0' || s[i] > '9')
			return errstr_set(errstr, "reading: bad postal_code "
			    "\"%.20s\"", s);
	memcpy(out, s, i + 1);
	return 0;
}

/* The enum value whose name(value) is `s`, among 0..n-1, or -1. */
static int
by_name(const char *s, int n, const char *(*name)(int))
{
	int i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(name(i), s) == 0)
			return i;
	return -1;
}

static const char *
kind_name_i(int i)
{
	return conv_kind_name((enum conv_kind)i);
}

static const char *
trust_name_i(int i)
{
	return sender_trust_name((enum sender_trust)i);
}

static const char *
appt_name_i(int i)
{
	return appt_type_name((enum appt_type)i);
}

static const char *
item_name_i(int i)
{
	return item_name((enum item)i);
}

static const char *
note_name_i(int i)
{
	return note_name((enum note)i);
}

/* An array of names of an enum as a bit set (absent: none). */
static int
get_names(struct json_object *o, const char *key, int n,
    const char *(*name)(int), unsigned *bits)
{
	struct json_object *v, *it;
	size_t i;
	int k;

	*bits = 0;
	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return -1;
	for (i = 0; i < json_object_array_length(v); i++) {
		it = json_object_array_get_idx(v, i);
		if (!json_object_is_type(it, json_type_string) ||
		    (k = by_name(json_object_get_string(it), n, name)) == -1)
			return -1;
		*bits |= 1u << k;
	}
	return 0;
}

static int
read_appointment(struct json_object *j, struct appointment *ap,
    char **errstr)
{
	const char *s;
	int v;
	size_t i;

	if (!json_object_is_type(j, json_type_object))
		return errstr_set(errstr, "reading: an appointment is not an "
		    "object");
	if (get_str(j, "type", &s) == -1 ||
	    (v = by_name(s, APPT_XRAY + 1, appt_name_i)) == -1)
		return errstr_set(errstr, "reading: bad appointment type");
	ap->type = (enum appt_type)v;
	if (get_walltime(j, "start", &ap->start, errstr) == -1 ||
	    get_walltime(j, "end", &ap->end, errstr) == -1)
		return -1;
	if (ap->start.year == 0)
		return errstr_set(errstr, "reading: an appointment without a "
		    "start");
	if (get_str(j, "tzid", &s) == -1)
		return errstr_set(errstr, "reading: bad tzid");
	ap->tzid = NULL;
	for (i = 0; s != NULL && i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strcmp(s, zones[i]) == 0)
			ap->tzid = zones[i];
	if (s != NULL && ap->tzid == NULL)
		return errstr_set(errstr, "reading: unknown zone \"%.40s\"", s);
	if (get_postal_code(j, ap->postal_code, errstr) == -1 ||
	    dup_str(j, "place", 0, &ap->place, errstr) == -1 ||
	    dup_str(j, "city", 0, &ap->city, errstr) == -1 ||
	    dup_str(j, "person", 0, &ap->person, errstr) == -1)
		return -1;
	return 0;
}

static int
read_xray(struct json_object *x, struct xray_center **out, char **errstr)
{
	struct xray_center *c;

	*out = NULL;
	if (x == NULL)
		return 0;
	if (!json_object_is_type(x, json_type_object))
		return errstr_set(errstr, "reading: bad xray_center");
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return errstr_set(errstr, "out of memory");
	*out = c;
	if (dup_str(x, "name", 0, &c->name, errstr) == -1 ||
	    dup_str(x, "address", 0, &c->address, errstr) == -1 ||
	    get_postal_code(x, c->postal_code, errstr) == -1 ||
	    dup_str(x, "city", 0, &c->city, errstr) == -1 ||
	    dup_str(x, "phone", 0, &c->phone, errstr) == -1)
		return -1;
	return 0;
}

static int
read_convocation(struct json_object *o, struct convocation *c,
    char **errstr)
{
	struct json_object *v;
	const char *s;
	size_t i, n;
	int k;

	if (get_str(o, "sender_trust", &s) == -1 ||
	    (k = by_name(s, TRUST_VERIFIED + 1, trust_name_i)) == -1)
		return errstr_set(errstr, "reading: bad sender_trust");
	c->trust = (enum sender_trust)k;
	if (get_str(o, "kind", &s) == -1 ||
	    (k = by_name(s, KIND_ACKNOWLEDGEMENT + 1, kind_name_i)) == -1)
		return errstr_set(errstr, "reading: bad kind");
	c->kind = (enum conv_kind)k;
	if (!json_object_object_get_ex(o, "appointments", &v) ||
	    !json_object_is_type(v, json_type_array) ||
	    (n = json_object_array_length(v)) > CONVOCATION_MAX_APPTS)
		return errstr_set(errstr, "reading: bad appointments");
	for (i = 0; i < n; i++) {
		c->nappts = i + 1;	/* so that convocation_free() frees it */
		if (read_appointment(json_object_array_get_idx(v, i),
		    &c->appts[i], errstr) == -1)
			return -1;
	}
	if (!json_object_object_get_ex(o, "xray_center", &v))
		v = NULL;
	if (read_xray(v, &c->xray, errstr) == -1)
		return -1;
	if (json_object_object_get_ex(o, "xray_on_site", &v))
		c->xray_on_site = json_object_get_boolean(v);
	if (!json_object_object_get_ex(o, "items_to_bring", &v) ||
	    get_names(o, "items_to_bring", ITEM_COUNT, item_name_i,
	    &c->items) == -1)
		return errstr_set(errstr, "reading: bad items_to_bring");
	if (get_names(o, "notes", NOTE_COUNT, note_name_i, &c->notes) == -1)
		return errstr_set(errstr, "reading: bad notes");
	if (get_walltime(o, "previous_start", &c->previous_start,
	    errstr) == -1 || dup_str(o, "person", 0, &c->person, errstr) == -1)
		return -1;
	return 0;
}

int
reading_from_json(const char *text, size_t len, struct mail_facts **factsp,
    struct convocation **convp, char **errstr)
{
	struct json_tokener *tok;
	struct json_object *o = NULL, *v;
	struct mail_facts *f = NULL;
	struct convocation *c = NULL;

	*factsp = NULL;
	*convp = NULL;
	if ((tok = json_tokener_new_ex(8)) == NULL)
		return errstr_set(errstr, "out of memory");
	o = json_tokener_parse_ex(tok, text, (int)(len > 16u << 20 ? 16u << 20 :
	    len));
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		errstr_set(errstr, "reading: not a JSON object (%s)",
		    json_tokener_error_desc(json_tokener_get_error(tok)));
		goto fail;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		errstr_set(errstr, "out of memory");
		goto fail;
	}
	f->date_utc = (time_t)-1;
	if (dup_str(o, "message_id", 1, &f->message_id, errstr) == -1 ||
	    dup_str(o, "from", 1, &f->from_addr, errstr) == -1 ||
	    dup_str(o, "subject", 1, &f->subject, errstr) == -1 ||
	    dup_str(o, "date", 1, &f->date, errstr) == -1)
		goto fail;
	if (json_object_object_get_ex(o, "date_utc", &v) && v != NULL) {
		if (!json_object_is_type(v, json_type_int)) {
			errstr_set(errstr, "reading: bad date_utc");
			goto fail;
		}
		f->date_utc = (time_t)json_object_get_int64(v);
	}
	if (get_count(o, "unreadable_pdfs", &f->unreadable_pdfs,
	    errstr) == -1 || get_count(o, "skipped_parts", &f->skipped_parts,
	    errstr) == -1)
		goto fail;
	if (read_convocation(o, c, errstr) == -1)
		goto fail;
	json_object_put(o);
	json_tokener_free(tok);
	*factsp = f;
	*convp = c;
	return 0;
fail:
	json_object_put(o);
	json_tokener_free(tok);
	mail_facts_free(f);
	convocation_free(c);
	return -1;
}

void
mail_facts_free(struct mail_facts *f)
{
	if (f == NULL)
		return;
	free(f->message_id);
	free(f->from_addr);
	free(f->subject);
	free(f->date);
	free(f);
}
