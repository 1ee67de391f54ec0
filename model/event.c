/*
 * event: see event.h.
 */
#include <stdlib.h>
#include <string.h>

#include "model/event.h"

static const char *const type_names[EVENT_TYPE_COUNT] = {
	"medical", "cir", "xray", "xray-booking", "renewal-open",
	"renewal-deadline", "follow-up"
};

const char *
event_type_name(enum event_type t)
{
	return (unsigned)t < EVENT_TYPE_COUNT ? type_names[t] : NULL;
}

enum event_type
event_type_from_name(const char *name)
{
	int t;

	for (t = 0; name != NULL && t < EVENT_TYPE_COUNT; t++)
		if (strcmp(name, type_names[t]) == 0)
			return (enum event_type)t;
	return EVENT_TYPE_COUNT;
}

int
event_uid_valid(const char *uid)
{
	size_t i;

	if (uid == NULL || uid[0] == '\0' || uid[0] == '.')
		return 0;
	for (i = 0; uid[i] != '\0'; i++) {
		unsigned char c = (unsigned char)uid[i];

		if (i >= EVENT_UID_MAX || !((c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '@'))
			return 0;
	}
	return 1;
}

int
event_type_is_appointment(enum event_type t)
{
	return t == EVENT_MEDICAL || t == EVENT_CIR || t == EVENT_XRAY;
}

static int
dup_or_null(char **dst, const char *s)
{
	*dst = NULL;
	return s != NULL && (*dst = strdup(s)) == NULL ? -1 : 0;
}

int
event_copy(struct event *dst, const struct event *src)
{
	struct event e = *src;

	e.uid = e.group = e.summary = e.location = e.description = NULL;
	e.office = e.tzid = e.ics = NULL;
	if (dup_or_null(&e.uid, src->uid) == -1 ||
	    dup_or_null(&e.group, src->group) == -1 ||
	    dup_or_null(&e.summary, src->summary) == -1 ||
	    dup_or_null(&e.location, src->location) == -1 ||
	    dup_or_null(&e.description, src->description) == -1 ||
	    dup_or_null(&e.office, src->office) == -1 ||
	    dup_or_null(&e.tzid, src->tzid) == -1 ||
	    dup_or_null(&e.ics, src->ics) == -1) {
		event_clear(&e);
		return -1;
	}
	event_clear(dst);
	*dst = e;
	return 0;
}

void
event_clear(struct event *e)
{
	free(e->uid);
	free(e->group);
	free(e->summary);
	free(e->location);
	free(e->description);
	free(e->office);
	free(e->tzid);
	free(e->ics);
	memset(e, 0, sizeof(*e));
}

void
event_list_free(struct event_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		event_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
