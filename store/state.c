/*
 * state: see state.h.  The file is JSON (json-c); in memory it is plain C
 * arrays, converted on load and save.  The calendar uses the events and
 * sinks parts, the poll (daemon/poll.c) the folder, message, poll and
 * alert parts.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <nettle/sha2.h>

#include "lib/errstr.h"
#include "lib/log.h"
#include "store/atomic.h"
#include "store/migrate.h"
#include "store/state.h"

#define STATE_VERSION	1
#define STATE_MAX_SIZE	(64 * 1024 * 1024)

static const char *const sink_names[SINK_COUNT] = { "vdir", "file", "caldav" };

const char *
sink_name(enum sink_id s)
{
	return sink_names[s];
}



int
state_default_path(char **pathp, char **errstr)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int r;

	*pathp = NULL;
	if (xdg != NULL && xdg[0] == '/')
		r = asprintf(pathp, "%s/ofii-watch/state.json", xdg);
	else if (home != NULL && home[0] == '/')
		r = asprintf(pathp, "%s/.local/state/ofii-watch/state.json",
		    home);
	else {
		errstr_set(errstr, "neither XDG_STATE_HOME nor HOME is set: "
		    "nowhere to keep the state");
		return -1;
	}
	if (r == -1) {
		*pathp = NULL;
		errstr_set(errstr, "out of memory");
		return -1;
	}
	return 0;
}

struct state *
state_new(const char *path)
{
	struct state *st;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	if (path != NULL && (st->path = strdup(path)) == NULL) {
		free(st);
		return NULL;
	}
	return st;
}

static void
state_event_clear(struct state_event *ev)
{
	event_clear(&ev->event);
	free(ev->etag);
}

void
state_free(struct state *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nfolders; i++)
		free(st->folders[i].name);
	free(st->folders);
	for (i = 0; i < st->nmessage_ids; i++)
		free(st->message_ids[i]);
	free(st->message_ids);
	free(st->last_poll_error);
	for (i = 0; i < st->nalerts; i++)
		free(st->alerts[i].kind);
	free(st->alerts);
	for (i = 0; i < st->nevents; i++)
		state_event_clear(&st->events[i]);
	free(st->events);
	for (i = 0; i < st->nfailures; i++)
		free(st->failures[i].folder);
	free(st->failures);
	for (i = 0; i < SINK_COUNT; i++)
		free(st->sink_target[i]);
	free(st->path);
	free(st);
}

/* ---------------------------------------------------------------- folders */

int
state_folder_get(const struct state *st, const char *folder,
    uint32_t *uidvalidity, uint32_t *last_uid)
{
	size_t i;

	for (i = 0; i < st->nfolders; i++)
		if (strcmp(st->folders[i].name, folder) == 0) {
			*uidvalidity = st->folders[i].uidvalidity;
			*last_uid = st->folders[i].last_uid;
			return 0;
		}
	return -1;
}

int
state_folder_set(struct state *st, const char *folder, uint32_t uidvalidity,
    uint32_t last_uid)
{
	struct state_folder *nf;
	size_t i;

	for (i = 0; i < st->nfolders; i++)
		if (strcmp(st->folders[i].name, folder) == 0)
			break;
	if (i == st->nfolders) {
		nf = reallocarray(st->folders, st->nfolders + 1, sizeof(*nf));
		if (nf == NULL)
			return -1;
		st->folders = nf;
		if ((nf[i].name = strdup(folder)) == NULL)
			return -1;
		st->nfolders++;
	}
	st->folders[i].uidvalidity = uidvalidity;
	st->folders[i].last_uid = last_uid;
	return 0;
}

/* ---------------------------------------------------------------- hashes */

