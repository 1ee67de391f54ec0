/*
 * texts: the bilingual (French / English) texts of the calendar's events,
 * shared by events.c and timeline.c (not a public interface).  Mail text
 * goes in through text_clean()/text_mail() only.
 */
#ifndef OFII_CALENDAR_TEXTS_H
#define OFII_CALENDAR_TEXTS_H

#include <time.h>

#include "calendar/calendar.h"
#include "lib/buf.h"

/*
 * Text from a mail, made safe for one calendar value: valid UTF-8, no
 * control character (CR/LF/TAB/... become spaces).  malloc'd; NULL for
 * NULL or when out of memory.
 */
char	*text_clean(const char *);
/* Mail text into the buffer, cleaned (nothing for NULL). */
void	text_mail(struct buf *, const char *);

/* "mardi 8 mars 2022 / Tuesday 8 March 2022" */
void	text_date(struct buf *, const struct walltime *);
/* "<date>, 09:30–11:30 (Europe/Paris)": the times in that zone. */
void	text_when(struct buf *, const char *tzid, time_t start, time_t end);
/* "À apporter / What to bring:" and the items (the usual ones if none). */
void	text_checklist(struct buf *, unsigned items, enum appt_type);
/* "Source : courriel / mail « <subject> » du / of <date>" */
void	text_source(struct buf *, const struct mail_source *);

/* What an event is, both languages: "Visite médicale OFII / ...". */
const char *text_type_summary(enum event_type);
/* "<what><extra> — <person>" (no dash without a person); malloc'd. */
char	*text_summary(enum event_type, const char *extra, const char *person);

#endif
