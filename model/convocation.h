/*
 * convocation: what one mail says the person must do, as both programs
 * see it.  The reader fills it (parsers/convocation.c), sends it over as
 * JSON (model/reading.h), and the daemon turns it into events.  Kept apart
 * from the parsers so that the daemon links none of the parsing libraries.
 */
#ifndef OFII_MODEL_CONVOCATION_H
#define OFII_MODEL_CONVOCATION_H

#include <stddef.h>

enum sender_trust {
	TRUST_UNTRUSTED = 0,	/* anything else, lookalikes, dmarc=fail */
	TRUST_DOMAIN,		/* From ofii.fr (or subdomain), no evidence */
	TRUST_VERIFIED		/* trusted A-R: dkim or dmarc pass for ofii.fr */
};

enum conv_kind {
	KIND_OTHER = 0,
	KIND_CONVOCATION,
	KIND_RESCHEDULE,
	KIND_CANCELLATION,
	KIND_ACKNOWLEDGEMENT
};

enum appt_type {
	APPT_MEDICAL = 0,
	APPT_CIR,
	APPT_XRAY
};

/* Wall-clock time in the appointment's zone.  year == 0 means "none". */
struct walltime {
	int	year, month, day;	/* 2023, 1..12, 1..31 */
	int	hour, minute;		/* 0..23, 0..59 */
};

/* What the reader has to say about its sources (bit i = 1 << i). */
enum note {
	NOTE_STRUCTURED_SOURCE_DISAGREES = 0,	/* a calendar part or schema.org
						   data says otherwise than
						   the text: it won */
	NOTE_COUNT
};

/* Keys of items_to_bring, in contract order (bit i = 1 << i). */
enum item {
	ITEM_PASSPORT = 0,
	ITEM_CONVOCATION,
	ITEM_CHEST_XRAY,
	ITEM_VACCINATION_RECORDS,
	ITEM_HOSPITAL_REPORTS,
	ITEM_GLASSES,
	ITEM_MATERNITY_RECORD,
	ITEM_PHOTO,
	ITEM_PROOF_OF_ADDRESS,
	ITEM_TAX_STAMP,
	ITEM_COUNT
};

#define CONVOCATION_MAX_APPTS	8

struct appointment {
	enum appt_type	 type;
	struct walltime	 start;
	struct walltime	 end;		/* year 0: no end given */
	const char	*tzid;		/* static string: "Europe/Paris", ... */
	char		*place;		/* one line: "name, street, CP city" */
	char		 postal_code[6];
	char		*city;
	char		*phone;		/* office phone, or NULL (not filled
					   yet: always NULL) */
	char		*person;	/* whose slot this is, "Given FAMILY"
					   (one slot per member of a family
					   letter; else the addressee), or
					   NULL when the letter names nobody */
};

struct xray_center {
	char	*name;
	char	*address;		/* "street, CP city" */
	char	 postal_code[6];
	char	*city;
	char	*phone;			/* "02 41 44 86 17" (separators -> one
					   space, +33 -> 0), or NULL */
};

/*
 * kind convocation/reschedule: appts are the appointments to attend (a
 * reschedule's new one, its old start in previous_start).  kind
 * cancellation: appts are the cancelled appointments (so the calendar can
 * mark them), previous_start is none.  A fixed X-ray appointment is an
 * APPT_XRAY appointment at the radiology centre, and then xray is NULL
 * (nothing left to book).  place/city keep the letter's case and accents;
 * with a Cedex line, place keeps "CP City Cedex N" and city is "City".
 */
struct convocation {
	enum sender_trust	 trust;
	enum conv_kind		 kind;
	struct appointment	 appts[CONVOCATION_MAX_APPTS];	/* by start */
	size_t			 nappts;
	struct xray_center	*xray;		/* centre to book, or NULL */
	int			 xray_on_site;	/* letter says X-ray done on site */
	unsigned		 items;		/* bit set of enum item */
	struct walltime		 previous_start;	/* reschedule; year 0: none */
	unsigned		 notes;		/* bit set of enum note */
	char			*person;	/* addressee, "Given FAMILY" (civility
						   dropped), or NULL: nobody named,
						   several people, kind other */
};

/* Free what the convocation owns, and it. */
void	convocation_free(struct convocation *);
/* Free what an appointment owns and zero it. */
void	appointment_clear(struct appointment *);

const char	*conv_kind_name(enum conv_kind);	/* "convocation", ... */
const char	*appt_type_name(enum appt_type);	/* "medical", ... */
const char	*sender_trust_name(enum sender_trust);	/* "verified", ... */
const char	*item_name(enum item);			/* "passport", ... */
const char	*note_name(enum note);	/* "structured_source_disagrees" */

#endif