void
state_hash(const void *data, size_t len, char out[STATE_HASH_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;
	size_t i;

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof(md), md);
	for (i = 0; i < sizeof(md); i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[STATE_HASH_LEN] = '\0';
}

/* ---------------------------------------------------------------- failures */

int
state_failure_count(struct state *st, const char *folder, uint32_t uid)
{
	struct state_failure *nf;
	size_t i;

	for (i = 0; i < st->nfailures; i++)
		if (strcmp(st->failures[i].folder, folder) == 0)
			break;
	if (i == st->nfailures) {
		nf = reallocarray(st->failures, st->nfailures + 1, sizeof(*nf));
		if (nf == NULL)
			return -1;
		st->failures = nf;
		if ((nf[i].folder = strdup(folder)) == NULL)
			return -1;
		nf[i].uid = 0;
		nf[i].passes = 0;
		st->nfailures++;
	}
	if (st->failures[i].uid != uid) {
		st->failures[i].uid = uid;
		st->failures[i].passes = 0;
	}
	return ++st->failures[i].passes;
}

void
state_failure_clear(struct state *st, const char *folder)
{
	size_t i;

	for (i = 0; i < st->nfailures; i++)
		if (strcmp(st->failures[i].folder, folder) == 0) {
			free(st->failures[i].folder);
			st->failures[i] = st->failures[--st->nfailures];
			return;
		}
}

/* ---------------------------------------------------------------- messages */

int
state_message_seen(const struct state *st, const char *message_id)
{
	size_t i;

	for (i = 0; i < st->nmessage_ids; i++)
		if (strcmp(st->message_ids[i], message_id) == 0)
			return 1;
	return 0;
}

int
state_message_add(struct state *st, const char *message_id)
{
	char **nv, *copy;

	if (state_message_seen(st, message_id))
		return 0;
	if ((copy = strdup(message_id)) == NULL)
		return -1;
	if (st->nmessage_ids == STATE_MAX_MESSAGE_IDS) {
		free(st->message_ids[0]);
		memmove(st->message_ids, st->message_ids + 1,
		    (st->nmessage_ids - 1) * sizeof(char *));
		st->nmessage_ids--;
	}
	nv = reallocarray(st->message_ids, st->nmessage_ids + 1, sizeof(*nv));
	if (nv == NULL) {
		free(copy);
		return -1;
	}
	st->message_ids = nv;
	nv[st->nmessage_ids++] = copy;
	return 0;
}

int
state_poll_set(struct state *st, time_t when, int ok, const char *error)
{
	char *copy = NULL;

	if (error != NULL && (copy = strdup(error)) == NULL)
		return -1;
	free(st->last_poll_error);
	st->last_poll_error = copy;
	st->last_poll = when;
	st->last_poll_ok = ok;
	return 0;
}

/* ---------------------------------------------------------------- alerts */

time_t
state_alert_last(const struct state *st, const char *kind)
{
	size_t i;

	for (i = 0; i < st->nalerts; i++)
		if (strcmp(st->alerts[i].kind, kind) == 0)
			return st->alerts[i].last;
	return 0;
}

int
state_alert_set(struct state *st, const char *kind, time_t when)
{
	struct state_alert *na;
	size_t i;

	for (i = 0; i < st->nalerts; i++)
		if (strcmp(st->alerts[i].kind, kind) == 0) {
			st->alerts[i].last = when;
			return 0;
		}
	if ((na = reallocarray(st->alerts, st->nalerts + 1,
	    sizeof(*na))) == NULL)
		return -1;
	st->alerts = na;
	if ((na[i].kind = strdup(kind)) == NULL)
		return -1;
	na[i].last = when;
	st->nalerts++;
	return 0;
}

/* ---------------------------------------------------------------- events */

struct state_event *
state_event_find(const struct state *st, const char *uid)
{
	size_t i;

	for (i = 0; i < st->nevents; i++)
		if (strcmp(st->events[i].event.uid, uid) == 0)
			return &st->events[i];
	return NULL;
}

struct state_event *
state_event_get(struct state *st, const char *uid)
{
	struct state_event *ev, *nv;

	if ((ev = state_event_find(st, uid)) != NULL)
		return ev;
	if ((nv = reallocarray(st->events, st->nevents + 1,
	    sizeof(*nv))) == NULL)
		return NULL;
	st->events = nv;
	ev = &nv[st->nevents];
	memset(ev, 0, sizeof(*ev));
	if ((ev->event.uid = strdup(uid)) == NULL)
		return NULL;
	st->nevents++;
	return ev;
}

int
state_event_pending(const struct state_event *ev, enum sink_id s)
{
	return ev->event.ics != NULL &&
	    strcmp(ev->delivered[s], ev->event.hash) != 0;
}

void
state_event_delivered(struct state_event *ev, enum sink_id s)
{
	memcpy(ev->delivered[s], ev->event.hash, sizeof(ev->delivered[s]));
}

int
state_sink_target(struct state *st, enum sink_id s, const char *target)
{
	char *copy;
	size_t i;

	if (st->sink_target[s] != NULL && target != NULL &&
	    strcmp(st->sink_target[s], target) == 0)
		return 0;
	if (target == NULL)
		copy = NULL;
	else if ((copy = strdup(target)) == NULL)
		return -1;
	if (st->sink_target[s] != NULL)
		log_info("calendar %s: now %s (was %s): every event will be "
		    "written there", sink_names[s], target ? target : "off",
		    st->sink_target[s]);
	free(st->sink_target[s]);
	st->sink_target[s] = copy;
	for (i = 0; i < st->nevents; i++) {
		st->events[i].delivered[s][0] = '\0';
		if (s == SINK_CALDAV) {
			free(st->events[i].etag);
			st->events[i].etag = NULL;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- JSON in */

static const char *
jget_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int64_t
jget_int(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return 0;
	return json_object_get_int64(v);
}

static int
dup_opt(char **dst, const char *s)
{
	*dst = NULL;
	if (s != NULL && (*dst = strdup(s)) == NULL)
		return -1;
	return 0;
}

static void
copy_hash(char dst[STATE_HASH_LEN + 1], const char *s)
{
	dst[0] = '\0';
	if (s != NULL && strlen(s) == STATE_HASH_LEN)
		memcpy(dst, s, STATE_HASH_LEN + 1);
}

/*
 * One event's fields.  A record without "end" was written by an older
 * ofii-watch, whose state kept the iCalendar text instead of the fields:
 * they are filled from that text, here and only here (store/migrate.h),
 * and the next save writes them.  A text that cannot be read leaves them
 * empty, as the event could not be updated before either.
 */
static int
event_from_json(struct event *e, struct json_object *v)
{
	struct json_object *end;
	char *err = NULL;

	e->type = event_type_from_name(jget_str(v, "type"));
	e->sequence = (int)jget_int(v, "sequence");
	e->cancelled = (int)jget_int(v, "cancelled");
	e->start = (time_t)jget_int(v, "start");
	e->previous_start = (time_t)jget_int(v, "previous_start");
	e->mail_time = (time_t)jget_int(v, "mail_time");
	copy_hash(e->hash, jget_str(v, "hash"));
	if (dup_opt(&e->group, jget_str(v, "group")) == -1 ||
	    dup_opt(&e->ics, jget_str(v, "ics")) == -1)
		return -1;
	if (!json_object_object_get_ex(v, "end", &end)) {
		if (e->ics != NULL && migrate_event_fields(e, &err) == -1) {
			log_warnx("%s", err ? err : "out of memory");
			free(err);
		}
		return 0;
	}
	e->end = (time_t)jget_int(v, "end");
	e->all_day = (int)jget_int(v, "all_day");
	if (dup_opt(&e->tzid, jget_str(v, "tzid")) == -1 ||
	    dup_opt(&e->office, jget_str(v, "office")) == -1 ||
	    dup_opt(&e->summary, jget_str(v, "summary")) == -1 ||
	    dup_opt(&e->location, jget_str(v, "location")) == -1 ||
	    dup_opt(&e->description, jget_str(v, "description")) == -1)
		return -1;
	return 0;
}

/* Fill st from the parsed document; -1 when it is not a state file. */
static int
from_json(struct state *st, struct json_object *root)
{
	struct json_object *o, *v, *e;
	struct json_object_iterator it, end;
	size_t i, n;
	int s;

	if (!json_object_is_type(root, json_type_object) ||
	    jget_int(root, "version") != STATE_VERSION)
		return -1;
	if (json_object_object_get_ex(root, "folders", &o) &&
	    json_object_is_type(o, json_type_object)) {
		it = json_object_iter_begin(o);
		end = json_object_iter_end(o);
		for (; !json_object_iter_equal(&it, &end);
		    json_object_iter_next(&it)) {
			v = json_object_iter_peek_value(&it);
			if (state_folder_set(st, json_object_iter_peek_name(&it),
			    (uint32_t)jget_int(v, "uidvalidity"),
			    (uint32_t)jget_int(v, "last_uid")) == -1)
				return -1;
		}
	}
	if (json_object_object_get_ex(root, "failures", &o) &&
	    json_object_is_type(o, json_type_object)) {
		it = json_object_iter_begin(o);
		end = json_object_iter_end(o);
		for (; !json_object_iter_equal(&it, &end);
		    json_object_iter_next(&it)) {
			int k, passes;

			v = json_object_iter_peek_value(&it);
			passes = (int)jget_int(v, "passes");
			for (k = 0; k < passes && k < 100; k++)
				if (state_failure_count(st,
				    json_object_iter_peek_name(&it),
				    (uint32_t)jget_int(v, "uid")) == -1)
					return -1;
		}
	}
	if (json_object_object_get_ex(root, "message_ids", &o) &&
	    json_object_is_type(o, json_type_array)) {
		n = json_object_array_length(o);
		for (i = 0; i < n; i++) {
			v = json_object_array_get_idx(o, i);
			if (json_object_is_type(v, json_type_string) &&
			    state_message_add(st,
			    json_object_get_string(v)) == -1)
				return -1;
		}
	}
	if (json_object_object_get_ex(root, "last_poll", &o) &&
	    json_object_is_type(o, json_type_object)) {
		if (state_poll_set(st, (time_t)jget_int(o, "time"),
		    (int)jget_int(o, "ok"), jget_str(o, "error")) == -1)
			return -1;
	}
	if (json_object_object_get_ex(root, "alerts", &o) &&
	    json_object_is_type(o, json_type_object)) {
		it = json_object_iter_begin(o);
		end = json_object_iter_end(o);
		for (; !json_object_iter_equal(&it, &end);
		    json_object_iter_next(&it)) {
			v = json_object_iter_peek_value(&it);
			if (state_alert_set(st, json_object_iter_peek_name(&it),
			    (time_t)json_object_get_int64(v)) == -1)
				return -1;
		}
	}
	if (json_object_object_get_ex(root, "sink_targets", &o) &&
	    json_object_is_type(o, json_type_object)) {
		for (s = 0; s < SINK_COUNT; s++)
			if (dup_opt(&st->sink_target[s],
			    jget_str(o, sink_names[s])) == -1)
				return -1;
	}
	if (json_object_object_get_ex(root, "events", &o) &&
	    json_object_is_type(o, json_type_object)) {
		it = json_object_iter_begin(o);
		end = json_object_iter_end(o);
		for (; !json_object_iter_equal(&it, &end);
		    json_object_iter_next(&it)) {
			struct state_event *ev;

			v = json_object_iter_peek_value(&it);
			if (!json_object_is_type(v, json_type_object))
				return -1;
			ev = state_event_get(st,
			    json_object_iter_peek_name(&it));
			if (ev == NULL)
				return -1;
			if (event_from_json(&ev->event, v) == -1 ||
			    dup_opt(&ev->etag, jget_str(v, "etag")) == -1)
				return -1;
			if (json_object_object_get_ex(v, "delivered", &e) &&
			    json_object_is_type(e, json_type_object))
				for (s = 0; s < SINK_COUNT; s++)
					copy_hash(ev->delivered[s],
					    jget_str(e, sink_names[s]));
		}
	}
	return 0;
}

/* Move a corrupt file aside so that nothing is lost for a post-mortem. */
static void
set_aside(const char *path, const char *why)
{
	char *aside;

	/* The pid too: two rebuilds within a second must not overwrite the
	   first copy kept for a post-mortem. */
	if (asprintf(&aside, "%s.corrupt-%lld-%ld", path,
	    (long long)time(NULL), (long)getpid()) == -1) {
		log_warnx("%s: %s; starting from an empty state", path, why);
		return;
	}
	if (rename(path, aside) == -1)
		log_warn("%s: %s; cannot rename it to %s", path, why, aside);
	else
		log_warnx("%s: %s; moved to %s, starting from an empty state "
		    "(mail already seen will be read again, without "
		    "duplicates)", path, why, aside);
	free(aside);
}

int
state_load(const char *path, struct state **stp, char **errstr)
{
	struct json_tokener *tok;
	struct json_object *root;
	struct state *st;
	struct stat sb;
	char *buf = NULL, *defpath = NULL;
	ssize_t n;
	size_t len = 0;
	int fd;

	*stp = NULL;
	if (path == NULL) {
		if (state_default_path(&defpath, errstr) == -1)
			return -1;
		path = defpath;
	}
	if ((st = state_new(path)) == NULL) {
		free(defpath);
		errstr_set(errstr, "out of memory");
		return -1;
	}
	free(defpath);
	path = st->path;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		if (errno == ENOENT) {
			*stp = st;
			return 0;
		}
		errstr_set(errstr, "%s: cannot open: %s", path, strerror(errno));
		state_free(st);
		return -1;
	}
	if (fstat(fd, &sb) == -1) {
		errstr_set(errstr, "%s: cannot read: %s", path, strerror(errno));
		close(fd);
		state_free(st);
		return -1;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size > STATE_MAX_SIZE ||
	    (buf = malloc((size_t)sb.st_size + 1)) == NULL) {
		errstr_set(errstr, "%s: cannot read: %s", path,
		    !S_ISREG(sb.st_mode) ? "not a regular file" :
		    sb.st_size > STATE_MAX_SIZE ? "too large" :
		    "out of memory");
		close(fd);
		state_free(st);
		return -1;
	}
	while (len < (size_t)sb.st_size) {
		n = read(fd, buf + len, (size_t)sb.st_size - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			/*
			 * An I/O error is not a corrupt file: setting it aside
			 * and starting empty would forget a good state.
			 */
			errstr_set(errstr, "%s: cannot read: %s", path,
			    strerror(errno));
			free(buf);
			close(fd);
			state_free(st);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	/* Trailing blanks (an editor's final newline) are not corruption. */
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' ' ||
	    buf[len - 1] == '\t' || buf[len - 1] == '\r'))
		buf[--len] = '\0';

	tok = json_tokener_new();
	root = tok ? json_tokener_parse_ex(tok, buf, (int)len) : NULL;
	if (root != NULL && json_tokener_get_error(tok) == json_tokener_success
	    && tok->char_offset == (int)len && from_json(st, root) == 0) {
		json_object_put(root);
		json_tokener_free(tok);
		free(buf);
		*stp = st;
		return 0;
	}
	json_object_put(root);
	json_tokener_free(tok);
	free(buf);
	/* Start again from nothing (from_json may have filled some). */
	{
		struct state *empty = state_new(path);

		state_free(st);
		if ((st = empty) == NULL) {
			errstr_set(errstr, "out of memory");
			return -1;
		}
	}
	set_aside(st->path, "not a valid state file");
	*stp = st;
	return 0;
}

/* ---------------------------------------------------------------- JSON out */

static struct json_object *
jstr_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static void
event_to_json(const struct event *e, struct json_object *v)
{
	json_object_object_add(v, "type",
	    jstr_or_null(event_type_name(e->type)));
	json_object_object_add(v, "group", jstr_or_null(e->group));
	json_object_object_add(v, "sequence", json_object_new_int(e->sequence));
	json_object_object_add(v, "cancelled",
	    json_object_new_int(e->cancelled));
	json_object_object_add(v, "start", json_object_new_int64(e->start));
	json_object_object_add(v, "end", json_object_new_int64(e->end));
	json_object_object_add(v, "all_day", json_object_new_int(e->all_day));
	json_object_object_add(v, "previous_start",
	    json_object_new_int64(e->previous_start));
	json_object_object_add(v, "mail_time",
	    json_object_new_int64(e->mail_time));
	json_object_object_add(v, "tzid", jstr_or_null(e->tzid));
	json_object_object_add(v, "office", jstr_or_null(e->office));
	json_object_object_add(v, "summary", jstr_or_null(e->summary));
	json_object_object_add(v, "location", jstr_or_null(e->location));
	json_object_object_add(v, "description",
	    jstr_or_null(e->description));
	json_object_object_add(v, "hash", json_object_new_string(e->hash));
	json_object_object_add(v, "ics", jstr_or_null(e->ics));
}

static struct json_object *
to_json(const struct state *st)
{
	struct json_object *root = json_object_new_object(), *o, *v, *d;
	size_t i;
	int s;

	json_object_object_add(root, "version",
	    json_object_new_int(STATE_VERSION));
	o = json_object_new_object();
	for (i = 0; i < st->nfolders; i++) {
		v = json_object_new_object();
		json_object_object_add(v, "uidvalidity",
		    json_object_new_int64(st->folders[i].uidvalidity));
		json_object_object_add(v, "last_uid",
		    json_object_new_int64(st->folders[i].last_uid));
		json_object_object_add(o, st->folders[i].name, v);
	}
	json_object_object_add(root, "folders", o);
	if (st->nfailures > 0) {
		o = json_object_new_object();
		for (i = 0; i < st->nfailures; i++) {
			v = json_object_new_object();
			json_object_object_add(v, "uid",
			    json_object_new_int64(st->failures[i].uid));
			json_object_object_add(v, "passes",
			    json_object_new_int(st->failures[i].passes));
			json_object_object_add(o, st->failures[i].folder, v);
		}
		json_object_object_add(root, "failures", o);
	}
	o = json_object_new_array();
	for (i = 0; i < st->nmessage_ids; i++)
		json_object_array_add(o,
		    json_object_new_string(st->message_ids[i]));
	json_object_object_add(root, "message_ids", o);
	o = json_object_new_object();
	json_object_object_add(o, "time", json_object_new_int64(st->last_poll));
	json_object_object_add(o, "ok", json_object_new_int(st->last_poll_ok));
	json_object_object_add(o, "error", jstr_or_null(st->last_poll_error));
	json_object_object_add(root, "last_poll", o);
	o = json_object_new_object();
	for (i = 0; i < st->nalerts; i++)
		json_object_object_add(o, st->alerts[i].kind,
		    json_object_new_int64(st->alerts[i].last));
	json_object_object_add(root, "alerts", o);
	o = json_object_new_object();
	for (s = 0; s < SINK_COUNT; s++)
		json_object_object_add(o, sink_names[s],
		    jstr_or_null(st->sink_target[s]));
	json_object_object_add(root, "sink_targets", o);
	o = json_object_new_object();
	for (i = 0; i < st->nevents; i++) {
		const struct state_event *ev = &st->events[i];

		v = json_object_new_object();
		event_to_json(&ev->event, v);
		json_object_object_add(v, "etag", jstr_or_null(ev->etag));
		d = json_object_new_object();
		for (s = 0; s < SINK_COUNT; s++)
			json_object_object_add(d, sink_names[s],
			    json_object_new_string(ev->delivered[s]));
		json_object_object_add(v, "delivered", d);
		json_object_object_add(o, ev->event.uid, v);
	}
	json_object_object_add(root, "events", o);
	return root;
}

int
state_lock(const char *path, int *fdp, char **errstr)
{
	char *defpath = NULL, *lock;
	int r;

	*fdp = -1;
	if (path == NULL) {
		if (state_default_path(&defpath, errstr) == -1)
			return -1;
		path = defpath;
	}
	if (asprintf(&lock, "%s.lock", path) == -1) {
		free(defpath);
		errstr_set(errstr, "out of memory");
		return -1;
	}
	if ((r = lock_file(lock, fdp, errstr)) == -1 && errno == EWOULDBLOCK) {
		if (errstr != NULL)
			free(*errstr);
		errstr_set(errstr, "%s is in use by another ofii-watch (the "
		    "service?); to poll now, send it SIGUSR1 (systemctl --user "
		    "kill -s USR1 ofii-watch)", path);
	}
	free(lock);
	free(defpath);
	return r;
}

int
state_save(const struct state *st, char **errstr)
{
	struct json_object *root;
	const char *text;
	int r;

	if (st->path == NULL) {
		errstr_set(errstr, "state has no file");
		return -1;
	}
	root = to_json(st);
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL) {
		json_object_put(root);
		errstr_set(errstr, "out of memory");
		return -1;
	}
	r = atomic_write_file(st->path, text, strlen(text), errstr);
	json_object_put(root);
	return r;
}
