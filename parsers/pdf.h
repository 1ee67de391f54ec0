/*
 * pdf: text of a PDF attachment, through poppler-glib, layout-aware (a TAB
 * where glyphs on one line are far apart, so table cells never glue) and
 * NFKC-normalized (ligatures).  Every PDF is hostile: extraction runs in a
 * forked child with CPU, memory and wall-clock limits, watched by the
 * parent to the millisecond; the parent only reads a bounded amount of
 * text from a pipe.
 */
#ifndef OFII_PDF_H
#define OFII_PDF_H

#include <stddef.h>

struct pdf_limits {
	int		max_pages;	/* pages read (20) */
	unsigned	cpu_ms;		/* CPU time of the child (1000; a
					   letter takes ~30 ms) */
	size_t		max_memory;	/* memory of the child above its size at fork (256 MiB) */
	unsigned	wall_ms;	/* child killed after this (1250) */
	size_t		max_text;	/* bytes of text kept (1 MiB) */
};

void	pdf_limits_default(struct pdf_limits *);

/* Text of the PDF in a child process.  0 and *textp (malloc'd UTF-8) on
   success; -1 and *errstr ("PDF damaged", "PDF extraction timed out", ...)
   otherwise. */
int	pdf_to_text(const void *pdf, size_t len, const struct pdf_limits *,
	    char **textp, char **errstr);

/* The same, in this process, without limits: for the child itself, the
   fuzzer and the benchmark only. */
int	pdf_to_text_unconfined(const void *pdf, size_t len, int max_pages,
	    char **textp, char **errstr);

#endif
