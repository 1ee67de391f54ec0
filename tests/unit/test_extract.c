/*
 * extract: the pieces the convocation extractor's files share
 * (parsers/extract.h): the folded-text helpers, the keyword lists, and
 * the keyword index, which must answer exactly as a search of the text
 * does.  The extraction itself is tested in test_convocation.c.
 */
#include <glob.h>

#include "testutil.h"

#include "parsers/extract.h"
#include "parsers/message.h"

static void
test_folded_helpers(void **state)
{
	const char *s = "rendez-vous cir\n- le 12 mars, circulaire :  \nfin";
	size_t len = strlen(s);
	int alone;

	(void)state;
	assert_int_equal(ft_find(s, 0, len, "cir"), 12);
	assert_int_equal(ft_find(s, 13, len, "cir"), 30);
	assert_int_equal(ft_find(s, 0, 14, "cir"), -1);
	assert_int_equal(ft_rfind(s, 0, len, "cir"), 30);
	assert_int_equal(ft_find_word(s, 13, len, "cir"), -1);
	assert_int_equal(ft_find_word(s, 0, len, "cir"), 12);
	assert_true(ft_any(s, 0, len, (const char *const[]){ "x", "mars",
	    NULL }));
	assert_false(ft_any_word(s, 0, len, (const char *const[]){ "ars",
	    NULL }));
	assert_int_equal(ft_line_start(s, 20), 16);
	assert_int_equal(ft_line_end(s, len, 20), 44);
	assert_true(ft_ends(s, 16, 44, ":"));
	assert_true(ft_starts(s, 16, 44, "- le"));
	assert_false(ft_starts(s, 16, 18, "- le"));
	assert_int_equal(ft_skip_ws(s, 42, 44), 44);
	assert_true(ft_blank(s, 42, 44));
	assert_false(ft_blank(s, 41, 44));
	assert_true(ft_list_item(s, 16, 44, &alone));
	assert_false(alone);
	assert_false(ft_list_item(s, 0, 15, &alone));
	/* keywords start words; stems may go on, signs may follow
	   anything */
	assert_false(ft_any("une attestation", 0, 15,
	    (const char *const[]){ "test", NULL }));
	assert_true(ft_any("un test", 0, 7,
	    (const char *const[]){ "test", NULL }));
	assert_true(ft_any("convoquee", 0, 9,
	    (const char *const[]){ "convoqu", NULL }));
	assert_true(ft_any("date vous sera", 0, 14,
	    (const char *const[]){ " sera ", "vous sera", NULL }));
	assert_int_equal(ft_find_kw("cuir cir", 0, 8, "cir"), 5);
	assert_int_equal(ft_rfind_kw("cir cuir", 0, 8, "cir"), 0);
	assert_int_equal(ft_rfind_kw("cir cir", 0, 7, "cir"), 4);
}

/* Every list of extract.h, indexed or not. */
static const char *const *const lists[] = {
	kw_negation, kw_cancel, kw_resched, kw_announce, kw_ack, kw_summons,
	kw_ofii_inviter, kw_newsletter_mail, kw_appt, kw_not_appt, kw_ofii,
	kw_gp, kw_newsletter, kw_old, kw_old_after, kw_new, kw_cir,
	kw_medical, kw_xray, kw_items, kw_item_stems, kw_bring, kw_not_bring,
	kw_onsite,
	kw_example, kw_first_person, kw_strong_summons, kw_threat,
	kw_see_subject, kw_resched_subject, kw_instead, kw_time_moved,
	kw_header_label, kw_forward_marker, kw_forward_word, kw_ofii_head,
	kw_place_small_word, kw_hours, kw_place_label, kw_civility,
	kw_greeting, kw_not_name, kw_person_label, kw_guardian_label,
	kw_family_label, kw_given_label, kw_advice, kw_time_anchor,
	kw_own_place_label, kw_birth, kw_ofii_mention, kw_not_ofii_voice,
	kw_visa_validated, kw_advice_after, kw_not_visit_label
};
#define NLISTS	(sizeof(lists) / sizeof(lists[0]))

