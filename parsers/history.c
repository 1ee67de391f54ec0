/*
 * history: the quoted reply history of a text part, removed before
 * anything is read in it: lines starting with '>', everything below "Le
 * ... a écrit :", "-----Original Message-----" or an Outlook "De : /
 * Envoyé : / Objet :" block.  In a forward, only the forwarded message's
 * header lines go.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "parsers/extract.h"
#include "parsers/frdate.h"

static int
header_line(const char *s, size_t a, size_t b)
{
	size_t k;

	a = ft_skip_ws(s, a, b);
	while (a < b && (s[a] == '*' || s[a] == '>'))
		a = ft_skip_ws(s, a + 1, b);
	for (k = 0; kw_header_label[k] != NULL; k++)
		if (ft_starts(s, a, b, kw_header_label[k]))
			return 1;
	return 0;
}

/* "De : X / Envoyé : ... / Objet : ...": an Outlook reply/forward head. */
static int
outlook_block(const char *s, size_t len, size_t ls, size_t le)
{
	size_t a = ft_skip_ws(s, ls, le), i, l = le, e;
	int sent = 0, subj = 0;

	while (a < le && s[a] == '*')
		a = ft_skip_ws(s, a + 1, le);
	if (!ft_starts(s, a, le, "de :") && !ft_starts(s, a, le, "de:") &&
	    !ft_starts(s, a, le, "from:") && !ft_starts(s, a, le, "from :"))
		return 0;
	for (i = 0; i < 5 && l < len; i++) {
		l++;
		e = ft_line_end(s, len, l);
		a = ft_skip_ws(s, l, e);
		while (a < e && s[a] == '*')
			a = ft_skip_ws(s, a + 1, e);
		if (ft_starts(s, a, e, "envoye") ||
		    ft_starts(s, a, e, "sent") || ft_starts(s, a, e, "date"))
			sent = 1;
		if (ft_starts(s, a, e, "objet") ||
		    ft_starts(s, a, e, "subject"))
			subj = 1;
		l = e;
	}
	return sent && subj;
}

static int
forward_marker(const char *s, size_t a, size_t b)
{
	return b - a < 120 && ft_any(s, a, b, kw_forward_marker);
}

static int
reply_marker(const char *s, size_t len, size_t a, size_t b)
{
	size_t nb;

	if (b - a > 300)
		return 0;
	if (ft_ends(s, a, b, "a ecrit :") || ft_ends(s, a, b, "a ecrit:") ||
	    ft_ends(s, a, b, "wrote:") || ft_ends(s, a, b, "wrote :"))
		return 1;
	/* "Le lun. 3 oct. 2023 à 14:07, OFII <\nx@ofii.fr> a écrit :" */
	if ((ft_starts(s, ft_skip_ws(s, a, b), b, "le ") ||
	    ft_starts(s, ft_skip_ws(s, a, b), b, "on ")) && b < len) {
		nb = ft_line_end(s, len, b + 1);
		if (nb - b < 200 && (ft_ends(s, b + 1, nb, "a ecrit :") ||
		    ft_ends(s, b + 1, nb, "a ecrit:") || ft_ends(s, b + 1, nb, "wrote:")))
			return 1;
	}
	return 0;
}

/* A header line of a forwarded message from OFII: "De : OFII Paris
   <ne-pas-repondre@ofii.fr>", "From: sm-lyon@ofii.fr". */
static int
ofii_from_line(const char *s, size_t a, size_t b)
{
	a = ft_skip_ws(s, a, b);
	while (a < b && (s[a] == '*' || s[a] == '>'))
		a = ft_skip_ws(s, a + 1, b);
	return (ft_starts(s, a, b, "de ") || ft_starts(s, a, b, "de:") ||
	    ft_starts(s, a, b, "from") || ft_starts(s, a, b, "expediteur")) &&
	    ft_find(s, a, b, "ofii") >= 0;
}

/*
 * Copy of text without quoted reply history.  forward: the mail is a
 * forward, so what follows a forward/original-message marker is kept
 * (minus its header lines) instead of cut; *from_ofii is set when those
 * header lines say the forwarded message came from OFII (the letter is
 * OFII's, whoever forwards it).
 */
int
strip_history(const char *text, size_t len, int forward, char **outp,
    size_t *outlenp, int *from_ofii)
{
	struct folded_text f;
	struct buf b = { 0 };
	size_t ls, le, a, oa, ob;
	int in_head = 0;

	*outp = NULL;
	*from_ofii = 0;
	if (frdate_fold(text, len, &f, NULL) == -1)
		return -1;
	for (ls = 0; ls < f.len; ls = le + 1) {
		le = ft_line_end(f.s, f.len, ls);
		a = ft_skip_ws(f.s, ls, le);
		oa = f.off[ls];
		ob = le < f.len ? f.off[le] + 1 : f.off[le];
		if (in_head) {
			/* header lines of a forwarded message */
			if (header_line(f.s, ls, le) ||
			    (ft_blank(f.s, ls, le) && in_head == 1)) {
				if (!ft_blank(f.s, ls, le))
					in_head = 2;
				if (ofii_from_line(f.s, ls, le))
					*from_ofii = 1;
				continue;
			}
			in_head = 0;
		}
		if (a < le && f.s[a] == '>') {
			if (!forward)
				continue;
			/* keep the quoted text of a forward, unquoted */
			while (a < le && (f.s[a] == '>' || f.s[a] == ' '))
				a++;
			oa = f.off[a];
		} else if (forward_marker(f.s, ls, le) ||
		    outlook_block(f.s, f.len, ls, le) ||
		    (ft_starts(f.s, a, le, "_____") && le + 1 < f.len &&
		    outlook_block(f.s, f.len, le + 1,
		    ft_line_end(f.s, f.len, le + 1)))) {
			if (!forward && !ft_any(f.s, ls, le, kw_forward_word))
				break;
			in_head = 1;
			if (outlook_block(f.s, f.len, ls, le)) {
				in_head = 2;
				if (ofii_from_line(f.s, ls, le))
					*from_ofii = 1;
			}
			continue;
		} else if (reply_marker(f.s, f.len, ls, le)) {
			if (!forward)
				break;
			continue;
		}
		if (buf_add(&b, text + oa, ob - oa) == -1)
			goto fail;
	}
	frdate_fold_free(&f);
	if ((*outp = buf_finish(&b, outlenp)) == NULL)
		return -1;
	return 0;
fail:
	frdate_fold_free(&f);
	buf_free(&b);
	return -1;
}
