/*
 * extract: what the files of the convocation extractor share.  The steps,
 * and which file holds each, are described at the top of
 * parsers/convocation.c.  Internal: only the extractor's files (and their
 * unit tests) include it; the rest of the program sees convocation.h.
 *
 * Positions are byte offsets into a doc's folded text (frdate_fold:
 * lowercase ASCII, no accents, f.off[] maps back to the original); a
 * range [a, b) never reaches past its text.
 */
#ifndef OFII_EXTRACT_H
#define OFII_EXTRACT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model/convocation.h"
#include "parsers/address.h"
#include "parsers/folded.h"
#include "parsers/frdate.h"
#include "parsers/phone.h"

#define CONV_MAX_DOCS	32	/* text parts of one mail, the subject included */
#define MAX_CANDS	64	/* candidate appointments of one mail */

/* ------------------------------------------------ doc.c: one text part */

/* Where the keywords of one indexed list occur in a doc (keywords.c). */
struct kw_hit {
	uint32_t	 pos;
	uint16_t	 id, len;
};

struct kw_hits {
	struct kw_hit	*v;
	size_t		 n, cap;
};

struct doc {
	char			*text;		/* history stripped */
	size_t			 len;
	struct folded_text	 f;
	struct frdate_token	*tok;
	size_t			 ntok;
	struct address		*addr;
	size_t			 naddr;
	struct phone		*ph;
	size_t			 nph;
	struct kw_hits		*hits;		/* per indexed list, or NULL */
	const int		*bad;		/* lists not indexed */
	int			 ly, lm, ld;	/* the letter's own date, or 0 */
	int			 fwd_ofii;	/* forwards a message from OFII */
};

struct ctx_docs {
	struct doc	 docs[CONV_MAX_DOCS];
	size_t		 ndocs;
};

struct civil_date;
int	doc_load(struct doc *, const char *text, size_t len, int forward,
	    const struct civil_date *ref);
void	doc_free(struct doc *);
void	doc_ref(const struct ctx_docs *, size_t di, time_t date_utc,
	    int *ry, int *rm, int *rd);

/* ------------------------------------------------ history.c */

int	strip_history(const char *text, size_t len, int forward,
	    char **outp, size_t *outlenp, int *from_ofii);

/* ------------------------------------------------ keywords.c: the lists */

/* Indexed (looked for through dany() and the like). */
extern const char *const kw_negation[];
extern const char *const kw_cancel[];
extern const char *const kw_resched[];
extern const char *const kw_announce[];
extern const char *const kw_ack[];
extern const char *const kw_summons[];
extern const char *const kw_ofii_inviter[];
extern const char *const kw_visa_validated[];
extern const char *const kw_newsletter_mail[];
extern const char *const kw_not_ofii_voice[];
extern const char *const kw_appt[];
extern const char *const kw_not_appt[];
extern const char *const kw_ofii[];
extern const char *const kw_gp[];
extern const char *const kw_newsletter[];
extern const char *const kw_old[];
extern const char *const kw_old_after[];
extern const char *const kw_new[];
extern const char *const kw_cir[];
extern const char *const kw_medical[];
extern const char *const kw_xray[];
extern const char *const kw_items[];
extern const enum item kw_items_item[];	/* what each kw_items names */
extern const char *const kw_item_stems[];
extern const char *const kw_bring[];
extern const char *const kw_not_bring[];
extern const char *const kw_onsite[];
extern const char *const kw_example[];
extern const char *const kw_first_person[];
extern const char *const kw_strong_summons[];
extern const char *const kw_threat[];
extern const char *const kw_advice[];
extern const char *const kw_advice_after[];
extern const char *const kw_see_subject[];

/* Searched in a window or a short text only. */
extern const char *const kw_resched_subject[];
extern const char *const kw_instead[];
extern const char *const kw_time_moved[];
extern const char *const kw_header_label[];
extern const char *const kw_forward_marker[];
extern const char *const kw_forward_word[];
extern const char *const kw_ofii_head[];
extern const char *const kw_ofii_mention[];
extern const char *const kw_place_small_word[];
extern const char *const kw_hours[];
extern const char *const kw_time_anchor[];
extern const char *const kw_not_visit_label[];
extern const char *const kw_place_label[];
extern const char *const kw_own_place_label[];
extern const char *const kw_birth[];
extern const char *const kw_civility[];
extern const char *const kw_greeting[];
extern const char *const kw_not_name[];
extern const char *const kw_person_label[];
extern const char *const kw_guardian_label[];
extern const char *const kw_family_label[];
extern const char *const kw_given_label[];

/* ------------------------------------------------ keywords.c: the index */

int	doc_index(struct doc *);
void	doc_unindex(struct doc *);
const struct kw_hits *doc_hits(const struct doc *, const char *const *list);
size_t	kw_hits_from(const struct kw_hits *, size_t pos);
int	dany(const struct doc *, size_t a, size_t b, const char *const *list);
int	dany_word(const struct doc *, size_t a, size_t b,
	    const char *const *list);
int	dany_in_sentence_before(const struct doc *, size_t pos, size_t max,
	    const char *const *list);
long	dnearest_before(const struct doc *, size_t a, size_t pos,
	    const char *const *list);
long	dfirst_after(const struct doc *, size_t a, size_t b,
	    const char *const *list);

/* ------------------------------------------------ appointments.c */

/* A candidate appointment: a date, its time, what the words make of it. */
struct cand {
	size_t		 doc;
	size_t		 dpos, tpos, tend;	/* date, time (folded) */
	struct walltime	 start, end;
	int		 old, is_new;
	enum appt_type	 type;
	const struct address *addr;
	char		 person[128];	/* a family letter's slot: whose */
};

/* One extraction: the mail's docs, its folded subject, the candidates. */
struct ctx {
	struct ctx_docs	 cd;
	struct folded_text subj;
	struct cand	 cands[MAX_CANDS];
	size_t		 ncands;
};

void	find_candidates(struct ctx *, time_t date_utc);
const struct address *place_for(const struct doc *, const struct cand *,
	    const struct cand *cands, size_t ncands);
const struct address *labelled_place(const struct ctx_docs *);
char	*name_elsewhere(const struct ctx_docs *, const struct address *);
int	is_radiology(const struct address *);

/* ------------------------------------------------ items.c, xray.c, person.c */

unsigned doc_items(const struct doc *);

int	xray_on_site(const struct doc *);
const struct address *xray_address(const struct doc *,
	    const struct appointment *appts, size_t nappts,
	    const struct address *const *used, size_t nused);
const struct address *xray_fixed(const struct ctx_docs *,
	    const struct appointment *appts, size_t nappts,
	    const struct address *const *used, size_t nused, size_t *docp);
const struct phone *xray_phone(const struct doc *, const struct address *);

int	written_in_capitals(const char *, size_t);
char	*person_in(const struct ctx_docs *, int *oom);
char	*slot_person(const struct doc *, size_t ls, size_t stop);

#endif
