/*
 * migrate: fill the fields of an event recorded by an older ofii-watch,
 * whose state kept only the event's iCalendar text.  Called by the state
 * loader for such records, once: the next save writes the fields.
 */
#ifndef OFII_STORE_MIGRATE_H
#define OFII_STORE_MIGRATE_H

#include "model/event.h"

/*
 * From e->ics: summary, location, description, office, zone, end, all-day.
 * The other fields (type, start, ...) were already recorded.  0, or -1 and
 * *errstr when the text cannot be read (the fields stay empty).
 */
int	migrate_event_fields(struct event *e, char **errstr);

#endif
