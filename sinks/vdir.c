/*
 * vdir: the vdir sink (see sinks.h): one <UID>.ics per event, the text the
 * calendar wrote, in a directory only the person can read.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/errstr.h"
#include "lib/log.h"
#include "model/event.h"
#include "sinks/sinks.h"
#include "store/atomic.h"

/* The directory exists and only we can read it: personal data. */
static int
private_dir(const char *dir, char **errstr)
{
	if (mkdir_private(dir) == -1 || chmod(dir, 0700) == -1)
		return errstr_set(errstr, "%s: %s", dir, strerror(errno));
	return 0;
}

int
sink_vdir_sync(const char *dir, struct state *st, char **errstr)
{
	struct state_event *ev;
	char *path;
	size_t i;
	int checked = 0;

	if (state_sink_target(st, SINK_VDIR, dir) == -1)
		return errstr_set(errstr, "out of memory");
	for (i = 0; i < st->nevents; i++) {
		ev = &st->events[i];
		if (!state_event_pending(ev, SINK_VDIR))
			continue;
		if (!checked && private_dir(dir, errstr) == -1)
			return -1;
		checked = 1;
		if (!event_uid_valid(ev->event.uid))
			return errstr_set(errstr, "%s: an event whose UID cannot "
			    "be a file name", dir);
		if (asprintf(&path, "%s/%s.ics", dir, ev->event.uid) == -1)
			return errstr_set(errstr, "out of memory");
		if (atomic_update_file(path, ev->event.ics, errstr) == -1) {
			free(path);
			return -1;
		}
		log_debug("calendar vdir: wrote %s", path);
		free(path);
		state_event_delivered(ev, SINK_VDIR);
	}
	return 0;
}
