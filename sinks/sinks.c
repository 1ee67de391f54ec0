/*
 * sinks: see sinks.h.  Every sink is one entry of a table (its name, where
 * the configuration sends it, how it delivers) that sinks_sync() walks;
 * the sinks themselves are vdir.c, file.c and caldav.c.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "sinks/caldav.h"
#include "sinks/sinks.h"

struct sink {
	enum sink_id	 id;
	const char	*name;		/* in messages */
	const char	*target;	/* path or URL, NULL: not configured */
	int		(*sync)(const struct config *, const char *target,
			    struct state *, char **errstr);
};

static int
vdir_sync(const struct config *cfg, const char *dir, struct state *st,
    char **errstr)
{
	(void)cfg;
	return sink_vdir_sync(dir, st, errstr);
}

static int
file_sync(const struct config *cfg, const char *path, struct state *st,
    char **errstr)
{
	(void)cfg;
	return sink_file_sync(path, st, errstr);
}

static int
dav_sync(const struct config *cfg, const char *url, struct state *st,
    char **errstr)
{
	(void)url;		/* cfg->caldav_url, with its credentials */
	return caldav_sync(cfg, st, errstr);
}

/* Keep the first error for the caller, log the others. */
static void
note_failure(const char *sink, char *err, char **first)
{
	log_alert(LOG_ERR, MSGID_CALENDAR_FAILURE, "calendar",
	    "calendar %s: %s (the change stays queued and is retried)", sink,
	    err ? err : "out of memory");
	if (*first == NULL && err != NULL) {
		*first = err;
		return;
	}
	free(err);
}

static int
save(struct state *st, char **first)
{
	char *err = NULL;

	if (st->path == NULL || state_save(st, &err) == 0)
		return 0;
	note_failure("state", err, first);
	return -1;
}

/*
 * Whether a sink has anything to do: a new target, or an event it has not
 * accepted.  An idle pass then touches neither the sink nor the state file.
 */
static int
sink_has_work(const struct state *st, enum sink_id sink, const char *target)
{
	size_t i;

	if (st->sink_target[sink] == NULL ||
	    strcmp(st->sink_target[sink], target) != 0)
		return 1;
	for (i = 0; i < st->nevents; i++)
		if (state_event_pending(&st->events[i], sink))
			return 1;
	return 0;
}

int
sinks_sync(const struct config *cfg, struct state *st, char **errstr)
{
	const struct sink sinks[] = {
		{ SINK_VDIR, "vdir", cfg->vdir, vdir_sync },
		{ SINK_FILE, "file", cfg->file, file_sync },
		{ SINK_CALDAV, "CalDAV", cfg->caldav_url, dav_sync },
	};
	const struct sink *s;
	char *first = NULL, *err;
	size_t i;
	int failed = 0;

	for (i = 0; i < sizeof(sinks) / sizeof(sinks[0]); i++) {
		s = &sinks[i];
		if (s->target == NULL || !sink_has_work(st, s->id, s->target))
			continue;
		err = NULL;
		if (s->sync(cfg, s->target, st, &err) == -1) {
			note_failure(s->name, err, &first);
			failed = 1;
		}
		if (save(st, &first) == -1)
			failed = 1;
	}
	if (failed) {
		if (errstr != NULL)
			*errstr = first;
		else
			free(first);
		return -1;
	}
	return 0;
}