/* A keyword is matched on folded text: written folded, it can match. */
static void
test_keywords_folded(void **state)
{
	struct folded_text f;
	size_t l, k;

	(void)state;
	for (l = 0; l < NLISTS; l++) {
		assert_non_null(lists[l][0]);
		for (k = 0; lists[l][k] != NULL; k++) {
			assert_int_equal(frdate_fold(lists[l][k],
			    strlen(lists[l][k]), &f, NULL), 0);
			if (strcmp(f.s, lists[l][k]) != 0)
				fail_msg("keyword \"%s\" is not folded",
				    lists[l][k]);
			frdate_fold_free(&f);
		}
	}
}

/*
 * The index against the search it replaces, on the text parts of the
 * fixture mails: the same doc loaded twice, indexed once, asked the same
 * questions over windows of several sizes.
 */
static void
check_doc(const char *text)
{
	struct doc idx, plain;
	const struct kw_hits *h;
	size_t l, a, w, j, len;
	static const size_t widths[] = { 0, 1, 7, 60, 300, 5000 };

	assert_int_equal(doc_load(&idx, text, strlen(text), 0, NULL), 0);
	assert_int_equal(doc_load(&plain, text, strlen(text), 0, NULL), 0);
	assert_int_equal(doc_index(&idx), 0);
	assert_null(plain.hits);
	len = idx.f.len;
	for (l = 0; l < NLISTS; l++) {
		/* every hit is its keyword, in position order */
		if ((h = doc_hits(&idx, lists[l])) != NULL)
			for (j = 0; j < h->n; j++) {
				assert_true(h->v[j].pos + h->v[j].len <= len);
				/* (a line break stands for a space) */
				assert_true(ft_eq(idx.f.s + h->v[j].pos,
				    lists[l][h->v[j].id], h->v[j].len));
				assert_int_equal(h->v[j].len,
				    strlen(lists[l][h->v[j].id]));
				if (j > 0)
					assert_true(h->v[j - 1].pos <=
					    h->v[j].pos);
				assert_int_equal(kw_hits_from(h,
				    h->v[j].pos) <= j, 1);
			}
		for (a = 0; a <= len; a += 41)
			for (w = 0; w < sizeof(widths) / sizeof(widths[0]);
			    w++) {
				size_t b = a + widths[w] < len ?
				    a + widths[w] : len;

				assert_int_equal(dany(&idx, a, b, lists[l]),
				    dany(&plain, a, b, lists[l]));
				assert_int_equal(dany_word(&idx, a, b, lists[l]),
				    dany_word(&plain, a, b, lists[l]));
				assert_int_equal(dnearest_before(&idx, a, b,
				    lists[l]), dnearest_before(&plain, a, b,
				    lists[l]));
				assert_int_equal(dfirst_after(&idx, a, b,
				    lists[l]), dfirst_after(&plain, a, b,
				    lists[l]));
			}
	}
	doc_free(&idx);
	doc_free(&plain);
}

static void
test_index_as_search(void **state)
{
	glob_t g;
	size_t i, k, len, docs = 0;

	(void)state;
	assert_int_equal(glob("tests/fixtures/samples/0[1-7]*.eml", 0, NULL,
	    &g), 0);
	assert_int_equal(glob("tests/fixtures/mail/wordings/[0-3]*.eml",
	    GLOB_APPEND, NULL, &g), 0);
	for (i = 0; i < g.gl_pathc; i++) {
		struct message *m;
		char *raw = testutil_read(g.gl_pathv[i], &len);

		assert_int_equal(message_parse(raw, len, NULL, &m, NULL), 0);
		for (k = 0; k < m->nparts; k++)
			if (m->parts[k].kind != PART_OTHER &&
			    m->parts[k].text != NULL) {
				check_doc(m->parts[k].text);
				docs++;
			}
		message_free(m);
		free(raw);
	}
	globfree(&g);
	assert_true(docs >= 20);
}

/* A doc without text: nothing found, nothing indexed out of bounds. */
static void
test_index_empty(void **state)
{
	struct doc d;

	(void)state;
	assert_int_equal(doc_load(&d, "", 0, 0, NULL), 0);
	assert_int_equal(doc_index(&d), 0);
	assert_false(dany(&d, 0, 0, kw_appt));
	assert_int_equal(dnearest_before(&d, 0, 0, kw_cir), -1);
	doc_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folded_helpers),
		cmocka_unit_test(test_keywords_folded),
		cmocka_unit_test(test_index_as_search),
		cmocka_unit_test(test_index_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
