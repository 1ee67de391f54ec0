/*
 * html: HTML (UTF-8) -> plain UTF-8 text, through libxml2's HTML parser.
 * Block elements and <br> become line breaks, table cells are kept apart
 * (TAB), entities and &nbsp; decoded, script/style/head dropped.
 * Pure: no I/O, no global state, no recursion proportional to nesting.
 */
#ifndef OFII_HTML_H
#define OFII_HTML_H

#include <stddef.h>

/* malloc'd NUL-terminated text (caller free()s), "" for empty input,
   NULL only on out-of-memory. */
char	*html_to_text(const char *html, size_t len);

#endif
