/*
 * mimeparam: MIME parameter values as people wrote them: RFC 2231
 * (charset, percent-encoding, continuation sections) and, in the plain
 * parameter, RFC 2047 encoded words, which libetpan leaves alone.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/ascii.h"
#include "parsers/mimeparam.h"
#include "parsers/text.h"

/* RFC 2231 continuation sections collected (filename*0 .. *63). */
#define RFC2231_MAX_SECTIONS	64

struct param {
	const char	*name;
	const char	*value;
};

/* RFC 2231 value bytes: %XX escapes decoded, anything else kept. */
static void
percent_decode(char *dst, size_t *dlen, const char *s, size_t n)
{
	size_t	i;
	int	hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    (hi = ascii_hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = ascii_hexval((unsigned char)s[i + 2])) >= 0) {
			dst[(*dlen)++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			dst[(*dlen)++] = s[i];
	}
}

/*
 * The value of parameter `base` (e.g. "filename") as UTF-8: RFC 2231
 * (base*=charset'lang'pct-encoded, or base*0, base*1*, ... sections) is
 * preferred over the plain parameter, which may hold RFC 2047 words.
 * Returns 1 (*out set), 0 (absent) or -1 (out-of-memory).
 */
static int
param_value(const struct param *pv, size_t n, const char *base, char **out)
{
	const char	*sec[RFC2231_MAX_SECTIONS] = { 0 };
	int		 secext[RFC2231_MAX_SECTIONS] = { 0 };
	const char	*single = NULL, *plain = NULL, *rest, *v, *q1, *q2;
	char		*bytes, charset[64] = "", *u;
	size_t		 blen = strlen(base), i, total = 0, nb = 0, k, ulen;
	int		 num, nsec = 0;

	*out = NULL;
	for (i = 0; i < n; i++) {
		if (pv[i].name == NULL || pv[i].value == NULL ||
		    !text_ascii_ncaseeq(pv[i].name, base, blen))
			continue;
		rest = pv[i].name + blen;
		if (*rest == '\0') {
			if (plain == NULL)
				plain = pv[i].value;
			continue;
		}
		if (*rest++ != '*')
			continue;
		if (*rest == '\0') {
			if (single == NULL)
				single = pv[i].value;
			continue;
		}
		/* Section number: no leading zeros (RFC 2231 3.). */
		if (*rest < '0' || *rest > '9' || (rest[0] == '0' &&
		    rest[1] >= '0' && rest[1] <= '9'))
			continue;
		for (num = 0; *rest >= '0' && *rest <= '9' &&
		    num < RFC2231_MAX_SECTIONS; rest++)
			num = num * 10 + (*rest - '0');
		if (num >= RFC2231_MAX_SECTIONS ||
		    (*rest != '\0' && strcmp(rest, "*") != 0) || sec[num])
			continue;
		sec[num] = pv[i].value;
		secext[num] = *rest == '*';
	}
	if (single != NULL) {
		sec[0] = single;
		secext[0] = 1;
		nsec = 1;
	} else
		while (nsec < RFC2231_MAX_SECTIONS && sec[nsec] != NULL)
			nsec++;
	if (nsec == 0) {
		if (plain == NULL)
			return 0;
		*out = text_decode_header(plain, strlen(plain));
		return *out == NULL ? -1 : 1;
	}
	for (k = 0; k < (size_t)nsec; k++)
		total += strlen(sec[k]);
	if ((bytes = malloc(total + 1)) == NULL)
		return -1;
	for (k = 0; k < (size_t)nsec; k++) {
		v = sec[k];
		/* The first extended section starts with charset'lang'. */
		if (k == 0 && secext[0] && (q1 = strchr(v, '\'')) != NULL &&
		    (q2 = strchr(q1 + 1, '\'')) != NULL) {
			if ((size_t)(q1 - v) < sizeof(charset)) {
				memcpy(charset, v, q1 - v);
				charset[q1 - v] = '\0';
			}
			v = q2 + 1;
		}
		if (secext[k])
			percent_decode(bytes, &nb, v, strlen(v));
		else {
			memcpy(bytes + nb, v, strlen(v));
			nb += strlen(v);
		}
	}
	u = text_to_utf8(charset[0] ? charset : NULL, bytes, nb, &ulen, NULL);
	free(bytes);
	if (u == NULL)
		return -1;
	text_clean_controls(u, ulen, TEXT_ONE_LINE);
	*out = u;
	return 1;
}

/* Collect parameters of a parameter list (struct mailmime_parameter). */
static int
collect_params(clist *l, struct param **pv, size_t *n)
{
	clistiter			*it;
	struct mailmime_parameter	*p;
	struct param			*np;

	if (l == NULL)
		return 0;
	for (it = clist_begin(l); it != NULL; it = clist_next(it)) {
		if ((p = clist_content(it)) == NULL)
			continue;
		if ((np = reallocarray(*pv, *n + 1, sizeof(*np))) == NULL)
			return -1;
		*pv = np;
		np[*n].name = p->pa_name;
		np[*n].value = p->pa_value;
		(*n)++;
	}
	return 0;
}

int
mime_filename(const struct mailmime_disposition *dsp,
    const struct mailmime_content *ct, char **out)
{
	struct param				*pv = NULL, *np;
	struct mailmime_disposition_parm	*dp;
	clistiter				*it;
	size_t					 n = 0;
	int					 r = 0;

	*out = NULL;
	if (dsp != NULL && dsp->dsp_parms != NULL) {
		for (it = clist_begin(dsp->dsp_parms); it != NULL;
		    it = clist_next(it)) {
			dp = clist_content(it);
			if (dp == NULL || (dp->pa_type !=
			    MAILMIME_DISPOSITION_PARM_FILENAME &&
			    (dp->pa_type != MAILMIME_DISPOSITION_PARM_PARAMETER ||
			    dp->pa_data.pa_parameter == NULL)))
				continue;
			if ((np = reallocarray(pv, n + 1, sizeof(*np))) ==
			    NULL) {
				free(pv);
				return -1;
			}
			pv = np;
			if (dp->pa_type == MAILMIME_DISPOSITION_PARM_FILENAME) {
				pv[n].name = "filename";
				pv[n].value = dp->pa_data.pa_filename;
			} else {
				pv[n].name = dp->pa_data.pa_parameter->pa_name;
				pv[n].value = dp->pa_data.pa_parameter->pa_value;
			}
			n++;
		}
		r = param_value(pv, n, "filename", out);
	}
	if (r == 0 && ct != NULL) {
		n = 0;
		if (collect_params(ct->ct_parameters, &pv, &n) == -1)
			r = -1;
		else
			r = param_value(pv, n, "name", out);
	}
	free(pv);
	return r;
}
