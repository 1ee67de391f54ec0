/*
 * mimeparam: the file name of a MIME part, from the parameters libetpan
 * parsed but did not decode.  Pure: no I/O, no global state.
 */
#ifndef OFII_MIMEPARAM_H
#define OFII_MIMEPARAM_H

#include <libetpan/libetpan.h>

/*
 * The Content-Disposition filename (RFC 2231 filename*=, its continuation
 * sections filename*0*, filename*1 ..., or RFC 2047 words in filename=),
 * else the Content-Type name, as one line of UTF-8 (control characters
 * removed).  1 and a malloc'd *out; 0 when there is none; -1 on
 * out-of-memory.  dsp and ct may be NULL.
 */
int	mime_filename(const struct mailmime_disposition *dsp,
	    const struct mailmime_content *ct, char **out);

#endif
