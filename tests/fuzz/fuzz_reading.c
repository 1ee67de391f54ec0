/*
 * libFuzzer target: the daemon's side of the reader's JSON
 * (reading_from_json) on arbitrary bytes.  What it accepts must write back
 * (reading_add_json) without trouble.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "model/reading.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mail_facts *f = NULL;
	struct convocation *c = NULL;
	struct json_object *o;
	char *text, *err = NULL;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (reading_from_json(text, size, &f, &c, &err) == 0) {
		if ((o = json_object_new_object()) != NULL) {
			reading_add_json(o, f, c, 1);
			json_object_put(o);
		}
		mail_facts_free(f);
		convocation_free(c);
	}
	free(err);
	free(text);
	return 0;
}
