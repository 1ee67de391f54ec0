/*
 * libFuzzer target: the text scanners on arbitrary bytes — dates, times
 * and windows (frdate), postal addresses and phone numbers (address).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "parsers/address.h"
#include "parsers/frdate.h"
#include "parsers/phone.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct frdate_token *toks = NULL;
	struct folded_text ft;
	struct address *addrs = NULL;
	struct phone *phones = NULL;
	size_t ntoks = 0, naddrs = 0, nphones = 0;

	if (frdate_scan_text(text, size, &toks, &ntoks, NULL) == 0)
		free(toks);
	if (frdate_fold(text, size, &ft, NULL) == -1)
		return 0;
	if (address_scan(text, &ft, &addrs, &naddrs, NULL) == 0)
		address_free_all(addrs, naddrs);
	if (phone_scan(text, &ft, &phones, &nphones, NULL) == 0)
		phone_free_all(phones, nphones);
	frdate_fold_free(&ft);
	return 0;
}
