/*
 * xray: the radiology centre where the person has the chest X-ray taken
 * (step 5 of convocation.c), unless the letter says it is taken on site.
 * When the letter fixes the X-ray appointment, the centre is that
 * appointment's place: the person may still have to call it (to move the
 * slot), so its name, address and phone are kept.
 */
#include <string.h>

#include "model/convocation.h"
#include "parsers/address.h"
#include "parsers/extract.h"
#include "parsers/phone.h"

/* The doc says the X-ray is taken during the visit ("sur place"): not
   an X-ray the sentence asks to bring there ("Apportez les clichés de la
   radiographie lors de la visite"). */
int
xray_on_site(const struct doc *d)
{
	const char *s = d->f.s;
	size_t i = 0, a, b, k;
	long p;

	for (k = 0; kw_xray[k] != NULL; k++) {
		i = 0;
		while ((p = ft_find(s, i, d->f.len, kw_xray[k])) >= 0) {
			ft_sentence(s, d->f.len, (size_t)p, &a, &b);
			if (dany(d, a, b, kw_onsite) &&
			    !dany(d, a, (size_t)p, kw_bring) &&
			    ft_find(s, a, b, "rendez-vous sur place") < 0 &&
			    ft_find(s, a, b, "rdv sur place") < 0)
				return 1;
			i = (size_t)p + 1;
		}
	}
	return 0;
}

/* The doc and the index of ad among its addresses, or 0. */
static int
doc_of(const struct ctx_docs *cd, const struct address *ad, size_t *docp)
{
	size_t i, j;

	for (i = 0; i < cd->ndocs; i++)
		for (j = 0; j < cd->docs[i].naddr; j++)
			if (&cd->docs[i].addr[j] == ad) {
				*docp = i;
				return 1;
			}
	return 0;
}

/*
 * The centre of a fixed X-ray appointment: the address its place was read
 * from, else an address of the mail written as that place (a place given
 * by another source that the letter repeats).  NULL when the appointment
 * has no place.
 */
const struct address *
xray_fixed(const struct ctx_docs *cd, const struct appointment *appts,
    size_t nappts, const struct address *const *used, size_t nused,
    size_t *docp)
{
	size_t i, k, j;

	for (i = 0; i < nappts; i++) {
		if (appts[i].type != APPT_XRAY || appts[i].place == NULL)
			continue;
		if (i < nused && used[i] != NULL && doc_of(cd, used[i], docp))
			return used[i];
		for (k = 0; k < cd->ndocs; k++)
			for (j = 0; j < cd->docs[k].naddr; j++)
				if (strcmp(cd->docs[k].addr[j].place,
				    appts[i].place) == 0) {
					*docp = k;
					return &cd->docs[k].addr[j];
				}
	}
	return NULL;
}

/* A radiology centre named by the doc: an address in a radiology
   context that is not an appointment place. */
const struct address *
xray_address(const struct doc *d, const struct appointment *appts,
    size_t nappts, const struct address *const *used, size_t nused)
{
	const struct address *ad;
	size_t i, j, a;

	/* first pass: a centre with its street; then a bare "CP city" */
	for (i = 0; i < 2 * d->naddr; i++) {
		ad = &d->addr[i % d->naddr];
		if (ad->recipient || ad->cedex ||
		    (i < d->naddr && ad->street == NULL))
			continue;
		/* OFII's own office (a letter head or footer near "le
		   résultat de la radiographie") books no X-ray */
		if (ad->name != NULL && (strstr(ad->name, "OFII") != NULL ||
		    strstr(ad->name, "Office fran") != NULL))
			continue;
		for (j = 0; j < nused; j++)
			if (used[j] == ad)
				break;
		if (j < nused)
			continue;
		a = ad->start > 400 ? ad->start - 400 : 0;
		if (!is_radiology(ad) && !dany(d, a, ad->pc_start, kw_xray))
			continue;
		/* the same address as an appointment's place */
		for (j = 0; j < nappts; j++)
			if (appts[j].place != NULL &&
			    strcmp(appts[j].place, ad->place) == 0)
				break;
		if (j < nappts)
			continue;
		return ad;
	}
	return NULL;
}

/* The phone of the centre at ad: after it, up to the end of the second
   line below, else on its lines before the postal code. */
const struct phone *
xray_phone(const struct doc *d, const struct address *ad)
{
	const char *s = d->f.s;
	size_t i, lim = ad->end, n;
	int lines = 0;

	/* Up to the end of the second line after the address. */
	while (lim < d->f.len && lines < 3) {
		if (s[lim] == '\n')
			lines++;
		lim++;
	}
	for (i = 0; i < d->nph; i++) {
		if (d->ph[i].start >= ad->end && d->ph[i].start < lim)
			return &d->ph[i];
	}
	/* "Centre X (tél. 02 ...)" before the street, on its lines */
	n = ad->start;
	for (i = 0; i < d->nph; i++)
		if (d->ph[i].start >= n && d->ph[i].start < ad->pc_start)
			return &d->ph[i];
	return NULL;
}
